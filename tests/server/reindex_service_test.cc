// ReindexService: one run at a time, concurrent callers share one run that started after
// they called, the last outcome is kept, runs are counted in the metrics.
#include "server/reindex_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

namespace citeqa::server {
namespace {

namespace fs = std::filesystem;

// Waits (yielding) until `done` holds; false if it never does within a generous bound that
// only guards against a hang.
template <typename Predicate>
bool WaitUntil(Predicate done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// A gate an indexer run can be held at until the test opens it.
class Gate {
 public:
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void Pass() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

class ReindexServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("citeqa_reindex_service_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "corpus");
    options_.corpus_dir = (root_ / "corpus").string();
    options_.db_path = (root_ / "index.db").string();
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& name, const std::string& topic) {
    std::ofstream(root_ / "corpus" / name)
        << "About " << topic << "\nThe " << topic
        << " is described here in enough words to make a passage of its own. It has a second "
           "sentence about the "
        << topic << ".\n";
  }

  fs::path root_;
  indexer::IndexOptions options_;
  ServerMetrics metrics_;
};

TEST_F(ReindexServiceTest, RunsTheIndexerAndKeepsTheLastOutcome) {
  ReindexService service(options_, &metrics_);
  EXPECT_FALSE(service.LastRun().has_value());
  Write("a.txt", "zebra");
  Write("b.pdf", "not an article");

  auto first = service.Reindex("api");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->run, 1u);
  EXPECT_EQ(first->trigger, "api");
  EXPECT_FALSE(first->shared);
  EXPECT_EQ(first->summary.added, 1);
  EXPECT_EQ(first->summary.skipped, 1);
  ASSERT_EQ(first->summary.messages.size(), 1u);
  EXPECT_NE(first->summary.messages[0].find("b.pdf"), std::string::npos);

  Write("c.txt", "okapi");
  fs::remove(root_ / "corpus" / "a.txt");
  auto second = service.Reindex("watch");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->run, 2u);
  EXPECT_EQ(second->summary.added, 1);
  EXPECT_EQ(second->summary.removed, 1);

  auto last = service.LastRun();
  ASSERT_TRUE(last.has_value());
  ASSERT_TRUE(last->ok());
  EXPECT_EQ((*last)->run, 2u);
  EXPECT_EQ(metrics_.ReindexCount("api", true), 1);
  EXPECT_EQ(metrics_.ReindexCount("watch", true), 1);
  EXPECT_NE(metrics_.Render(std::nullopt)
                .find("citeqa_reindex_duration_seconds_count{trigger="
                      "\"api\"} 1\n"),
            std::string::npos);
  EXPECT_EQ(service.CallsInProgress(), 0);
}

TEST_F(ReindexServiceTest, AFailedRunIsReportedCountedAndKept) {
  options_.corpus_dir = (root_ / "missing").string();
  ReindexService service(options_, &metrics_);
  auto run = service.Reindex("api");
  EXPECT_EQ(run.status().code(), StatusCode::kNotFound);
  auto last = service.LastRun();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->status().code(), StatusCode::kNotFound);
  EXPECT_EQ(metrics_.ReindexCount("api", false), 1);
  EXPECT_EQ(metrics_.ReindexCount("api", true), 0);
}

// Callers arriving while run 1 is held all get one shared run 2: the indexer runs exactly
// twice however many callers there are.
TEST_F(ReindexServiceTest, ConcurrentCallersShareOneRun) {
  Gate gate;
  std::atomic<int> indexer_calls{0};
  ReindexService service(options_, &metrics_, [&](const indexer::IndexOptions&) {
    const int call = ++indexer_calls;
    if (call == 1) gate.Pass();
    indexer::IndexSummary summary;
    summary.added = call;  // tells the runs apart
    return Result<indexer::IndexSummary>(summary);
  });

  std::thread first([&] {
    auto run = service.Reindex("api");
    ASSERT_TRUE(run.ok());
    EXPECT_EQ(run->run, 1u);
    EXPECT_FALSE(run->shared);
  });
  ASSERT_TRUE(WaitUntil([&] { return indexer_calls.load() == 1; }));

  constexpr int kCallers = 6;
  std::vector<Result<ReindexRun>> results(kCallers, Status::IoError("not run"));
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] { results[static_cast<size_t>(i)] = service.Reindex("api"); });
  }
  ASSERT_TRUE(WaitUntil([&] { return service.CallsInProgress() == kCallers + 1; }));
  gate.Open();
  first.join();
  for (std::thread& caller : callers) caller.join();

  EXPECT_EQ(indexer_calls.load(), 2);
  int shared = 0;
  for (const auto& result : results) {
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(result->run, 2u);
    EXPECT_EQ(result->summary.added, 2);
    if (result->shared) ++shared;
  }
  EXPECT_EQ(shared, kCallers - 1);
  EXPECT_EQ(metrics_.ReindexCount("api", true), 2);
}

// A file written while a run is in progress (after it scanned the folder) is in the result
// the next caller gets: sharing never hands back a run that started too early.
TEST_F(ReindexServiceTest, AFileWrittenDuringARunIsInTheNextCallersResult) {
  Write("a.txt", "zebra");
  Gate gate;
  std::atomic<bool> held{false};
  indexer::IndexOptions options = options_;
  options.on_document_written = [&](const std::string&) {
    if (!held.exchange(true)) gate.Pass();
  };
  ReindexService service(options, &metrics_);
  std::thread first([&] {
    auto run = service.Reindex("watch");
    ASSERT_TRUE(run.ok());
    EXPECT_EQ(run->summary.added, 1);
  });
  ASSERT_TRUE(WaitUntil([&] { return held.load(); }));
  Write("late.txt", "okapi");
  Result<ReindexRun> late = Status::IoError("not run");
  std::thread second([&] { late = service.Reindex("article"); });
  ASSERT_TRUE(WaitUntil([&] { return service.CallsInProgress() == 2; }));
  gate.Open();
  first.join();
  second.join();
  ASSERT_TRUE(late.ok()) << late.status().ToString();
  EXPECT_EQ(late->run, 2u);
  EXPECT_EQ(late->summary.added, 1);      // late.txt
  EXPECT_EQ(late->summary.unchanged, 1);  // a.txt
}

// Many callers at once, all with the real indexer: every call succeeds, each result comes
// from a run that includes every file, and runs never overlap (SQLite would report busy).
TEST_F(ReindexServiceTest, ManyConcurrentCallersAllSucceed) {
  for (const std::string number : {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}) {
    Write("f" + number + ".txt", "animal" + number);
  }
  ReindexService service(options_, &metrics_);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  std::atomic<int> incomplete{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto run = service.Reindex("api");
      if (!run.ok()) {
        ++failures;
      } else if (run->summary.added + run->summary.unchanged != 10) {
        ++incomplete;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(incomplete.load(), 0);
  const double runs = metrics_.ReindexCount("api", true);
  EXPECT_GE(runs, 1);
  EXPECT_LE(runs, 8);
}

}  // namespace
}  // namespace citeqa::server
