#include "indexer/text.h"

#include <gtest/gtest.h>

namespace citeqa::indexer {
namespace {

TEST(TokenizeTest, SplitsLikeUnicode61WithOffsets) {
  struct Case {
    std::string input;
    std::vector<std::string> expected;
  } cases[] = {
      {"Product Owner’s role", {"product", "owner", "s", "role"}},
      {"$106,965 a year", {"106", "965", "a", "year"}},
      {"Scrum-dependent.", {"scrum", "dependent"}},
      {"NEAR(a b) \"x\" AND y*", {"near", "a", "b", "x", "and", "y"}},
      {"café\xC2\xA0latte", {"cafe", "latte"}},
      {"ZÜRICH Œuvre naïve", {"zurich", "œuvre", "naive"}},
      {"", {}},
      {"\x01\x02 --- !!!", {}},
  };
  for (const auto& c : cases) {
    std::vector<std::string> got;
    for (const Token& t : Tokenize(c.input)) {
      got.push_back(t.text);
      EXPECT_LE(t.end, static_cast<int>(c.input.size())) << c.input;
    }
    EXPECT_EQ(got, c.expected) << c.input;
  }
  const auto tokens = Tokenize("Hello, World");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[1].begin, 7);
  EXPECT_EQ(tokens[1].end, 12);
}

TEST(SanitizeUtf8Test, RepairsInvalidBytesAndDropsControls) {
  struct Case {
    std::string input;
    std::string expected;
  } cases[] = {
      {"plain", "plain"},
      {"a\xFF" "b", "a\xEF\xBF\xBD" "b"},
      {std::string("nul\0byte", 8), "nulbyte"},
      {"tab\tand\nnewline\x07", "tab\tand\nnewline"},
      {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"},  // overlong '/'
  };
  for (const auto& c : cases) {
    EXPECT_EQ(SanitizeUtf8(c.input), c.expected);
    EXPECT_TRUE(IsValidUtf8(SanitizeUtf8(c.input)));
  }
}

TEST(CollapseWhitespaceTest, CollapsesUnicodeSpaces) {
  EXPECT_EQ(CollapseWhitespace("  a \t\n b\xC2\xA0" "c  "), "a b c");
  EXPECT_EQ(CollapseWhitespace("   "), "");
}

TEST(SplitSentencesTest, KnowsAbbreviationsAndDecimals) {
  struct Case {
    std::string input;
    std::vector<std::string> expected;
  } cases[] = {
      {"One. Two! Three?", {"One.", "Two!", "Three?"}},
      {"Pay is $1.5 million. Next one.", {"Pay is $1.5 million.", "Next one."}},
      {"Tools e.g. Jira help. Done.", {"Tools e.g. Jira help.", "Done."}},
      {"The U.S. market is big. Yes.", {"The U.S. market is big.", "Yes."}},
      {"No terminal punctuation", {"No terminal punctuation"}},
      {"He said “stop.” Then left.", {"He said “stop.”", "Then left."}},
  };
  for (const auto& c : cases) {
    std::vector<std::string> got;
    for (const auto& [b, e] : SplitSentences(c.input)) got.push_back(c.input.substr(b, e - b));
    EXPECT_EQ(got, c.expected) << c.input;
  }
}

TEST(StemTest, MatchesPorter) {
  struct Case {
    const char* word;
    const char* stem;
  } cases[] = {{"managers", "manag"}, {"owners", "owner"}, {"earn", "earn"},
               {"prioritizing", "priorit"}, {"skills", "skill"}};
  for (const auto& c : cases) EXPECT_EQ(Stem(c.word), c.stem) << c.word;
}

}  // namespace
}  // namespace citeqa::indexer
