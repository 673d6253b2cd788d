// ScoreCandidates: features for every candidate, the passage model's order (or the
// retrieval order without one), near-duplicates dropped, and the sentence options of the
// leading passages scored by the sentence model (or by their coverage).
#include "retriever/scoring/scoring_stage.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "retriever/defaults.h"
#include "tests/retriever/scored_passages.h"
#include "tests/retriever/stump_model.h"
#include "tests/retriever/unit_weight_question.h"

namespace citeqa::retriever {
namespace {

AnalyzedQuestion Analyze(const std::string& text) {
  return testing::AnalyzeWithUnitWeights(
      text, *SynonymTable::Parse("po, product owner\npm, product manager\n"), nullptr);
}

const std::vector<std::string>& Texts() {
  static const std::vector<std::string> texts = {
      "Teams meet every day to plan their work.", "The product owner orders the backlog by value.",
      "The backlog is a list of work.",
      "The product owner orders the backlog by value!",  // a near-duplicate of the second
  };
  return texts;
}

TEST(ScoringStageTest, WithoutModelsTheRetrievalOrderStands) {
  const AnalyzedQuestion q = Analyze("What does a product owner do with the backlog?");
  const ScoredCandidates scored = testing::ScoreWithoutModels(q, Texts());
  ASSERT_EQ(scored.candidate_features.size(), 4u) << "every candidate, before any is dropped";
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(scored.candidate_features[i].first, static_cast<int64_t>(i + 1));
  }
  ASSERT_EQ(scored.passages.size(), 3u) << "the near-duplicate is dropped";
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(scored.passages[i].candidate.passage_id, static_cast<int64_t>(i + 1));
    EXPECT_EQ(scored.passages[i].score, -static_cast<double>(i));
    EXPECT_EQ(scored.passages[i].evidence.features, scored.candidate_features[i].second);
  }
  // Sentences score their coverage, best first.
  ASSERT_EQ(scored.sentences.size(), 3u);
  EXPECT_EQ(scored.sentences[0].option.text, "The product owner orders the backlog by value.");
  for (const ScoredSentence& s : scored.sentences) {
    EXPECT_EQ(s.score, s.features[kSentenceCoverage]) << s.option.text;
    EXPECT_EQ(s.probability, s.score) << s.option.text;
  }
  for (size_t i = 1; i < scored.sentences.size(); ++i) {
    EXPECT_GE(scored.sentences[i - 1].score, scored.sentences[i].score);
  }
  EXPECT_EQ(scored.sentences.back().option.text, "Teams meet every day to plan their work.");
}

// Layouts kept from one question to the next, with the heading layouts and answer-type
// fits they remember, give every question the features that layouts made afresh give.
TEST(ScoringStageTest, SharedLayoutsGiveTheFeaturesOfFreshOnes) {
  const std::vector<testing::PassageText> passages = {
      {"Pay\nOwners are paid in three ways:\n- A salary of $120,000.\n- A bonus because "
       "targets were met.",
       1, 0, "Pay"},
      {"Roles\nA product owner is a person who orders the backlog. The owner decides what "
       "comes first.",
       1, 1, "Roles"},
      {"The backlog is a list of work. Teams meet every day.", 2, 0, ""},
      {"Salary\nA product owner earns about $100,000 a year, because demand is high.", 3, 0,
       "Salary"},
  };
  PassageLayouts layouts(100000);
  for (const char* text :
       {"What is a product owner?", "How much does a product owner earn?",
        "Why are owners paid a bonus?", "What is the backlog?", "What is a product owner?"}) {
    const AnalyzedQuestion q = Analyze(text);
    const ScoredCandidates fresh = ScoreCandidates(q, testing::CandidatesOf(passages), {});
    const ScoredCandidates shared =
        ScoreCandidates(q, testing::CandidatesOf(passages), {}, &layouts);
    EXPECT_EQ(shared.candidate_features, fresh.candidate_features) << text;
    ASSERT_EQ(shared.sentences.size(), fresh.sentences.size()) << text;
    for (size_t i = 0; i < fresh.sentences.size(); ++i) {
      EXPECT_EQ(shared.sentences[i].option.text, fresh.sentences[i].option.text) << text;
      EXPECT_EQ(shared.sentences[i].features, fresh.sentences[i].features)
          << text << " / " << fresh.sentences[i].option.text;
    }
  }
}

