// The signals that judge a passage against a question beyond its concepts: repeated
// wording, comparisons set side by side, definitions, the weights of compared sides, and
// agent questions (a sentence must state the asked-for event).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "indexer/text.h"
#include "retriever/analysis/question_analyzer.h"
#include "retriever/analysis/question_weighing.h"
#include "retriever/decision/answerability_features.h"
#include "retriever/defaults.h"
#include "retriever/scoring/comparison_evidence.h"
#include "retriever/scoring/definition_evidence.h"
#include "retriever/scoring/passage_features.h"
#include "retriever/scoring/wording_overlap.h"
#include "tests/retriever/scored_passages.h"
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

// The share of pairs found, as one scan of the text per pair counts it.
double OverlapPairByPair(const std::vector<StemPair>& pairs,
                         const std::vector<std::string>& stems) {
  size_t found = 0;
  for (const auto& [a, b] : pairs) {
    for (size_t i = 0; i + 1 < stems.size(); ++i) {
      if (stems[i] == a && stems[i + 1] == b) {
        ++found;
        break;
      }
    }
  }
  return pairs.empty() ? 0.0 : static_cast<double>(found) / static_cast<double>(pairs.size());
}

TEST(WordingOverlapTest, FindsEveryPairInOnePassAsAScanPerPairWould) {
  // Words w0..w99; the text repeats some pairs, holds some pairs only reversed, and the
  // question has more pairs than one pass looks for (64).
  std::vector<std::string> words;
  for (int i = 0; i < 100; ++i) words.push_back("w" + std::to_string(i));
  std::vector<std::string> stems;
  for (int i = 0; i < 300; ++i) stems.push_back(words[static_cast<size_t>((i * 7) % 100)]);
  std::vector<uint64_t> hashes;
  for (const std::string& stem : stems) hashes.push_back(StemHash(stem));
  for (const size_t count : {1, 5, 63, 64, 65, 128, 130}) {
    std::vector<StemPair> pairs;
    for (size_t p = 0; pairs.size() < count; ++p) {
      const size_t a = (p * 13) % 100;
      const size_t b = p % 3 == 0 ? (a + 7) % 100 : (a + 93) % 100;  // found, or reversed
      const StemPair pair{words[a], words[b]};
      if (std::find(pairs.begin(), pairs.end(), pair) == pairs.end()) pairs.push_back(pair);
    }
    const double expected = OverlapPairByPair(pairs, stems);
    EXPECT_GT(expected, 0.0);
    if (count > 1) EXPECT_LT(expected, 1.0);
    EXPECT_EQ(WordingOverlap(pairs, std::span<const std::string>(stems), hashes), expected)
        << count << " pairs";
  }
}

TEST(WordingOverlapTest, PairsSharingAFirstWordShortTextsAndTheLastPosition) {
  auto overlap = [](const std::vector<StemPair>& pairs, const std::vector<std::string>& stems) {
    std::vector<uint64_t> hashes;
    for (const std::string& stem : stems) hashes.push_back(StemHash(stem));
    return WordingOverlap(pairs, std::span<const std::string>(stems), hashes);
  };
  const std::vector<StemPair> pairs = {{"own", "backlog"}, {"own", "product"}, {"team", "own"}};
  EXPECT_EQ(overlap(pairs, {"team", "own", "product"}), 2.0 / 3.0);  // the last position too
  EXPECT_EQ(overlap(pairs, {"own", "backlog", "own", "product"}), 2.0 / 3.0);
  EXPECT_EQ(overlap(pairs, {"own"}), 0.0);
  EXPECT_EQ(overlap(pairs, {}), 0.0);
  EXPECT_EQ(overlap(pairs, {"team", "own", "backlog", "x", "own", "product"}), 1.0);
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
      {"A product owner earns $90k, while a product manager earns $95k.", 1,
       defaults::kChoiceContrastFit},
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
      {"Refining it is the job of the owner, who keeps a backlog.", defaults::kOtherDefinitionFit},
      {"The product owner keeps the product backlog in order.", 0.0},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(DefinitionFit(c.sentence, MatchConcepts(c.sentence, q.concepts)), c.fit)
        << c.sentence;
  }
}

