#include "server/slack/event_dedup.h"

#include <algorithm>

namespace citeqa::server::slack {

EventDeduplicator::EventDeduplicator(size_t capacity, int64_t ttl_seconds)
    : capacity_(std::max<size_t>(capacity, 1)), ttl_seconds_(ttl_seconds) {}

bool EventDeduplicator::FirstSighting(std::string_view event_id, int64_t now_unix) {
  std::lock_guard<std::mutex> lock(mu_);
  EvictExpired(now_unix);
  std::string id(event_id);
  if (const auto it = index_.find(id); it != index_.end()) {
    it->second->seen_at = now_unix;
    by_age_.splice(by_age_.begin(), by_age_, it->second);
    return false;
  }
  if (by_age_.size() >= capacity_) {
    index_.erase(by_age_.back().id);
    by_age_.pop_back();
  }
  by_age_.push_front({id, now_unix});
  index_.emplace(std::move(id), by_age_.begin());
  return true;
}

size_t EventDeduplicator::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return by_age_.size();
}

void EventDeduplicator::EvictExpired(int64_t now_unix) {
  while (!by_age_.empty() && now_unix - by_age_.back().seen_at >= ttl_seconds_) {
    index_.erase(by_age_.back().id);
    by_age_.pop_back();
  }
}

}  // namespace citeqa::server::slack
