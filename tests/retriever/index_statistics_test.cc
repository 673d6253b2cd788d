// IndexStatistics as ranking sees it: the passage lengths and term counts it holds for an
// index version, and what it carries over from an earlier version's.
#include "retriever/index_statistics.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>

#include "indexer/corpus_indexer.h"
#include "indexer/frequency_changes.h"
#include "tests/retriever/test_index.h"

namespace citeqa::retriever {
namespace {

std::shared_ptr<const IndexStatistics> LoadOf(indexer::IndexReader* reader,
                                              const IndexStatistics* earlier) {
  EXPECT_TRUE(reader->BeginRead().ok());
  auto loaded = IndexStatistics::Load(reader, "", earlier);
  EXPECT_TRUE(reader->EndRead().ok());
  EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
  return loaded.ok() ? *loaded : nullptr;
}

TEST(IndexStatisticsTest, RankingTakesTermCountsFromTheVocabularyAndRemembersPhrases) {
  const auto index = testing::TestIndex::SeedCorpus();
  auto reader = indexer::IndexReader::Open(index.db_path());
  ASSERT_TRUE(reader.ok());
  const auto stats = LoadOf(&*reader, nullptr);
  ASSERT_NE(stats, nullptr);

  std::map<std::string, int64_t> stems;
  ASSERT_TRUE(
      reader
          ->ForEachStemFrequency([&](std::string_view s, int64_t n) { stems[std::string(s)] = n; })
          .ok());
  ASSERT_GT(stems.size(), 100u);
  for (const auto& [stem, passages] : stems) EXPECT_EQ(stats->Passages(stem), passages) << stem;
  EXPECT_EQ(stats->Passages("zeppelinx"), 0);

  EXPECT_EQ(stats->Passages("product owner"), -1) << "a phrase is not known until told";
  stats->Remember("product owner", 17);
  EXPECT_EQ(stats->Passages("product owner"), 17);

  const indexer::RankingStatistics ranking = stats->Ranking();
  EXPECT_EQ(ranking.lengths, &stats->passage_lengths);
  EXPECT_EQ(ranking.term_counts, stats.get());
  EXPECT_EQ(stats->version(), stats->generation);
  EXPECT_EQ(static_cast<int64_t>(stats->passage_lengths.held()), stats->vocab.passages);
}

TEST(IndexStatisticsTest, ALaterVersionExtendsTheEarlierVersionsLengths) {
  auto index = testing::TestIndex::SeedCorpus();
  auto reader = indexer::IndexReader::Open(index.db_path());
  ASSERT_TRUE(reader.ok());
  const auto first = LoadOf(&*reader, nullptr);
  ASSERT_NE(first, nullptr);

  std::ofstream(index.corpus() / "added.md") << "# Added\n\nA new article about roadmaps.\n";
  indexer::IndexOptions options;
  options.corpus_dir = index.corpus().string();
  options.db_path = index.db_path();
  ASSERT_TRUE(indexer::IndexCorpus(options).ok());

  const auto fresh = LoadOf(&*reader, nullptr);
  const auto extended = LoadOf(&*reader, first.get());
  ASSERT_NE(fresh, nullptr);
  ASSERT_NE(extended, nullptr);
  EXPECT_GT(extended->generation, first->generation);
  EXPECT_GT(extended->passage_lengths.held(), first->passage_lengths.held());
  EXPECT_EQ(extended->passage_lengths.held(), fresh->passage_lengths.held());
  uint64_t tokens = 0;
  for (int64_t id = 0; id < fresh->passage_lengths.end_id(); ++id) {
    EXPECT_EQ(extended->passage_lengths.Of(id), fresh->passage_lengths.Of(id)) << id;
    const uint32_t length = fresh->passage_lengths.Of(id);
    if (length != indexer::PassageLengths::kUnknown) tokens += length;
  }
  EXPECT_GT(tokens, 0u);
  EXPECT_EQ(fresh->PassageTokens(), tokens);
  EXPECT_EQ(extended->PassageTokens(), tokens);
}

TEST(IndexStatisticsTest, ALaterVersionTakesOverTheEarlierVersionsPassageLayouts) {
  auto index = testing::TestIndex::SeedCorpus();
  auto reader = indexer::IndexReader::Open(index.db_path());
  ASSERT_TRUE(reader.ok());
  const auto first = LoadOf(&*reader, nullptr);
  ASSERT_NE(first, nullptr);
  const auto laid_out = first->layouts.Get(1, "Alpha beta gamma.", "");

  std::ofstream(index.corpus() / "added.md") << "# Added\n\nA new article about roadmaps.\n";
  indexer::IndexOptions options;
  options.corpus_dir = index.corpus().string();
  options.db_path = index.db_path();
  ASSERT_TRUE(indexer::IndexCorpus(options).ok());

  const auto extended = LoadOf(&*reader, first.get());
  const auto fresh = LoadOf(&*reader, nullptr);
  ASSERT_NE(extended, nullptr);
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(extended->layouts.Get(1, "Alpha beta gamma.", "").get(), laid_out.get());
  EXPECT_NE(fresh->layouts.Get(1, "Alpha beta gamma.", "").get(), laid_out.get());
}

// Every count of `fresh` is `updated`'s, and `updated` counts nothing else.
void ExpectSameCounts(const TermFrequencies& updated, const TermFrequencies& fresh) {
  for (size_t i = 0; i < fresh.size(); ++i) {
    EXPECT_EQ(updated.Get(fresh.TermAt(i)), fresh.CountAt(i)) << fresh.TermAt(i);
  }
  for (size_t i = 0; i < updated.size(); ++i) {
    if (updated.CountAt(i) > 0) {
      EXPECT_EQ(fresh.Get(updated.TermAt(i)), updated.CountAt(i)) << updated.TermAt(i);
    }
  }
}

void Reindex(const testing::TestIndex& index) {
  indexer::IndexOptions options;
  options.corpus_dir = index.corpus().string();
  options.db_path = index.db_path();
  options.synonyms_path = CITEQA_SYNONYMS_FILE;
  const auto summary = indexer::IndexCorpus(options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
}

// An index of two articles, its reader, and the statistics of its first version, which
// later versions' are loaded from.
class IndexVersionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = indexer::IndexReader::Open(index.db_path());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    reader.emplace(std::move(*opened));
    first = LoadOf(&*reader, nullptr);
    ASSERT_NE(first, nullptr);
  }

