// Re-indexing for a running server: runs the incremental indexer over the corpus folder one
// run at a time, lets concurrent requests share a run instead of repeating it, keeps the
// last outcome and counts runs in the metrics. The engine picks each commit up by itself.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "indexer/corpus_indexer.h"
#include "indexer/status.h"
#include "server/metrics.h"

namespace citeqa::server {

// A run changing at least this many documents ends by optimising the full-text index.
inline constexpr int kOptimizeAfterChanges = 50;

struct ReindexRun {
  uint64_t run = 0;     // 1 for the service's first run, then 2, 3, ...
  std::string trigger;  // what started it ("api", "article", "watch")
  bool shared = false;  // true when another request started the run this caller got
  indexer::IndexSummary summary;
};

class ReindexService {
 public:
  using IndexFunction = std::function<Result<indexer::IndexSummary>(const indexer::IndexOptions&)>;

  // `options` names the corpus folder and the database (their other fields are kept, e.g.
  // optimize_min_changes). `metrics` may be null; otherwise it must outlive the service.
  // `index` does the work: indexer::IndexCorpus unless a test passes another.
  ReindexService(indexer::IndexOptions options, ServerMetrics* metrics,
                 IndexFunction index = indexer::IndexCorpus);
  ReindexService(const ReindexService&) = delete;
  ReindexService& operator=(const ReindexService&) = delete;

  // Brings the index in line with the corpus folder and returns that run's summary. The
  // run returned always started after this call began, so every file written before the
  // call is in it. Calls that arrive while a run is in progress wait for it and then share
  // a single next run (one run for all of them, never one each). Blocks until that run
  // ends. `trigger` labels the run in the metrics (keep it to a few fixed names).
  // Thread-safe. Errors: those of indexer::IndexCorpus (kNotFound without the corpus
  // folder, kUnavailable when another writer holds the database, kIoError, kCorruption);
  // the index then stays as it was.
  Result<ReindexRun> Reindex(std::string_view trigger);

  // The outcome of the last finished run; nullopt before the first. Thread-safe.
  std::optional<Result<ReindexRun>> LastRun() const;

  // Calls of Reindex() not yet returned (running or waiting). Thread-safe.
  int CallsInProgress() const;

  const std::string& corpus_dir() const { return options_.corpus_dir; }

 private:
  Result<ReindexRun> RunIndexer(uint64_t run, std::string_view trigger) const;

  const indexer::IndexOptions options_;
  ServerMetrics* const metrics_;
  const IndexFunction index_;
  mutable std::mutex mu_;
  std::condition_variable run_finished_;
  bool running_ = false;
  uint64_t started_ = 0;   // runs started so far
  uint64_t finished_ = 0;  // the last finished run's number
  int calls_ = 0;
  std::optional<Result<ReindexRun>> last_;
};

}  // namespace citeqa::server
