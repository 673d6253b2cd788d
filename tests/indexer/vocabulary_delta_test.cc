// VocabularyDelta: passage counts of unstemmed words and of FTS5's terms, and keeping
// passage_vocab and stem_frequency exact through adds, updates and removals of documents.
#include "indexer/vocabulary_delta.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "indexer/corpus_indexer.h"
#include "indexer/frequency_changes.h"
#include "indexer/index_reader.h"
#include "indexer/index_schema.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

std::vector<Passage> Texts(std::initializer_list<const char*> texts) {
  std::vector<Passage> out;
  for (const char* t : texts) out.push_back(Passage{"", t, 0});
  return out;
}

// A corpus folder and the index of it in a scratch directory, removed at the end.
class ScratchIndex {
 public:
  explicit ScratchIndex(const std::string& name)
      : root_(fs::temp_directory_path() / (name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(root_);
    fs::create_directories(root_ / "corpus");
    options_.corpus_dir = (root_ / "corpus").string();
    options_.db_path = (root_ / "index.db").string();
  }
  ~ScratchIndex() { fs::remove_all(root_); }
  ScratchIndex(const ScratchIndex&) = delete;
  ScratchIndex& operator=(const ScratchIndex&) = delete;

  const IndexOptions& options() const { return options_; }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(root_ / "corpus" / name) << text;
  }
  void Remove(const std::string& name) const { fs::remove(root_ / "corpus" / name); }
  // The rows of a two-column query: the first column's text -> the second's number.
  std::map<std::string, int64_t> Rows(const std::string& sql) const {
    auto db = Database::Open(options_.db_path, OpenMode::kReadOnly);
    EXPECT_TRUE(db.ok());
    std::map<std::string, int64_t> out;
    if (!db.ok()) return out;
    auto stmt = db->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << sql;
    if (!stmt.ok()) return out;
    while (stmt->Step()) out[stmt->ColumnText(0)] = stmt->ColumnInt(1);
    return out;
  }

 private:
  fs::path root_;
  IndexOptions options_;
};

TEST(TermCountDeltaTest, CountsEachTextOncePerTermAndMergesIntoOne) {
  TermCountDelta a;
  TermCountDelta b;
  for (const char* text : {"river heron river", "river"}) {
    a.BeginText();
    for (std::string_view term : {"river", "heron"}) {
      if (std::string_view(text).find(term) != std::string_view::npos) a.Add(term);
    }
    a.Add("river");  // again: still once per text
  }
  a.EndBatch(+1);
  b.BeginText();
  b.Add("otter");
  b.Add("river");
  for (int i = 0; i < 3000; ++i) {  // forces growth
    b.BeginText();
    b.Add("word" + std::to_string(i));
  }
  b.EndBatch(+1);
  b.BeginText();
  b.Add("heron");
  b.EndBatch(-1);
  a.Merge(std::move(b));
  const struct {
    const char* term;
    int64_t passages;
  } cases[] = {{"river", 3}, {"heron", 0}, {"otter", 1}, {"word2999", 1}, {"missing", 0}};
  for (const auto& c : cases) EXPECT_EQ(a.Passages(c.term), c.passages) << c.term;
  EXPECT_EQ(b.Passages("river"), 0);  // NOLINT(bugprone-use-after-move): documented empty
}

TEST(VocabularyDeltaTest, CountsEachPassageOncePerWordAndPerTerm) {
  VocabularyDelta delta;
  delta.AddPassages(Texts({"The Café, the CAFE and the cafe.", "A café opens.", "Nothing here"}));
  delta.AddPassages({Passage{"Cafés", "Another cafe", 0}});
  delta.AddPassages(Texts({"the café closed"}), -1);
  const struct {
    const char* word;
    int64_t passages;
  } words[] = {{"cafe", 2},    {"the", 0},  {"a", 1},     {"nothing", 1},
               {"closed", -1}, {"Café", 0}, {"cafes", 0}, {"missing", 0}};
  for (const auto& c : words) EXPECT_EQ(delta.WordPassages(c.word), c.passages) << c.word;
  // FTS5's terms: porter stems of the heading's and the text's words, diacritics removed.
  const struct {
    const char* term;
    int64_t passages;
  } terms[] = {{"cafe", 2}, {"open", 1}, {"close", -1}, {"closed", 0}, {"the", 0}};
  for (const auto& c : terms) EXPECT_EQ(delta.TermPassages(c.term), c.passages) << c.term;
}

