// The word statistics (IndexStatistics) the engine answers with, and their loading: each
// version of the index is loaded once, the first of a file by the request that needs it
// (others wait for that load), a newer version of the same file on a background thread
// while requests go on with the statistics they have.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "indexer/status.h"
#include "retriever/index_statistics.h"

namespace citeqa::retriever {

class SnapshotLoader {
 public:
  using Statistics = std::shared_ptr<const IndexStatistics>;
  // Loads the statistics of the newest version of the index file `file_epoch` names, in a
  // read transaction of its own; `in_use` are the statistics in use for that file (an older
  // version of it; null when none are), for what a new version can take over. Returns a
  // null Statistics when that file is no longer the index's (the first request on the new
  // file loads its statistics).
  using LoadNewest =
      std::function<Result<Statistics>(uint64_t file_epoch, const Statistics& in_use)>;
  // Loads the statistics of the version the calling request reads, with its reader.
  using LoadHere = std::function<Result<Statistics>()>;

  // `load_newest` runs on the loader's thread, started at the first newer version and
  // joined by the destructor; what it uses must outlive this object.
  explicit SnapshotLoader(LoadNewest load_newest);
  // Waits for a load in progress to finish, then joins the loader's thread.
  ~SnapshotLoader();
  SnapshotLoader(const SnapshotLoader&) = delete;
  SnapshotLoader& operator=(const SnapshotLoader&) = delete;

  struct InUse {
    Statistics statistics;  // never null
    // The statistics are of the very version the request reads. When false the request
    // reads rows of another version: its answer must not be cached.
    bool current = false;
  };

  // The statistics a request reading `generation` of file `file_epoch` answers with:
  // - those loaded for that file, whatever their generation; when older, one background
  //   load of the newer version is started (or queued behind the one in progress);
  // - when none are loaded for that file yet (the first request, or another file moved
  //   over the index's path): `load_here()` run by this request, or the result of the one
  //   such load already in progress. A failed load is returned to the requests that waited
  //   for it, and the next request tries again.
  // Thread-safe. Requests of one file epoch are expected to overlap only with requests of
  // the same epoch (the engine switches files once every reader is back).
  Result<InUse> ForRequest(uint64_t file_epoch, int64_t generation, const LoadHere& load_here);

  // Blocks until statistics of `generation` (or newer) of file `file_epoch` are in use,
  // starting their background load if no load covers them (sharing the one that does). For
  // whoever changed the index and wants the change answered; requests never wait like this.
  // The caller must hold no reader of the engine (the loader may need every reader back to
  // switch files). Expects statistics of `file_epoch` loaded (ForRequest first). Errors: the
  // failure of that load; kUnavailable when another file took the index's place meanwhile.
  Status AwaitGeneration(uint64_t file_epoch, int64_t generation);

  struct Usage {
    Statistics statistics;  // those of `file_epoch`, null when none are loaded for it
    int64_t loads = 0;      // statistics loaded so far (on requests and in the background)
    int64_t failed_loads = 0;
    int waiting = 0;  // requests waiting for the first statistics of a file
    // When `statistics` went into use (Unix time, seconds); 0 while none are in use.
    double in_use_since = 0;
  };
  // What is in use for `file_epoch` now, and the counts so far. Thread-safe.
  Usage UsageFor(uint64_t file_epoch) const;

 private:
  struct Version {
    uint64_t file_epoch = 0;
    int64_t generation = 0;
  };
  // The load of a file's first statistics in progress, shared by the requests waiting.
  struct FirstLoad {
    uint64_t file_epoch = 0;
    std::shared_future<Result<Statistics>> result;
  };

  InUse UseLocked(int64_t generation);
  bool LoadCoversLocked(Version version) const;
  void WantLocked(Version wanted);
  void InstallLocked(Statistics statistics, uint64_t file_epoch);
  void RunLoader();

  const LoadNewest load_newest_;
  mutable std::mutex mutex_;
  Statistics statistics_;  // the newest loaded, of the file statistics_epoch_ names
  uint64_t statistics_epoch_ = 0;
  double statistics_in_use_since_ = 0;
  int64_t loads_ = 0;
  int64_t failed_loads_ = 0;
  int waiting_ = 0;
  std::optional<FirstLoad> first_load_;
  // The newest version requests saw that no load covers yet, and the one being loaded.
  std::optional<Version> wanted_;
  std::optional<Version> loading_;
  Status last_background_failure_;
  bool stopping_ = false;
  std::condition_variable loader_wakeup_;
  std::condition_variable background_load_done_;
  std::thread loader_;
};

}  // namespace citeqa::retriever
