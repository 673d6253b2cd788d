// Database::PrepareReused: a statement kept by the connection behaves like a fresh one each
// time it is taken (no rows, bindings or errors left over), and two of the same SQL can be
// out at once.
#include "indexer/sqlite_db.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace citeqa::indexer {
namespace {

class SqliteDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(":memory:", OpenMode::kReadWrite);
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_.emplace(std::move(*db));
    ASSERT_TRUE(db_->Exec("CREATE TABLE t(n INTEGER)").ok());
    ASSERT_TRUE(db_->Exec("INSERT INTO t VALUES (1), (2), (3), (4)").ok());
  }

  std::vector<int64_t> Above(int64_t n) {
    auto stmt = db_->PrepareReused("SELECT n FROM t WHERE n > ?1 ORDER BY n");
    EXPECT_TRUE(stmt.ok());
    std::vector<int64_t> out;
    if (!stmt.ok()) return out;
    stmt->Bind(1, n);
    while (stmt->Step()) out.push_back(stmt->ColumnInt(0));
    EXPECT_TRUE(stmt->status().ok()) << stmt->status().message();
    return out;
  }

  std::optional<Database> db_;
};

TEST_F(SqliteDbTest, AReusedStatementStartsOverEachTime) {
  EXPECT_EQ(Above(2), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(Above(0), (std::vector<int64_t>{1, 2, 3, 4}));
  {
    // Left half-read: the next user still starts from the first row.
    auto stmt = db_->PrepareReused("SELECT n FROM t WHERE n > ?1 ORDER BY n");
    ASSERT_TRUE(stmt.ok());
    stmt->Bind(1, int64_t{0});
    ASSERT_TRUE(stmt->Step());
  }
  EXPECT_EQ(Above(3), (std::vector<int64_t>{4}));
  {
    // Bindings do not carry over: unbound is NULL, and nothing is above NULL.
    auto stmt = db_->PrepareReused("SELECT n FROM t WHERE n > ?1 ORDER BY n");
    ASSERT_TRUE(stmt.ok());
    EXPECT_FALSE(stmt->Step());
    EXPECT_TRUE(stmt->status().ok());
  }
}

TEST_F(SqliteDbTest, TwoStatementsOfTheSameSqlCanBeOutAtOnce) {
  const char* sql = "SELECT n FROM t WHERE n > ?1 ORDER BY n";
  auto outer = db_->PrepareReused(sql);
  ASSERT_TRUE(outer.ok());
  outer->Bind(1, int64_t{2});
  std::vector<int64_t> pairs;
  while (outer->Step()) {
    const int64_t n = outer->ColumnInt(0);
    for (int64_t m : Above(n)) pairs.push_back(n * 10 + m);  // the same SQL, nested
  }
  EXPECT_TRUE(outer->status().ok());
  EXPECT_EQ(pairs, (std::vector<int64_t>{34}));
}

TEST_F(SqliteDbTest, AReusedStatementSeesWritesMadeSinceItWasKept) {
  EXPECT_EQ(Above(3), (std::vector<int64_t>{4}));
  ASSERT_TRUE(db_->Exec("INSERT INTO t VALUES (5)").ok());
  EXPECT_EQ(Above(3), (std::vector<int64_t>{4, 5}));
  // And a schema change: SQLite prepares the kept statement again by itself.
  ASSERT_TRUE(db_->Exec("ALTER TABLE t ADD COLUMN label TEXT").ok());
  EXPECT_EQ(Above(3), (std::vector<int64_t>{4, 5}));
}

TEST_F(SqliteDbTest, BadSqlIsAnErrorAndKeepsNothing) {
  auto stmt = db_->PrepareReused("SELECT nope FROM nowhere");
  EXPECT_FALSE(stmt.ok());
  EXPECT_EQ(Above(3), (std::vector<int64_t>{4}));
}

TEST_F(SqliteDbTest, AStatementMayOutliveItsConnection) {
  auto stmt = db_->PrepareReused("SELECT n FROM t ORDER BY n");
  ASSERT_TRUE(stmt.ok());
  ASSERT_TRUE(stmt->Step());
  EXPECT_EQ(stmt->ColumnInt(0), 1);
  db_.reset();  // sqlite3_close_v2 waits for the statement; its shelf lives as long
  Statement kept = std::move(*stmt);
  EXPECT_EQ(kept.ColumnInt(0), 1);
}

}  // namespace
}  // namespace citeqa::indexer
