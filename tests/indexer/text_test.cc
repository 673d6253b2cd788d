#include "indexer/text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

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

TEST(SentencesByLineTest, NeverJoinsLinesAndSplitsEachIntoSentences) {
  const std::string text = "Salary\nPOs earn $1.5k. PMs earn more\n- A list item\n\nLast one. ";
  const std::vector<std::string_view> want = {"Salary", "POs earn $1.5k.", "PMs earn more",
                                              "- A list item", "Last one."};
  EXPECT_EQ(SentencesByLine(text), want);
  EXPECT_TRUE(SentencesByLine("").empty());
  EXPECT_TRUE(SentencesByLine("\n\n").empty());
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

namespace citeqa::indexer {
namespace {

TEST(CountWordsUpToTest, StopsPastTheLimitAndAgreesWithCountWordsBelowIt) {
  const struct {
    const char* text;
    int limit;
    int expected;
  } cases[] = {
      {"", 3, 0},
      {"one two three", 3, 3},
      {"one two three four five", 3, 4},
      {"Café–naïve, 東京! x", 10, 4},
      {"a\xFF" "b c", 10, 3},  // an invalid byte separates words, as in Tokenize
      {"  spaced   out  ", 1, 2},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CountWordsUpTo(c.text, c.limit), c.expected) << c.text;
    EXPECT_EQ(CountWordsUpTo(c.text, c.limit), std::min(CountWords(c.text), c.limit + 1))
        << c.text;
  }
}

TEST(ForEachWordTest, GivesTokenizesWords) {
  const std::string text = "The CAFÉ's 2 menus—naïve, Ünïcode!";
  std::vector<std::string> words;
  ForEachWord(text, [&](std::string_view w) { words.emplace_back(w); });
  std::vector<std::string> expected;
  for (const Token& t : Tokenize(text)) expected.push_back(t.text);
  EXPECT_EQ(words, expected);
  EXPECT_EQ(words.size(), 7u);

  // Words that leave ASCII mid-way, an invalid byte, digits: both walks agree, offsets too.
  const std::string mixed = "ab\xFF" "cd naïveté x9Y État-major 3\xE2\x80\x94" "4";
  std::vector<std::string> walked;
  ForEachWord(mixed, [&](std::string_view w) { walked.emplace_back(w); });
  std::vector<std::string> tokenised;
  for (const Token& t : Tokenize(mixed)) {
    tokenised.push_back(t.text);
    EXPECT_EQ(Tokenize(mixed.substr(static_cast<size_t>(t.begin),
                                    static_cast<size_t>(t.end - t.begin)))
                  .front()
                  .text,
              t.text);
  }
  EXPECT_EQ(tokenised, walked);
  EXPECT_EQ(tokenised, (std::vector<std::string>{"ab", "cd", "naivete", "x9y", "etat", "major",
                                                 "3", "4"}));
}

}  // namespace
}  // namespace citeqa::indexer
