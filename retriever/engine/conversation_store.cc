#include "retriever/engine/conversation_store.h"

#include <openssl/rand.h>

#include <array>
#include <random>

namespace citeqa::retriever {

ConversationStore::ConversationStore(size_t max_conversations, std::chrono::seconds ttl,
                                     Clock clock)
    : max_conversations_(max_conversations), ttl_(ttl), clock_(std::move(clock)) {}

std::string ConversationStore::NewId() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    std::random_device device;  // OpenSSL's generator failed: fall back to the OS's
    for (auto& b : bytes) b = static_cast<unsigned char>(device());
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 0xF]);
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
