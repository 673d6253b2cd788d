// CueSet finds a cue exactly where a search for each cue in turn would.
#include "retriever/analysis/cue_set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace citeqa::retriever {
namespace {

bool FoundByEachCue(const std::string& padded, const std::vector<std::string_view>& cues) {
  return std::any_of(cues.begin(), cues.end(),
                     [&](std::string_view c) { return padded.find(c) != std::string::npos; });
}

TEST(CueSetTest, FindsWholeWordCuesAndTheirStarts) {
  const CueSet cues{" because ", " reason", " in order to ", " than "};
  EXPECT_TRUE(cues.FoundIn(SpacePaddedLower("It failed Because of the budget.")));
  EXPECT_TRUE(cues.FoundIn(SpacePaddedLower("The reasoning was sound.")));  // a word's start
  EXPECT_TRUE(cues.FoundIn(SpacePaddedLower("In order to ship")));          // at the very start
  EXPECT_TRUE(cues.FoundIn(SpacePaddedLower("more than")));                 // at the very end
  EXPECT_FALSE(cues.FoundIn(SpacePaddedLower("Treason and thank-you notes.")));
  EXPECT_FALSE(cues.FoundIn(SpacePaddedLower("")));
  EXPECT_FALSE(cues.FoundIn(""));
}

TEST(CueSetTest, AgreesWithASearchPerCueOnRandomTexts) {
  // Cues that share their second character, overlap and nest, over a small alphabet so that
  // near misses are common.
  const std::vector<std::string_view> listed = {" ab ",  " a",  " aba", " b a ",  " ba",
                                                " bb b", " c ", " ca",  " a b c "};
  const CueSet cues{" ab ", " a", " aba", " b a ", " ba", " bb b", " c ", " ca", " a b c "};
  const CueSet without_short{" ab ", " aba", " b a ", " bb b", " c ", " a b c "};
  const std::vector<std::string_view> listed_without_short = {" ab ",  " aba", " b a ",
                                                              " bb b", " c ",  " a b c "};
  std::mt19937 random(11);
  const std::string alphabet = "ab c";
  int found = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    const size_t length = random() % 12;
    for (size_t i = 0; i < length; ++i) text += alphabet[random() % alphabet.size()];
    const std::string padded = " " + text + " ";
    EXPECT_EQ(cues.FoundIn(padded), FoundByEachCue(padded, listed)) << '"' << padded << '"';
    const bool expected = FoundByEachCue(padded, listed_without_short);
    EXPECT_EQ(without_short.FoundIn(padded), expected) << '"' << padded << '"';
    found += expected;
  }
  EXPECT_GT(found, 500);  // both outcomes were tried often
  EXPECT_LT(found, 4500);
}

}  // namespace
}  // namespace citeqa::retriever