TEST(DefinitionFitTest, ReadsASentenceWhereItStandsInThePassage) {
  const AnalyzedQuestion q = Analyze("What is a product backlog?");
  const std::string passage =
      "Teams plan sprints. The product backlog is a prioritized list of features.";
  const size_t at = passage.find("The product backlog");
  const std::string_view sentence = std::string_view(passage).substr(at);
  // The match's byte offsets are the passage's; the sentence starts at `at`.
  EXPECT_EQ(DefinitionFit(sentence, MatchConcepts(passage, q.concepts), static_cast<int>(at)), 1.0);
  EXPECT_EQ(DefinitionFit("Teams plan sprints.", MatchConcepts(passage, q.concepts), 0), 0.0);
}

// A vocabulary of a 1,000-passage index with the given stem frequencies.
Vocabulary VocabularyOf(const std::map<std::string, int64_t>& words) {
  Vocabulary vocab;
  vocab.passages = 1000;
  for (const auto& [word, df] : words) vocab.stem_df.Set(indexer::Stem(word), df);
  return vocab;
}

const Concept* Labelled(const AnalyzedQuestion& q, const std::string& label) {
  for (const Concept& c : q.concepts) {
    if (c.label == label) return &c;
  }
  ADD_FAILURE() << "no concept " << label;
  return nullptr;
}

class WeighQuestionTest : public ::testing::Test {
 protected:
  AnalyzedQuestion Weigh(const AnalyzedQuestion& q) {
    return WeighQuestion(q, vocab_, [&](const Phrase& phrase) {
      asked_.push_back(phrase);
      return int64_t{300};
    });
  }
  AnalyzedQuestion AnalyzeAndWeigh(const std::string& text) {
    auto q = AnalyzeQuestion(text, synonyms_, nullptr);
    EXPECT_TRUE(q.ok()) << text;
    return Weigh(q.ok() ? *q : AnalyzedQuestion{});
  }

  const Vocabulary vocab_ = VocabularyOf({{"product", 900},
                                          {"owner", 400},
                                          {"manager", 400},
                                          {"po", 30},
                                          {"pm", 30},
                                          {"earns", 50},
                                          {"salary", 20},
                                          {"pay", 10},
                                          {"difference", 80}});
  const SynonymTable synonyms_ = *SynonymTable::Parse(
      "po, product owner\npm, product manager\nsalary, pay, earn, earns\nzq, zebra quagga\n");
  std::vector<Phrase> asked_;  // phrases whose frequency was asked of the index
};

TEST_F(WeighQuestionTest, WeighsEachConceptByTheIdfOfItsCommonestWording) {
  const AnalyzedQuestion q = AnalyzeAndWeigh("What does a product owner earn?");
  const Concept* owner = Labelled(q, "product owner");
  const Concept* earn = Labelled(q, "earn");
  ASSERT_TRUE(owner != nullptr && earn != nullptr);
  EXPECT_EQ(owner->df, 300) << "the phrase, counted by the index, over 'po' (30)";
  EXPECT_EQ(owner->match_cost, 900 + 400 + 30)
      << "FTS5 walks the postings of 'product', 'owner' and 'po' to find it";
  EXPECT_DOUBLE_EQ(owner->weight, vocab_.Idf(300));
  EXPECT_EQ(earn->df, 50) << "earn, salary, pay: the commonest";
  EXPECT_DOUBLE_EQ(earn->weight, vocab_.Idf(50));
  EXPECT_EQ(asked_, (std::vector<Phrase>{{"product", "owner"}}));
}

TEST_F(WeighQuestionTest, AsksTheIndexOnlyForPhrasesWhoseWordsItHolds) {
  // "zebra quagga": the index has no "quagga", so the phrase cannot occur.
  const AnalyzedQuestion q = AnalyzeAndWeigh("What does a ZQ earn?");
  const Concept* zq = Labelled(q, "zq");
  ASSERT_NE(zq, nullptr);
  EXPECT_EQ(zq->alternatives, (std::vector<Phrase>{{"zq"}, {"zebra", "quagga"}}));
  EXPECT_EQ(zq->df, 0);
  EXPECT_DOUBLE_EQ(zq->weight, vocab_.Idf(0));
  EXPECT_TRUE(asked_.empty());
}

