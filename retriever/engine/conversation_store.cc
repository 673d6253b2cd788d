#include "retriever/engine/conversation_store.h"

#include <openssl/rand.h>
#include <unistd.h>

#include <array>
#include <random>

namespace citeqa::retriever {

ConversationStore::ConversationStore(size_t max_conversations, std::chrono::seconds ttl,
                                     Clock clock)
    : max_conversations_(max_conversations), ttl_(ttl), clock_(std::move(clock)) {}

namespace {

constexpr size_t kIdBytes = 16;

// Random bytes for ids, drawn from OpenSSL's generator for many ids at a time: a call per
// id (every question without a conversation_id makes one) cost more than the rest of the
// engine's bookkeeping together. Per thread, so no lock; refilled in a forked child, which
// must not repeat its parent's ids.
struct IdRandomness {
  std::array<unsigned char, kIdBytes * 64> bytes{};
  size_t used = bytes.size();
  pid_t pid = 0;

  // The next kIdBytes unused bytes, which the caller wipes once read.
  unsigned char* Next() {
    if (used + kIdBytes > bytes.size() || pid != ::getpid()) {
      if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        std::random_device device;  // OpenSSL's generator failed: fall back to the OS's
        for (auto& b : bytes) b = static_cast<unsigned char>(device());
      }
      used = 0;
      pid = ::getpid();
    }
    unsigned char* id = bytes.data() + used;
    used += kIdBytes;
    return id;
  }
};

}  // namespace

std::string ConversationStore::NewId() {
  thread_local IdRandomness randomness;
  unsigned char* bytes = randomness.Next();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(2 * kIdBytes, '0');
  for (size_t i = 0; i < kIdBytes; ++i) {
    id[2 * i] = kHex[bytes[i] >> 4];
    id[2 * i + 1] = kHex[bytes[i] & 0xF];
    bytes[i] = 0;
  }
  return id;
}

void ConversationStore::EvictExpired(std::chrono::steady_clock::time_point now) {
  while (!lru_.empty()) {
    auto it = entries_.find(lru_.back());
    if (now - it->second.last_used < ttl_) break;
    entries_.erase(it);
    lru_.pop_back();
  }
}

std::vector<std::string> ConversationStore::History(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  EvictExpired(clock_());
  const auto it = entries_.find(id);
  if (it == entries_.end()) return {};
  return it->second.questions;
}

void ConversationStore::Append(const std::string& id, const std::string& question) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto now = clock_();
  EvictExpired(now);
  auto it = entries_.find(id);
  if (it == entries_.end()) {
    if (max_conversations_ == 0) return;
    while (entries_.size() >= max_conversations_) {
      entries_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(id);
    it = entries_.emplace(id, Entry{{}, now, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru_position);
  }
  Entry& entry = it->second;
  entry.last_used = now;
  entry.questions.push_back(question);
  if (entry.questions.size() > kMaxTurns) entry.questions.erase(entry.questions.begin());
}

size_t ConversationStore::size() {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace citeqa::retriever
