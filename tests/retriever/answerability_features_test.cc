// The answerability features (what a question asks that the best evidence lacks, and signs
// that the best sentence says something else) and the decision stage that turns them into
// found / not found with a model. The features that replaced the old abstention rules for
// paraphrases, roles, names and events are tested in paraphrase_signals_test.cc and
// evidence_signals_test.cc.
#include "retriever/decision/answerability_features.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "retriever/analysis/question_analyzer.h"
#include "retriever/decision/decision_stage.h"
#include "tests/retriever/scored_passages.h"
#include "tests/retriever/stump_model.h"
#include "tests/retriever/unit_weight_question.h"

namespace citeqa::retriever {
namespace {

SynonymTable Synonyms() {
  return *SynonymTable::Parse("po, product owner\npm, product manager\nsalary, pay, earn, earns\n");
}

AnalyzedQuestion Analyze(const std::string& text, const WordNet* wordnet = nullptr) {
  return testing::AnalyzeWithUnitWeights(text, Synonyms(), wordnet);
}

AnswerabilityFeatureRow FeaturesOver(const AnalyzedQuestion& q,
                                     const std::vector<std::string>& passages) {
  return AnswerabilityFeatures(q, testing::ScoreWithoutModels(q, passages));
}

Concept* Find(AnalyzedQuestion& q, const std::string& label) {
  for (Concept& c : q.concepts) {
    if (c.label == label) return &c;
  }
  ADD_FAILURE() << "no concept " << label;
  return nullptr;
}

TEST(AnswerabilityFeaturesTest, AQuantityAskedForMustBeInTheBestSentence) {
  struct Case {
    std::string question;
    std::string passage;
    float quantity_missing;  // 1: a quantity asked for is missing; 0 otherwise
  } cases[] = {
      {"How much does a product owner earn?", "A product owner earns $107,000 a year.", 0},
      {"How much does a product owner earn?", "A product owner earns a good salary.", 1},
      {"How many sprints does a product owner plan?", "A product owner plans three sprints.", 0},
      {"What does a product owner earn?", "A product owner earns a good salary.", 0},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FeaturesOver(Analyze(c.question), {c.passage})[kQuantityMissing], c.quantity_missing)
        << c.question << " / " << c.passage;
  }
}

TEST(AnswerabilityFeaturesTest, ANegationOnOneSideOnlyIsAMismatch) {
  struct Case {
    std::string question;
    std::string passage;
    float mismatch;
  } cases[] = {
      {"Which roles write code?", "Product owners write code every day.", 0},
      {"Which roles write code?", "Product owners never write code.", 1},
      {"Which roles do not write code?", "Product owners do not write code.", 0},
      {"Which roles do not write code?", "Product owners write code every day.", 1},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FeaturesOver(Analyze(c.question), {c.passage})[kNegationMismatch], c.mismatch)
        << c.question << " / " << c.passage;
  }
}

TEST(AnswerabilityFeaturesTest, TheOppositeOfAQuestionWordClashes) {
  struct Case {
    std::string question;
    std::string passage;
    float clash;
  } cases[] = {
      {"Which role earns the most?", "The product owner earns the most of all roles.", 0},
      {"Which role earns the most?", "The product owner earns the least of all roles.", 1},
      {"What happens before the sprint review?", "The team demos work after the sprint review.", 1},
      {"What happens before the sprint review?", "The team plans before the sprint review.", 0},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FeaturesOver(Analyze(c.question), {c.passage})[kAntonymClash], c.clash)
        << c.question << " / " << c.passage;
  }
}

TEST(AnswerabilityFeaturesTest, AWordNetAntonymInsteadOfTheWordClashes) {
  if (!SharedWordNet().loaded()) GTEST_SKIP() << "wordnet-base is not installed";
  AnalyzedQuestion q = Analyze("Which teams are large?", &SharedWordNet());
  const Concept* large = Find(q, "large");
  ASSERT_NE(large, nullptr);
  ASSERT_FALSE(large->antonym_stems.empty());
  EXPECT_EQ(FeaturesOver(q, {"Small teams ship every week."})[kAntonymClash], 1.0F);
  EXPECT_EQ(FeaturesOver(q, {"Large teams ship every month."})[kAntonymClash], 0.0F);
  // Both the word and its opposite: the sentence may well answer.
  EXPECT_EQ(FeaturesOver(q, {"Large teams ship less often than small teams."})[kAntonymClash],
            0.0F);
}

