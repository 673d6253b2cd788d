// The ranking and abstention signals that judge a passage against a question beyond its
// concepts: repeated wording, comparisons set side by side, and agent questions.
#include <gtest/gtest.h>

#include "indexer/text.h"
#include "retriever/abstention.h"
#include "retriever/comparison_evidence.h"
#include "retriever/definition_evidence.h"
#include "retriever/question_analyzer.h"
#include "retriever/wording_overlap.h"
#include "tests/retriever/unit_weight_question.h"

namespace citeqa::retriever {
namespace {

SynonymTable Synonyms() {
  return *SynonymTable::Parse("po, product owner\npm, product manager\nsalary, pay, earn, earns\n");
}

AnalyzedQuestion Analyze(const std::string& text, const WordNet* wordnet = nullptr) {
  return testing::AnalyzeWithUnitWeights(text, Synonyms(), wordnet);
}

TEST(WordingOverlapTest, CountsContentAndPrepositionPairsOnly) {
  const AnalyzedQuestion q = Analyze("What do product managers turn the product strategy into?");
  const auto pairs = WordingPairs(q);
  auto has = [&](const std::string& a, const std::string& b) {
    return std::find(pairs.begin(), pairs.end(), StemPair{indexer::Stem(a), indexer::Stem(b)}) !=
           pairs.end();
  };
  EXPECT_TRUE(has("strategy", "into"));
  EXPECT_TRUE(has("product", "managers"));
  EXPECT_FALSE(has("the", "product"));  // articles carry nothing
  EXPECT_FALSE(has("do", "product"));   // nor question frames
  struct Case {
    std::string text;
    bool more_than_half;
  } cases[] = {
      {"Product managers translate product strategy into planned work.", true},
      {"Product managers create a product strategy.", false},
      {"Nothing of the kind here.", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(WordingOverlap(pairs, indexer::Tokenize(c.text)) > 0.5, c.more_than_half) << c.text;
  }
  EXPECT_EQ(WordingOverlap({}, indexer::Tokenize("anything")), 0.0);
}

TEST(WordingOverlapTest, LeavesOutAComparisonsFrame) {
  const AnalyzedQuestion q = Analyze("What is the difference between a PO and a PM?");
  ASSERT_TRUE(q.is_comparison);
  for (const auto& [a, b] : WordingPairs(q)) {
    EXPECT_NE(a, indexer::Stem("difference"));
    EXPECT_NE(b, indexer::Stem("difference"));
  }
}

TEST(SideBySideFitTest, WantsBothSidesContrastedInOneSentence) {
  const AnalyzedQuestion differ = Analyze("What is the difference between a PO and a PM?");
  const AnalyzedQuestion choice = Analyze("Who earns more, a product owner or a product manager?");
  ASSERT_TRUE(differ.is_comparison);
  ASSERT_TRUE(choice.is_comparison);
  ASSERT_TRUE(choice.asks_choice);
  struct Case {
    std::string passage;
    double differ_fit;
    double choice_fit;
  } cases[] = {
      {"Product managers command higher salaries than product owners.", 1, 1},
      // A contrast without a comparative only half settles a choice.
      {"A product owner earns $90k, while a product manager earns $95k.", 1, kChoiceContrastFit},
      {"Product owners earn well. Product managers earn more than most.", 0, 0},
      {"The salary of product owners and product managers varies.", 0, 0},
      // Compared, but not on the point asked about (earnings).
      {"Product managers rank higher than product owners.", 1, 0},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(SideBySideFit(differ, c.passage), c.differ_fit) << c.passage;
    EXPECT_EQ(SideBySideFit(choice, c.passage), c.choice_fit) << c.passage;
  }
  EXPECT_EQ(SideBySideFit(Analyze("What does a PO earn?"), cases[0].passage), 0.0);

  // A heavy word no article uses ("looks after") cannot lower the bar for the point asked
  // about: the comparison must still be about earnings.
  AnalyzedQuestion unknown_word = choice;
  Concept absent;
  absent.label = "zzyzx";
  absent.alternatives = {{"zzyzx"}};
  absent.stems = {{"zzyzx"}};
  absent.first_token = absent.last_token = 40;
  absent.df = 0;
  absent.weight = 10.0;
  unknown_word.concepts.push_back(absent);
  EXPECT_EQ(SideBySideFit(unknown_word, "Product managers rank higher than product owners."), 0.0);
  EXPECT_EQ(SideBySideFit(unknown_word, cases[0].passage), 1.0);
}

TEST(DefinitionFitTest, WantsTheWordAskedAboutDefined) {
  const AnalyzedQuestion q = Analyze("What is a product backlog?");
  struct Case {
    std::string sentence;
    double fit;
  } cases[] = {
      {"The product backlog is a prioritized list of features.", 1.0},
      {"They maintain the product backlog, a prioritized list of features.", 1.0},
      {"The Product Backlog (the team's list of work) comes first.", 1.0},
      {"Backlogs are the team's memory.", 1.0},
      // Something else defined, beside the backlog.
      {"Refining it is the job of the owner, who keeps a backlog.", kOtherDefinitionFit},
      {"The product owner keeps the product backlog in order.", 0.0},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(DefinitionFit(c.sentence, MatchConcepts(c.sentence, q.concepts)), c.fit)
        << c.sentence;
  }
}

TEST(EmphasiseSubjectsTest, RaisesCommonSidesToHalfTheHeaviestKnownConcept) {
  AnalyzedQuestion q = Analyze("Who earns more in Narnia, a product owner or a product manager?");
  ASSERT_TRUE(q.is_comparison);
  for (Concept& c : q.concepts) {
    c.weight = c.label == "narnia" ? 5.0 : c.label == "earns" ? 2.0 : 0.1;
    c.df = c.label == "narnia" ? 0 : 40;
  }
  EmphasiseSubjects(&q);
  EXPECT_DOUBLE_EQ(q.concepts[static_cast<size_t>(q.side_a)].weight, 1.0);  // half of "earns"
  EXPECT_DOUBLE_EQ(q.concepts[static_cast<size_t>(q.side_b)].weight, 1.0);

  AnalyzedQuestion plain = Analyze("What does a product owner earn?");
  for (Concept& c : plain.concepts) c.weight = 0.1;
  EmphasiseSubjects(&plain);  // no comparison: nothing changes
  for (const Concept& c : plain.concepts) EXPECT_DOUBLE_EQ(c.weight, 0.1) << c.label;
}

TEST(AgentAbstentionTest, NeedsASentenceStatingTheEvent) {
  if (!SharedWordNet().loaded()) GTEST_SKIP() << "wordnet-base is not installed";
  const AnalyzedQuestion q = Analyze("Who created the Scrum framework?", &SharedWordNet());
  ASSERT_GE(q.event_verb, 0);
  struct Case {
    std::string passage;
    bool abstain;
  } cases[] = {
      {"The product owner is a role most commonly associated with the Scrum framework.", true},
      {"Teams created a backlog. Scrum is a framework for teams.", true},  // apart
      {"The Scrum framework was created by Ken Schwaber and Jeff Sutherland.", false},
  };
  for (const auto& c : cases) {
    RankedPassage r;
    r.candidate.text = c.passage;
    r.match = MatchConcepts(c.passage, q.concepts);
    EXPECT_EQ(ShouldAbstain(q, {r}), c.abstain) << c.passage;
  }
}

}  // namespace
}  // namespace citeqa::retriever
