// WordVocabularyDelta: passage counts of unstemmed words, and keeping passage_vocab exact
// through adds, updates and removals of documents.
#include "indexer/word_vocabulary.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "indexer/corpus_indexer.h"
#include "indexer/index_schema.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

TEST(WordVocabularyDeltaTest, CountsEachPassageOncePerWord) {
  WordVocabularyDelta delta;
  delta.AddTexts({"The Café, the CAFE and the cafe.", "A café opens.", "Nothing here"});
  delta.AddTexts({"Another cafe"});
  delta.AddTexts({"the café closed"}, -1);
  const struct {
    const char* word;
    int64_t passages;
  } cases[] = {{"cafe", 2}, {"the", 0}, {"a", 1}, {"nothing", 1}, {"closed", -1}, {"Café", 0},
               {"missing", 0}};
  for (const auto& c : cases) EXPECT_EQ(delta.Passages(c.word), c.passages) << c.word;
}

TEST(WordVocabularyDeltaTest, MergeAddsCountsAndEmptiesTheOther) {
  WordVocabularyDelta a;
  WordVocabularyDelta b;
  a.AddTexts({"river heron", "river"});
  b.AddTexts({"river otter"});
  for (int i = 0; i < 3000; ++i) b.AddTexts({"word" + std::to_string(i)});  // forces growth
  a.Merge(std::move(b));
  EXPECT_EQ(a.Passages("river"), 3);
  EXPECT_EQ(a.Passages("heron"), 1);
  EXPECT_EQ(a.Passages("otter"), 1);
  EXPECT_EQ(a.Passages("word2999"), 1);
  EXPECT_EQ(b.Passages("river"), 0);  // NOLINT(bugprone-use-after-move): documented empty
}

TEST(WordVocabularyDeltaTest, ApplyUpdatesAndRemovesRows) {
  auto db = Database::Open(":memory:", OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(MigrateSchema(&*db).ok());
  WordVocabularyDelta delta;
  delta.AddTexts({"river heron", "river otter"});
  ASSERT_TRUE(delta.Apply(&*db).ok());
  delta.AddTexts({"river otter"}, -1);
  ASSERT_TRUE(delta.Apply(&*db).ok());
  std::map<std::string, int64_t> rows;
  auto stmt = db->Prepare("SELECT term, doc FROM passage_vocab");
  while (stmt->Step()) rows[stmt->ColumnText(0)] = stmt->ColumnInt(1);
  EXPECT_EQ(rows, (std::map<std::string, int64_t>{{"heron", 1}, {"river", 1}}));
}

// After any sequence of runs, passage_vocab equals a recount of the passages' text.
TEST(WordVocabularyIndexTest, IncrementalRunsKeepTheVocabularyExact) {
  const fs::path root = fs::temp_directory_path() /
                        ("citeqa_word_vocabulary_test_" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "corpus");
  IndexOptions options;
  options.corpus_dir = (root / "corpus").string();
  options.db_path = (root / "index.db").string();
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(root / "corpus" / name) << text;
  };
  auto vocabulary = [&](const char* sql) {
    auto db = Database::Open(options.db_path, OpenMode::kReadOnly);
    EXPECT_TRUE(db.ok());
    std::map<std::string, int64_t> rows;
    auto stmt = db->Prepare(sql);
    while (stmt->Step()) rows[stmt->ColumnText(0)] = stmt->ColumnInt(1);
    return rows;
  };
  auto recount = [&] {
    auto db = Database::Open(options.db_path, OpenMode::kReadWrite);
    EXPECT_TRUE(db.ok());
    EXPECT_TRUE(db->Exec("BEGIN").ok());
    EXPECT_TRUE(RebuildWordVocabulary(&*db).ok());
    std::map<std::string, int64_t> rows;
    auto stmt = db->Prepare("SELECT term, doc FROM passage_vocab");
    while (stmt->Step()) rows[stmt->ColumnText(0)] = stmt->ColumnInt(1);
    EXPECT_TRUE(db->Exec("ROLLBACK").ok());
    return rows;
  };
  const char* kStored = "SELECT term, doc FROM passage_vocab";
  write("a.txt", "Herons\nThe grey heron waits by the river for fish to come close.\n");
  write("b.txt", "Otters\nThe otter swims in the river and eats fish all day long.\n");
  ASSERT_TRUE(IndexCorpus(options).ok());
  const auto first = vocabulary(kStored);
  EXPECT_EQ(first.at("river"), 2);
  EXPECT_EQ(first, recount());

  write("a.txt", "Herons\nThe heron has flown away from the lake.\n");
  fs::remove(root / "corpus" / "b.txt");
  write("c.md", "# Kingfishers\n\nThe kingfisher dives into the river for fish.\n");
  auto second = IndexCorpus(options);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->updated, 1);
  EXPECT_EQ(second->removed, 1);
  const auto after = vocabulary(kStored);
  EXPECT_EQ(after, recount());
  EXPECT_EQ(after.count("otter"), 0u) << "a word of removed passages only is gone";
  EXPECT_EQ(after.at("river"), 1);
  fs::remove_all(root);
}

}  // namespace
}  // namespace citeqa::indexer
