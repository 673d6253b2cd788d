#include "server/suggestion_service.h"

#include <utility>

namespace citeqa::server {

SuggestionService::SuggestionService(Compute compute, Generation generation)
    : compute_(std::move(compute)), generation_(std::move(generation)) {}

SuggestionService::~SuggestionService() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_.notify_all();
  if (refresher_.joinable()) refresher_.join();
}

Result<std::vector<std::string>> SuggestionService::Current() {
  const Result<int64_t> generation = generation_();
  if (!generation.ok()) return generation.status();
  std::unique_lock<std::mutex> lock(mu_);
  // A generation other than the kept one (not only a later one): a snapshot moved over
  // the index may carry a smaller number.
  if (kept_.has_value() && kept_->generation == *generation) return kept_->questions;
  if (computing_) {
    // Share the computation in progress. Only if it drew from another generation than the
    // one this call read (it started before a re-index) does this call compute again, and
    // then it returns what it computed even if the index moved on meanwhile.
    const uint64_t before = computations_;
    computed_.wait(lock, [&] { return computations_ != before; });
    if (!last_failure_.ok()) return last_failure_;
    if (kept_->generation == *generation) return kept_->questions;
    if (computing_) {
      // Another waiter is computing again already: share that one.
      const uint64_t next = computations_;
      computed_.wait(lock, [&] { return computations_ != next; });
      if (!last_failure_.ok()) return last_failure_;
      return kept_->questions;
    }
  }
  computing_ = true;
  lock.unlock();
  Result<SuggestionSet> result = compute_();
  lock.lock();
  computing_ = false;
  ++computations_;
  if (result.ok()) {
    kept_ = std::move(*result);
    last_failure_ = Status::Ok();
  } else {
    last_failure_ = result.status();
  }
  computed_.notify_all();
  if (!last_failure_.ok()) return last_failure_;
  return kept_->questions;
}

void SuggestionService::StartRefreshing(std::chrono::milliseconds interval) {
  refresher_ = std::thread([this, interval] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
      lock.unlock();
      (void)Current();
      lock.lock();
      stop_.wait_for(lock, interval, [this] { return stopping_; });
    }
  });
}

uint64_t SuggestionService::computations() const {
  std::lock_guard<std::mutex> lock(mu_);
  return computations_;
}

}  // namespace citeqa::server
