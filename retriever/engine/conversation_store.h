// Bounded memory of recent conversations: the last questions asked under each
// conversation id, forgotten after a TTL and capped in count (least recently used first).
#pragma once

#include <chrono>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace citeqa::retriever {

class ConversationStore {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  ConversationStore(
      size_t max_conversations, std::chrono::seconds ttl,
      Clock clock = [] { return std::chrono::steady_clock::now(); });

  // A new random id (128 bits, hex). Thread-safe.
  static std::string NewId();

  // Earlier questions of `id`, oldest first; empty for an unknown or expired id.
  std::vector<std::string> History(const std::string& id);
  // Records a question; keeps the last kMaxTurns per conversation. Thread-safe.
  void Append(const std::string& id, const std::string& question);
  size_t size();

  static constexpr size_t kMaxTurns = 8;

 private:
  struct Entry {
    std::vector<std::string> questions;
    std::chrono::steady_clock::time_point last_used;
    std::list<std::string>::iterator lru_position;
  };
  void EvictExpired(std::chrono::steady_clock::time_point now);

  const size_t max_conversations_;
  const std::chrono::seconds ttl_;
  Clock clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> lru_;  // most recently used at the front
};

}  // namespace citeqa::retriever
