// Turns SIGINT/SIGTERM into a callback on an ordinary thread, so a graceful shutdown can
// call code that is not async-signal-safe (such as HttpServer::Stop()).
#pragma once

#include <atomic>
#include <functional>
#include <thread>

#include <signal.h>

namespace citeqa::server {

class TerminationSignalWatcher {
 public:
  // Blocks SIGINT and SIGTERM in the calling thread, and so in every thread it starts
  // afterwards: construct it before starting other threads. `on_signal` runs on the
  // watcher's thread with the signal number, once per signal received.
  explicit TerminationSignalWatcher(std::function<void(int)> on_signal);
  // Stops the watcher thread and restores the calling thread's signal mask.
  ~TerminationSignalWatcher();
  TerminationSignalWatcher(const TerminationSignalWatcher&) = delete;
  TerminationSignalWatcher& operator=(const TerminationSignalWatcher&) = delete;

 private:
  void Watch();

  std::function<void(int)> on_signal_;
  sigset_t signals_{};
  sigset_t previous_mask_{};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace citeqa::server
