#include "indexer/index_snapshot.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "indexer/corpus_indexer.h"
#include "indexer/index_schema.h"
#include "indexer/sqlite_db.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

class IndexSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("citeqa_snapshot_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "corpus");
    fs::create_directories(root_ / "out");
    options_.corpus_dir = (root_ / "corpus").string();
    options_.db_path = (root_ / "index.db").string();
    for (int i = 0; i < 5; ++i) WriteArticle(i);
    ASSERT_TRUE(IndexCorpus(options_).ok());
  }
  void TearDown() override { fs::remove_all(root_); }

  void WriteArticle(int i) {
    std::ofstream(root_ / "corpus" / ("a" + std::to_string(i) + ".txt"))
        << "Topic " << i << "\nThe topic number " << i
        << " is described here in enough words to make a passage of its own. It has a second "
           "sentence about topic "
        << i << ".\n";
  }

  static int64_t Count(const std::string& db_path, const std::string& table) {
    auto db = Database::Open(db_path, OpenMode::kReadOnly);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    auto stmt = db->Prepare("SELECT count(*) FROM " + table);
    EXPECT_TRUE(stmt.ok() && stmt->Step());
    return stmt->ColumnInt(0);
  }

  static int64_t Generation(const std::string& db_path) {
    auto db = Database::Open(db_path, OpenMode::kReadOnly);
    auto generation = ReadGeneration(&*db);
    EXPECT_TRUE(generation.ok()) << generation.status().ToString();
    return generation.ok() ? *generation : -1;
  }

  // Files in out/ other than `name` (temporary copies, journals).
  int Leftovers(const std::string& name) const {
    int count = 0;
    for (const auto& entry : fs::directory_iterator(root_ / "out")) {
      if (entry.path().filename() != name) ++count;
    }
    return count;
  }

  fs::path root_;
  IndexOptions options_;
};

TEST_F(IndexSnapshotTest, TheCopyHoldsTheIndexAndNothingElseIsLeft) {
  const std::string copy = (root_ / "out" / "copy.db").string();
  auto snapshot = SnapshotIndex(options_.db_path, copy);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ(snapshot->generation, Generation(options_.db_path));
  EXPECT_EQ(snapshot->bytes, static_cast<int64_t>(fs::file_size(copy)));
  EXPECT_EQ(Count(copy, "passages"), Count(options_.db_path, "passages"));
  EXPECT_EQ(Count(copy, "documents"), 5);
  // Nothing beside the copy: no temporary file, and no -wal/-shm once the copy is closed.
  EXPECT_EQ(Leftovers("copy.db"), 0);
  auto db = Database::Open(copy, OpenMode::kReadOnly);
  ASSERT_TRUE(db.ok());
  EXPECT_TRUE(CheckSchema(&*db).ok());
  auto fts = db->Prepare("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH 'topic'");
  ASSERT_TRUE(fts.ok() && fts->Step());
  EXPECT_EQ(fts->ColumnInt(0), 5);
}

TEST_F(IndexSnapshotTest, ACopyReplacesAnOlderOneWholeAtItsPath) {
  const std::string copy = (root_ / "out" / "live.db").string();
  ASSERT_TRUE(SnapshotIndex(options_.db_path, copy).ok());
  const int64_t first_generation = Generation(copy);
  WriteArticle(7);
  ASSERT_TRUE(IndexCorpus(options_).ok());
  auto second = SnapshotIndex(options_.db_path, copy);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_GT(second->generation, first_generation);
  EXPECT_EQ(Generation(copy), second->generation);
  EXPECT_EQ(Count(copy, "documents"), 6);
  EXPECT_EQ(Leftovers("live.db"), 0);
}

TEST_F(IndexSnapshotTest, FailuresLeaveTheTargetAsItWas) {
  const std::string copy = (root_ / "out" / "kept.db").string();
  std::ofstream(copy) << "the previous copy";
  struct Case {
    std::string from;
    std::string to;
    StatusCode code;
  } cases[] = {
      {(root_ / "missing.db").string(), copy, StatusCode::kNotFound},
      {(root_ / "corpus" / "a0.txt").string(), copy, StatusCode::kCorruption},
      {options_.db_path, options_.db_path, StatusCode::kInvalidArgument},
      {options_.db_path, (root_ / "no-folder" / "x.db").string(), StatusCode::kIoError},
  };
  for (const Case& c : cases) {
    auto snapshot = SnapshotIndex(c.from, c.to);
    ASSERT_FALSE(snapshot.ok()) << c.from << " -> " << c.to;
    EXPECT_EQ(snapshot.status().code(), c.code) << snapshot.status().ToString();
  }
  std::ifstream in(copy);
  std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(kept, "the previous copy");
  EXPECT_EQ(Leftovers("kept.db"), 0);
  EXPECT_GT(Count(options_.db_path, "passages"), 0);  // the source is untouched
}

// Copies taken while another connection keeps committing are each one commit's index:
// every copy's documents and passages agree with its generation's.
TEST_F(IndexSnapshotTest, CopiesWhileTheIndexIsWrittenAreConsistent) {
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int round = 0; !stop; ++round) {
      WriteArticle(10 + round % 3);
      if (round % 3 == 2) {
        for (int i = 10; i < 13; ++i)
          fs::remove(root_ / "corpus" / ("a" + std::to_string(i) + ".txt"));
      }
      EXPECT_TRUE(IndexCorpus(options_).ok());
    }
  });
  for (int i = 0; i < 10; ++i) {
    const std::string copy = (root_ / "out" / "copy.db").string();
    auto snapshot = SnapshotIndex(options_.db_path, copy);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    auto db = Database::Open(copy, OpenMode::kReadOnly);
    ASSERT_TRUE(db.ok());
    auto check = db->Prepare("PRAGMA integrity_check");
    ASSERT_TRUE(check.ok() && check->Step());
    EXPECT_EQ(check->ColumnText(0), "ok");
    auto orphans = db->Prepare(
        "SELECT count(*) FROM passages p LEFT JOIN documents d ON d.id = p.doc_id "
        "WHERE d.id IS NULL");
    ASSERT_TRUE(orphans.ok() && orphans->Step());
    EXPECT_EQ(orphans->ColumnInt(0), 0);
    EXPECT_GE(Count(copy, "documents"), 5);
  }
  stop = true;
  writer.join();
}

}  // namespace
}  // namespace citeqa::indexer
