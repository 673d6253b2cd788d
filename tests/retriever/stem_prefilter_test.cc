#include "retriever/scoring/stem_prefilter.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "indexer/text.h"

namespace citeqa::retriever {
namespace {

// The rule the filter rests on, over a real dictionary: a word always passes the filter
// made of its own stem.
TEST(StemPrefilter, EveryDictionaryWordPassesForItsOwnStem) {
  std::ifstream words("/usr/share/dict/words");
  ASSERT_TRUE(words) << "install wamerican";
  std::string line;
  int checked = 0;
  while (std::getline(words, line)) {
    for (const indexer::Token& t : indexer::Tokenize(line)) {
      const std::string stem = indexer::Stem(t.text);
      ASSERT_TRUE(StemPrefilter({stem}).MayMatch(t.text)) << t.text << " -> " << stem;
      ++checked;
    }
  }
  EXPECT_GT(checked, 50000);
}

struct FilterCase {
  std::vector<std::string> stems;
  std::string word;
  bool may_match;
};

TEST(StemPrefilter, Table) {
  const FilterCase cases[] = {
      {{"manag"}, "managers", true}, {{"manag"}, "owners", false},
      {{"manag"}, "mint", false},    {{"ei"}, "eyed", true},  // second letter y became i
      {{"type"}, "types", true},                              // a y that stays
      {{"e"}, "eing", true},                                  // one-letter stem: first letter only
      {{"manag"}, "own", true},                               // three bytes or fewer always pass
      {{}, "anything", false},       {{"", "salari"}, "salaries", true},
  };
  for (const FilterCase& c : cases) {
    EXPECT_EQ(StemPrefilter(c.stems).MayMatch(c.word), c.may_match) << c.word;
  }
}

}  // namespace
}  // namespace citeqa::retriever
