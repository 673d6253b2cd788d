#include "indexer/passage_ranking.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "indexer/corpus_indexer.h"
#include "indexer/index_reader.h"
#include "indexer/sqlite_db.h"
#include "indexer/text.h"
#include "tests/indexer/suite_folder.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

// FTS5's record of a row's lengths: one SQLite varint per column.
std::string Record(std::vector<uint32_t> columns) {
  std::string out;
  for (uint32_t v : columns) {
    std::string bytes(1, static_cast<char>(v & 0x7FU));
    for (v >>= 7; v > 0; v >>= 7)
      bytes.insert(bytes.begin(), static_cast<char>(0x80U | (v & 0x7FU)));
    out += bytes;
  }
  return out;
}

void Append(PassageLengths* lengths, int64_t id, const std::string& record) {
  lengths->Append(id, reinterpret_cast<const unsigned char*>(record.data()),
                  static_cast<int>(record.size()));
}

TEST(PassageLengthsTest, HoldsTheSumOfTheColumnsByIdAndNothingElse) {
  PassageLengths lengths;
  EXPECT_EQ(lengths.Of(1), PassageLengths::kUnknown);
  EXPECT_EQ(lengths.end_id(), 0);
  Append(&lengths, 5, Record({2, 40}));
  Append(&lengths, 6, Record({0, 300}));             // a two-byte varint
  Append(&lengths, 9, Record({1, 70000}));           // a three-byte one, after a gap
  Append(&lengths, 10, "\x81");                      // cut short: not a length
  Append(&lengths, 11, "\xFF\xFF\xFF\xFF\xFF\x01");  // too long for a token count
  Append(&lengths, 8, Record({3, 3}));               // out of order: ignored
  EXPECT_EQ(lengths.Of(5), 42u);
  EXPECT_EQ(lengths.Of(6), 300u);
  EXPECT_EQ(lengths.Of(9), 70001u);
  for (int64_t id : {4, 7, 8, 10, 11, 12, -1}) {
    EXPECT_EQ(lengths.Of(id), PassageLengths::kUnknown) << id;
  }
  EXPECT_EQ(lengths.held(), 3u);
  EXPECT_EQ(lengths.end_id(), 12);
}

TEST(PassageLengthsTest, LengthOfARecordIsWhatAppendHolds) {
  const auto length_of = [](const std::string& record) {
    return PassageLengths::LengthOf(reinterpret_cast<const unsigned char*>(record.data()),
                                    static_cast<int>(record.size()));
  };
  EXPECT_EQ(length_of(Record({2, 40})), 42u);
  EXPECT_EQ(length_of(Record({1, 70000})), 70001u);
  EXPECT_EQ(length_of(""), 0u);
  EXPECT_EQ(length_of("\x81"), PassageLengths::kUnknown);
  EXPECT_EQ(length_of("\xFF\xFF\xFF\xFF\xFF\x01"), PassageLengths::kUnknown);
}

// Ids far apart (a corpus re-indexed many times) are all held, in a page each.
TEST(PassageLengthsTest, IdsFarApartAreHeldInAPageEach) {
  PassageLengths lengths;
  Append(&lengths, 1, Record({1, 1}));
  Append(&lengths, 100000000, Record({1, 2}));
  Append(&lengths, 100000001, Record({0, 7}));
  EXPECT_EQ(lengths.Of(1), 2u);
  EXPECT_EQ(lengths.Of(100000000), 3u);
  EXPECT_EQ(lengths.Of(100000001), 7u);
  EXPECT_EQ(lengths.Of(50000000), PassageLengths::kUnknown);
  EXPECT_EQ(lengths.pages(), 2u);
  EXPECT_EQ(lengths.held(), 3u);
}

