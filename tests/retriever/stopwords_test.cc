#include "retriever/analysis/stopwords.h"

#include <gtest/gtest.h>

namespace citeqa::retriever {
namespace {

TEST(StopwordsTest, TellsFunctionWordsFromTopicWords) {
  struct Case {
    const char* word;
    bool stop;
    bool preposition;
  };
  const Case cases[] = {
      {"the", true, false},
      {"what", true, false},
      {"for", true, true},
      {"into", true, true},
      {"around", true, true},
      {"across", true, true},
      // A preposition that says something ("without a degree") stays a topic word.
      {"without", false, true},
      {"behind", false, true},
      {"launch", false, false},
      {"owner", false, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsStopword(c.word), c.stop) << c.word;
    EXPECT_EQ(IsPreposition(c.word), c.preposition) << c.word;
  }
}

}  // namespace
}  // namespace citeqa::retriever
