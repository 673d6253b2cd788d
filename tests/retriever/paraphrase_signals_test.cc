// How questions put in everyday words still meet the articles' wording: telling verbs that
// are content, adjective degrees, light phrasal verbs, broader WordNet wordings, and the
// answerability features that tell a paraphrase from a new topic (an unknown word said in
// other words, a role named by two words, names that must meet). The answer composer's
// rules are in answer_composer_test.cc.
#include <gtest/gtest.h>

#include <algorithm>

#include "indexer/text.h"
#include "retriever/analysis/question_analyzer.h"
#include "retriever/analysis/wordnet.h"
#include "retriever/decision/answerability_features.h"
#include "tests/retriever/scored_passages.h"
#include "tests/retriever/unit_weight_question.h"

namespace citeqa::retriever {
namespace {

SynonymTable Synonyms() { return *SynonymTable::Parse("pm, product manager\n"); }

AnalyzedQuestion Analyze(const std::string& text, const WordNet* wordnet) {
  return testing::AnalyzeWithUnitWeights(text, Synonyms(), wordnet);
}

Concept* Find(AnalyzedQuestion& q, const std::string& label) {
  for (Concept& c : q.concepts) {
    if (c.label == label) return &c;
  }
  return nullptr;
}

bool Has(const std::vector<Phrase>& list, const Phrase& phrase) {
  return std::find(list.begin(), list.end(), phrase) != list.end();
}

bool Contains(const std::vector<std::string>& list, const std::string& word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

TEST(TellingVerbTest, IsContentUnlessItAddressesTheReader) {
  struct Case {
    std::string question;
    bool explain_is_concept;
  } cases[] = {
      {"Must product owners be able to explain concepts to stakeholders?", true},
      {"Explain the product backlog", false},
      {"Can you explain the product backlog?", false},
      {"I would like to explain roadmaps to my team", false},
      {"Please describe the product backlog", false},
  };
  for (const auto& c : cases) {
    AnalyzedQuestion q = Analyze(c.question, nullptr);
    const bool found = Find(q, "explain") != nullptr || Find(q, "describe") != nullptr;
    EXPECT_EQ(found, c.explain_is_concept) << c.question;
  }
}

class WithWordNetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!SharedWordNet().loaded()) GTEST_SKIP() << "wordnet-base is not installed";
  }
};

TEST_F(WithWordNetTest, AnAdjectiveMatchesItsRegularDegrees) {
  struct Case {
    std::string question;
    std::string concept_label;
    std::vector<Phrase> wanted;
    std::vector<Phrase> unwanted;
  } cases[] = {
      {"Which features are easy to build?", "easy", {{"easier"}, {"easiest"}}, {}},
      {"Which features are easier to build?", "easier", {{"easy"}, {"easiest"}}, {}},
      {"Is a big team slower?", "big", {{"bigger"}, {"biggest"}}, {}},
      // A participle takes "more" and "most"; a two-syllable word doubles no consonant.
      {"Which name is used in English?", "used", {}, {{"usedder"}, {"useder"}, {"usedest"}}},
      {"Is the office open?", "open", {}, {{"openner"}, {"opennest"}}},
      // "better" is listed under "good" in WordNet, but it is another word.
      {"Which role is better paid?", "better", {}, {{"good"}}},
  };
  for (const auto& c : cases) {
    AnalyzedQuestion q = Analyze(c.question, &SharedWordNet());
    const Concept* k = Find(q, c.concept_label);
    ASSERT_NE(k, nullptr) << c.question;
    for (const Phrase& p : c.wanted) {
      EXPECT_TRUE(Has(k->alternatives, p)) << c.question << " " << p[0];
    }
    for (const Phrase& p : c.unwanted) {
      EXPECT_FALSE(Has(k->alternatives, p)) << c.question << " " << p[0];
    }
  }
}

