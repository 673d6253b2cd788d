// Spreading a loop over a few threads: the indexer's file reads and parses, which are
// independent per file.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace citeqa::indexer {

// How many threads ParallelFor(count, threads, ...) runs on: at least one, at most one per
// item.
inline size_t ParallelWorkers(size_t count, int threads) {
  return std::clamp<size_t>(static_cast<size_t>(std::max(threads, 1)), 1,
                            std::max<size_t>(count, 1));
}

// Calls work(worker, i) once for every i in [0, count), on ParallelWorkers(count, threads)
// threads, the caller's among them; `worker` (0, 1, ...) names the calling thread, for
// per-thread accumulators. Items are handed out in order from a shared counter, so a slow
// item holds up no other. Returns when every call has returned; `work` must not throw.
template <typename Work>
void ParallelFor(size_t count, int threads, const Work& work) {
  const size_t workers = ParallelWorkers(count, threads);
  std::atomic<size_t> next{0};
  auto run = [&](size_t worker) {
    for (size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) work(worker, i);
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(run, w);
  run(0);
  for (std::thread& t : pool) t.join();
}

}  // namespace citeqa::indexer