TEST(AnswerabilityFeaturesTest, NamesAndNumbersTheEvidenceLacks) {
  AnalyzedQuestion q = Analyze("What did the CEO of BMC say in 1998?");
  struct Case {
    std::string passage;
    float missing_names;
    float missing_numbers;
  } cases[] = {
      {"The CEO of BMC said in 1998 that software matters.", 0, 0},
      {"The CEO said in 1998 that software matters.", 1, 0},
      {"The CEO of BMC said in 1999 that software matters.", 0, 1},
      {"Software matters, said someone in 1999.", 2, 1},
  };
  for (const auto& c : cases) {
    const AnswerabilityFeatureRow f = FeaturesOver(q, {c.passage});
    EXPECT_EQ(f[kMissingNamesPassage], c.missing_names) << c.passage;
    EXPECT_EQ(f[kMissingNamesSentence], c.missing_names) << c.passage;
    EXPECT_EQ(f[kMissingNumbers], c.missing_numbers) << c.passage;
  }
}

TEST(AnswerabilityFeaturesTest, WordsNoArticleUses) {
  AnalyzedQuestion q = Analyze("What does a product owner do in Narnia?");
  Concept* narnia = Find(q, "narnia");
  ASSERT_NE(narnia, nullptr);
  ASSERT_TRUE(narnia->proper);
  const float own = static_cast<float>(q.concepts.size());
  AnswerabilityFeatureRow f = FeaturesOver(q, {"A product owner orders the backlog."});
  EXPECT_EQ(f[kUnknownShare], 0.0F);
  EXPECT_EQ(f[kUnknownNames], 0.0F);
  narnia->df = 0;
  f = FeaturesOver(q, {"A product owner orders the backlog."});
  EXPECT_FLOAT_EQ(f[kUnknownShare], 1.0F / own);
  EXPECT_EQ(f[kUnknownNames], 1.0F);
  // The earlier turn's words were judged with it.
  narnia->carried = true;
  f = FeaturesOver(q, {"A product owner orders the backlog."});
  EXPECT_EQ(f[kUnknownShare], 0.0F);
}

TEST(AnswerabilityFeaturesTest, TheQuestionsOwnTraits) {
  const AnalyzedQuestion q = Analyze("Who earns more, a product owner or a product manager?");
  ASSERT_TRUE(q.is_comparison);
  const AnswerabilityFeatureRow f =
      FeaturesOver(q, {"A product owner earns more than a product manager."});
  EXPECT_EQ(f[kAnswerQuestionConcepts], static_cast<float>(q.concepts.size()));
  EXPECT_EQ(f[kAnswerQuestionCompares], 1.0F);
  EXPECT_EQ(f[kAnswerQuestionCorrections], 0.0F);
  EXPECT_EQ(f[kAnswerQuestionCarries], 0.0F);
  EXPECT_EQ(f[kAnswerQuestionWord], static_cast<float>(q.question_word));
  EXPECT_EQ(f[kAnswerAnswerType], static_cast<float>(q.answer_type));
  EXPECT_FLOAT_EQ(f[kHeaviestConceptShare], 1.0F / static_cast<float>(q.concepts.size()));
  // A comparison is answered from both sides' passages: nothing speaks against it.
  EXPECT_EQ(f[kNamesTogether], 1.0F);
  EXPECT_GT(f[kTopPassageCoverage], 0.99F);
  EXPECT_GT(f[kTopSentenceCoverage], 0.99F);
  EXPECT_EQ(f[kPassageScoreGap], 0.0F) << "a single passage";
}

TEST(AnswerabilityFeaturesTest, NoEvidenceLeavesTheDefaults) {
  AnalyzedQuestion q = Analyze("What does a product owner do?");
  const AnswerabilityFeatureRow f = AnswerabilityFeatures(q, ScoredCandidates{});
  EXPECT_EQ(f[kTopPassageScore], 0.0F);
  EXPECT_EQ(f[kTopSentenceCoverage], 0.0F);
  // Evidence against is 0 (or 1 for a missing quantity); none is found.
  EXPECT_EQ(f[kQuantityMissing], 0.0F);
  EXPECT_EQ(f[kTopSentenceAskedThing], -1.0F);
  EXPECT_EQ(f[kNamesTogether], 1.0F);
  EXPECT_EQ(f[kRoleNamed], 1.0F);
  EXPECT_EQ(f[kEventStatedLeading], 1.0F);
}