TEST(ScoringStageTest, ThePassageModelOrdersAndTheSentenceModelGivesChances) {
  const AnalyzedQuestion q = Analyze("What does a product owner do with the backlog?");
  // Passages covering at least half the question first; sentences likewise likely.
  const TreeModel passages = testing::StumpModel(
      kPassageFeatureNames, {kCoverage, 0.5F, -1.0F, 1.0F, /*logistic=*/false, {}});
  const TreeModel sentences = testing::StumpModel(
      kSentenceFeatureNames, {kSentenceCoverage, 0.5F, -3.0F, 2.0F, /*logistic=*/true, {}});
  const ScoredCandidates scored =
      ScoreCandidates(q, testing::CandidatesOf(Texts()), {&passages, &sentences});
  ASSERT_EQ(scored.passages.size(), 3u);
  EXPECT_EQ(scored.passages[0].candidate.passage_id, 2);
  EXPECT_EQ(scored.passages[1].candidate.passage_id, 3) << "the backlog: half the question";
  EXPECT_EQ(scored.passages[2].candidate.passage_id, 1);
  for (const ScoredPassage& p : scored.passages) {
    EXPECT_DOUBLE_EQ(p.score, passages.Margin(p.evidence.features));
  }
  for (const ScoredSentence& s : scored.sentences) {
    EXPECT_DOUBLE_EQ(s.score, sentences.Margin(s.features));
    EXPECT_DOUBLE_EQ(s.probability, 1.0 / (1.0 + std::exp(-s.score)));
  }
  // The sentence's passage features are its passage's.
  for (const ScoredSentence& s : scored.sentences) {
    const ScoredPassage& p = scored.passages[s.option.passage];
    EXPECT_FLOAT_EQ(s.features[kSentencePassageScore], static_cast<float>(p.score));
    EXPECT_EQ(s.features[kSentencePassageRank], static_cast<float>(s.option.passage));
  }
}

TEST(ScoringStageTest, OnlyTheLeadingPassagesOfferSentencesAndTheRankedAreCapped) {
  const AnalyzedQuestion q = Analyze("What does a product owner do with the backlog?");
  std::vector<std::string> texts;
  for (int i = 0; i < 30; ++i) {
    texts.push_back("Passage " + std::to_string(i) + " says the product owner " +
                    std::string(static_cast<size_t>(i % 7) + 1, 'x') + " word" +
                    std::to_string(i * 31) + " orders the backlog.");
  }
  const ScoredCandidates scored = testing::ScoreWithoutModels(q, texts);
  EXPECT_EQ(scored.candidate_features.size(), 30u);
  EXPECT_EQ(scored.passages.size(), defaults::kRankedPassages);
  std::set<size_t> offering;
  for (const ScoredSentence& s : scored.sentences) offering.insert(s.option.passage);
  EXPECT_EQ(offering.size(), defaults::kAnswerPassages);
  EXPECT_EQ(*offering.rbegin(), defaults::kAnswerPassages - 1);
}

// A leading passage whose first sentence points back needs the end of the passage before
// it: the ranked one when there is one, else the one the fetch gives, scored after the
// ranked passages. Nothing is fetched for a passage that opens plainly or opens its document.
TEST(ScoringStageTest, APassageOpeningWithAPointerBringsThePassageBeforeIt) {
  const AnalyzedQuestion q = Analyze("Who orders the backlog?");
  const std::string pointing = "However, the product owner orders the backlog.";
  const std::string before = "Teams plan the sprint together. The sprint has a goal.";
  std::vector<testing::PassageText> passages = {{pointing, 7, 3}, {"The backlog is long.", 8, 2}};
  std::vector<Candidate> asked;
  const PassageBeforeFetch fetch = [&](const Candidate& c) -> std::optional<Candidate> {
    asked.push_back(c);
    Candidate row = c;
    row.passage_id = 42;
    row.ordinal = c.ordinal - 1;
    row.text = before;
    return row;
  };
  const ScoredCandidates fetched =
      ScoreCandidates(q, testing::CandidatesOf(passages), {}, nullptr, fetch);
  ASSERT_EQ(asked.size(), 1u) << "only the passage that opens pointing back";
  EXPECT_EQ(asked[0].passage_id, 1);
  ASSERT_EQ(fetched.passages.size(), 3u);
  EXPECT_EQ(fetched.ranked, 2u) << "the fetched passage is not one the model ranked";
  const ScoredPassage& context = fetched.passages.back();
  EXPECT_EQ(context.candidate.passage_id, 42);
  EXPECT_EQ(context.candidate.ordinal, 2);
  EXPECT_LT(context.score, fetched.passages[1].score) << "below every ranked passage";
  EXPECT_GE(testing::OptionIndex(fetched, "The sprint has a goal."), 0);
  EXPECT_EQ(fetched.candidate_features.size(), 2u) << "what the passage model ranked, only";

  // The passage before it among the candidates: that one offers its sentences, nothing is
  // fetched, whatever its rank.
  asked.clear();
  std::vector<testing::PassageText> with_context = passages;
  for (int i = 0; i < 5; ++i)
    with_context.push_back({"The backlog item " + std::to_string(i) + ".", 20 + i, 0});
  with_context.push_back({before, 7, 2});
  const ScoredCandidates ranked =
      ScoreCandidates(q, testing::CandidatesOf(with_context), {}, nullptr, fetch);
  EXPECT_TRUE(asked.empty());
  EXPECT_EQ(ranked.passages.size(), with_context.size());
  EXPECT_EQ(ranked.ranked, with_context.size());
  const int option = testing::OptionIndex(ranked, "The sprint has a goal.");
  ASSERT_GE(option, 0);
  EXPECT_EQ(ranked.sentences[static_cast<size_t>(option)].option.passage, with_context.size() - 1);

  // Opening plainly, or first in its document: nothing to fetch.
  asked.clear();
  ScoreCandidates(q,
                  testing::CandidatesOf(std::vector<testing::PassageText>{
                      {"The product owner orders the backlog.", 7, 3}, {pointing, 9, 0}}),
                  {}, nullptr, fetch);
  EXPECT_TRUE(asked.empty());
  // And without a fetch, the passage is scored alone.
  EXPECT_EQ(testing::ScoreWithoutModels(q, passages).passages.size(), 2u);
}

