#include "server/termination_signals.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace citeqa::server {
namespace {

TEST(TerminationSignalWatcherTest, DeliversSigtermAndSigintToTheCallback) {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<int> received;
  {
    TerminationSignalWatcher watcher([&](int signal_number) {
      std::lock_guard<std::mutex> lock(mu);
      received.push_back(signal_number);
      cv.notify_all();
    });
    for (const int signal_number : {SIGTERM, SIGINT}) {
      ASSERT_EQ(::kill(::getpid(), signal_number), 0);
      std::unique_lock<std::mutex> lock(mu);
      // A generous bound that only guards against a hang; delivery is normally immediate.
      ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] {
        return !received.empty() && received.back() == signal_number;
      })) << "signal " << signal_number << " not delivered";
    }
  }
  EXPECT_EQ(received, (std::vector<int>{SIGTERM, SIGINT}));
  // The watcher restored the mask: SIGTERM is no longer blocked in this thread.
  sigset_t mask;
  pthread_sigmask(SIG_SETMASK, nullptr, &mask);
  EXPECT_EQ(sigismember(&mask, SIGTERM), 0);
}

}  // namespace
}  // namespace citeqa::server
