// IndexOptions::optimize_min_changes: a run that changes enough documents merges the FTS5
// segments (fewer b-tree rows, same answers); a smaller run leaves them alone.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "indexer/corpus_indexer.h"
#include "indexer/sqlite_db.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

class OptimizeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("citeqa_optimize_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "corpus");
    options_.corpus_dir = (root_ / "corpus").string();
    options_.db_path = (root_ / "index.db").string();
  }
  void TearDown() override { fs::remove_all(root_); }

  void AddArticle(int i) {
    std::ofstream(root_ / "corpus" / ("a" + std::to_string(i) + ".txt"))
        << "Article number " << i << "\nThe animal number " << i << " is called creature" << i
        << " and it eats leaves near river" << i
        << ". It sleeps during the day and hunts at night.\n";
  }

  // Rows of the FTS5 shadow tables: one segment per unmerged commit adds rows.
  int64_t FtsRows() {
    auto db = Database::Open(options_.db_path, OpenMode::kReadOnly);
    EXPECT_TRUE(db.ok());
    auto stmt = db->Prepare("SELECT count(*) FROM passages_fts_data");
    EXPECT_TRUE(stmt.ok());
    EXPECT_TRUE(stmt->Step());
    return stmt->ColumnInt(0);
  }

  int64_t Matches(const std::string& word) {
    auto db = Database::Open(options_.db_path, OpenMode::kReadOnly);
    auto stmt = db->Prepare("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?1");
    stmt->Bind(1, word);
    EXPECT_TRUE(stmt->Step());
    return stmt->ColumnInt(0);
  }

  fs::path root_;
  IndexOptions options_;
};

TEST_F(OptimizeTest, MergesSegmentsOnlyAfterEnoughChanges) {
  // One commit per article: several segments.
  options_.optimize_min_changes = 0;
  for (int i = 0; i < 3; ++i) {
    AddArticle(i);
    ASSERT_TRUE(IndexCorpus(options_).ok());
  }
  const int64_t fragmented = FtsRows();

  // One change, threshold two: no merge, one more segment.
  options_.optimize_min_changes = 2;
  AddArticle(3);
  ASSERT_TRUE(IndexCorpus(options_).ok());
  const int64_t still_fragmented = FtsRows();
  EXPECT_GT(still_fragmented, fragmented);

  // One change, threshold one: everything merged into fewer rows than before.
  options_.optimize_min_changes = 1;
  AddArticle(4);
  auto optimized = IndexCorpus(options_);
  ASSERT_TRUE(optimized.ok()) << optimized.status().ToString();
  EXPECT_EQ(optimized->added, 1);
  EXPECT_LT(FtsRows(), still_fragmented);
  for (int i = 0; i <= 4; ++i) {
    EXPECT_EQ(Matches("creature" + std::to_string(i)), 1) << i;
  }

  // A run that changes nothing does not optimise (and does not fail).
  auto unchanged = IndexCorpus(options_);
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->unchanged, 5);
}

}  // namespace
}  // namespace citeqa::indexer