// Extending a copy leaves the lengths it was copied from as they were (the pages they
// share are copied before they are written).
TEST(PassageLengthsTest, ExtendingACopyLeavesTheOriginalAlone) {
  PassageLengths original;
  Append(&original, 10, Record({5}));
  PassageLengths extended = original;
  Append(&extended, 11, Record({6}));
  Append(&extended, 5000, Record({7}));
  EXPECT_EQ(original.Of(11), PassageLengths::kUnknown);
  EXPECT_EQ(original.end_id(), 11);
  EXPECT_EQ(extended.Of(10), 5u);
  EXPECT_EQ(extended.Of(11), 6u);
  EXPECT_EQ(extended.Of(5000), 7u);
}

// The seed articles indexed into a folder of the test's own, a copy of one of them added
// later to show a version with passages the lengths read earlier do not hold.
class PassageRankingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new SuiteFolder("passage_ranking_test");
    for (const auto& entry : fs::directory_iterator(CITEQA_CORPUS_DIR)) {
      fs::copy_file(entry.path(), folder_->corpus() / entry.path().filename());
    }
    ASSERT_TRUE(Index().ok());
  }
  static void TearDownTestSuite() { delete folder_; }
  static Result<IndexSummary> Index() { return folder_->Index(); }

  void SetUp() override {
    auto db = Database::Open(folder_->db_path(), OpenMode::kReadOnly);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_.emplace(std::move(*db));
    ASSERT_TRUE(RegisterPassageRanking(db_->raw()).ok());
    auto reader = IndexReader::Open(folder_->db_path());
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    reader_.emplace(std::move(*reader));
  }

  // Queries over the articles' own words: each word alone, pairs of them OR-ed and AND-ed,
  // two-word phrases, and groups of alternatives, so that rows differ in length, in
  // frequencies and in the columns they match.
  std::vector<TermQuery> Queries() {
    auto stmt = db_->Prepare("SELECT text FROM passages ORDER BY id LIMIT 40");
    EXPECT_TRUE(stmt.ok());
    std::vector<std::string> words;
    std::set<std::string> seen;
    while (stmt->Step()) {
      for (const Token& t : Tokenize(stmt->ColumnText(0))) {
        if (t.text.size() > 2 && seen.insert(t.text).second) words.push_back(t.text);
      }
    }
    const auto query = [](std::vector<std::vector<Words>> groups, TermQuery::Combine combine) {
      TermQuery q;
      q.groups = std::move(groups);
      q.combine = combine;
      q.limit = 100000;  // every row
      return q;
    };
    using enum TermQuery::Combine;
    std::vector<TermQuery> queries;
    for (size_t i = 0; i + 2 < words.size() && i < 300; ++i) {
      const std::string& a = words[i];
      const std::string& b = words[i + 1];
      const std::string& c = words[i + 2];
      queries.push_back(query({{{a}}}, kAll));
      queries.push_back(query({{{a}}, {{b}}}, kAny));
      queries.push_back(query({{{a}}, {{b}}}, kAll));
      queries.push_back(query({{{a, b}}, {{c}}}, kAny));
      queries.push_back(query({{{c}, {a, b}}, {{b}}}, kAny));
    }
    // Words FTS5 cuts otherwise than one term a word ("don't", "e-mail", "3.5"), loses
    // ("--"), folds ("café"), and a wording in two groups, beside words the articles have.
    const std::string& known = words.front();
    for (const Words& odd : std::vector<Words>{
             {"don't"}, {"e-mail"}, {"3.5"}, {"caf\xC3\xA9"}, {"--"}, {"x", "--", known}}) {
      queries.push_back(query({{odd, Words{known}}}, kAny));    // one group, two wordings
      queries.push_back(query({{odd}, {Words{known}}}, kAny));  // two groups
    }
    queries.push_back(query({{Words{known}}, {Words{known}, Words{words[1]}}}, kAny));
    return queries;
  }

  struct Scored {
    int64_t rows = 0;
    int64_t equal = 0;         // rows whose score is bm25()'s to the last bit
    int64_t same_passage = 0;  // rows of the same passage as bm25()'s (CompareCandidates)
  };
  static void Count(double builtin, double ours, Scored* out) {
    ++out->rows;
    if (std::memcmp(&builtin, &ours, sizeof builtin) == 0) ++out->equal;
  }

  // Every row of every query scored by both functions, citeqa_bm25 given `input`.
  Scored Compare(RankingInput* input) {
    auto stmt = db_->Prepare(
        "SELECT bm25(passages_fts, 2.0, 1.0), citeqa_bm25(passages_fts, 2.0, 1.0, ?2) "
        "FROM passages_fts WHERE passages_fts MATCH ?1");
    EXPECT_TRUE(stmt.ok());
    Scored out;
    for (const TermQuery& query : Queries()) {
      stmt->Reset();
      stmt->Bind(1, MatchExpression(query));
      if (input != nullptr) stmt->BindPointer(2, input, kRankingInputPointer);
      while (stmt->Step()) Count(stmt->ColumnDouble(0), stmt->ColumnDouble(1), &out);
      EXPECT_TRUE(stmt->status().ok())
          << MatchExpression(query) << ": " << stmt->status().ToString();
    }
    return out;
  }

  // Every query's candidates ranked by FTS5's bm25() and with `ranking`: how many scores
  // are equal, and how many rows are the same passage.
  Scored CompareCandidates(const RankingStatistics& ranking) {
    Scored out;
    for (TermQuery query : Queries()) {
      query.ranking = {};
      auto builtin = reader_->Candidates(query);
      query.ranking = ranking;
      auto ours = reader_->Candidates(query);
      EXPECT_TRUE(builtin.ok() && ours.ok());
      if (!builtin.ok() || !ours.ok() || builtin->size() != ours->size()) {
        ADD_FAILURE() << MatchExpression(query) << ": not the same rows";
        continue;
      }
      for (size_t i = 0; i < ours->size(); ++i) {
        Count((*builtin)[i].bm25, (*ours)[i].bm25, &out);
        out.same_passage += (*builtin)[i].passage_id == (*ours)[i].passage_id;
      }
    }
    return out;
  }

  using Counts = std::map<std::string, int64_t, std::less<>>;
  // The index's term counts as the indexer keeps them, of the version `reader_` sees now,
  // plus `error`; phrases of several terms as FTS5 counted them, once told.
  class IndexCounts final : public TermCounts {
   public:
    IndexCounts(IndexReader* reader, int64_t error) : error_(error) {
      EXPECT_TRUE(reader
                      ->ForEachStemFrequency(
                          [&](std::string_view term, int64_t n) { terms_[std::string(term)] = n; })
                      .ok());
      auto generation = reader->Generation();
      EXPECT_TRUE(generation.ok());
      version_ = generation.ok() ? *generation : -1;
    }
    int64_t version() const override { return version_; }
    int64_t Passages(std::string_view terms) const override {
      if (terms.find(' ') != std::string_view::npos) {
        const auto it = phrases.find(terms);
        return it == phrases.end() ? -1 : it->second;
      }
      const auto it = terms_.find(terms);
      return (it == terms_.end() ? 0 : it->second) + error_;
    }
    void Remember(std::string_view terms, int64_t passages) const override {
      EXPECT_NE(terms.find(' '), std::string_view::npos) << terms << ": a term's count was known";
      phrases[std::string(terms)] = passages;
    }
    int64_t version_ = -1;
    mutable Counts phrases;

   private:
    Counts terms_;
    int64_t error_;
  };

  static SuiteFolder* folder_;
  std::optional<Database> db_;
  std::optional<IndexReader> reader_;
};
SuiteFolder* PassageRankingTest::folder_ = nullptr;

