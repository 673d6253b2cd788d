#include "retriever/analysis/synonyms.h"

#include <gtest/gtest.h>

#include <fstream>

namespace citeqa::retriever {
namespace {

TEST(SynonymTableTest, ParsesSolrFormat) {
  auto table = SynonymTable::Parse(
      "# comment line\n"
      "po, product owner\n"
      "\n"
      "pms => product managers   # trailing comment\n"
      "a\\,b, comma\n");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  struct Case {
    std::vector<std::string> words;
    size_t pos;
    size_t length;  // 0: no match
    std::vector<Phrase> alternatives;
    bool replaces;
  } cases[] = {
      {{"what", "does", "a", "po", "do"}, 3, 1, {{"po"}, {"product", "owner"}}, false},
      {{"product", "owners", "earn"}, 0, 2, {{"po"}, {"product", "owner"}}, false},  // by stem
      {{"the", "pms"}, 1, 1, {{"product", "managers"}}, true},
      {{"product"}, 0, 0, {}, false},
      {{"a", "b"}, 0, 2, {{"a", "b"}, {"comma"}}, false},
  };
  for (const auto& c : cases) {
    auto match = table->LongestMatchAt(c.words, c.pos);
    if (c.length == 0) {
      EXPECT_FALSE(match.has_value()) << c.words[c.pos];
      continue;
    }
    ASSERT_TRUE(match.has_value()) << c.words[c.pos];
    EXPECT_EQ(match->length, c.length);
    EXPECT_EQ(match->alternatives, c.alternatives);
    EXPECT_EQ(match->replaces, c.replaces);
  }
}

TEST(SynonymTableTest, RejectsRulesWithAnEmptySide) {
  for (const char* text : {"po, pm\n => product\n", "pm =>\n", ",,,\n"}) {
    auto table = SynonymTable::Parse(text);
    EXPECT_EQ(table.status().code(), StatusCode::kInvalidArgument) << text;
  }
}

TEST(SynonymTableTest, ShippedFileParses) {
  std::ifstream in(CITEQA_SYNONYMS_FILE);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto table = SynonymTable::Parse(text);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_GT(table->size(), 20u);
}

}  // namespace
}  // namespace citeqa::retriever

namespace citeqa::retriever {
namespace {

TEST(SynonymTableTest, RuleOntoTheSameStemIsHarmless) {
  auto table = SynonymTable::Parse("okrs => okr\n");
  ASSERT_TRUE(table.ok());
  EXPECT_FALSE(table->LongestMatchAt({"okr"}, 0).has_value());
}

TEST(SynonymTableTest, LoadReportsMissingAndBrokenFiles) {
  EXPECT_EQ(SynonymTable::Load("/nonexistent/synonyms.txt").status().code(), StatusCode::kNotFound);
  const std::string broken = ::testing::TempDir() + "/citeqa_broken_synonyms.txt";
  std::ofstream(broken) << "=> okr\n";
  EXPECT_EQ(SynonymTable::Load(broken).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace citeqa::retriever
