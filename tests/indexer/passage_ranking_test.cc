#include "indexer/passage_ranking.h"

#include <gtest/gtest.h>
#include <unistd.h>

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

TEST(PassageLengthsTest, IdsFarApartAreNotHeldPastTheirShareOfMemory) {
  PassageLengths lengths;
  Append(&lengths, 1, Record({1, 1}));
  Append(&lengths, 100000000, Record({1, 2}));  // a hundred million slots for one length
  EXPECT_EQ(lengths.Of(1), 2u);
  EXPECT_EQ(lengths.Of(100000000), PassageLengths::kUnknown);
  EXPECT_LT(lengths.end_id(), 1000000);
}

// The seed articles indexed into a folder of the test's own, a copy of one of them added
// later to show a version with passages the lengths read earlier do not hold.
class PassageRankingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new fs::path(fs::temp_directory_path() /
                         ("citeqa_passage_ranking_test_" + std::to_string(::getpid())));
    fs::remove_all(*root_);
    fs::create_directories(*root_ / "corpus");
    for (const auto& entry : fs::directory_iterator(CITEQA_CORPUS_DIR)) {
      fs::copy_file(entry.path(), *root_ / "corpus" / entry.path().filename());
    }
    ASSERT_TRUE(Index().ok());
  }
  static void TearDownTestSuite() {
    fs::remove_all(*root_);
    delete root_;
  }
  static Result<IndexSummary> Index() {
    IndexOptions options;
    options.corpus_dir = (*root_ / "corpus").string();
    options.db_path = (*root_ / "index.db").string();
    return IndexCorpus(options);
  }

  void SetUp() override {
    auto db = Database::Open((*root_ / "index.db").string(), OpenMode::kReadOnly);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_.emplace(std::move(*db));
    ASSERT_TRUE(RegisterPassageRanking(db_->raw()).ok());
    auto reader = IndexReader::Open((*root_ / "index.db").string());
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
    return queries;
  }

  struct Scored {
    int64_t rows = 0;
    int64_t equal = 0;  // rows whose score is bm25()'s to the last bit
  };
  static void Count(double builtin, double ours, Scored* out) {
    ++out->rows;
    if (std::memcmp(&builtin, &ours, sizeof builtin) == 0) ++out->equal;
  }

  // Every row of every query scored by both functions, citeqa_bm25 given `input`.
  Scored Compare(const RankingInput* input) {
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

  // Every query's candidates ranked by FTS5's bm25() and with `ranking`: the same passages
  // in the same order, and how many scores are equal.
  Scored CompareCandidates(const RankingStatistics& ranking) {
    Scored out;
    for (TermQuery query : Queries()) {
      query.ranking = nullptr;
      auto builtin = reader_->Candidates(query);
      query.ranking = &ranking;
      auto ours = reader_->Candidates(query);
      EXPECT_TRUE(builtin.ok() && ours.ok());
      if (!builtin.ok() || !ours.ok() || builtin->size() != ours->size()) {
        ADD_FAILURE() << MatchExpression(query) << ": not the same rows";
        continue;
      }
      for (size_t i = 0; i < ours->size(); ++i) Count((*builtin)[i].bm25, (*ours)[i].bm25, &out);
    }
    return out;
  }

  using Counts = std::map<std::string, int64_t, std::less<>>;
  // The index's term counts as the indexer keeps them, of the version `reader_` sees now,
  // plus `error`; phrases of several terms from `phrases`, where what FTS5 counts is kept.
  TermPassages CountsOfTheIndex(int64_t error, std::shared_ptr<Counts> phrases) {
    auto counts = std::make_shared<Counts>();
    EXPECT_TRUE(reader_
                    ->ForEachStemFrequency(
                        [&](std::string_view term, int64_t n) { (*counts)[std::string(term)] = n; })
                    .ok());
    auto generation = reader_->Generation();
    EXPECT_TRUE(generation.ok());
    TermPassages out;
    out.generation = *generation;
    out.count = [counts, phrases, error](std::string_view terms) -> int64_t {
      if (terms.find(' ') != std::string_view::npos) {
        const auto it = phrases->find(terms);
        return it == phrases->end() ? -1 : it->second;
      }
      const auto it = counts->find(terms);
      return (it == counts->end() ? 0 : it->second) + error;
    };
    out.remember = [phrases](std::string_view terms, int64_t passages) {
      EXPECT_NE(terms.find(' '), std::string_view::npos) << terms << ": a term's count was known";
      (*phrases)[std::string(terms)] = passages;
    };
    return out;
  }

  static fs::path* root_;
  std::optional<Database> db_;
  std::optional<IndexReader> reader_;
};
fs::path* PassageRankingTest::root_ = nullptr;

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
  auto phrases = std::make_shared<Counts>();
  RankingStatistics exact{*lengths, CountsOfTheIndex(0, phrases)};
  RankingStatistics wrong{*lengths, CountsOfTheIndex(1, std::make_shared<Counts>())};
  const Scored with_exact = CompareCandidates(exact);
  EXPECT_GT(with_exact.rows, 2000);
  EXPECT_EQ(with_exact.equal, with_exact.rows);
  EXPECT_GT(phrases->size(), 100u) << "the phrases FTS5 counted";
  const Counts counted = *phrases;
  const Scored with_remembered = CompareCandidates(exact);
  EXPECT_EQ(with_remembered.equal, with_remembered.rows);
  EXPECT_EQ(*phrases, counted) << "nothing counted twice";
  for (auto& [terms, passages] : *phrases) passages += 1;
  const Scored with_wrong_phrases = CompareCandidates(exact);
  EXPECT_LT(with_wrong_phrases.equal, with_wrong_phrases.rows) << "remembered counts unused";
  const Scored with_wrong = CompareCandidates(wrong);
  EXPECT_LT(with_wrong.equal * 2, with_wrong.rows) << "the counts given are not used";
  ASSERT_TRUE(reader_->EndRead().ok());

  // Outside a read, or of another version, they are not used.
  const Scored outside = CompareCandidates(wrong);
  EXPECT_EQ(outside.equal, outside.rows);
  ASSERT_TRUE(reader_->BeginRead().ok());
  wrong.term_passages.generation += 1;
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

