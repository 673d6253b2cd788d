// IndexStatistics as ranking sees it: the passage lengths and term counts it holds for an
// index version, and what it carries over from an earlier version's.
#include "retriever/index_statistics.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>

#include "indexer/corpus_indexer.h"
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

}  // namespace
}  // namespace citeqa::retriever