TEST_F(PassageRankingTest, ScoresAreBm25sToTheLastBitWithAndWithoutHeldLengths) {
  auto lengths = reader_->ReadPassageLengths(nullptr);
  ASSERT_TRUE(lengths.ok()) << lengths.status().ToString();
  auto counts = reader_->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(static_cast<int64_t>(lengths->held()), counts->passages);

  RankingInput input;
  input.lengths = &*lengths;
  const Scored held = Compare(&input);
  const Scored read = Compare(nullptr);
  EXPECT_GT(held.rows, 2000);
  EXPECT_EQ(held.equal, held.rows);
  EXPECT_EQ(read.equal, read.rows);
}

TEST_F(PassageRankingTest, HeldLengthsAreTheOnesUsed) {
  // Every length one token longer than FTS5's: the scores must move, or the lengths are
  // not read at all.
  auto lengths = reader_->ReadPassageLengths(nullptr);
  ASSERT_TRUE(lengths.ok());
  PassageLengths longer;
  for (int64_t id = 0; id < lengths->end_id(); ++id) {
    if (lengths->Of(id) != PassageLengths::kUnknown) {
      Append(&longer, id, Record({lengths->Of(id) + 1}));
    }
  }
  RankingInput input;
  input.lengths = &longer;
  const Scored scored = Compare(&input);
  EXPECT_GT(scored.rows, 0);
  EXPECT_EQ(scored.equal, 0);
}