TEST(AnswerabilityFeaturesTest, EveryFeatureHasAName) {
  std::set<std::string_view> names(kAnswerabilityFeatureNames.begin(),
                                   kAnswerabilityFeatureNames.end());
  EXPECT_EQ(names.size(), static_cast<size_t>(kAnswerabilityFeatureCount));
  for (std::string_view n : kAnswerabilityFeatureNames) EXPECT_FALSE(n.empty());
}

// A model that answers when no word of the question is unknown to the articles.
TreeModel KnownWordsModel() {
  return testing::StumpModel(kAnswerabilityFeatureNames,
                             {kUnknownShare, 0.25F, 2.0F, -2.0F, true, {{"threshold", "0.5"}}});
}

TEST(DecideTest, TheModelsChanceAgainstTheThreshold) {
  const TreeModel model = KnownWordsModel();
  AnalyzedQuestion q = Analyze("Who watches rivals?");
  const ScoredCandidates scored = testing::ScoreWithoutModels(
      q, std::vector<std::string>{"The product manager watches the rivals closely."});
  const Decision yes = Decide(q, scored, &model, 0.5);
  EXPECT_TRUE(yes.found);
  EXPECT_NEAR(yes.probability, 1.0 / (1.0 + std::exp(-2.0)), 1e-9);
  EXPECT_EQ(yes.threshold, 0.5);
  EXPECT_TRUE(yes.reason.empty());
  EXPECT_EQ(yes.features, AnswerabilityFeatures(q, scored));
  // The same chance against a higher threshold.
  const Decision strict = Decide(q, scored, &model, 0.9);
  EXPECT_FALSE(strict.found);
  EXPECT_DOUBLE_EQ(strict.probability, yes.probability);

  Find(q, "rivals")->df = 0;
  const ScoredCandidates unknown = testing::ScoreWithoutModels(
      q, std::vector<std::string>{"The product manager watches the market closely."});
  const Decision no = Decide(q, unknown, &model, 0.5);
  EXPECT_FALSE(no.found);
  EXPECT_NEAR(no.probability, 1.0 / (1.0 + std::exp(2.0)), 1e-9);
  for (const char* part : {"0.12", "below the threshold 0.50", "unknown_share", "'rivals'"}) {
    EXPECT_NE(no.reason.find(part), std::string::npos) << part << " in: " << no.reason;
  }
}

TEST(DecideTest, WithoutAModelOrWithoutEvidence) {
  const TreeModel model = KnownWordsModel();
  const AnalyzedQuestion q = Analyze("Who watches rivals?");
  const ScoredCandidates scored = testing::ScoreWithoutModels(
      q, std::vector<std::string>{"The product manager watches the rivals closely."});
  const Decision no_model = Decide(q, scored, nullptr, 0.5);
  EXPECT_TRUE(no_model.found) << "training reads features before the model exists";
  EXPECT_EQ(no_model.probability, 1.0);
  // No passage matches: never answered, model or not. The model still says what it makes of
  // the (empty) evidence, so that the explanation's score and probability agree.
  for (const TreeModel* m : {&model, static_cast<const TreeModel*>(nullptr)}) {
    const Decision none = Decide(q, ScoredCandidates{}, m, 0.5);
    EXPECT_FALSE(none.found);
    const double expected = m == nullptr ? 0.0 : 1.0 / (1.0 + std::exp(-m->Margin(none.features)));
    EXPECT_NEAR(none.probability, expected, 1e-12);
    EXPECT_NE(none.reason.find("no passage matches"), std::string::npos) << none.reason;
  }
  AnalyzedQuestion unknown = q;
  Find(unknown, "rivals")->df = 0;
  EXPECT_NE(
      Decide(unknown, ScoredCandidates{}, &model, 0.5).reason.find("no article uses 'rivals'"),
      std::string::npos);
}

}  // namespace
}  // namespace citeqa::retriever