TEST_F(WithWordNetTest, ALightVerbWithItsParticleIsTheVerb) {
  AnalyzedQuestion q = Analyze("What questions come up in an interview?", &SharedWordNet());
  const Concept* come_up = Find(q, "come up");
  ASSERT_NE(come_up, nullptr);
  EXPECT_TRUE(come_up->verb);
  // A full verb keeps its own meaning without the particle.
  AnalyzedQuestion scaling = Analyze("Which steps help when scaling up a team?", &SharedWordNet());
  const Concept* scale = Find(scaling, "scaling");
  ASSERT_NE(scale, nullptr);
  EXPECT_TRUE(Has(scale->alternatives, Phrase{"scaling"}));
}

TEST_F(WithWordNetTest, NeighboursWordNetListsAsOneLexemeBecomeOneConcept) {
  struct Case {
    std::string question;
    std::string label;  // the merged concept, or "" when nothing merges
    Phrase related;     // one of its related wordings, if any is expected
    bool verb;
  } cases[] = {
      {"Who makes sure the work is finished?", "make sure", {}, true},
      {"How do teams keep track of the backlog?", "keep track", {}, true},
      {"Who reviews the sprint work?", "", {}, false},
      // Not a light verb: a noun compound keeps its words ("last" relates to "final").
      {"Who gets the last word on the backlog?", "", {}, false},
  };
  for (const auto& c : cases) {
    AnalyzedQuestion q = Analyze(c.question, &SharedWordNet());
    if (c.label.empty()) {
      for (const Concept& k : q.concepts) EXPECT_EQ(k.alternatives.front().size(), 1u) << k.label;
      continue;
    }
    const Concept* k = Find(q, c.label);
    ASSERT_NE(k, nullptr) << c.question;
    EXPECT_EQ(k->verb, c.verb) << c.question;
    if (!c.related.empty()) EXPECT_TRUE(Has(k->related, c.related)) << c.question;
  }
  // The asked-for event still names the same concept after a merge before it.
  AnalyzedQuestion event = Analyze("When did making sure of quality begin?", &SharedWordNet());
  if (event.event_verb >= 0) {
    EXPECT_LT(static_cast<size_t>(event.event_verb), event.concepts.size());
  }
}

TEST_F(WithWordNetTest, BroaderWordingsLeaveOutClassesWithTooManyKinds) {
  const WordNet& wn = SharedWordNet();
  EXPECT_TRUE(Contains(wn.Linked("contain", WordClass::kVerb, 3, false, 6), "include"));
  EXPECT_TRUE(Contains(wn.Linked("boss", WordClass::kNoun, 3, false, 6), "supervisor"));
  // "person" has hundreds of kinds: it stands for no applicant in particular.
  EXPECT_FALSE(Contains(wn.Linked("applicant", WordClass::kNoun, 3, false, 6), "person"));
  EXPECT_TRUE(Contains(wn.Linked("wear out", WordClass::kVerb, 1, true, 6), "exhaust"));
  EXPECT_TRUE(wn.Linked("easy", WordClass::kAdjective, 3, false, 6).empty());
  EXPECT_LE(wn.Linked("contain", WordClass::kVerb, 3, false, 1).size(), 1u);

  AnalyzedQuestion q = Analyze("What does the backlog contain?", &SharedWordNet());
  const Concept* contain = Find(q, "contain");
  ASSERT_NE(contain, nullptr);
  EXPECT_TRUE(Has(contain->related, Phrase{"include"}));
}

AnswerabilityFeatureRow FeaturesOver(const AnalyzedQuestion& q,
                                     const std::vector<std::string>& passages) {
  return AnswerabilityFeatures(q, testing::ScoreWithoutModels(q, passages));
}

