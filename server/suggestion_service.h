// The example questions GET /api/suggestions and the Slack help offer, kept per index
// generation: computed once for each generation (a background refresher usually does it
// before anyone asks), never by several callers at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "indexer/status.h"

namespace citeqa::server {

struct SuggestionSet {
  int64_t generation = 0;  // the index generation the questions were drawn from
  std::vector<std::string> questions;
};

class SuggestionService {
 public:
  // `compute` draws the questions from the index (retriever::SuggestQuestions in `citeqa
  // serve`; it may take a while); `generation` reports the index's current generation
  // (Engine::Stats). Both must be thread-safe and outlive the service.
  using Compute = std::function<Result<SuggestionSet>()>;
  using Generation = std::function<Result<int64_t>()>;
  SuggestionService(Compute compute, Generation generation);
  // Stops the refresher (waiting for a computation in progress).
  ~SuggestionService();
  SuggestionService(const SuggestionService&) = delete;
  SuggestionService& operator=(const SuggestionService&) = delete;

  // The questions for the current generation: the kept ones when they were drawn from it,
  // else computed now. While a computation runs, other callers wait for it and share its
  // outcome instead of computing again. Errors: those of `generation` and `compute` (a
  // failed computation is not kept; the next call tries again). Thread-safe.
  Result<std::vector<std::string>> Current();

  // Starts a thread that calls Current() at once and then every `interval`, so that a
  // re-indexed generation's questions are usually ready before a request needs them.
  // Errors are left for the requests to report. Call at most once.
  void StartRefreshing(std::chrono::milliseconds interval);

  // How many computations finished (successful or not). Thread-safe.
  uint64_t computations() const;

 private:
  const Compute compute_;
  const Generation generation_;
  mutable std::mutex mu_;
  std::condition_variable computed_;
  bool computing_ = false;
  uint64_t computations_ = 0;
  std::optional<SuggestionSet> kept_;
  Status last_failure_;  // of the last computation, OK when it succeeded
  bool stopping_ = false;
  std::condition_variable stop_;
  std::thread refresher_;
};

}  // namespace citeqa::server
