// The corpus watcher: which inotify events count, the debounce arithmetic (with made-up
// times), and the real thread noticing files dropped into a folder and its subfolders.
#include "server/corpus_watcher.h"

#include <gtest/gtest.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "server/cli_args.h"

namespace citeqa::server {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

TEST(IsCorpusChangeTest, CountsArticleFilesAndFoldersOnly) {
  struct Case {
    uint32_t mask;
    std::string name;
    bool expected;
  } cases[] = {
      {IN_CLOSE_WRITE, "a.txt", true},
      {IN_CLOSE_WRITE, "b.MD", true},
      {IN_MOVED_TO, "page.html", true},
      {IN_MOVED_FROM, "page.htm", true},
      {IN_DELETE, "notes.markdown", true},
      {IN_CREATE, "a.txt", false},               // its IN_CLOSE_WRITE follows
      {IN_CLOSE_WRITE, "a.pdf", false},          // the indexer would skip it anyway
      {IN_CLOSE_WRITE, "a.txt~", false},         // editor backup
      {IN_CLOSE_WRITE, ".a.txt.Xy12Ab", false},  // an upload's temporary file
      {IN_MOVED_TO, ".hidden.txt", false},
      {IN_CLOSE_WRITE, "", false},
      {IN_CREATE | IN_ISDIR, "sub", true},
      {IN_MOVED_TO | IN_ISDIR, "sub", true},
      {IN_DELETE | IN_ISDIR, "sub", true},
      {IN_CREATE | IN_ISDIR, ".git", false},
      {IN_Q_OVERFLOW, "", true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsCorpusChange(c.mask, c.name), c.expected) << c.name << " mask " << c.mask;
  }
}

TEST(ChangeDebouncerTest, WaitsForQuietButNotForever) {
  using Clock = ChangeDebouncer::Clock;
  const Clock::time_point t0{};
  ChangeDebouncer debouncer(milliseconds(500), milliseconds(2000));
  EXPECT_FALSE(debouncer.Deadline().has_value());
  EXPECT_FALSE(debouncer.Due(t0 + milliseconds(100000)));

  debouncer.OnChange(t0);
  EXPECT_EQ(*debouncer.Deadline(), t0 + milliseconds(500));
  EXPECT_FALSE(debouncer.Due(t0 + milliseconds(499)));
  EXPECT_TRUE(debouncer.Due(t0 + milliseconds(500)));

  // Each further change pushes the deadline out...
  debouncer.OnChange(t0 + milliseconds(400));
  EXPECT_EQ(*debouncer.Deadline(), t0 + milliseconds(900));
  EXPECT_FALSE(debouncer.Due(t0 + milliseconds(899)));
  // ...but never past max_delay after the first one.
  for (int ms = 800; ms <= 1900; ms += 300) debouncer.OnChange(t0 + milliseconds(ms));
  EXPECT_EQ(*debouncer.Deadline(), t0 + milliseconds(2000));
  EXPECT_TRUE(debouncer.Due(t0 + milliseconds(2000)));

  debouncer.Clear();
  EXPECT_FALSE(debouncer.Deadline().has_value());
  debouncer.OnChange(t0 + milliseconds(5000));
  EXPECT_EQ(*debouncer.Deadline(), t0 + milliseconds(5500));
}

class CorpusWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("citeqa_watcher_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "corpus");
  }
  void TearDown() override { fs::remove_all(root_); }

  // Starts a watcher whose callback counts calls.
  std::unique_ptr<CorpusWatcher> StartWatcher(bool changed_at_start) {
    CorpusWatcherOptions options;
    options.corpus_dir = (root_ / "corpus").string();
    options.debounce = milliseconds(20);
    options.changed_at_start = changed_at_start;
    auto watcher = CorpusWatcher::Start(options, [this] {
      std::lock_guard<std::mutex> lock(mu_);
      ++calls_;
      cv_.notify_all();
    });
    EXPECT_TRUE(watcher.ok()) << watcher.status().ToString();
    return watcher.ok() ? std::move(*watcher) : nullptr;
  }

