#include "indexer/index_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "indexer/corpus_indexer.h"
#include "indexer/sqlite_db.h"
#include "indexer/text.h"
#include "tests/indexer/suite_folder.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

TermQuery Query(std::vector<std::vector<Words>> groups,
                TermQuery::Combine combine = TermQuery::Combine::kAll, bool ranked = true,
                int limit = 100) {
  TermQuery q;
  q.groups = std::move(groups);
  q.combine = combine;
  q.ranked = ranked;
  q.limit = limit;
  return q;
}

// A query of one group per word of `text` as Tokenize reads it: what a user's words become.
TermQuery QueryOfText(std::string_view text, TermQuery::Combine combine) {
  TermQuery q;
  q.combine = combine;
  for (const Token& t : Tokenize(text)) q.groups.push_back({{t.text}});
  return q;
}

TEST(MatchExpressionTest, QuotesEveryWordAndJoinsGroups) {
  struct Case {
    TermQuery query;
    std::string expected;
  } cases[] = {
      {Query({{{"po"}, {"product", "owner"}}, {{"salary"}}}),
       R"(("po" OR "product owner") AND ("salary"))"},
      {Query({{{"po"}, {"product", "owner"}}, {{"salary"}}}, TermQuery::Combine::kAny),
       R"(("po" OR "product owner") OR ("salary"))"},
      // Wordings sorted and each once: equal queries give equal expressions.
      {Query({{{"pay"}, {"salary"}, {"pay"}}}), R"(("pay" OR "salary"))"},
      {Query({{{"salary"}, {"pay"}}}), R"(("pay" OR "salary"))"},
      // FTS5's own keywords are words like any other.
      {Query({{{"near"}}, {{"and"}, {"or"}}, {{"not"}}}),
       R"(("near") AND ("and" OR "or") AND ("not"))"},
      // A group without words adds nothing.
      {Query({{}, {{"zebra"}}, {{}}}), R"(("zebra"))"},
      {Query({}), ""},
      {Query({{}, {{}}}), ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(MatchExpression(c.query), c.expected) << c.expected;
  }
}

TEST(MatchExpressionTest, NoSyntaxOfTheUsersTextGetsThrough) {
  const char* hostile[] = {
      "NEAR(product owner, 2) AND salary OR NOT manager",
      "\"product owner\" * ^heading {text heading}: col:salary",
      "'; DROP TABLE passages; -- )))(((",
      "+ - ! ~ | & \\ / <> = salary* owner^2",
  };
  // Outside the quoted words only parentheses, spaces and the joining keywords remain.
  static const std::regex kQuotedWord(R"("[^"]*")");
  static const std::regex kOnlySyntax(R"(^(\(|\)| |AND|OR)*$)");
  for (const char* text : hostile) {
    for (auto combine : {TermQuery::Combine::kAll, TermQuery::Combine::kAny}) {
      const std::string match = MatchExpression(QueryOfText(text, combine));
      ASSERT_FALSE(match.empty()) << text;
      const std::string outside = std::regex_replace(match, kQuotedWord, "");
      EXPECT_TRUE(std::regex_match(outside, kOnlySyntax)) << text << " -> " << match;
    }
  }
}

// A small index of three articles, built once for the suite.
class IndexReaderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new SuiteFolder("index_reader_test");
    for (const auto& [name, text] : Articles()) {
      std::ofstream(folder_->corpus() / name, std::ios::binary) << text;
    }
    std::ofstream(folder_->root() / "synonyms.txt") << "zebra, okapi\npo, product owner\n";
    ASSERT_TRUE(folder_->Index((folder_->root() / "synonyms.txt").string()).ok());
  }
  static void TearDownTestSuite() { delete folder_; }
  static std::string DbPath() { return folder_->db_path(); }

  static const std::map<std::string, std::string>& Articles() {
    static const std::map<std::string, std::string> articles = {
        {"zebra.txt",
         "Zebras of Africa\n"
         "Herds\n"
         "Zebras live in large herds on the open grasslands of eastern and southern Africa, "
         "where the herd moves together through the seasons, following the rains to find "
         "fresh grass and water for the young animals and the old ones alike.\n"
         "Stripes\n"
         "Zebras have stripes. Each zebra has its own pattern of stripes, and zebras know one "
         "another by their stripes. Scientists think that the stripes of zebras keep biting "
         "flies away and help the animals stay cool in the hot midday sun.\n"
         "Food\n"
         "The diet of these grazing animals is mostly grass, with some leaves, bark and buds "
         "in the dry months when the grass runs short, and they spend most of each day eating "
         "to keep up their strength for the long walks ahead.\n"},
        {"okapi.txt",
         "The Okapi\n"
         "Forest giraffes\n"
         "Okapis are forest giraffes of the Congo that eat leaves, buds and fruit. Although "
         "their legs carry stripes like a zebra, the okapi is related to the giraffe and is "
         "rarely seen by people in the wild because it is so shy of them.\n"},
        {"roles.txt",
         "Team Roles\n"
         "Owners\n"
         "A product owner owns the product backlog and orders it by value. Every product owner "
         "works with the team each day, and the owner of the product vision answers questions "
         "from stakeholders about what comes next for the team and its users.\n"
         "Managers\n"
         "Product owners and product managers work together closely; a manager sets the "
         "strategy while the owner of the backlog decides what the team builds in each sprint, "
         "so both roles shape what the users get in the end.\n"},
    };
    return articles;
  }

  void SetUp() override {
    auto reader = IndexReader::Open(DbPath());
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    reader_.emplace(std::move(*reader));
  }

  std::vector<PassageRow> Candidates(const TermQuery& query) {
    auto rows = reader_->Candidates(query);
    EXPECT_TRUE(rows.ok()) << MatchExpression(query) << ": " << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<PassageRow>{};
  }

  // The passage of `doc` whose text holds `part` (found by the first word of `part`).
  PassageRow Find(const std::string& doc, const std::string& part) {
    const std::vector<Token> words = Tokenize(part);
    if (!words.empty()) {
      for (const PassageRow& p :
           Candidates(Query({{{words[0].text}}}, TermQuery::Combine::kAll, false, 1000))) {
        if (p.doc == doc && p.text.find(part) != std::string::npos) return p;
      }
    }
    ADD_FAILURE() << "no passage of " << doc << " holds " << part;
    return {};
  }

  static SuiteFolder* folder_;
  std::optional<IndexReader> reader_;
};
SuiteFolder* IndexReaderTest::folder_ = nullptr;

