// `citeqa serve --watch`: watches the corpus folder (and the folders below it that the
// indexer lists: indexer/corpus_files.h) with inotify and, once changes have settled, calls
// back so that the server re-indexes. A burst of changes (a copy of many files) becomes one
// call. A symbolic link created with an article's name counts as a change too (the indexer
// decides whether it is read).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "indexer/status.h"

namespace citeqa::server {

// Whether an inotify event (`mask`, and `name` relative to a watched folder) can change
// what the indexer sees: an article file (.txt, .md, .html, ...) closed after writing,
// moved in or out, or deleted; a folder created, moved or deleted; a lost event queue
// (IN_Q_OVERFLOW). Hidden names (the temporary files of uploads, editors' swap files) and
// a file merely created (its IN_CLOSE_WRITE follows) do not count.
bool IsCorpusChange(uint32_t mask, std::string_view name);

// Trailing-edge debounce with a ceiling: due once `quiet` has passed since the last change,
// or `max_delay` since the first change not yet acted on, whichever comes first. Pure (the
// caller passes the time); not thread-safe.
class ChangeDebouncer {
 public:
  using Clock = std::chrono::steady_clock;

  ChangeDebouncer(Clock::duration quiet, Clock::duration max_delay)
      : quiet_(quiet), max_delay_(max_delay) {}

  void OnChange(Clock::time_point now);
  // When the pending changes become due; nullopt when nothing is pending.
  std::optional<Clock::time_point> Deadline() const;
  bool Due(Clock::time_point now) const;
  // Call when acting on the pending changes.
  void Clear();

 private:
  Clock::duration quiet_;
  Clock::duration max_delay_;
  std::optional<Clock::time_point> first_;
  std::optional<Clock::time_point> last_;
};

struct CorpusWatcherOptions {
  std::string corpus_dir;
  std::chrono::milliseconds debounce{500};
  std::chrono::milliseconds max_delay{5000};
  // Treat the start as a change, so files dropped while the server was down are indexed.
  bool changed_at_start = true;
};

class CorpusWatcher {
 public:
  // Starts watching on a new thread. `on_change` runs on that thread, never twice at once;
  // changes made while it runs are collected and lead to another call. Errors: kNotFound
  // when corpus_dir is not a folder; kIoError when inotify is unavailable (or out of
  // watches).
  static Result<std::unique_ptr<CorpusWatcher>> Start(const CorpusWatcherOptions& options,
                                                      std::function<void()> on_change);
  ~CorpusWatcher();  // Stop()
  CorpusWatcher(const CorpusWatcher&) = delete;
  CorpusWatcher& operator=(const CorpusWatcher&) = delete;

  // Stops the thread, waiting for a call of on_change in progress; pending changes are
  // dropped. Idempotent. Not to be called from on_change.
  void Stop();

 private:
  struct Impl;
  explicit CorpusWatcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace citeqa::server