TEST_F(WeighQuestionTest, CarriedFramingAndComparedConceptsAreWeighedForTheirPart) {
  auto previous = AnalyzeQuestion("What does a product owner do?", Synonyms(), nullptr);
  auto now = AnalyzeQuestion("How much do they earn?", Synonyms(), nullptr);
  ASSERT_TRUE(previous.ok() && now.ok());
  const AnalyzedQuestion follow_up = Weigh(ResolveFollowUp(*now, *previous));
  const Concept* carried = Labelled(follow_up, "product owner");
  ASSERT_NE(carried, nullptr);
  ASSERT_TRUE(carried->carried);
  EXPECT_DOUBLE_EQ(carried->weight, vocab_.Idf(300) * defaults::kCarriedConceptFactor);

  const AnalyzedQuestion differ = AnalyzeAndWeigh("What is the difference between a PO and a PM?");
  ASSERT_TRUE(differ.is_comparison);
  const Concept* frame = Labelled(differ, "difference");
  ASSERT_NE(frame, nullptr);
  EXPECT_TRUE(frame->frame);
  EXPECT_DOUBLE_EQ(frame->weight, vocab_.Idf(80) * defaults::kFrameConceptFactor);
}

TEST_F(WeighQuestionTest, RaisesCommonSidesToTheirShareOfTheHeaviestKnownConcept) {
  const AnalyzedQuestion q =
      AnalyzeAndWeigh("Who earns more in Narnia, a product owner or a product manager?");
  ASSERT_TRUE(q.is_comparison);
  const Concept& a = q.concepts[static_cast<size_t>(q.side_a)];
  const Concept& b = q.concepts[static_cast<size_t>(q.side_b)];
  EXPECT_EQ(a.label, "product owner");
  EXPECT_EQ(b.label, "product manager");
  // "narnia" is in no passage: it weighs most but says nothing about the sides.
  const Concept* narnia = Labelled(q, "narnia");
  ASSERT_NE(narnia, nullptr);
  EXPECT_EQ(narnia->df, 0);
  const double raised = defaults::kComparedSideShare * vocab_.Idf(50);  // of "earns"
  ASSERT_GT(raised, vocab_.Idf(300)) << "the case must raise the sides";
  EXPECT_DOUBLE_EQ(a.weight, raised);
  EXPECT_DOUBLE_EQ(b.weight, raised);

  // No comparison: nothing is raised.
  const AnalyzedQuestion plain = AnalyzeAndWeigh("What does a product owner earn in Narnia?");
  EXPECT_DOUBLE_EQ(Labelled(plain, "product owner")->weight, vocab_.Idf(300));
}

class EventQuestionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!SharedWordNet().loaded()) GTEST_SKIP() << "wordnet-base is not installed";
  }
};

TEST_F(EventQuestionTest, ASentenceMustStateTheEvent) {
  const AnalyzedQuestion q = Analyze("Who created the Scrum framework?", &SharedWordNet());
  ASSERT_GE(q.event_verb, 0);
  struct Case {
    std::vector<std::string> passages;
    float event_stated;  // the answerability feature: 1 stated, 0 not
  } cases[] = {
      {{"The product owner is a role most commonly associated with the Scrum framework."}, 0},
      {{"Teams created a backlog. Scrum is a framework for teams."}, 0},  // apart
      {{"The Scrum framework was created by Ken Schwaber and Jeff Sutherland."}, 1},
      {{"Scrum is a framework for teams.",
        "The Scrum framework was created by Ken Schwaber and Jeff Sutherland."},
       1},  // in a leading passage, not only the first
  };
  for (const auto& c : cases) {
    const ScoredCandidates scored = testing::ScoreWithoutModels(q, c.passages);
    const AnswerabilityFeatureRow f = AnswerabilityFeatures(q, scored);
    EXPECT_EQ(f[kEventStatedLeading], c.event_stated) << c.passages.back();
    bool stated = false;
    for (const ScoredPassage& p : scored.passages) {
      for (const TextMatch& m : p.evidence.reading.sentence_matches) {
        stated = stated || StatesEvent(q, m);
      }
    }
    EXPECT_EQ(stated, c.event_stated > 0) << c.passages.back();
  }
  // Not an event question: nothing to state, nothing against the answer.
  const AnalyzedQuestion what = Analyze("What is the Scrum framework?", &SharedWordNet());
  ASSERT_LT(what.event_verb, 0);
  const AnswerabilityFeatureRow f = AnswerabilityFeatures(
      what, testing::ScoreWithoutModels(
                what, std::vector<std::string>{"The Scrum framework was created by Ken."}));
  EXPECT_EQ(f[kEventStatedLeading], 1.0F) << "nothing speaks against the answer";
}

}  // namespace
}  // namespace citeqa::retriever