  const testing::TestIndex index{{{"a.md", "# Alpha\n\nZeppelins drift over the glaciers.\n"},
                                  {"b.md", "# Beta\n\nOrigami cranes fold over quietly.\n"}}};
  std::optional<indexer::IndexReader> reader;
  std::shared_ptr<const IndexStatistics> first;
};

TEST_F(IndexVersionsTest, ALaterVersionUpdatesTheEarlierVersionsWordCounts) {
  EXPECT_NE(first->frequency_token, 0);

  // A word comes, a word's count grows, and a word goes, one version at a time.
  std::ofstream(index.corpus() / "c.md") << "# Gamma\n\nSaxophones follow the zeppelins.\n";
  Reindex(index);
  const auto second = LoadOf(&*reader, first.get());
  std::filesystem::remove(index.corpus() / "b.md");
  Reindex(index);
  const auto third = LoadOf(&*reader, second.get());
  const auto fresh = LoadOf(&*reader, nullptr);
  ASSERT_NE(second, nullptr);
  ASSERT_NE(third, nullptr);
  ASSERT_NE(fresh, nullptr);
  ExpectSameCounts(third->vocab.word_df, fresh->vocab.word_df);
  ExpectSameCounts(third->vocab.stem_df, fresh->vocab.stem_df);
  EXPECT_EQ(third->vocab.passages, fresh->vocab.passages);
  EXPECT_EQ(third->vocab.WordDf("zeppelins"), 2);
  EXPECT_EQ(third->vocab.WordDf("saxophones"), 1);
  EXPECT_EQ(third->vocab.WordDf("origami"), 0);
  EXPECT_EQ(third->frequency_token, fresh->frequency_token);
  EXPECT_EQ(third->vocab.updates, 2);
  EXPECT_EQ(fresh->vocab.updates, 0);
  // Updated, not read whole: the words gone stay, counted 0, and are offered to no typo.
  EXPECT_GT(third->vocab.word_df.size(), fresh->vocab.word_df.size());
  for (const std::string_view word : third->vocab.WordsOf(7, 'o')) EXPECT_NE(word, "origami");

  // Two versions in one step.
  const auto skipping = LoadOf(&*reader, first.get());
  ASSERT_NE(skipping, nullptr);
  EXPECT_EQ(skipping->vocab.updates, 1);
  ExpectSameCounts(skipping->vocab.word_df, fresh->vocab.word_df);
  ExpectSameCounts(skipping->vocab.stem_df, fresh->vocab.stem_df);
}

TEST_F(IndexVersionsTest, CountsOfAVersionNoLongerKeptAreReadWhole) {
  for (int64_t i = 0; i < indexer::kKeptFrequencyVersions; ++i) {
    std::ofstream(index.corpus() / ("n" + std::to_string(i) + ".md"))
        << "# Note\n\nWord" << i << " is new.\n";
    Reindex(index);
  }
  const auto loaded = LoadOf(&*reader, first.get());
  const auto fresh = LoadOf(&*reader, nullptr);
  ASSERT_NE(loaded, nullptr);
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(loaded->generation, first->generation + indexer::kKeptFrequencyVersions);
  EXPECT_EQ(loaded->vocab.updates, 0);
  ExpectSameCounts(loaded->vocab.word_df, fresh->vocab.word_df);
  EXPECT_EQ(loaded->vocab.WordDf("word63"), 1);
}

// An article of `count` words of their own (q and four letters: the `first`-th such word
// and the ones after it), ten sentences of ten to a paragraph.
std::string ArticleOfOwnWords(int first, int count) {
  std::string article = "# Many words\n\n";
  for (int i = first; i < first + count; ++i) {
    std::string word = "q";
    for (int n = i, k = 0; k < 4; ++k, n /= 26) word += static_cast<char>('a' + n % 26);
    article += word + (i % 10 == 9 ? ".\n" : " ");
    if (i % 100 == 99) article += "\n";
  }
  return article;
}

// How many changes of word and stem counts the index keeps since `earlier`'s version.
int64_t ChangesSince(indexer::IndexReader* reader, const IndexStatistics& earlier) {
  EXPECT_TRUE(reader->BeginRead().ok());
  const auto changes = reader->CountFrequencyChanges(earlier.generation);
  EXPECT_TRUE(reader->EndRead().ok());
  EXPECT_TRUE(changes.ok()) << changes.status().ToString();
  return changes.ok() ? *changes : -1;
}

// Applying more changes than there are counts to change would cost more than reading them:
// past the changes always applied (10,000), an update must change at most half the counts.
// Here the earlier version holds a few dozen, so the 10,000 decide.
TEST_F(IndexVersionsTest, ManyChangesAreReadWholeNotUpdated) {
  // About 12,000 words and as many stems, beyond the changes always applied.
  std::ofstream(index.corpus() / "many.md") << ArticleOfOwnWords(0, 12000);
  Reindex(index);

  const auto loaded = LoadOf(&*reader, first.get());
  const auto fresh = LoadOf(&*reader, nullptr);
  ASSERT_NE(loaded, nullptr);
  ASSERT_NE(fresh, nullptr);
  ASSERT_GT(fresh->vocab.word_df.size(), 12000U) << "fewer changes than meant";
  EXPECT_EQ(loaded->vocab.updates, 0) << "updated, not read whole";
  ExpectSameCounts(loaded->vocab.word_df, fresh->vocab.word_df);
  EXPECT_EQ(loaded->vocab.word_df.size(), fresh->vocab.word_df.size());
}

// Past the changes always applied, an earlier version of many counts is still updated by
// changes up to half of them.
TEST_F(IndexVersionsTest, ChangesUpToHalfTheCountsAreApplied) {
  std::ofstream(index.corpus() / "many.md") << ArticleOfOwnWords(0, 16000);
  Reindex(index);
  const auto earlier = LoadOf(&*reader, nullptr);
  ASSERT_NE(earlier, nullptr);
  std::ofstream(index.corpus() / "more.md") << ArticleOfOwnWords(16000, 7000);
  Reindex(index);
  const int64_t changes = ChangesSince(&*reader, *earlier);
  const auto counts =
      static_cast<int64_t>(earlier->vocab.word_df.size() + earlier->vocab.stem_df.size());
  ASSERT_GT(changes, 10000) << "no more changes than are always applied";
  ASSERT_LE(changes, counts / 2) << "more changes than half the counts";

  const auto loaded = LoadOf(&*reader, earlier.get());
  const auto fresh = LoadOf(&*reader, nullptr);
  ASSERT_NE(loaded, nullptr);
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(loaded->vocab.updates, 1) << "read whole, not updated";
  ExpectSameCounts(loaded->vocab.word_df, fresh->vocab.word_df);
  ExpectSameCounts(loaded->vocab.stem_df, fresh->vocab.stem_df);
}

TEST(IndexStatisticsTest, AnotherIndexsCountsAreReadWholeNotUpdated) {
  // Two indexes at the same version number (a copy of one put in the other's place looks
  // so): the changes of one are not those of the other's counts.
  using Articles = std::map<std::string, std::string>;
  const testing::TestIndex a(Articles{{"a.md", "# Alpha\n\nZeppelins drift over the glaciers.\n"}});
  const testing::TestIndex b(Articles{{"b.md", "# Beta\n\nOrigami cranes fold over quietly.\n"}});
  auto reader_a = indexer::IndexReader::Open(a.db_path());
  auto reader_b = indexer::IndexReader::Open(b.db_path());
  ASSERT_TRUE(reader_a.ok());
  ASSERT_TRUE(reader_b.ok());
  const auto of_a = LoadOf(&*reader_a, nullptr);
  ASSERT_NE(of_a, nullptr);
  std::ofstream(b.corpus() / "c.md") << "# Gamma\n\nSaxophones follow the cranes.\n";
  Reindex(b);

  const auto loaded = LoadOf(&*reader_b, of_a.get());
  const auto fresh = LoadOf(&*reader_b, nullptr);
  ASSERT_NE(loaded, nullptr);
  ASSERT_NE(fresh, nullptr);
  EXPECT_GT(loaded->generation, of_a->generation);
  ExpectSameCounts(loaded->vocab.word_df, fresh->vocab.word_df);
  ExpectSameCounts(loaded->vocab.stem_df, fresh->vocab.stem_df);
  EXPECT_EQ(loaded->vocab.WordDf("zeppelins"), 0);
  EXPECT_EQ(loaded->vocab.word_df.size(), fresh->vocab.word_df.size());
  EXPECT_EQ(loaded->vocab.updates, 0);
}

}  // namespace
}  // namespace citeqa::retriever
