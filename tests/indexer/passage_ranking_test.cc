#include "indexer/passage_ranking.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
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

  // Match expressions over the articles' own words: each word alone, pairs of them OR-ed and
  // AND-ed, and two-word phrases, so that rows differ in length, frequencies and columns.
  std::vector<std::string> Matches() {
    auto stmt = db_->Prepare("SELECT text FROM passages ORDER BY id LIMIT 40");
    EXPECT_TRUE(stmt.ok());
    std::vector<std::string> words;
    std::set<std::string> seen;
    while (stmt->Step()) {
      for (const Token& t : Tokenize(stmt->ColumnText(0))) {
        if (t.text.size() > 2 && seen.insert(t.text).second) words.push_back(t.text);
      }
    }
    std::vector<std::string> matches;
    for (size_t i = 0; i + 1 < words.size() && i < 300; ++i) {
      const std::string a = "\"" + words[i] + "\"";
      const std::string b = "\"" + words[i + 1] + "\"";
      matches.push_back(a);
      matches.push_back(a + " OR " + b);
      matches.push_back(a + " AND " + b);
      matches.push_back("\"" + words[i] + " " + words[i + 1] + "\" OR " + b);
    }
    return matches;
  }

  struct Scored {
    int64_t rows = 0;
    int64_t equal = 0;  // rows whose citeqa_bm25 is bm25's to the last bit
  };
  // Every row of every match scored by both functions.
  Scored Compare(const PassageLengths* lengths) {
    auto stmt = db_->Prepare(
        "SELECT bm25(passages_fts, 2.0, 1.0), citeqa_bm25(passages_fts, 2.0, 1.0, ?2) "
        "FROM passages_fts WHERE passages_fts MATCH ?1");
    EXPECT_TRUE(stmt.ok());
    Scored out;
    for (const std::string& match : Matches()) {
      stmt->Reset();
      stmt->Bind(1, match);
      if (lengths != nullptr) stmt->BindPointer(2, lengths, kPassageLengthsPointer);
      while (stmt->Step()) {
        const double builtin = stmt->ColumnDouble(0);
        const double ours = stmt->ColumnDouble(1);
        ++out.rows;
        if (std::memcmp(&builtin, &ours, sizeof builtin) == 0) ++out.equal;
      }
      EXPECT_TRUE(stmt->status().ok()) << match << ": " << stmt->status().ToString();
    }
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

  const Scored held = Compare(&*lengths);
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
  const Scored scored = Compare(&longer);
  EXPECT_GT(scored.rows, 0);
  EXPECT_EQ(scored.equal, 0);
}

TEST_F(PassageRankingTest, RankedCandidatesAreTheSameWithHeldLengths) {
  auto lengths = reader_->ReadPassageLengths(nullptr);
  ASSERT_TRUE(lengths.ok());
  int compared = 0;
  for (const std::string& word : {"product", "owner", "backlog", "manager", "salary"}) {
    TermQuery query;
    query.groups = {{{word}}};
    query.combine = TermQuery::Combine::kAny;
    query.limit = 15;
    auto read = reader_->Candidates(query);
    query.lengths = &*lengths;
    auto held = reader_->Candidates(query);
    ASSERT_TRUE(read.ok() && held.ok());
    ASSERT_EQ(read->size(), held->size()) << word;
    for (size_t i = 0; i < read->size(); ++i) {
      EXPECT_EQ((*read)[i].passage_id, (*held)[i].passage_id) << word << " " << i;
      EXPECT_EQ((*read)[i].bm25, (*held)[i].bm25) << word << " " << i;
      ++compared;
    }
  }
  EXPECT_GT(compared, 20);
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
  const Scored stale = Compare(&*before);
  EXPECT_EQ(stale.equal, stale.rows);
}

}  // namespace
}  // namespace citeqa::indexer