  // Waits for the callback count to exceed `seen`; returns the new count (`seen` if it
  // never does within a bound that only guards against a hang).
  int WaitForCallAfter(int seen) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(30), [&] { return calls_ > seen; });
    return calls_;
  }

  int calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

  fs::path root_;
  std::mutex mu_;
  std::condition_variable cv_;
  int calls_ = 0;
};

TEST_F(CorpusWatcherTest, CallsBackForDroppedRenamedAndDeletedFiles) {
  auto watcher = StartWatcher(/*changed_at_start=*/false);
  ASSERT_NE(watcher, nullptr);
  EXPECT_EQ(calls(), 0);

  std::ofstream(root_ / "corpus" / "a.txt") << "dropped\n";
  int seen = WaitForCallAfter(0);
  ASSERT_GE(seen, 1);

  // An upload's way in: a hidden temporary file renamed into place.
  std::ofstream(root_ / "corpus" / ".b.md.tmp") << "# b\n";
  fs::rename(root_ / "corpus" / ".b.md.tmp", root_ / "corpus" / "b.md");
  seen = WaitForCallAfter(seen);
  fs::remove(root_ / "corpus" / "a.txt");
  const int after_delete = WaitForCallAfter(seen);
  EXPECT_GT(after_delete, seen);
}

TEST_F(CorpusWatcherTest, WatchesSubfoldersIncludingNewOnes) {
  fs::create_directories(root_ / "corpus" / "old");
  auto watcher = StartWatcher(/*changed_at_start=*/false);
  ASSERT_NE(watcher, nullptr);

  std::ofstream(root_ / "corpus" / "old" / "a.html") << "<p>a</p>";
  int seen = WaitForCallAfter(0);
  ASSERT_GE(seen, 1);

  fs::create_directories(root_ / "corpus" / "new");
  seen = WaitForCallAfter(seen);  // the folder itself counts
  std::ofstream(root_ / "corpus" / "new" / "b.txt") << "b";
  EXPECT_GT(WaitForCallAfter(seen), seen);
}

TEST_F(CorpusWatcherTest, TheStartCountsAsAChangeWhenAsked) {
  auto watcher = StartWatcher(/*changed_at_start=*/true);
  ASSERT_NE(watcher, nullptr);
  EXPECT_GE(WaitForCallAfter(0), 1);
}

TEST_F(CorpusWatcherTest, StopsIdleAndTwice) {
  auto watcher = StartWatcher(/*changed_at_start=*/false);
  ASSERT_NE(watcher, nullptr);
  watcher->Stop();
  watcher->Stop();
  // After Stop no callback runs, however the folder changes.
  std::ofstream(root_ / "corpus" / "late.txt") << "late";
  watcher.reset();
  EXPECT_EQ(calls(), 0);
}

TEST_F(CorpusWatcherTest, AMissingFolderIsNotFound) {
  CorpusWatcherOptions options;
  options.corpus_dir = (root_ / "missing").string();
  auto watcher = CorpusWatcher::Start(options, [] {});
  EXPECT_EQ(watcher.status().code(), StatusCode::kNotFound);
}

TEST(ServeWatchFlagTest, NeedsACorpus) {
  auto with_corpus = ParseCommandLine({"serve", "--db", "x.db", "--corpus", "c", "--watch"});
  ASSERT_TRUE(with_corpus.ok()) << with_corpus.status().ToString();
  EXPECT_TRUE(with_corpus->serve.watch);
  auto without = ParseCommandLine({"serve", "--db", "x.db"});
  ASSERT_TRUE(without.ok());
  EXPECT_FALSE(without->serve.watch);
  auto alone = ParseCommandLine({"serve", "--db", "x.db", "--watch"});
  EXPECT_EQ(alone.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(alone.status().message().find("--corpus"), std::string::npos);
  EXPECT_EQ(
      ParseCommandLine({"serve", "--db", "x.db", "--corpus", "c", "--watch=yes"}).status().code(),
      StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace citeqa::server
