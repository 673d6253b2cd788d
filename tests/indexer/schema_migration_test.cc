// An index written by an earlier citeqa keeps working after `citeqa index` migrates it:
// version 1 (a second, unstemmed FTS5 table passage_words) and version 5 (triggers on
// `passages` fed passages_fts; the indexer now writes its rows itself).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "indexer/content_hash.h"
#include "indexer/corpus_indexer.h"
#include "indexer/index_schema.h"
#include "indexer/sqlite_db.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

// The version-1 schema as citeqa wrote it, kept here as a fixture.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE documents (
  id INTEGER PRIMARY KEY AUTOINCREMENT, file TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
  content_hash TEXT NOT NULL, bytes INTEGER NOT NULL, indexed_at TEXT NOT NULL);
CREATE TABLE passages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL, heading TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX passages_by_doc ON passages(doc_id, ordinal);
CREATE VIRTUAL TABLE passages_fts USING fts5(
  heading, text, content='passages', content_rowid='id',
  tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE passage_words USING fts5(
  text, content='passages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE passage_vocab USING fts5vocab(passage_words, 'row');
CREATE VIRTUAL TABLE stem_vocab USING fts5vocab(passages_fts, 'row');
CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
  INSERT INTO passages_fts(rowid, heading, text) VALUES (new.id, new.heading, new.text);
  INSERT INTO passage_words(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
  INSERT INTO passages_fts(passages_fts, rowid, heading, text)
    VALUES ('delete', old.id, old.heading, old.text);
  INSERT INTO passage_words(passage_words, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta(key, value) VALUES ('generation', '0');
PRAGMA user_version = 1;
)sql";

class SchemaMigrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("citeqa_migration_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "corpus");
    options_.corpus_dir = (root_ / "corpus").string();
    options_.db_path = (root_ / "index.db").string();
  }
  void TearDown() override { fs::remove_all(root_); }

  Database Open() {
    auto db = Database::Open(options_.db_path, OpenMode::kReadWrite);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return std::move(*db);
  }

  int64_t Count(Database* db, const std::string& sql, const std::string& arg = "") {
    auto stmt = db->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << sql;
    if (!arg.empty()) stmt->Bind(1, arg);
    EXPECT_TRUE(stmt->Step()) << sql << ": " << stmt->status().ToString();
    return stmt->ColumnInt(0);
  }

  // A version-1 index holding `kept.txt` (whose file is unchanged on disk, so the run keeps
  // its passages) and `gone.txt` (whose file no longer exists).
  void WriteVersion1Index() {
    const std::string kept = "The heron waits by the river.\n";
    std::ofstream(root_ / "corpus" / "kept.txt", std::ios::binary) << kept;
    Database db = Open();
    ASSERT_TRUE(db.Exec(kSchemaV1).ok());
    auto doc = db.Prepare(
        "INSERT INTO documents(file, title, content_hash, bytes, indexed_at) "
        "VALUES (?1, ?2, ?3, 0, '')");
    doc->Bind(1, std::string("kept.txt"))
        .Bind(2, std::string("Heron"))
        .Bind(3, Sha256Hex(kept) + ":" + kPipelineVersion);
    ASSERT_TRUE(doc->Run().ok());
    doc->Reset();
    doc->Bind(1, std::string("gone.txt")).Bind(2, std::string("Otter")).Bind(3, std::string("x"));
    ASSERT_TRUE(doc->Run().ok());
    ASSERT_TRUE(db.Exec("INSERT INTO passages(doc_id, ordinal, heading, text) VALUES "
                        "(1, 0, '', 'The grey heron waits by the river. The heron fishes.'),"
                        "(1, 1, '', 'A heron nests in tall trees near the river.'),"
                        "(2, 0, '', 'The otter swims in the river.')")
                    .ok());
  }

  fs::path root_;
  IndexOptions options_;
};

TEST_F(SchemaMigrationTest, IndexingMigratesAVersion1Index) {
  WriteVersion1Index();
  {
    Database db = Open();
    EXPECT_EQ(CheckSchema(&db).code(), StatusCode::kCorruption) << "readers ask for a re-index";
  }
  std::ofstream(root_ / "corpus" / "new.md") << "# Kingfisher\n\nThe kingfisher dives into the "
                                                "river for fish, fast as a dart.\n";
  auto summary = IndexCorpus(options_);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->added, 1);
  EXPECT_EQ(summary->unchanged, 1);
  EXPECT_EQ(summary->removed, 1);

  Database db = Open();
  EXPECT_TRUE(CheckSchema(&db).ok());
  EXPECT_EQ(Count(&db, "PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(Count(&db, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'passage_words%'"), 0);
  // The kept document's passages survive, searchable as before.
  EXPECT_EQ(Count(&db, "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?1", "herons"),
            2);
  EXPECT_EQ(Count(&db, "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?1", "otter"),
            0);
  // The word vocabulary counts passages of the kept and the new document, not the removed.
  const struct {
    const char* word;
    int64_t passages;
  } cases[] = {{"heron", 2}, {"river", 3}, {"kingfisher", 1}, {"otter", 0}, {"grey", 1}};
  for (const auto& c : cases) {
    EXPECT_EQ(Count(&db, "SELECT coalesce(sum(doc), 0) FROM passage_vocab WHERE term = ?1", c.word),
              c.passages)
        << c.word;
  }
  // The stem counts, filled from FTS5's vocabulary, are FTS5's, row for row.
  EXPECT_GT(Count(&db, "SELECT count(*) FROM stem_frequency"), 0);
  EXPECT_EQ(Count(&db, "SELECT count(*) FROM (SELECT term, doc FROM stem_frequency "
                       "EXCEPT SELECT term, doc FROM stem_vocab)"),
            0);
  EXPECT_EQ(Count(&db, "SELECT count(*) FROM (SELECT term, doc FROM stem_vocab "
                       "EXCEPT SELECT term, doc FROM stem_frequency)"),
            0);
  EXPECT_EQ(Count(&db, "SELECT doc FROM stem_frequency WHERE term = 'kingfish'"), 1);
  EXPECT_EQ(Count(&db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), 0);
}

// Version 5's triggers, as it wrote them.
constexpr const char* kVersion5Triggers = R"sql(
CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
  INSERT INTO passages_fts(rowid, heading, text) VALUES (new.id, new.heading, new.text);
END;
CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
  INSERT INTO passages_fts(passages_fts, rowid, heading, text)
    VALUES ('delete', old.id, old.heading, old.text);
END;
PRAGMA user_version = 5;
)sql";