TEST(ScoringStageTest, SentenceFeaturesTellWhatTheModelWeighs) {
  // Coverage alone cannot tell these apart; the features the sentence model weighs can.
  struct Case {
    std::string question;
    std::string better;  // the sentence with more of the feature
    std::string worse;
    SentenceFeature feature;
  } cases[] = {
      // The question's words kept together.
      {"What does the backlog order depend on?",
       "Backlog order depends on business value and risk.",
       "The order of work in the backlog depends on value.", kSentenceAdjacentPairs},
      {"How much does a product owner earn?", "A product owner earns $107,000.",
       "A product owner earns a good salary.", kSentenceHasNumber},
      {"What does a product owner do?", "The product owner orders the backlog.",
       "It is the product owner who orders the backlog.", kSentenceIsFirst},
      {"What does a product owner do?", "Sign up to learn what a product owner does.",
       "The product owner orders the backlog.", kSentencePromotional},
      {"What does a product owner do?", "What does a product owner do all day?",
       "The product owner orders the backlog.", kSentenceAsks},
      {"What does a product owner do?", "This product owner orders the backlog.",
       "The product owner orders the backlog.", kSentenceLeansBack},
  };
  for (const auto& c : cases) {
    const AnalyzedQuestion q = Analyze(c.question);
    for (const bool better_first : {true, false}) {
      const std::string text = better_first ? c.better + " " + c.worse : c.worse + " " + c.better;
      const ScoredCandidates scored =
          testing::ScoreWithoutModels(q, std::vector<std::string>{text});
      const int better = testing::OptionIndex(scored, c.better);
      const int worse = testing::OptionIndex(scored, c.worse);
      ASSERT_GE(better, 0) << c.better;
      ASSERT_GE(worse, 0) << c.worse;
      if (c.feature == kSentenceIsFirst && !better_first) continue;
      EXPECT_GT(scored.sentences[static_cast<size_t>(better)].features[c.feature],
                scored.sentences[static_cast<size_t>(worse)].features[c.feature])
          << kSentenceFeatureNames[c.feature] << ": " << text;
    }
  }
}

TEST(ScoringStageTest, NoCandidatesScoreToNothing) {
  const AnalyzedQuestion q = Analyze("What does a product owner do?");
  const ScoredCandidates scored = ScoreCandidates(q, {}, {});
  EXPECT_TRUE(scored.passages.empty());
  EXPECT_TRUE(scored.sentences.empty());
  EXPECT_TRUE(scored.candidate_features.empty());
}

TEST(ScoringStageTest, FeatureNamesAreDistinct) {
  const std::set<std::string_view> passage(kPassageFeatureNames.begin(),
                                           kPassageFeatureNames.end());
  EXPECT_EQ(passage.size(), static_cast<size_t>(kPassageFeatureCount));
  const std::set<std::string_view> sentence(kSentenceFeatureNames.begin(),
                                            kSentenceFeatureNames.end());
  EXPECT_EQ(sentence.size(), static_cast<size_t>(kSentenceFeatureCount));
}

}  // namespace
}  // namespace citeqa::retriever