TEST(PassageTokenizerTest, GivesTheTermsFts5Indexes) {
  auto tokenizer = PassageTokenizer::Open();
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status().ToString();
  std::vector<std::string> terms;
  tokenizer->ForEachTerm("Owners prioritised the Backlog's naïve items, 2024!",
                         [&](std::string_view t) { terms.emplace_back(t); });
  EXPECT_EQ(terms, (std::vector<std::string>{"owner", "prioritis", "the", "backlog", "s", "naiv",
                                             "item", "2024"}));
}

TEST(VocabularyDeltaTest, ApplyUpdatesAndRemovesRows) {
  auto db = Database::Open(":memory:", OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(MigrateSchema(&*db).ok());
  VocabularyDelta delta;
  delta.AddPassages(Texts({"river heron", "rivers otter"}));
  ASSERT_TRUE(delta.Apply(&*db).ok());
  delta.AddPassages(Texts({"rivers otter"}), -1);
  ASSERT_TRUE(delta.Apply(&*db).ok());
  auto rows = [&](const char* sql) {
    std::map<std::string, int64_t> out;
    auto stmt = db->Prepare(sql);
    while (stmt->Step()) out[stmt->ColumnText(0)] = stmt->ColumnInt(1);
    return out;
  };
  EXPECT_EQ(rows("SELECT term, doc FROM passage_vocab"),
            (std::map<std::string, int64_t>{{"heron", 1}, {"river", 1}}));
  EXPECT_EQ(rows("SELECT term, doc FROM stem_frequency"),
            (std::map<std::string, int64_t>{{"heron", 1}, {"river", 1}}));
}

// After any sequence of runs, passage_vocab equals a recount of the passages' text, and
// stem_frequency equals FTS5's own vocabulary of the index.
TEST(VocabularyIndexTest, IncrementalRunsKeepBothVocabulariesExact) {
  const ScratchIndex index("citeqa_vocabulary_delta_test");
  const IndexOptions& options = index.options();
  auto write = [&](const std::string& name, const std::string& text) { index.Write(name, text); };
  auto rows = [&](const std::string& sql) { return index.Rows(sql); };
  auto recount = [&] {
    auto db = Database::Open(options.db_path, OpenMode::kReadWrite);
    EXPECT_TRUE(db.ok());
    EXPECT_TRUE(db->Exec("BEGIN").ok());
    EXPECT_TRUE(RebuildWordVocabulary(&*db).ok());
    std::map<std::string, int64_t> out;
    auto stmt = db->Prepare("SELECT term, doc FROM passage_vocab");
    while (stmt->Step()) out[stmt->ColumnText(0)] = stmt->ColumnInt(1);
    EXPECT_TRUE(db->Exec("ROLLBACK").ok());
    return out;
  };
  const char* kWords = "SELECT term, doc FROM passage_vocab";
  const char* kStems = "SELECT term, doc FROM stem_frequency";
  const char* kFts5Stems = "SELECT term, doc FROM stem_vocab";
  write("a.txt", "Herons\nThe grey heron waits by the river for fish to come close.\n");
  write("b.txt", "Otters\nThe otter swims in the river and eats fish all day long.\n");
  write("c.md", "# Rivers and lakes\n\n## Fishing birds\n\nA kingfisher dives for fish.\n");
  ASSERT_TRUE(IndexCorpus(options).ok());
  const auto first = rows(kWords);
  EXPECT_EQ(first.at("river"), 2);
  EXPECT_EQ(first, recount());
  EXPECT_EQ(rows(kStems), rows(kFts5Stems));
  EXPECT_EQ(rows(kStems).at("fish"), 3);

  write("a.txt", "Herons\nThe heron has flown away from the lake.\n");
  index.Remove("b.txt");
  write("d.md", "# Kingfishers\n\nThe kingfisher dives into the river for fish.\n");
  auto second = IndexCorpus(options);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->updated, 1);
  EXPECT_EQ(second->removed, 1);
  const auto after = rows(kWords);
  EXPECT_EQ(after, recount());
  EXPECT_EQ(after.count("otter"), 0u) << "a word of removed passages only is gone";
  EXPECT_EQ(after.at("river"), 1);
  const auto stems = rows(kStems);
  EXPECT_EQ(stems, rows(kFts5Stems));
  EXPECT_EQ(stems.count("otter"), 0u);
}