// Candidates ranked with the index's lengths and term counts: inside a read of the counts'
// version every score is bm25()'s; off by one, the counts move the scores, which shows they
// are used there, and nowhere else. Phrases are counted by FTS5 once, then remembered.
TEST_F(PassageRankingTest, TermCountsAreUsedInsideAReadOfTheirVersionAndGiveBm25sScores) {
  auto lengths = reader_->ReadPassageLengths(nullptr);
  ASSERT_TRUE(lengths.ok());
  ASSERT_TRUE(reader_->BeginRead().ok());
  IndexCounts exact_counts(&*reader_, 0);
  IndexCounts wrong_counts(&*reader_, 1);
  const RankingStatistics exact{&*lengths, &exact_counts};
  const RankingStatistics wrong{&*lengths, &wrong_counts};
  const Scored with_exact = CompareCandidates(exact);
  EXPECT_GT(with_exact.rows, 2000);
  EXPECT_EQ(with_exact.equal, with_exact.rows);
  EXPECT_EQ(with_exact.same_passage, with_exact.rows);
  EXPECT_GT(exact_counts.phrases.size(), 100u) << "the phrases FTS5 counted";
  const Counts counted = exact_counts.phrases;
  const Scored with_remembered = CompareCandidates(exact);
  EXPECT_EQ(with_remembered.equal, with_remembered.rows);
  EXPECT_EQ(with_remembered.same_passage, with_remembered.rows);
  EXPECT_EQ(exact_counts.phrases, counted) << "nothing counted twice";
  for (auto& [terms, passages] : exact_counts.phrases) passages += 1;
  const Scored with_wrong_phrases = CompareCandidates(exact);
  EXPECT_LT(with_wrong_phrases.equal, with_wrong_phrases.rows) << "remembered counts unused";
  const Scored with_wrong = CompareCandidates(wrong);
  EXPECT_LT(with_wrong.equal * 2, with_wrong.rows) << "the counts given are not used";
  ASSERT_TRUE(reader_->EndRead().ok());

  // Outside a read, or of another version, they are not used.
  const Scored outside = CompareCandidates(wrong);
  EXPECT_EQ(outside.equal, outside.rows);
  ASSERT_TRUE(reader_->BeginRead().ok());
  wrong_counts.version_ += 1;
  const Scored other_version = CompareCandidates(wrong);
  EXPECT_EQ(other_version.equal, other_version.rows);
  ASSERT_TRUE(reader_->EndRead().ok());
}

// Counts for phrases the query does not have (say, a reader that splits a word differently
// from FTS5) are not used: the scores stay bm25()'s.
TEST_F(PassageRankingTest, CountsThatDoNotFitTheQuerysPhrasesAreIgnored) {
  RankingInput input;
  input.phrase_terms = {1};  // one phrase of one term: no query but the first has that
  input.phrase_passages = {1};
  const Scored one_phrase = Compare(&input);
  input.phrase_terms = {1, 1, 1, 1, 1, 1, 1};
  input.phrase_passages = {1, 1, 1, 1, 1, 1, 1};
  const Scored seven = Compare(&input);
  EXPECT_LT(one_phrase.equal, one_phrase.rows) << "one-word queries were given a count";
  EXPECT_GT(one_phrase.equal, 0);
  EXPECT_EQ(seven.equal, seven.rows);
}

