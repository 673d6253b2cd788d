#include "retriever/analysis/wordnet.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace citeqa::retriever {
namespace {

bool Contains(const std::vector<std::string>& list, const std::string& word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

class WordNetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!SharedWordNet().loaded()) GTEST_SKIP() << "wordnet-base is not installed";
  }
};

TEST_F(WordNetTest, FindsBaseFormsThroughExceptionsAndSuffixRules) {
  struct Case {
    std::string word;
    WordClass cls;
    std::string base;  // "" when WordNet does not know the word in that class
  } cases[] = {
      {"built", WordClass::kVerb, "build"},    {"companies", WordClass::kNoun, "company"},
      {"running", WordClass::kVerb, "run"},    {"earns", WordClass::kVerb, "earn"},
      {"children", WordClass::kNoun, "child"}, {"xyzzyq", WordClass::kNoun, ""},
      {"product", WordClass::kVerb, ""},
  };
  for (const auto& c : cases) {
    const auto bases = SharedWordNet().BaseForms(c.word, c.cls);
    if (c.base.empty()) {
      EXPECT_TRUE(bases.empty()) << c.word;
    } else {
      EXPECT_TRUE(Contains(bases, c.base)) << c.word;
    }
  }
  EXPECT_TRUE(Contains(SharedWordNet().IrregularForms("build", WordClass::kVerb), "built"));
}

TEST_F(WordNetTest, RelatesWordsOfTheCommonestSensesAndAdjectiveAttributes) {
  struct Case {
    std::string word;
    WordClass cls;
    std::string related;
    bool expected;
  } cases[] = {
      {"big", WordClass::kAdjective, "size", true},  // the attribute "big" is a value of
      {"big", WordClass::kAdjective, "large", true}, {"last", WordClass::kAdjective, "final", true},
      {"want", WordClass::kVerb, "require", true},   {"handle", WordClass::kVerb, "manage", true},
      {"handle", WordClass::kVerb, "handle", false},  // never the word itself
      {"salary", WordClass::kNoun, "pasta", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Contains(SharedWordNet().Related(c.word, c.cls, 3), c.related), c.expected)
        << c.word << " ~ " << c.related;
  }
  EXPECT_GT(SharedWordNet().TaggedSenses("build", WordClass::kVerb),
            SharedWordNet().TaggedSenses("build", WordClass::kNoun));
}

TEST_F(WordNetTest, DerivesFormsInOtherClassesButNotTheDoer) {
  struct Case {
    std::string word;
    WordClass cls;
    std::string derived;
    bool expected;
  } cases[] = {
      {"decide", WordClass::kVerb, "decision", true},
      {"distinguish", WordClass::kVerb, "distinction", true},
      {"strategic", WordClass::kAdjective, "strategy", true},
      {"negotiate", WordClass::kVerb, "negotiation", true},
      {"negotiate", WordClass::kVerb, "negotiator", false},  // a person: the doer
      {"decide", WordClass::kVerb, "decide", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Contains(SharedWordNet().Derived(c.word, c.cls, 3), c.derived), c.expected)
        << c.word << " -> " << c.derived;
  }
}

TEST_F(WordNetTest, TellsNounsThatNamePeople) {
  const WordNet& wn = SharedWordNet();
  for (const char* person : {"director", "engineers", "owner", "manager", "applicant"}) {
    EXPECT_TRUE(wn.NamesPerson(person)) << person;
  }
  for (const char* thing : {"strategy", "team", "product", "salary", "xyzzyq"}) {
    EXPECT_FALSE(wn.NamesPerson(thing)) << thing;
  }
}

// A lookup's remembered answer is its first: asked again, in another order, with other
// lookups of the same word remembered beside it, a WordNet says what a fresh one said.
TEST_F(WordNetTest, RememberedAnswersAreTheFirstAnswers) {
  struct Answers {
    std::vector<std::string> bases;
    bool known = false;
    size_t tagged = 0;
    bool person = false;
    std::vector<std::string> related;
    std::vector<std::string> derived;
    bool operator==(const Answers&) const = default;
  };
  auto ask = [](const WordNet& wn, const std::string& word) {
    return Answers{wn.BaseForms(word, WordClass::kNoun),    wn.Knows(word, WordClass::kVerb),
                   wn.TaggedSenses(word, WordClass::kNoun), wn.NamesPerson(word),
                   wn.Related(word, WordClass::kVerb, 2),   wn.Derived(word, WordClass::kVerb, 2)};
  };
  const std::vector<std::string> words = {"owner", "decide", "runs", "strategy", "xyzzyq"};
  const auto fresh = WordNet::Open("/usr/share/wordnet");
  std::vector<Answers> first;
  for (const std::string& word : words) first.push_back(ask(*fresh, word));
  EXPECT_GT(first[0].tagged, 0u);
  EXPECT_TRUE(first[0].person);
  EXPECT_TRUE(first[1].known);
  EXPECT_FALSE(first[4].known);
  const auto remembering = WordNet::Open("/usr/share/wordnet");
  for (int round = 0; round < 2; ++round) {
    for (size_t w = words.size(); w-- > 0;) {
      EXPECT_EQ(ask(*remembering, words[w]), first[w]) << words[w] << ", round " << round;
    }
  }
}

TEST_F(WordNetTest, AntonymsInTheSameClass) {
  struct Case {
    std::string word;
    WordClass cls;
    std::string antonym;  // "" when it has none
  } cases[] = {
      {"large", WordClass::kAdjective, "small"},
      {"increase", WordClass::kVerb, "decrease"},
      {"strategy", WordClass::kNoun, ""},
  };
  for (const auto& c : cases) {
    const auto antonyms = SharedWordNet().Antonyms(c.word, c.cls, 3);
    if (c.antonym.empty()) {
      EXPECT_TRUE(antonyms.empty()) << c.word;
    } else {
      EXPECT_TRUE(Contains(antonyms, c.antonym)) << c.word;
      EXPECT_FALSE(Contains(antonyms, c.word)) << c.word;
    }
  }
}

TEST(WordNetOpenTest, AMissingDirectoryGivesAnEmptyWordNet) {
  const auto wordnet = WordNet::Open("/nonexistent/wordnet");
  EXPECT_FALSE(wordnet->loaded());
  EXPECT_TRUE(wordnet->BaseForms("built", WordClass::kVerb).empty());
  EXPECT_TRUE(wordnet->Related("big", WordClass::kAdjective, 3).empty());
  EXPECT_TRUE(wordnet->Antonyms("large", WordClass::kAdjective, 3).empty());
}

}  // namespace
}  // namespace citeqa::retriever
