// Unchanged documents are counted for cross-document cleaning from the line keys the index
// stores for them (document_lines), not parsed again; a document without stored keys is
// parsed and gets them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "indexer/corpus_indexer.h"
#include "indexer/index_schema.h"
#include "indexer/sqlite_db.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

constexpr const char* kShared = "The river flows past the old mill every spring.";

class DocumentLinesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("citeqa_document_lines_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "corpus");
    options_.corpus_dir = (root_ / "corpus").string();
    options_.db_path = (root_ / "index.db").string();
    for (const char* name : {"a", "b"}) Write(name);
    ASSERT_TRUE(IndexCorpus(options_).ok());
  }
  void TearDown() override { fs::remove_all(root_); }

  // An article with the shared sentence among four of its own.
  void Write(const std::string& name) {
    std::ofstream(root_ / "corpus" / (name + ".txt"))
        << "About " << name << "\nThe " << name << " story begins in a small town. " << kShared
        << " Its people call it " << name << " town. They farm " << name
        << " grain in the valley. The harvest of " << name << " ends in autumn.\n";
  }
  void Exec(const std::string& sql) {
    auto db = Database::Open(options_.db_path, OpenMode::kReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec(sql).ok()) << sql;
  }
  int64_t Count(const std::string& sql) {
    auto db = Database::Open(options_.db_path, OpenMode::kReadOnly);
    auto stmt = db->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << sql;
    EXPECT_TRUE(stmt->Step()) << sql;
    return stmt->ColumnInt(0);
  }
  // Whether c.txt's passages kept the shared sentence (dropped when 3 documents have it).
  bool NewArticleKeepsTheSharedSentence() {
    Write("c");
    auto summary = IndexCorpus(options_);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    EXPECT_EQ(summary->added, 1);
    EXPECT_EQ(summary->unchanged, 2);
    return Count(std::string("SELECT count(*) FROM passages p JOIN documents d ON d.id = "
                             "p.doc_id WHERE d.file = 'c.txt' AND instr(p.text, '") +
                 kShared + "') > 0") > 0;
  }

  fs::path root_;
  IndexOptions options_;
};

TEST_F(DocumentLinesTest, EveryDocumentHasItsKeysAndLosesThemWithIt) {
  EXPECT_EQ(Count("SELECT count(*) FROM document_lines"), 2);
  EXPECT_EQ(Count("SELECT min(length(keys) % 16 = 0 AND length(keys) > 0) FROM document_lines"),
            1);
  fs::remove(root_ / "corpus" / "a.txt");
  ASSERT_TRUE(IndexCorpus(options_).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM document_lines"), 1);
}

TEST_F(DocumentLinesTest, StoredKeysCountForUnchangedDocuments) {
  EXPECT_FALSE(NewArticleKeepsTheSharedSentence()) << "a, b and c share it: chrome";
}

// A run that migrates the index's schema counts the stored keys on its own connection
// (another connection would read the index as it was before the migration).
TEST_F(DocumentLinesTest, StoredKeysCountInARunThatMigrates) {
  Exec("PRAGMA user_version = 5");
  EXPECT_FALSE(NewArticleKeepsTheSharedSentence()) << "a, b and c share it: chrome";
  EXPECT_EQ(Count("PRAGMA user_version"), kSchemaVersion);
}

TEST_F(DocumentLinesTest, UnchangedDocumentsAreNotParsedAgain) {
  // Stored keys that say a and b have no lines: if the run parsed them, it would count the
  // shared sentence three times and drop it from c.
  Exec("UPDATE document_lines SET keys = x''");
  EXPECT_TRUE(NewArticleKeepsTheSharedSentence());
}

TEST_F(DocumentLinesTest, DocumentsWithoutKeysAreParsedAndGetThem) {
  Exec("DELETE FROM document_lines");
  EXPECT_FALSE(NewArticleKeepsTheSharedSentence());
  EXPECT_EQ(Count("SELECT count(*) FROM document_lines"), 3);
}

TEST_F(DocumentLinesTest, UnreadableKeysAreReplaced) {
  Exec("UPDATE document_lines SET keys = x'0102'");
  EXPECT_FALSE(NewArticleKeepsTheSharedSentence());
  EXPECT_EQ(Count("SELECT count(*) FROM document_lines WHERE length(keys) % 16 = 0"), 3);
}

}  // namespace
}  // namespace citeqa::indexer
