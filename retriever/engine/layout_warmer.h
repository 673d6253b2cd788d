// Runs the warm-up of each newer index version questions use (laying out its passages), on
// one background thread, and tells a warm-up in progress to stop when a newer version comes.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "retriever/index_statistics.h"

namespace citeqa::retriever {

// Offer, AwaitIdle and laid_out are thread-safe; the destructor must not run beside them.
class LayoutWarmer {
 public:
  using Statistics = std::shared_ptr<const IndexStatistics>;
  // Lays out the passages of `statistics`, of the index file `file_epoch` names, and returns
  // how many. Runs on the warmer's thread; should return soon once `superseded` is true (a
  // newer version was offered, or the warmer is stopping).
  using WarmUp = std::function<int64_t(const Statistics& statistics, uint64_t file_epoch,
                                       const std::atomic<bool>& superseded)>;

  explicit LayoutWarmer(WarmUp warm_up) : warm_up_(std::move(warm_up)) {}
  ~LayoutWarmer();  // stops the work in progress and joins the thread
  LayoutWarmer(const LayoutWarmer&) = delete;
  LayoutWarmer& operator=(const LayoutWarmer&) = delete;

  // Queues the warm-up of `statistics` when they are of a newer version than any offered
  // before (a later file, or a later generation of the same file); one atomic load when they
  // are the last offered, as for nearly every question. The thread starts at the first offer.
  void Offer(const Statistics& statistics, uint64_t file_epoch);
  // Blocks until nothing is queued or running: for benchmarks and tests.
  void AwaitIdle();
  // Passages laid out ahead of questions so far.
  int64_t laid_out() const { return laid_out_.load(std::memory_order_relaxed); }

 private:
  void Run();

  const WarmUp warm_up_;
  // The last offered statistics, held (under mutex_) so that their address is not reused
  // while the lock-free check in Offer compares against it.
  std::atomic<const IndexStatistics*> last_offered_{nullptr};
  Statistics last_offered_held_;
  uint64_t last_offered_epoch_ = 0;
  std::mutex mutex_;
  std::condition_variable wakeup_;
  std::condition_variable idle_;
  struct Job {
    Statistics statistics;
    uint64_t file_epoch = 0;
  };
  std::optional<Job> queued_;
  bool running_ = false;
  bool stopping_ = false;
  std::atomic<bool> superseded_{false};
  std::atomic<int64_t> laid_out_{0};
  std::thread thread_;
};

}  // namespace citeqa::retriever
