#include "retriever/engine/snapshot_loader.h"

#include <chrono>
#include <cstdio>
#include <utility>

namespace citeqa::retriever {
namespace {

Status FileReplaced() { return Status::Unavailable("another index file took the index's place"); }

// Wall-clock time, so that a benchmark can set it beside the moment its re-index ended.
double UnixSecondsNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

SnapshotLoader::SnapshotLoader(LoadNewest load_newest) : load_newest_(std::move(load_newest)) {}

SnapshotLoader::~SnapshotLoader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  loader_wakeup_.notify_all();
  background_load_done_.notify_all();
  if (loader_.joinable()) loader_.join();
}

Result<SnapshotLoader::InUse> SnapshotLoader::ForRequest(uint64_t file_epoch, int64_t generation,
                                                         const LoadHere& load_here) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    if (statistics_ && statistics_epoch_ == file_epoch) return UseLocked(generation);
    if (!first_load_ || first_load_->file_epoch != file_epoch) break;
    // Loading the same statistics again would only add seconds to every waiting request.
    auto result = first_load_->result;
    ++waiting_;
    lock.unlock();
    const Result<Statistics>& loaded = result.get();
    lock.lock();
    --waiting_;
    if (!loaded.ok()) return loaded.status();
    // Installed by the request that loaded them (or newer ones were): look again.
  }

  std::promise<Result<Statistics>> promise;
  first_load_ = FirstLoad{file_epoch, promise.get_future().share()};
  lock.unlock();
  Result<Statistics> loaded = load_here();
  lock.lock();
  if (loaded.ok()) {
    ++loads_;
    InstallLocked(*loaded, file_epoch);
  } else {
    ++failed_loads_;
  }
  // Cleared on failure too, so that the next request tries again.
  if (first_load_ && first_load_->file_epoch == file_epoch) first_load_.reset();
  std::optional<InUse> in_use;
  if (loaded.ok()) {
    in_use = statistics_epoch_ == file_epoch ? UseLocked(generation)
                                             : InUse{*loaded, (*loaded)->generation == generation};
  }
  lock.unlock();
  promise.set_value(loaded);
  if (!in_use) return loaded.status();
  return *std::move(in_use);
}

Status SnapshotLoader::AwaitGeneration(uint64_t file_epoch, int64_t generation) {
  const Version awaited{file_epoch, generation};
  std::unique_lock<std::mutex> lock(mutex_);
  const auto in_use = [&] {
    return statistics_ && statistics_epoch_ == file_epoch && statistics_->generation >= generation;
  };
  if (in_use()) return Status::Ok();
  if (!statistics_ || statistics_epoch_ != file_epoch) {
    return Status::Unavailable("no statistics of this index file are loaded");
  }
  // A load that failed before this call is tried again, as a request would.
  WantLocked(awaited);
  background_load_done_.wait(lock,
                             [&] { return stopping_ || in_use() || !LoadCoversLocked(awaited); });
  if (in_use()) return Status::Ok();
  if (stopping_) return Status::Unavailable("the engine is closing");
  if (statistics_epoch_ != file_epoch) return FileReplaced();
  if (last_background_failure_.ok()) {
    return Status::Unavailable("the index's statistics could not be brought up to date");
  }
  return last_background_failure_;
}

SnapshotLoader::Usage SnapshotLoader::UsageFor(uint64_t file_epoch) const {
  std::lock_guard<std::mutex> lock(mutex_);
  Usage usage;
  if (statistics_epoch_ == file_epoch) usage.statistics = statistics_;
  usage.loads = loads_;
  usage.failed_loads = failed_loads_;
  usage.waiting = waiting_;
  if (usage.statistics) usage.in_use_since = statistics_in_use_since_;
  return usage;
}

// Expects statistics_ of the request's file.
SnapshotLoader::InUse SnapshotLoader::UseLocked(int64_t generation) {
  if (statistics_->generation < generation) WantLocked({statistics_epoch_, generation});
  return InUse{statistics_, statistics_->generation == generation};
}

// Whether a background load queued or in progress reads `version` or a newer one.
bool SnapshotLoader::LoadCoversLocked(Version version) const {
  for (const std::optional<Version>& planned : {wanted_, loading_}) {
    if (planned && planned->file_epoch == version.file_epoch &&
        planned->generation >= version.generation) {
      return true;
    }
  }
  return false;
}

void SnapshotLoader::WantLocked(Version wanted) {
  if (statistics_->generation >= wanted.generation || LoadCoversLocked(wanted) || stopping_) {
    return;
  }
  wanted_ = wanted;
  if (!loader_.joinable()) loader_ = std::thread([this] { RunLoader(); });
  loader_wakeup_.notify_one();
}

// A load may finish after a newer one (a file's first statistics loaded on a request while
// the loader was still reading the previous file): only newer statistics replace those in use.
void SnapshotLoader::InstallLocked(Statistics statistics, uint64_t file_epoch) {
  const bool newer =
      !statistics_ || file_epoch > statistics_epoch_ ||
      (file_epoch == statistics_epoch_ && statistics_->generation < statistics->generation);
  if (!newer) return;
  statistics_ = std::move(statistics);
  statistics_epoch_ = file_epoch;
  statistics_in_use_since_ = UnixSecondsNow();
}

void SnapshotLoader::RunLoader() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    loader_wakeup_.wait(lock, [this] { return stopping_ || wanted_.has_value(); });
    if (stopping_) return;
    const Version target = *wanted_;
    loading_ = target;
    wanted_.reset();
    const Statistics in_use = statistics_epoch_ == target.file_epoch ? statistics_ : nullptr;
    lock.unlock();
    Result<Statistics> loaded = load_newest_(target.file_epoch, in_use);
    if (!loaded.ok()) {
      // Not retried here: the next request that reads the newer version asks again, so a
      // lasting failure is retried at the pace of the questions, not in a loop.
      std::fprintf(stderr,
                   "citeqa: loading the statistics of index generation %lld failed; questions "
                   "keep the previous ones and the next question retries: %s\n",
                   static_cast<long long>(target.generation), loaded.status().ToString().c_str());
    }
    lock.lock();
    loading_.reset();
    if (!loaded.ok()) {
      ++failed_loads_;
      last_background_failure_ = loaded.status();
    } else if (*loaded == nullptr) {
      last_background_failure_ = FileReplaced();
    } else {
      ++loads_;
      last_background_failure_ = Status::Ok();
      InstallLocked(*loaded, target.file_epoch);
      // The load read the newest version, which may be newer than the one it was for.
      if (wanted_ && wanted_->file_epoch == target.file_epoch &&
          wanted_->generation <= (*loaded)->generation) {
        wanted_.reset();
      }
    }
    background_load_done_.notify_all();
  }
}

}  // namespace citeqa::retriever