// Lengths read before a change hold for the passages that stay: an edited document's
// passages get new ids, a removed one's ids are never given again, a new document's come
// after. Extending reads only those after; what it holds beyond a fresh read are the
// lengths of removed passages, which no match finds.
TEST_F(PassageRankingTest, LengthsOfAnEarlierVersionStayExactAndExtendToTheNewPassages) {
  auto before = reader_->ReadPassageLengths(nullptr);
  ASSERT_TRUE(before.ok());
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder_->corpus())) files.push_back(entry);
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 3u);
  fs::copy_file(files[0], folder_->corpus() / ("copy_of_" + files[0].filename().string()));
  std::ofstream(files[1], std::ios::app) << "\n\nA closing paragraph added in an edit.\n";
  fs::remove(files[2]);
  reader_.reset();
  db_.reset();
  auto indexed = Index();
  ASSERT_TRUE(indexed.ok()) << indexed.status().ToString();
  EXPECT_EQ(indexed->added, 1);
  EXPECT_EQ(indexed->updated, 1);
  EXPECT_EQ(indexed->removed, 1);
  SetUp();

  auto fresh = reader_->ReadPassageLengths(nullptr);
  auto extended = reader_->ReadPassageLengths(&*before);
  ASSERT_TRUE(fresh.ok() && extended.ok());
  int64_t dead = 0;
  for (int64_t id = 0; id < fresh->end_id(); ++id) {
    if (fresh->Of(id) != PassageLengths::kUnknown) {
      EXPECT_EQ(extended->Of(id), fresh->Of(id)) << id;
    } else {
      dead += extended->Of(id) != PassageLengths::kUnknown;
    }
    if (before->Of(id) != PassageLengths::kUnknown && fresh->Of(id) != PassageLengths::kUnknown) {
      EXPECT_EQ(before->Of(id), fresh->Of(id)) << id;
    }
  }
  EXPECT_GT(dead, 0) << "the edited and removed documents' passages";
  EXPECT_EQ(extended->held(), fresh->held() + static_cast<size_t>(dead));
  for (const PassageLengths* lengths : {&*before, &*extended}) {
    RankingInput input;
    input.lengths = lengths;
    const Scored scored = Compare(&input);
    EXPECT_GT(scored.rows, 1000);
    EXPECT_EQ(scored.equal, scored.rows);
  }
}

// Lengths of another index file (one copied over this one's path, say) are not carried
// over: their last passage's length disagrees, and the lengths are read afresh.
TEST_F(PassageRankingTest, LengthsOfAnotherFileAreReadAfresh) {
  const SuiteFolder other("passage_ranking_other");
  std::ofstream(other.corpus() / "one.md")
      << "# One\n\nA single short article with a few words in it.\n\n## More\n\n"
         "Another section, longer than the first one, so that lengths differ here.\n";
  ASSERT_TRUE(other.Index().ok());
  auto other_reader = IndexReader::Open(other.db_path());
  ASSERT_TRUE(other_reader.ok());
  auto theirs = other_reader->ReadPassageLengths(nullptr);
  ASSERT_TRUE(theirs.ok());
  ASSERT_GT(theirs->held(), 0u);

  auto fresh = reader_->ReadPassageLengths(nullptr);
  auto carried = reader_->ReadPassageLengths(&*theirs);
  ASSERT_TRUE(fresh.ok() && carried.ok());
  EXPECT_EQ(carried->held(), fresh->held());
  for (int64_t id = 0; id < fresh->end_id(); ++id) EXPECT_EQ(carried->Of(id), fresh->Of(id)) << id;
}

}  // namespace
}  // namespace citeqa::indexer
