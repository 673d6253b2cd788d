#include "server/reindex_service.h"

#include <chrono>
#include <exception>
#include <utility>

namespace citeqa::server {

ReindexService::ReindexService(indexer::IndexOptions options, ServerMetrics* metrics,
                               IndexFunction index)
    : options_(std::move(options)), metrics_(metrics), index_(std::move(index)) {}

Result<ReindexRun> ReindexService::Reindex(std::string_view trigger) {
  std::unique_lock<std::mutex> lock(mu_);
  ++calls_;
  struct CallCount {
    int* calls;
    ~CallCount() { --*calls; }  // runs with mu_ held: `lock` is declared before it
  } call_count{&calls_};
  // A run already going may have scanned the folder before the caller's change: only a
  // run that starts from now on will do.
  const uint64_t needed = started_ + 1;
  while (finished_ < needed) {
    if (running_) {
      run_finished_.wait(lock);
      continue;
    }
    running_ = true;
    const uint64_t run = ++started_;
    lock.unlock();
    Result<ReindexRun> result = RunIndexer(run, trigger);
    lock.lock();
    running_ = false;
    finished_ = run;
    last_ = result;
    run_finished_.notify_all();
    return result;
  }
  // Another caller ran it: the last finished run started after this call began.
  Result<ReindexRun> shared = *last_;
  if (shared.ok()) shared->shared = true;
  return shared;
}

std::optional<Result<ReindexRun>> ReindexService::LastRun() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_;
}

int ReindexService::CallsInProgress() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

Result<ReindexRun> ReindexService::RunIndexer(uint64_t run, std::string_view trigger) const {
  const auto started = std::chrono::steady_clock::now();
  Result<indexer::IndexSummary> summary = Status::IoError("the indexer did not run");
  try {
    summary = index_(options_);
  } catch (const std::exception& e) {
    // Nothing in the indexer throws on purpose; this keeps a bad_alloc from leaving
    // running_ set (and every later caller waiting) forever.
    summary = Status::IoError(std::string("the indexer failed: ") + e.what());
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (metrics_ != nullptr) metrics_->RecordReindex(trigger, summary.ok(), seconds);
  if (!summary.ok()) return summary.status();
  ReindexRun out;
  out.run = run;
  out.trigger = std::string(trigger);
  out.summary = std::move(*summary);
  return out;
}

}  // namespace citeqa::server