std::set<int64_t> Ids(const std::vector<PassageRow>& rows) {
  std::set<int64_t> ids;
  for (const PassageRow& r : rows) ids.insert(r.passage_id);
  return ids;
}

TEST_F(IndexReaderTest, CountsAndDocuments) {
  auto counts = reader_->Counts();
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->documents, 3);
  auto docs = reader_->Documents();
  ASSERT_TRUE(docs.ok()) << docs.status().ToString();
  ASSERT_EQ(docs->size(), 3u);
  std::vector<std::string> files;
  int64_t passages = 0;
  for (const DocumentRow& d : *docs) {
    files.push_back(d.file);
    passages += d.passages;
    EXPECT_EQ(d.bytes, static_cast<int64_t>(Articles().at(d.file).size())) << d.file;
    EXPECT_TRUE(
        std::regex_match(d.indexed_at, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)")))
        << d.indexed_at;
    EXPECT_GT(d.id, 0);
  }
  EXPECT_EQ(files, (std::vector<std::string>{"okapi.txt", "roles.txt", "zebra.txt"}));
  const std::map<std::string, std::string> titles = {
      {"okapi.txt", "The Okapi"}, {"roles.txt", "Team Roles"}, {"zebra.txt", "Zebras of Africa"}};
  for (const DocumentRow& d : *docs) EXPECT_EQ(d.title, titles.at(d.file)) << d.file;
  const DocumentRow& zebra = (*docs)[2];
  EXPECT_EQ(zebra.passages, 3) << "one passage a section";
  EXPECT_EQ(counts->passages, passages);
}