// frequency_changes.h: each version's changes are the difference of the two vocabularies,
// every version has a token, and the last kKeptFrequencyVersions versions are kept.
TEST(FrequencyChangesTest, EachVersionRecordsWhatItChangedAndTheLastVersionsAreKept) {
  const ScratchIndex index("citeqa_frequency_changes_test");
  const IndexOptions& options = index.options();
  auto write = [&](const std::string& name, const std::string& text) { index.Write(name, text); };
  auto rows = [&](const std::string& sql) { return index.Rows(sql); };
  const std::string kWords = "SELECT term, doc FROM passage_vocab";
  const std::string kStems = "SELECT term, doc FROM stem_frequency";
  auto changes = [&](int64_t generation, FrequencyKind kind) {
    return rows("SELECT term, delta FROM frequency_changes WHERE generation = " +
                std::to_string(generation) +
                " AND kind = " + std::to_string(static_cast<int>(kind)));
  };
  // after - before, per term, without the terms that stayed.
  auto difference = [](std::map<std::string, int64_t> before,
                       const std::map<std::string, int64_t>& after) {
    std::map<std::string, int64_t> out;
    for (const auto& [term, n] : after) out[term] = n - before[term];
    for (const auto& [term, n] : before) {
      if (!after.count(term)) out[term] = -n;
    }
    std::erase_if(out, [](const auto& entry) { return entry.second == 0; });
    return out;
  };

  write("a.txt", "Herons\nThe grey heron waits by the river for fish to come close.\n");
  write("b.txt", "Otters\nThe otter swims in the river and eats fish all day long.\n");
  ASSERT_TRUE(IndexCorpus(options).ok());
  const auto words_before = rows(kWords);
  const auto stems_before = rows(kStems);
  write("a.txt", "Herons\nThe heron has flown away from the lake.\n");
  index.Remove("b.txt");
  write("c.md", "# Kingfishers\n\nThe kingfisher dives into the river for fish.\n");
  ASSERT_TRUE(IndexCorpus(options).ok());
  const auto word_changes = changes(2, FrequencyKind::kWord);
  EXPECT_EQ(word_changes, difference(words_before, rows(kWords)));
  EXPECT_EQ(word_changes.at("otter"), -1);
  EXPECT_EQ(word_changes.at("kingfisher"), 1);
  EXPECT_EQ(changes(2, FrequencyKind::kStem), difference(stems_before, rows(kStems)));
  const auto versions = rows("SELECT generation, token FROM frequency_versions");
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_NE(versions.at("1"), 0);
  EXPECT_NE(versions.at("2"), 0);
  EXPECT_NE(versions.at("1"), versions.at("2"));

  for (int i = 0; i < kKeptFrequencyVersions; ++i) {
    write("n" + std::to_string(i) + ".txt", "Note\nWord" + std::to_string(i) + " is new.\n");
    ASSERT_TRUE(IndexCorpus(options).ok());
  }
  const int64_t last = 2 + kKeptFrequencyVersions;
  const auto kept = rows("SELECT generation, token FROM frequency_versions");
  EXPECT_EQ(static_cast<int64_t>(kept.size()), kKeptFrequencyVersions);
  EXPECT_EQ(kept.count("2"), 0u);
  EXPECT_EQ(kept.count(std::to_string(last - kKeptFrequencyVersions + 1)), 1u);
  EXPECT_EQ(kept.count(std::to_string(last)), 1u);
  EXPECT_TRUE(rows("SELECT term, delta FROM frequency_changes WHERE generation <= 2").empty());
  EXPECT_EQ(changes(last, FrequencyKind::kWord).at("word63"), 1);
}

