#include "retriever/term_frequencies.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <utility>

#include "retriever/vocabulary.h"

namespace citeqa::retriever {
namespace {

TEST(TermFrequenciesTest, KeepsTheLastCountOfEveryTermThroughGrowth) {
  TermFrequencies table;
  std::map<std::string, int64_t> expected;
  // Enough terms to grow the table several times, with prefixes of one another and the
  // empty term among them; every tenth term is set twice.
  for (int i = 0; i < 5000; ++i) {
    const std::string term = "t" + std::to_string(i);
    table.Set(term, i);
    expected[term] = i;
    if (i % 10 == 0) {
      table.Set(term, -i);
      expected[term] = -i;
    }
  }
  table.Set("", 7);
  expected[""] = 7;
  ASSERT_EQ(table.size(), expected.size());
  for (const auto& [term, count] : expected) EXPECT_EQ(table.Get(term), count) << term;
  for (size_t i = 0; i < table.size(); ++i) {
    EXPECT_EQ(expected.at(std::string(table.TermAt(i))), table.CountAt(i)) << i;
  }
  EXPECT_EQ(table.Get("t5000"), 0);
  EXPECT_EQ(table.Get("t"), 0);
  EXPECT_EQ(TermFrequencies().Get("anything"), 0) << "an empty table";
}

TEST(TermFrequenciesTest, AppendedTermsAreFoundOnceIndexed) {
  TermFrequencies table;
  for (int i = 0; i < 3000; ++i) table.Append("w" + std::to_string(i), i + 1);
  table.Index();
  EXPECT_EQ(table.size(), 3000u);
  for (int i = 0; i < 3000; i += 7) EXPECT_EQ(table.Get("w" + std::to_string(i)), i + 1) << i;
  EXPECT_EQ(table.Get("w3000"), 0);
  table.Set("w5", -1);  // an indexed table takes Set as before
  table.Set("new", 2);
  EXPECT_EQ(table.Get("w5"), -1);
  EXPECT_EQ(table.Get("new"), 2);
  EXPECT_EQ(table.size(), 3001u);
}

TEST(TermFrequenciesTest, ReserveKeepsWhatIsThere) {
  TermFrequencies table;
  table.Set("product", 3);
  table.Set("owner", 2);
  table.Reserve(100000);
  table.Set("backlog", 1);
  EXPECT_EQ(table.Get("product"), 3);
  EXPECT_EQ(table.Get("owner"), 2);
  EXPECT_EQ(table.Get("backlog"), 1);
  EXPECT_EQ(table.size(), 3u);
}

TEST(VocabularyTest, TypoBucketsHoldEveryWordByLengthAndFirstLetterAndSurviveAMove) {
  Vocabulary vocab;
  // A short arena: a std::string would keep it inline, and a move would leave the buckets'
  // views pointing into the moved-from object.
  for (const char* word : {"ab", "ac", "b", "abc"}) vocab.word_df.Set(word, 1);
  vocab.IndexWords();
  Vocabulary moved = std::move(vocab);
  struct Case {
    size_t length;
    char first;
    std::multiset<std::string> words;
  } cases[] = {
      {2, 'a', {"ab", "ac"}}, {1, 'b', {"b"}}, {3, 'a', {"abc"}}, {2, 'b', {}}, {4, 'a', {}},
  };
  for (const Case& c : cases) {
    std::multiset<std::string> got;
    for (const std::string_view w : moved.WordsOf(c.length, c.first)) got.emplace(w);
    EXPECT_EQ(got, c.words) << c.length << c.first;
  }
}

// Words added after those read in order (a re-index's new words, UpdateVocabulary) take
// their place by bytes in their bucket, as a vocabulary read whole lists them.
TEST(VocabularyTest, TypoBucketsListWordsByBytesWhereverTheyCameFrom) {
  Vocabulary vocab;
  for (const char* word : {"bard", "bird", "burn"}) vocab.word_df.Set(word, 1);
  vocab.words_in_order = vocab.word_df.size();
  for (const char* word : {"bond", "band", "bxyz"}) vocab.word_df.Set(word, 1);
  vocab.word_df.Set("bird", 0);  // gone from every passage
  vocab.IndexWords();
  std::vector<std::string> got;
  for (const std::string_view w : vocab.WordsOf(4, 'b')) got.emplace_back(w);
  EXPECT_EQ(got, (std::vector<std::string>{"band", "bard", "bond", "burn", "bxyz"}));
}

}  // namespace
}  // namespace citeqa::retriever