TEST_F(IndexReaderTest, RankedCandidatesComeInBm25Order) {
  const auto rows = Candidates(Query({{{"zebras"}}}));
  // Porter stems: "zebra" and "zebras" alike; the okapi's legs are "like a zebra".
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(Ids(rows).size(), rows.size()) << "each passage once";
  EXPECT_EQ(rows[0].doc, "zebra.txt");
  EXPECT_EQ(rows[0].heading, "Stripes") << "the passage that says zebra most";
  EXPECT_EQ(rows[0].text.rfind("Stripes\n", 0), 0u) << "the text starts with its heading line";
  EXPECT_EQ(rows[0].title, "Zebras of Africa");
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_LT(rows[i].bm25, 0.0) << i;
    if (i > 0) EXPECT_LE(rows[i - 1].bm25, rows[i].bm25) << i;
  }
  // The limit keeps the best.
  const auto best = Candidates(Query({{{"zebras"}}}, TermQuery::Combine::kAll, true, 1));
  ASSERT_EQ(best.size(), 1u);
  EXPECT_EQ(best[0].passage_id, rows[0].passage_id);
}

TEST_F(IndexReaderTest, UnrankedCandidatesAreUnscoredAndLimited) {
  const auto ranked = Candidates(Query({{{"zebra"}}}));
  const auto all = Candidates(Query({{{"zebra"}}}, TermQuery::Combine::kAll, false, 100));
  EXPECT_EQ(Ids(all), Ids(ranked));
  for (const PassageRow& r : all) EXPECT_EQ(r.bm25, 0.0);
  const auto two = Candidates(Query({{{"zebra"}}}, TermQuery::Combine::kAll, false, 2));
  ASSERT_EQ(two.size(), 2u);
  for (const PassageRow& r : two) EXPECT_TRUE(Ids(all).count(r.passage_id)) << r.passage_id;
  EXPECT_TRUE(Candidates(Query({{{"zebra"}}}, TermQuery::Combine::kAll, true, 0)).empty());
  EXPECT_TRUE(Candidates(Query({})).empty());
  EXPECT_TRUE(Candidates(Query({{{"quagga"}}})).empty());
}

TEST_F(IndexReaderTest, GroupsCombineAndWordingsArePhrases) {
  struct Case {
    TermQuery query;
    std::vector<std::string> headings;  // of the passages found, sorted
  } cases[] = {
      {Query({{{"zebras"}}, {{"okapis"}}}), {"Forest giraffes"}},
      {Query({{{"zebras"}}, {{"okapis"}}}, TermQuery::Combine::kAny),
       {"Forest giraffes", "Herds", "Stripes"}},
      // A wording of several words is a phrase (by stem): "Product owners" counts, "the
      // owner of the product" does not.
      {Query({{{"product", "owner"}}}), {"Managers", "Owners"}},
      {Query({{{"owner", "product"}}}), {}},
      {Query({{{"backlog"}}, {{"product", "owner"}, {"manager"}}}), {"Managers", "Owners"}},
      {Query({{{"vision"}}, {{"product", "manager"}}}), {}},
  };
  for (const auto& c : cases) {
    std::vector<std::string> headings;
    for (const PassageRow& r : Candidates(c.query)) headings.push_back(r.heading);
    std::sort(headings.begin(), headings.end());
    EXPECT_EQ(headings, c.headings) << MatchExpression(c.query);
  }
}

TEST_F(IndexReaderTest, HostileWordsAreSearchedNotParsed) {
  const char* hostile[] = {
      "NEAR(zebras okapis) AND \"stripes\" OR * ^heading:",
      "zebras OR NOT AND near",
      "'; DROP TABLE passages; -- )))(((",
      "{heading text}: zebras - okapis + stripes",
  };
  for (const char* text : hostile) {
    for (auto combine : {TermQuery::Combine::kAll, TermQuery::Combine::kAny}) {
      auto rows = reader_->Candidates(QueryOfText(text, combine));
      EXPECT_TRUE(rows.ok()) << text << ": " << rows.status().ToString();
    }
  }
  // No article says "not" or "near": as words, they find nothing; as syntax, they would
  // have negated or widened the match.
  auto any = reader_->Candidates(QueryOfText("zebras NOT NEAR", TermQuery::Combine::kAny));
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->size(), 3u) << "the passages with 'zebras' (by stem)";
  auto all = reader_->Candidates(QueryOfText("zebras NOT", TermQuery::Combine::kAll));
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
  auto counts = reader_->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->documents, 3) << "nothing was dropped";
}