// Lengths read before a change hold for the passages that stay; the change's new passages
// are read by FTS5 until the lengths are extended, which reads those passages alone.
TEST_F(PassageRankingTest, LengthsOfAnEarlierVersionStayExactAndExtendToTheNewPassages) {
  auto before = reader_->ReadPassageLengths(nullptr);
  ASSERT_TRUE(before.ok());
  const fs::path first = fs::directory_iterator(*root_ / "corpus")->path();
  fs::copy_file(first, *root_ / "corpus" / ("copy_of_" + first.filename().string()));
  reader_.reset();
  db_.reset();
  auto indexed = Index();
  ASSERT_TRUE(indexed.ok()) << indexed.status().ToString();
  ASSERT_EQ(indexed->added, 1);
  SetUp();

  auto fresh = reader_->ReadPassageLengths(nullptr);
  auto extended = reader_->ReadPassageLengths(&*before);
  ASSERT_TRUE(fresh.ok() && extended.ok());
  EXPECT_GT(fresh->held(), before->held());
  EXPECT_EQ(extended->held(), fresh->held());
  for (int64_t id = 0; id < fresh->end_id(); ++id) {
    EXPECT_EQ(extended->Of(id), fresh->Of(id)) << id;
    if (before->Of(id) != PassageLengths::kUnknown) EXPECT_EQ(before->Of(id), fresh->Of(id)) << id;
  }
  RankingInput input;
  input.lengths = &*before;
  const Scored stale = Compare(&input);
  EXPECT_EQ(stale.equal, stale.rows);
}

}  // namespace
}  // namespace citeqa::indexer