// The indexer keeps the documents and passages it counts in meta, as each run changes them;
// readers take them from there instead of counting every row (an older index, without
// them, is counted).
TEST(KeptCountsTest, MetaHoldsTheCountsAfterEveryRunAndReadersTakeThem) {
  const ScratchIndex index("citeqa_kept_counts_test");
  const IndexOptions& options = index.options();
  auto write = [&](const std::string& name, const std::string& text) { index.Write(name, text); };
  auto count = [&](const char* sql) {
    auto db = Database::Open(options.db_path, OpenMode::kReadOnly);
    EXPECT_TRUE(db.ok());
    auto stmt = db->Prepare(sql);
    EXPECT_TRUE(stmt.ok() && stmt->Step()) << sql;
    return stmt.ok() ? stmt->ColumnInt(0) : -1;
  };
  auto expect_kept = [&](int64_t documents) {
    const int64_t passages = count("SELECT count(*) FROM passages");
    EXPECT_EQ(count("SELECT count(*) FROM documents"), documents);
    EXPECT_EQ(count("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'documents'"), documents);
    EXPECT_EQ(count("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'passages'"), passages);
    auto reader = IndexReader::Open(options.db_path);
    ASSERT_TRUE(reader.ok());
    ASSERT_TRUE(reader->BeginRead().ok());
    const auto counts = reader->Counts();
    ASSERT_TRUE(counts.ok());
    EXPECT_EQ(counts->documents, documents);
    EXPECT_EQ(counts->passages, passages);
    ASSERT_TRUE(reader->EndRead().ok());
  };

  std::string long_text = "Rivers\n";
  for (int i = 0; i < 40; ++i)
    long_text += "Sentence " + std::to_string(i) + " is about rivers.\n\n";
  write("a.txt", "Herons\nThe grey heron waits by the river for fish to come close.\n");
  write("b.md", "# Otters\n\nThe otter swims.\n\n## Food\n\nIt eats fish all day long.\n");
  write("c.txt", long_text);
  ASSERT_TRUE(IndexCorpus(options).ok());
  expect_kept(3);
  EXPECT_GT(count("SELECT count(*) FROM passages"), 3);

  write("a.txt", "Herons\nThe heron has flown away from the lake.\n");
  index.Remove("c.txt");
  write("d.md", "# Kingfishers\n\nThe kingfisher dives into the river for fish.\n");
  const auto run = IndexCorpus(options);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->passages, count("SELECT count(*) FROM passages"));
  expect_kept(3);

  // An index whose meta keeps no counts (as before version 7) is counted, and its next run
  // keeps them.
  {
    auto db = Database::Open(options.db_path, OpenMode::kReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("DELETE FROM meta WHERE key IN ('documents', 'passages')").ok());
  }
  auto reader = IndexReader::Open(options.db_path);
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE(reader->BeginRead().ok());
  EXPECT_EQ(reader->Counts()->documents, 3);
  ASSERT_TRUE(reader->EndRead().ok());
  index.Remove("b.md");
  ASSERT_TRUE(IndexCorpus(options).ok());
  expect_kept(2);
}

}  // namespace
}  // namespace citeqa::indexer