TEST_F(IndexReaderTest, PhraseFrequencyIsExactBelowTheSample) {
  struct Case {
    Words phrase;
    int64_t passages;
  } cases[] = {
      {{"product", "owner"}, 2}, {{"product", "owners"}, 2},  // by stem
      {{"owner", "product"}, 0},                              // apart and the other way round
      {{"zebras"}, 3},           {{"forest", "giraffes"}, 1}, {{"quagga"}, 0},
  };
  for (const auto& c : cases) {
    auto count = reader_->PhraseFrequency(c.phrase, 200);
    ASSERT_TRUE(count.ok()) << c.phrase[0] << ": " << count.status().ToString();
    EXPECT_EQ(*count, c.passages) << c.phrase[0] << " " << c.phrase.back();
  }
  // At the sample, the count is an estimate: never below what was seen.
  auto estimated = reader_->PhraseFrequency({"zebras"}, 1);
  ASSERT_TRUE(estimated.ok());
  EXPECT_GE(*estimated, 1);
}

TEST_F(IndexReaderTest, BigramExistsLooksForTheWordsThemselves) {
  struct Case {
    std::string left;
    std::string right;
    bool exists;
  } cases[] = {
      {"product", "owner", true},    {"product", "owners", true},
      {"products", "owner", false},  // the stems are adjacent, the words never
      {"owner", "product", false},   {"forest", "giraffes", true},
      {"giraffes", "forest", false}, {"zebra", "quagga", false},
  };
  for (const auto& c : cases) {
    auto exists = reader_->BigramExists(c.left, c.right);
    ASSERT_TRUE(exists.ok()) << exists.status().ToString();
    EXPECT_EQ(*exists, c.exists) << c.left << " " << c.right;
  }
}

TEST_F(IndexReaderTest, PassageWithItsNeighbours) {
  const PassageRow stripes = Find("zebra.txt", "Each zebra has its own pattern");
  ASSERT_GT(stripes.passage_id, 0);
  EXPECT_EQ(stripes.ordinal, 1);
  struct Case {
    int context;
    size_t before;
    size_t after;
  } cases[] = {{0, 0, 0}, {1, 1, 1}, {5, 1, 1}, {-3, 0, 0}};
  for (const auto& c : cases) {
    auto p = reader_->Passage(stripes.passage_id, c.context);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(p->passage.passage_id, stripes.passage_id);
    EXPECT_EQ(p->passage.text, stripes.text);
    EXPECT_EQ(p->passage.doc, "zebra.txt");
    EXPECT_EQ(p->passage.title, "Zebras of Africa");
    EXPECT_EQ(p->passage.heading, "Stripes");
    EXPECT_EQ(p->passage.bm25, 0.0);
    ASSERT_EQ(p->before.size(), c.before) << c.context;
    ASSERT_EQ(p->after.size(), c.after) << c.context;
    if (c.before > 0) EXPECT_EQ(p->before[0].rfind("Herds\n", 0), 0u) << p->before[0];
    if (c.after > 0) EXPECT_EQ(p->after[0].rfind("Food\n", 0), 0u) << p->after[0];
  }
  // The first passage has nothing before it, and neighbours stay in their document.
  const PassageRow herds = Find("zebra.txt", "large herds");
  auto first = reader_->Passage(herds.passage_id, 2);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->before.empty());
  ASSERT_EQ(first->after.size(), 2u);
  EXPECT_EQ(first->after[1].rfind("Food\n", 0), 0u);
  const PassageRow okapi = Find("okapi.txt", "forest giraffes of the Congo");
  auto alone = reader_->Passage(okapi.passage_id, 3);
  ASSERT_TRUE(alone.ok());
  EXPECT_TRUE(alone->before.empty());
  EXPECT_TRUE(alone->after.empty());

  for (int64_t unknown : {int64_t{0}, int64_t{-1}, int64_t{999999}}) {
    EXPECT_EQ(reader_->Passage(unknown, 1).status().code(), StatusCode::kNotFound) << unknown;
  }
}

