// LayoutWarmer: which offered index versions it warms up, and that a newer version or the
// warmer's end stops the work in progress. The warm-up itself is a stand-in here; the
// engine's (every passage laid out) is tested in engine_test.cc.
#include "retriever/engine/layout_warmer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include "tests/retriever/statistics_of.h"

namespace citeqa::retriever {
namespace {

using Statistics = LayoutWarmer::Statistics;
using citeqa::testing::StatisticsOf;

// What the stand-in warm-up was asked to do, in order.
struct Calls {
  std::mutex mutex;
  std::vector<std::pair<int64_t, uint64_t>> versions;  // (generation, file epoch)
  std::vector<std::pair<int64_t, uint64_t>> Taken() {
    std::lock_guard<std::mutex> lock(mutex);
    return versions;
  }
};

LayoutWarmer::WarmUp Recording(Calls* calls, int64_t laid_out) {
  return [calls, laid_out](const Statistics& statistics, uint64_t file_epoch,
                           const std::atomic<bool>&) {
    std::lock_guard<std::mutex> lock(calls->mutex);
    calls->versions.emplace_back(statistics->generation, file_epoch);
    return laid_out;
  };
}

// Waits for `superseded` (at most a minute: a warmer that never tells fails the test).
bool AwaitSuperseded(const std::atomic<bool>& superseded) {
  for (int i = 0; i < 60000 && !superseded.load(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return superseded.load();
}

TEST(LayoutWarmerTest, WarmsUpEachOfferedVersionOnce) {
  Calls calls;
  LayoutWarmer warmer(Recording(&calls, 7));
  warmer.AwaitIdle();  // nothing offered: returns at once
  const Statistics first = StatisticsOf(3);
  warmer.Offer(first, 1);
  warmer.Offer(first, 1);
  warmer.AwaitIdle();
  warmer.Offer(first, 1);
  warmer.AwaitIdle();
  EXPECT_EQ(calls.Taken(), (std::vector<std::pair<int64_t, uint64_t>>{{3, 1}}));
  EXPECT_EQ(warmer.laid_out(), 7);

  warmer.Offer(StatisticsOf(4), 1);  // the next generation
  warmer.AwaitIdle();
  warmer.Offer(StatisticsOf(1), 2);  // another file, whose generations start anew
  warmer.AwaitIdle();
  EXPECT_EQ(calls.Taken(), (std::vector<std::pair<int64_t, uint64_t>>{{3, 1}, {4, 1}, {1, 2}}));
  EXPECT_EQ(warmer.laid_out(), 21);
}

// A question still answering with an older version offers it after a newer one.
TEST(LayoutWarmerTest, AnOlderVersionOfferedLateIsNotWarmedUp) {
  Calls calls;
  LayoutWarmer warmer(Recording(&calls, 1));
  const Statistics older = StatisticsOf(3);
  warmer.Offer(StatisticsOf(4), 1);
  warmer.Offer(older, 1);
  warmer.Offer(StatisticsOf(9), 0);  // an earlier file
  warmer.AwaitIdle();
  EXPECT_EQ(calls.Taken(), (std::vector<std::pair<int64_t, uint64_t>>{{4, 1}}));
}

TEST(LayoutWarmerTest, ANewerVersionStopsTheWarmUpInProgress) {
  std::atomic<bool> first_started{false};
  std::atomic<bool> first_told{false};
  Calls calls;
  LayoutWarmer warmer([&](const Statistics& statistics, uint64_t file_epoch,
                          const std::atomic<bool>& superseded) -> int64_t {
    {
      std::lock_guard<std::mutex> lock(calls.mutex);
      calls.versions.emplace_back(statistics->generation, file_epoch);
    }
    if (statistics->generation == 3) {
      first_started = true;
      first_told = AwaitSuperseded(superseded);
    }
    return 1;
  });
  warmer.Offer(StatisticsOf(3), 1);
  while (!first_started.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  warmer.Offer(StatisticsOf(4), 1);
  warmer.AwaitIdle();
  EXPECT_TRUE(first_told.load());
  EXPECT_EQ(calls.Taken(), (std::vector<std::pair<int64_t, uint64_t>>{{3, 1}, {4, 1}}));
}

TEST(LayoutWarmerTest, EndingTheWarmerStopsTheWarmUpInProgress) {
  std::atomic<bool> started{false};
  std::atomic<bool> told{false};
  {
    LayoutWarmer warmer([&](const Statistics&, uint64_t, const std::atomic<bool>& superseded) {
      started = true;
      told = AwaitSuperseded(superseded);
      return int64_t{0};
    });
    warmer.Offer(StatisticsOf(3), 1);
    while (!started.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }  // joins
  EXPECT_TRUE(told.load());
}

TEST(LayoutWarmerTest, AFailedWarmUpLeavesTheWarmerWorking) {
  Calls calls;
  LayoutWarmer warmer(
      [&](const Statistics& statistics, uint64_t file_epoch, const std::atomic<bool>&) -> int64_t {
        {
          std::lock_guard<std::mutex> lock(calls.mutex);
          calls.versions.emplace_back(statistics->generation, file_epoch);
        }
        if (statistics->generation == 3) throw std::bad_alloc();
        return 2;
      });
  warmer.Offer(StatisticsOf(3), 1);
  warmer.AwaitIdle();
  warmer.Offer(StatisticsOf(4), 1);
  warmer.AwaitIdle();
  EXPECT_EQ(calls.Taken(), (std::vector<std::pair<int64_t, uint64_t>>{{3, 1}, {4, 1}}));
  EXPECT_EQ(warmer.laid_out(), 2);
}

}  // namespace
}  // namespace citeqa::retriever
