#include "retriever/engine/snapshot_loader.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/retriever/statistics_of.h"

namespace citeqa::retriever {
namespace {

using Statistics = SnapshotLoader::Statistics;
using citeqa::testing::StatisticsOf;

// Holds threads back until the test opens it.
class Gate {
 public:
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_ = true;
    }
    opened_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    opened_.wait(lock, [this] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

// Opens the gate when it goes out of scope, so that a failed assertion does not leave a
// thread waiting at it (and the test waiting for that thread).
class OpenOnExit {
 public:
  explicit OpenOnExit(Gate* gate) : gate_(gate) {}
  ~OpenOnExit() { gate_->Open(); }
  OpenOnExit(const OpenOnExit&) = delete;
  OpenOnExit& operator=(const OpenOnExit&) = delete;

 private:
  Gate* gate_;
};

// Polls until `condition` holds; false if it still does not after a minute, which only a
// broken loader takes.
bool Eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 60000; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return condition();
}

SnapshotLoader::LoadNewest NeverInBackground() {
  return [](uint64_t, const Statistics&) -> Result<Statistics> {
    ADD_FAILURE() << "no background load expected";
    return Status::IoError("unexpected background load");
  };
}

SnapshotLoader::LoadHere NeverHere() {
  return []() -> Result<Statistics> {
    ADD_FAILURE() << "no load on the request expected";
    return Status::IoError("unexpected load on the request");
  };
}

SnapshotLoader::LoadHere LoadedHere(int64_t generation) {
  return [generation]() -> Result<Statistics> { return StatisticsOf(generation); };
}

// The first request loads; those arriving meanwhile wait for its result instead of loading
// their own copies, and all answer with the same statistics.
TEST(SnapshotLoaderTest, RequestsWaitForTheFirstLoadOfAFileInsteadOfLoadingAgain) {
  SnapshotLoader loader(NeverInBackground());
  Gate loading;
  Gate release;
  std::atomic<int> loads_here{0};
  Result<SnapshotLoader::InUse> first = Status::IoError("not run");
  std::thread first_request([&] {
    first = loader.ForRequest(1, 5, [&]() -> Result<Statistics> {
      ++loads_here;
      loading.Open();
      release.Wait();
      return StatisticsOf(5);
    });
  });
  loading.Wait();
  constexpr int kWaiting = 3;
  std::vector<Result<SnapshotLoader::InUse>> waited(kWaiting, Status::IoError("not run"));
  std::vector<std::thread> waiting_requests;
  for (int i = 0; i < kWaiting; ++i) {
    waiting_requests.emplace_back([&, i] {
      waited[static_cast<size_t>(i)] = loader.ForRequest(1, 5, [&]() -> Result<Statistics> {
        ++loads_here;
        return StatisticsOf(5);
      });
    });
  }
  EXPECT_TRUE(Eventually([&] { return loader.UsageFor(1).waiting == kWaiting; }));
  release.Open();
  first_request.join();
  for (auto& request : waiting_requests) request.join();

  EXPECT_EQ(loads_here.load(), 1);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->current);
  for (const auto& in_use : waited) {
    ASSERT_TRUE(in_use.ok()) << in_use.status().ToString();
    EXPECT_EQ(in_use->statistics, first->statistics);
    EXPECT_TRUE(in_use->current);
  }
  const SnapshotLoader::Usage usage = loader.UsageFor(1);
  EXPECT_EQ(usage.loads, 1);
  EXPECT_EQ(usage.waiting, 0);
  EXPECT_EQ(usage.statistics, first->statistics);
}

TEST(SnapshotLoaderTest, AFailedFirstLoadReachesItsWaitersAndTheNextRequestTriesAgain) {
  SnapshotLoader loader(NeverInBackground());
  Gate loading;
  Gate release;
  Result<SnapshotLoader::InUse> first = Status::Unavailable("not run");
  std::thread first_request([&] {
    first = loader.ForRequest(1, 5, [&]() -> Result<Statistics> {
      loading.Open();
      release.Wait();
      return Status::IoError("disk I/O error");
    });
  });
  loading.Wait();
  Result<SnapshotLoader::InUse> waited = Status::Unavailable("not run");
  std::thread waiting_request([&] { waited = loader.ForRequest(1, 5, NeverHere()); });
  EXPECT_TRUE(Eventually([&] { return loader.UsageFor(1).waiting == 1; }));
  release.Open();
  first_request.join();
  waiting_request.join();
  for (const auto* failed : {&first, &waited}) {
    EXPECT_EQ(failed->status().code(), StatusCode::kIoError);
    EXPECT_EQ(failed->status().message(), "disk I/O error");
  }
  EXPECT_EQ(loader.UsageFor(1).statistics, nullptr);
  EXPECT_EQ(loader.UsageFor(1).failed_loads, 1);

  auto retried = loader.ForRequest(1, 5, LoadedHere(5));
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_EQ(retried->statistics->generation, 5);
  EXPECT_EQ(loader.UsageFor(1).loads, 1);
}

// What a request answers with, table-driven over the statistics in use and what its reader
// sees: another file loads on the request (even an older generation), the same file never.
TEST(SnapshotLoaderTest, OnlyAnotherFileIsLoadedOnTheRequest) {
  struct Case {
    const char* name;
    uint64_t file_epoch;
    int64_t generation;
    int64_t expected_generation;
    bool expected_current;
    int64_t expected_loads;
  } cases[] = {
      {"same file, same generation", 1, 5, 5, true, 1},
      {"same file, reader older than the statistics", 1, 4, 5, false, 1},
      {"another file, lower generation", 2, 1, 1, true, 2},
  };
  for (const Case& c : cases) {
    // Background loads are not under test here: they read a generation nobody asks for.
    SnapshotLoader loader(
        [](uint64_t, const Statistics&) -> Result<Statistics> { return Statistics(); });
    ASSERT_TRUE(loader.ForRequest(1, 5, LoadedHere(5)).ok());
    auto in_use = loader.ForRequest(c.file_epoch, c.generation, LoadedHere(c.generation));
    ASSERT_TRUE(in_use.ok()) << c.name;
    EXPECT_EQ(in_use->statistics->generation, c.expected_generation) << c.name;
    EXPECT_EQ(in_use->current, c.expected_current) << c.name;
    EXPECT_EQ(loader.UsageFor(c.file_epoch).loads, c.expected_loads) << c.name;
    EXPECT_EQ(loader.UsageFor(c.file_epoch).statistics, in_use->statistics) << c.name;
    if (c.file_epoch != 1) EXPECT_EQ(loader.UsageFor(1).statistics, nullptr) << c.name;
  }
}

// A newer generation of the same file: requests go on with the statistics they have while
// one background load runs; a generation newer still, seen meanwhile, is loaded after it.
// Each load is given the statistics in use, to take over what still holds.
TEST(SnapshotLoaderTest, ANewerGenerationLoadsOnceInTheBackgroundWhileRequestsGoOn) {
  std::atomic<int64_t> index_generation{1};
  std::atomic<int> background_loads{0};
  Gate loading;
  Gate release;
  std::vector<int64_t> given_generations;  // of the statistics in use, load by load
  SnapshotLoader loader([&](uint64_t file_epoch, const Statistics& in_use) -> Result<Statistics> {
    EXPECT_EQ(file_epoch, 1u);
    given_generations.push_back(in_use ? in_use->generation : -1);
    const int64_t generation = index_generation.load();
    if (++background_loads == 1) {
      loading.Open();
      release.Wait();
    }
    return StatisticsOf(generation);
  });
  const OpenOnExit release_on_failure(&release);
  ASSERT_TRUE(loader.ForRequest(1, 1, LoadedHere(1)).ok());

  index_generation = 2;
  auto stale = loader.ForRequest(1, 2, NeverHere());
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ(stale->statistics->generation, 1);
  EXPECT_FALSE(stale->current);
  loading.Wait();
  for (int i = 0; i < 5; ++i) {
    auto meanwhile = loader.ForRequest(1, 2, NeverHere());
    ASSERT_TRUE(meanwhile.ok());
    EXPECT_EQ(meanwhile->statistics->generation, 1);
    EXPECT_FALSE(meanwhile->current);
  }
  index_generation = 3;
  ASSERT_TRUE(loader.ForRequest(1, 3, NeverHere()).ok());
  release.Open();

  ASSERT_TRUE(Eventually([&] {
    const auto usage = loader.UsageFor(1);
    return usage.statistics->generation == 3;
  }));
  EXPECT_EQ(background_loads.load(), 2);
  EXPECT_EQ(given_generations, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(loader.UsageFor(1).loads, 3);
  auto current = loader.ForRequest(1, 3, NeverHere());
  ASSERT_TRUE(current.ok());
  EXPECT_TRUE(current->current);
}

TEST(SnapshotLoaderTest, AFailedBackgroundLoadIsLoggedAndRetriedByTheNextRequest) {
  std::atomic<int> background_loads{0};
  SnapshotLoader loader([&](uint64_t, const Statistics&) -> Result<Statistics> {
    if (++background_loads == 1) return Status::IoError("database is locked");
    return StatisticsOf(2);
  });
  ASSERT_TRUE(loader.ForRequest(1, 1, LoadedHere(1)).ok());
  ::testing::internal::CaptureStderr();
  const bool asked = loader.ForRequest(1, 2, NeverHere()).ok();
  const bool failed = Eventually([&] { return loader.UsageFor(1).failed_loads == 1; });
  const std::string logged = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(asked);
  ASSERT_TRUE(failed);
  EXPECT_NE(logged.find("generation 2 failed"), std::string::npos) << logged;
  EXPECT_NE(logged.find("database is locked"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("citeqa:"), logged.rfind("citeqa:")) << "logged once: " << logged;
  EXPECT_EQ(loader.UsageFor(1).statistics->generation, 1);
  EXPECT_EQ(background_loads.load(), 1) << "retried without a request asking";

  auto retrying = loader.ForRequest(1, 2, NeverHere());
  ASSERT_TRUE(retrying.ok());
  EXPECT_FALSE(retrying->current);
  ASSERT_TRUE(Eventually([&] { return loader.UsageFor(1).statistics->generation == 2; }));
  EXPECT_EQ(background_loads.load(), 2);
  EXPECT_EQ(loader.UsageFor(1).loads, 2);
  EXPECT_EQ(loader.UsageFor(1).failed_loads, 1);
}

// Another file moved over the index while the loader read the previous one: its load
// reports the file gone (a null result), which changes nothing and is not counted.
TEST(SnapshotLoaderTest, ABackgroundLoadOfAReplacedFileChangesNothing) {
  std::atomic<int> background_loads{0};
  SnapshotLoader loader([&](uint64_t, const Statistics&) -> Result<Statistics> {
    ++background_loads;
    return Statistics();
  });
  ASSERT_TRUE(loader.ForRequest(1, 1, LoadedHere(1)).ok());
  ASSERT_TRUE(loader.ForRequest(1, 2, NeverHere()).ok());
  // The loader is free again afterwards: a later request starts another load.
  ASSERT_TRUE(Eventually([&] {
    (void)loader.ForRequest(1, 2, NeverHere());
    return background_loads.load() >= 2;
  }));
  const SnapshotLoader::Usage usage = loader.UsageFor(1);
  EXPECT_EQ(usage.statistics->generation, 1);
  EXPECT_EQ(usage.loads, 1);
  EXPECT_EQ(usage.failed_loads, 0);
}

// Whoever changed the index waits for the load the requests started, not for one of its own.
TEST(SnapshotLoaderTest, AwaitingAGenerationSharesTheBackgroundLoadInProgress) {
  std::atomic<int> background_loads{0};
  Gate loading;
  Gate release;
  SnapshotLoader loader([&](uint64_t, const Statistics&) -> Result<Statistics> {
    ++background_loads;
    loading.Open();
    release.Wait();
    return StatisticsOf(2);
  });
  const OpenOnExit release_on_failure(&release);
  ASSERT_TRUE(loader.ForRequest(1, 1, LoadedHere(1)).ok());
  ASSERT_TRUE(loader.ForRequest(1, 2, NeverHere()).ok());
  loading.Wait();
  Status awaited = Status::Unavailable("not awaited");
  std::thread awaiting([&] { awaited = loader.AwaitGeneration(1, 2); });
  release.Open();
  awaiting.join();
  EXPECT_TRUE(awaited.ok()) << awaited.ToString();
  EXPECT_EQ(loader.UsageFor(1).statistics->generation, 2);
  EXPECT_EQ(background_loads.load(), 1);
  EXPECT_TRUE(loader.AwaitGeneration(1, 2).ok()) << "in use already";
  EXPECT_EQ(background_loads.load(), 1);
}

TEST(SnapshotLoaderTest, AwaitingAGenerationStartsItsLoadAndReportsItsFailure) {
  std::atomic<int> background_loads{0};
  SnapshotLoader loader([&](uint64_t, const Statistics&) -> Result<Statistics> {
    if (++background_loads == 1) return Status::Corruption("no stem_vocab table");
    return StatisticsOf(2);
  });
  EXPECT_EQ(loader.AwaitGeneration(1, 1).code(), StatusCode::kUnavailable) << "nothing loaded";
  ASSERT_TRUE(loader.ForRequest(1, 1, LoadedHere(1)).ok());
  const Status failed = loader.AwaitGeneration(1, 2);
  EXPECT_EQ(failed.code(), StatusCode::kCorruption) << failed.ToString();
  EXPECT_EQ(loader.UsageFor(1).statistics->generation, 1);
  const Status retried = loader.AwaitGeneration(1, 2);
  EXPECT_TRUE(retried.ok()) << retried.ToString();
  EXPECT_EQ(loader.UsageFor(1).statistics->generation, 2);
  EXPECT_EQ(background_loads.load(), 2);
  EXPECT_EQ(loader.AwaitGeneration(2, 1).code(), StatusCode::kUnavailable) << "another file";
}

TEST(SnapshotLoaderTest, DestroyingWaitsForTheBackgroundLoadInProgress) {
  Gate loading;
  Gate release;
  std::atomic<bool> load_returned{false};
  auto loader =
      std::make_unique<SnapshotLoader>([&](uint64_t, const Statistics&) -> Result<Statistics> {
        loading.Open();
        release.Wait();
        load_returned = true;
        return StatisticsOf(2);
      });
  const OpenOnExit release_on_failure(&release);
  ASSERT_TRUE(loader->ForRequest(1, 1, LoadedHere(1)).ok());
  ASSERT_TRUE(loader->ForRequest(1, 2, NeverHere()).ok());
  loading.Wait();
  std::thread destroying([&] { loader.reset(); });
  release.Open();
  destroying.join();
  EXPECT_TRUE(load_returned.load());
}

}  // namespace
}  // namespace citeqa::retriever