TEST_F(IndexReaderTest, PassageAtAnOrdinalOfADocument) {
  const PassageRow stripes = Find("zebra.txt", "Each zebra has its own pattern");
  ASSERT_GT(stripes.passage_id, 0);
  auto same = reader_->PassageAt(stripes.doc_id, stripes.ordinal);
  ASSERT_TRUE(same.ok()) << same.status().ToString();
  ASSERT_TRUE(same->has_value());
  EXPECT_EQ((*same)->passage_id, stripes.passage_id);
  EXPECT_EQ((*same)->text, stripes.text);
  EXPECT_EQ((*same)->doc, "zebra.txt");
  EXPECT_EQ((*same)->title, "Zebras of Africa");
  auto before = reader_->PassageAt(stripes.doc_id, stripes.ordinal - 1);
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(before->has_value());
  EXPECT_EQ((*before)->ordinal, stripes.ordinal - 1);
  EXPECT_EQ((*before)->text.rfind("Herds\n", 0), 0u) << (*before)->text;
  // None before the first, past the last, or in a document that does not exist.
  for (const auto& [doc, ordinal] :
       {std::pair<int64_t, int>{stripes.doc_id, -1}, {stripes.doc_id, 999}, {999999, 0}}) {
    auto none = reader_->PassageAt(doc, ordinal);
    ASSERT_TRUE(none.ok()) << none.status().ToString();
    EXPECT_FALSE(none->has_value()) << doc << " " << ordinal;
  }
}

TEST_F(IndexReaderTest, SectionOpeningsComeFirstSectionsFirst) {
  // Every document's first section, in file-name order, then every second section, ...
  const std::vector<std::pair<std::string, std::string>> all = {
      {"okapi.txt", "Forest giraffes"}, {"roles.txt", "Owners"},  {"zebra.txt", "Herds"},
      {"roles.txt", "Managers"},        {"zebra.txt", "Stripes"}, {"zebra.txt", "Food"}};
  struct Case {
    int limit;
    size_t expected;
  } cases[] = {{100, 6}, {6, 6}, {4, 4}, {1, 1}, {0, 0}, {-2, 0}};
  for (const auto& c : cases) {
    auto rows = reader_->SectionOpenings(c.limit);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    ASSERT_EQ(rows->size(), c.expected) << c.limit;
    for (size_t i = 0; i < rows->size(); ++i) {
      const PassageRow& row = (*rows)[i];
      EXPECT_EQ(row.doc, all[i].first) << c.limit << " row " << i;
      EXPECT_EQ(row.heading, all[i].second) << c.limit << " row " << i;
      EXPECT_EQ(row.text.rfind(all[i].second + "\n", 0), 0u) << row.text;
      EXPECT_GT(row.passage_id, 0);
    }
  }
  auto rows = reader_->SectionOpenings(100);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[2].title, "Zebras of Africa");
  EXPECT_EQ((*rows)[2].ordinal, 0);
  EXPECT_EQ((*rows)[5].ordinal, 2);
}

TEST_F(IndexReaderTest, StoredSynonymsAreTheIndexedFile) {
  auto synonyms = reader_->StoredSynonyms();
  ASSERT_TRUE(synonyms.ok()) << synonyms.status().ToString();
  EXPECT_EQ(*synonyms, "zebra, okapi\npo, product owner\n");
}

TEST_F(IndexReaderTest, WordAndStemFrequencies) {
  std::map<std::string, int64_t> words;
  std::map<std::string, int64_t> stems;
  const auto to_words = [&](std::string_view w, int64_t n) { words[std::string(w)] = n; };
  const auto to_stems = [&](std::string_view s, int64_t n) { stems[std::string(s)] = n; };
  ASSERT_TRUE(reader_->ForEachWordFrequency(to_words).ok());
  ASSERT_TRUE(reader_->ForEachStemFrequency(to_stems).ok());
  EXPECT_EQ(words["zebras"], 2);  // Herds and Stripes
  EXPECT_EQ(words["zebra"], 2);   // Stripes and the okapi
  EXPECT_EQ(stems[Stem("zebras")], 3);
  EXPECT_EQ(words.count("quagga"), 0u);
}