TEST(ParaphraseAnswerabilityTest, AnUnknownWordFoundInOtherWordsIsNotANewTopic) {
  struct Case {
    std::string question;
    std::string unknown;  // the concept no article uses
    std::string passage;
    float unknown_share;  // of the question's own concepts, no article has
  } cases[] = {
      {"Who watches rivals?", "rivals", "The product manager watches the competition.", 0},
      {"Who watches rivals?", "rivals", "The product manager watches the market.", 0.5},
      // Next to another word it names a thing: a constraint, not a paraphrase.
      {"Who are business rivals?", "rivals", "Business competition is fierce everywhere.", 0.5},
  };
  for (const auto& c : cases) {
    AnalyzedQuestion q = Analyze(c.question, nullptr);
    ASSERT_EQ(q.concepts.size(), 2u) << c.question;
    Concept* unknown = Find(q, c.unknown);
    ASSERT_NE(unknown, nullptr) << c.question;
    // As the syntax marks it with WordNet: "who WATCHES".
    if (Concept* verb = Find(q, "watches")) verb->verb = true;
    unknown->df = 0;
    unknown->related = {{"competition"}};
    unknown->related_stems = {{indexer::Stem("competition")}};
    const AnswerabilityFeatureRow f = FeaturesOver(q, {c.passage});
    EXPECT_EQ(f[kUnknownShare], c.unknown_share) << c.question << " / " << c.passage;
    EXPECT_EQ(f[kUnknownNames], 0.0F) << c.question;
  }
}

TEST_F(WithWordNetTest, ARoleNamedByTwoWordsMustBeNamedSoInALeadingPassage) {
  struct Case {
    std::string question;
    std::vector<std::string> passages;
    float role_named;  // 0: the role is never named so; 1 otherwise (or no such role)
  } cases[] = {
      {"How much does a marketing director earn?",
       {"A marketing director earns a high salary in most companies."},
       1},
      // Another role that shares a word is a different question.
      {"How much does a marketing director earn?",
       {"The director of product earns a high salary; marketing teams earn less."},
       0},
      {"How much does a product director earn?",
       {"The product director earns a high salary in most companies."},
       1},
      {"How much does a product director earn?",
       {"A product manager earns a high salary in most companies."},
       0},
      // In a leading passage, not only the first.
      {"How much does a product director earn?",
       {"A product manager earns a high salary in most companies.",
        "The product director earns a high salary in most companies."},
       1},
      // An adjective is a detail, not a kind of director: no role to name, nothing against.
      {"How much does a senior director earn?",
       {"A director earns a high salary in most companies."},
       1},
  };
  for (const auto& c : cases) {
    const AnalyzedQuestion q = Analyze(c.question, &SharedWordNet());
    EXPECT_EQ(FeaturesOver(q, c.passages)[kRoleNamed], c.role_named)
        << c.question << " / " << c.passages.back();
  }
}

TEST(NamesAnswerabilityTest, TwoNamedThingsMustMeetInOneLeadingPassage) {
  struct Case {
    std::vector<std::string> passages;
    float names_together;
  } cases[] = {
      {{"BMC delivers software and services to many global customers."}, 0},
      {{"BMC delivers software.", "A CEO leads a company."}, 0},  // apart
      {{"The CEO of BMC leads its software business."}, 1},
      {{"A CEO leads a company.", "The CEO of BMC leads its software business."}, 1},
  };
  const AnalyzedQuestion q = Analyze("Who is the CEO of BMC?", nullptr);
  for (const auto& c : cases) {
    EXPECT_EQ(FeaturesOver(q, c.passages)[kNamesTogether], c.names_together) << c.passages.front();
  }
  // One name only, or a comparison (answered from both sides' passages): the names need not
  // meet, and nothing speaks against the answer.
  const AnalyzedQuestion one = Analyze("Who leads Acme?", nullptr);
  EXPECT_EQ(FeaturesOver(one, {"A CEO leads a company."})[kNamesTogether], 1.0F);
  const AnalyzedQuestion versus = Analyze("BMC vs IBM: which is bigger?", nullptr);
  ASSERT_TRUE(versus.is_comparison);
  EXPECT_EQ(FeaturesOver(versus, {"BMC is big.", "IBM is big."})[kNamesTogether], 1.0F);
}

}  // namespace
}  // namespace citeqa::retriever
