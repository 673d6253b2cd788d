#include "server/termination_signals.h"

#include <pthread.h>

#include <ctime>

namespace citeqa::server {

TerminationSignalWatcher::TerminationSignalWatcher(std::function<void(int)> on_signal)
    : on_signal_(std::move(on_signal)) {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, &previous_mask_);
  thread_ = std::thread([this] { Watch(); });
}

TerminationSignalWatcher::~TerminationSignalWatcher() {
  done_ = true;
  thread_.join();
  // A signal that arrived after the watcher stopped would otherwise kill the process the
  // moment it is unblocked.
  const timespec no_wait = {0, 0};
  while (sigtimedwait(&signals_, nullptr, &no_wait) > 0) {
  }
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

void TerminationSignalWatcher::Watch() {
  // A timed wait (rather than sigwait) lets the destructor end the thread without sending
  // it a signal.
  const timespec timeout = {0, 100 * 1000 * 1000};
  while (!done_) {
    const int signal_number = sigtimedwait(&signals_, nullptr, &timeout);
    if (signal_number > 0) on_signal_(signal_number);
  }
}

}  // namespace citeqa::server