// An index written before the indexer kept stem counts (version 4) is read through FTS5's
// own vocabulary, which gives the same counts.
TEST_F(IndexReaderTest, StemFrequenciesOfAVersion4IndexComeFromFts5) {
  auto stems_of = [](IndexReader* reader) {
    std::map<std::string, int64_t> stems;
    EXPECT_TRUE(reader
                    ->ForEachStemFrequency(
                        [&](std::string_view s, int64_t n) { stems[std::string(s)] = n; })
                    .ok());
    return stems;
  };
  const std::string old_path = (folder_->root() / "version4.db").string();
  fs::copy_file(DbPath(), old_path, fs::copy_options::overwrite_existing);
  {
    auto db = Database::Open(old_path, OpenMode::kReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("DROP TABLE stem_frequency; PRAGMA user_version = 4").ok());
  }
  auto old_reader = IndexReader::Open(old_path);
  ASSERT_TRUE(old_reader.ok()) << old_reader.status().ToString();
  const auto kept = stems_of(&*reader_);
  EXPECT_FALSE(kept.empty());
  EXPECT_EQ(stems_of(&*old_reader), kept);
  // Its stems are not counted beforehand (FTS5 would walk its whole index to count them).
  auto old_rows = old_reader->CountFrequencyRows();
  ASSERT_TRUE(old_rows.ok()) << old_rows.status().ToString();
  EXPECT_EQ(old_rows->stems, 0);
  EXPECT_GT(old_rows->words, 0);
}

TEST_F(IndexReaderTest, FrequencyRowsCountWhatTheVisitsVisit) {
  int64_t words = 0;
  int64_t stems = 0;
  ASSERT_TRUE(reader_->ForEachWordFrequency([&](std::string_view, int64_t) { ++words; }).ok());
  ASSERT_TRUE(reader_->ForEachStemFrequency([&](std::string_view, int64_t) { ++stems; }).ok());
  auto rows = reader_->CountFrequencyRows();
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_GT(words, 10);
  EXPECT_EQ(rows->words, words);
  EXPECT_EQ(rows->stems, stems);
}

TEST(IndexReaderOpenTest, ReportsMissingAndForeignFiles) {
  EXPECT_EQ(IndexReader::Open("/nonexistent/dir/index.db").status().code(), StatusCode::kNotFound);
  const fs::path dir =
      fs::temp_directory_path() / ("citeqa_index_reader_open_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string text_file = (dir / "text.db").string();
  std::ofstream(text_file) << "this is not a database at all, just some text that is long enough";
  const StatusCode text_code = IndexReader::Open(text_file).status().code();
  EXPECT_TRUE(text_code == StatusCode::kCorruption || text_code == StatusCode::kIoError);
  // A SQLite database, but not a citeqa index.
  const std::string foreign = (dir / "foreign.db").string();
  {
    auto db = Database::Open(foreign, OpenMode::kReadWrite);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE(db->Exec("CREATE TABLE t (x INTEGER)").ok());
  }
  EXPECT_EQ(IndexReader::Open(foreign).status().code(), StatusCode::kCorruption);
  fs::remove_all(dir);
}

TEST(IndexReaderGenerationTest, GrowsWithChangesAndStaysStillInsideARead) {
  const SuiteFolder folder("index_reader_generation");
  std::ofstream(folder.corpus() / "a.txt")
      << "Alpha\nZebras graze together on the wide plains every single day of the year, and "
         "they move on when the grass is gone.\n";
  ASSERT_TRUE(folder.Index().ok());
  auto reader = IndexReader::Open(folder.db_path());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto first = reader->Generation();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_GE(*first, 1);
  // Without a shipped file, a new index stores the synonyms the build carries.
  auto synonyms = reader->StoredSynonyms();
  ASSERT_TRUE(synonyms.ok());
  EXPECT_FALSE(synonyms->empty());

  ASSERT_TRUE(folder.Index().ok());  // nothing changed
  EXPECT_EQ(*reader->Generation(), *first);

  ASSERT_TRUE(reader->BeginRead().ok());
  EXPECT_EQ(*reader->Generation(), *first);
  std::ofstream(folder.corpus() / "b.txt")
      << "Beta\nOkapis hide in the deep forest and eat leaves from the trees, far from the "
         "plains where the zebras live.\n";
  ASSERT_TRUE(folder.Index().ok());
  // The read still sees the index as it began.
  EXPECT_EQ(*reader->Generation(), *first);
  EXPECT_EQ(reader->Counts()->documents, 1);
  ASSERT_TRUE(reader->EndRead().ok());
  EXPECT_EQ(*reader->Generation(), *first + 1);
  EXPECT_EQ(reader->Counts()->documents, 2);
}

}  // namespace
}  // namespace citeqa::indexer