// A document added, one changed and one removed in the run that migrates: had the triggers
// stayed, each added passage would be indexed twice and each removed one forgotten twice.
TEST_F(SchemaMigrationTest, AVersion5IndexLosesItsTriggersAndItsFullTextStaysInStep) {
  std::ofstream(root_ / "corpus" / "heron.txt") << "The grey heron waits by the river.\n";
  std::ofstream(root_ / "corpus" / "otter.txt") << "The otter swims in the river.\n";
  ASSERT_TRUE(IndexCorpus(options_).ok());
  {
    Database db = Open();
    ASSERT_TRUE(db.Exec(kVersion5Triggers).ok());
  }
  std::ofstream(root_ / "corpus" / "heron.txt") << "The heron fishes where the river bends.\n";
  fs::remove(root_ / "corpus" / "otter.txt");
  std::ofstream(root_ / "corpus" / "kingfisher.txt") << "The kingfisher dives into the river.\n";
  auto summary = IndexCorpus(options_);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->added, 1);
  EXPECT_EQ(summary->updated, 1);
  EXPECT_EQ(summary->removed, 1);

  Database db = Open();
  EXPECT_EQ(Count(&db, "PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(Count(&db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), 0);
  // FTS5 compares its index with the content table, posting by posting.
  EXPECT_TRUE(db.Exec("INSERT INTO passages_fts(passages_fts) VALUES ('integrity-check')").ok());
  const struct {
    const char* query;
    int64_t passages;
  } cases[] = {{"river", 2}, {"bends", 1}, {"kingfisher", 1}, {"grey", 0}, {"otter", 0}};
  for (const auto& c : cases) {
    EXPECT_EQ(Count(&db, "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?1", c.query),
              c.passages)
        << c.query;
  }
  // Each passage is indexed once: a second copy would double the occurrences.
  EXPECT_EQ(Count(&db, "SELECT doc FROM stem_vocab WHERE term = 'river'"), 2);
  EXPECT_EQ(Count(&db, "SELECT cnt FROM stem_vocab WHERE term = 'river'"), 2);
}

TEST_F(SchemaMigrationTest, RefusesAnIndexNewerThanThisBuild) {
  {
    Database db = Open();
    ASSERT_TRUE(db.Exec("CREATE TABLE documents(x); PRAGMA user_version = 99").ok());
  }
  EXPECT_EQ(IndexCorpus(options_).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace citeqa::indexer
