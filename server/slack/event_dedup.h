// Remembers recently seen Slack event ids so that an event Slack delivers again
// (X-Slack-Retry-Num) is answered once. Bounded in count (least recently seen forgotten
// first) and in age. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace citeqa::server::slack {

class EventDeduplicator {
 public:
  // Keeps at most `capacity` (>= 1) ids, each for `ttl_seconds`.
  EventDeduplicator(size_t capacity, int64_t ttl_seconds);

  // True the first time `event_id` is seen (or once its previous sighting has expired or
  // been evicted), false for a repeat. Records the sighting at `now_unix` either way.
  bool FirstSighting(std::string_view event_id, int64_t now_unix);

  size_t size() const;

 private:
  struct Entry {
    std::string id;
    int64_t seen_at;
  };
  void EvictExpired(int64_t now_unix);

  const size_t capacity_;
  const int64_t ttl_seconds_;
  mutable std::mutex mu_;
  std::list<Entry> by_age_;  // most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace citeqa::server::slack
