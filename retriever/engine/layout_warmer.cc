#include "retriever/engine/layout_warmer.h"

#include <cstdio>
#include <exception>
#include <utility>

namespace citeqa::retriever {

LayoutWarmer::~LayoutWarmer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    superseded_ = true;
  }
  wakeup_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LayoutWarmer::Offer(const Statistics& statistics, uint64_t file_epoch) {
  if (statistics == nullptr || last_offered_.load(std::memory_order_acquire) == statistics.get()) {
    return;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  // A question still answering with an older version may offer it after a newer one.
  const bool newer = last_offered_held_ == nullptr || file_epoch > last_offered_epoch_ ||
                     (file_epoch == last_offered_epoch_ &&
                      statistics->generation > last_offered_held_->generation);
  if (!newer || stopping_) return;
  // The versions let go of here may be their last holders': freed after the lock, not on a
  // question's thread under it.
  Statistics earlier_offered = std::exchange(last_offered_held_, statistics);
  std::optional<Job> earlier_queued = std::exchange(queued_, Job{statistics, file_epoch});
  last_offered_epoch_ = file_epoch;
  last_offered_.store(statistics.get(), std::memory_order_release);
  superseded_ = true;  // the work in progress, if any, is for an older version
  if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  wakeup_.notify_one();
  lock.unlock();
}

void LayoutWarmer::AwaitIdle() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return stopping_ || (!queued_ && !running_); });
}

void LayoutWarmer::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wakeup_.wait(lock, [this] { return stopping_ || queued_.has_value(); });
    if (stopping_) break;
    Job job = std::move(*queued_);
    queued_.reset();
    running_ = true;
    superseded_ = false;
    lock.unlock();
    try {
      laid_out_.fetch_add(warm_up_(job.statistics, job.file_epoch, superseded_),
                          std::memory_order_relaxed);
    } catch (const std::exception& e) {
      // Out of memory, say: questions lay out what they read, as without a warm-up.
      std::fprintf(stderr, "citeqa: laying out passages ahead of questions failed: %s\n", e.what());
    }
    job.statistics.reset();  // not under the lock: the last holder frees a whole version
    lock.lock();
    running_ = false;
    idle_.notify_all();
  }
  idle_.notify_all();  // waiters for an idle warmer also wake to stopping_
}

}  // namespace citeqa::retriever
