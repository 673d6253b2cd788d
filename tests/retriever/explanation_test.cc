// The engine's answers on the seed corpus, checked against the contract rather than against
// texts (the models are retrained): citations (the answer's sources first, numbered by first
// use of their markers, then related passages with no quotes, up to top_k) and explanations
// (every model score equals its bias plus its features' contributions; the decision's chance
// is the sigmoid of its score, and `found` follows it against the threshold).
#include "retriever/explanation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <regex>
#include <set>

#include "retriever/decision/answerability_features.h"
#include "retriever/engine.h"
#include "retriever/eval/eval.h"
#include "retriever/pipeline.h"
#include "retriever/scoring/passage_features.h"
#include "retriever/scoring/sentence_features.h"
#include "tests/retriever/test_index.h"

namespace citeqa::retriever {
namespace {

using citeqa::testing::TestIndex;

// The seed corpus's own question files, and a few questions no article answers.
std::vector<std::string> Questions() {
  std::vector<std::string> out;
  for (const char* file : {"dev_qa.jsonl", "qa_probe.jsonl"}) {
    auto questions = LoadEvalQuestions(std::string(CITEQA_TESTDATA_DIR) + "/" + file);
    EXPECT_TRUE(questions.ok()) << file << ": " << questions.status().ToString();
    if (!questions.ok()) continue;
    for (const EvalQuestion& q : *questions) {
      if (q.turns.size() == 1) out.push_back(q.turns[0]);
    }
  }
  for (const char* q : {"What is the airspeed velocity of an unladen swallow?", "zzqx vvqy wwqz",
                        "How do I cook pasta al dente?"}) {
    out.push_back(q);
  }
  return out;
}

class EngineContractTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { index_ = new TestIndex(TestIndex::SeedCorpus()); }
  static void TearDownTestSuite() { delete index_; }
  void SetUp() override {
    EngineOptions options;
    options.db_path = index_->db_path();
    auto engine = Engine::Open(options);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(*engine);
  }
  AskResponse Ask(const std::string& question, bool explain, int top_k = 5) {
    AskRequest request;
    request.question = question;
    request.explain = explain;
    request.top_k = top_k;
    auto response = engine_->Ask(request);
    EXPECT_TRUE(response.ok()) << question << ": " << response.status().ToString();
    return response.ok() ? *response : AskResponse{};
  }

  static TestIndex* index_;
  std::unique_ptr<Engine> engine_;
};
TestIndex* EngineContractTest::index_ = nullptr;

template <size_t N>
void ExpectAddsUp(const ScoreExplanation& s, const std::array<std::string_view, N>& names,
                  const std::string& what) {
  ASSERT_EQ(s.features.size(), N) << what;
  double sum = s.bias;
  for (size_t i = 0; i < N; ++i) {
    EXPECT_EQ(s.features[i].name, names[i]) << what;
    sum += s.features[i].contribution;
  }
  EXPECT_NEAR(sum, s.score, 1e-6 * std::max(1.0, std::abs(s.score))) << what;
}

std::vector<int> MarkersByFirstUse(const std::string& answer) {
  static const std::regex kMarker(R"(\[(\d+)\])");
  std::vector<int> out;
  for (auto it = std::sregex_iterator(answer.begin(), answer.end(), kMarker);
       it != std::sregex_iterator(); ++it) {
    const int n = std::stoi((*it)[1]);
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  }
  return out;
}

TEST_F(EngineContractTest, EveryScoreOfAnExplanationAddsUp) {
  int found = 0;
  int withheld = 0;
  for (const std::string& question : Questions()) {
    SCOPED_TRACE(question);
    const AskResponse r = Ask(question, /*explain=*/true);
    ASSERT_TRUE(r.explanation.has_value());
    const Explanation& e = *r.explanation;
    EXPECT_FALSE(e.question.text.empty());
    EXPECT_FALSE(e.question.question_word.empty());
    EXPECT_FALSE(e.question.answer_type.empty());
    EXPECT_FALSE(e.question.concepts.empty());
    EXPECT_LE(e.passages.size(), 5u);
    for (size_t i = 0; i < e.passages.size(); ++i) {
      EXPECT_EQ(e.passages[i].rank, static_cast<int>(i + 1));
      EXPECT_FALSE(e.passages[i].doc.empty());
      ExpectAddsUp(e.passages[i].score, kPassageFeatureNames, "passage " + e.passages[i].doc);
      if (i > 0) EXPECT_GE(e.passages[i - 1].score.score, e.passages[i].score.score);
    }
    for (const SentenceExplanation& s : e.sentences) {
      ExpectAddsUp(s.score, kSentenceFeatureNames, "sentence " + s.text);
      EXPECT_NEAR(s.probability, 1.0 / (1.0 + std::exp(-s.score.score)), 1e-9) << s.text;
      EXPECT_NE(r.answer.find(s.text.substr(0, 40)), std::string::npos) << s.text;
    }
    const DecisionExplanation& d = e.decision;
    ExpectAddsUp(d.answerability, kAnswerabilityFeatureNames, "decision");
    // A question no passage matches is decided without the model: see below.
    if (!e.passages.empty()) {
      EXPECT_NEAR(d.probability, 1.0 / (1.0 + std::exp(-d.answerability.score)), 1e-9);
    }
    EXPECT_GT(d.threshold, 0.0);
    EXPECT_LT(d.threshold, 1.0);
    EXPECT_EQ(d.found, r.found);
    if (d.probability < d.threshold) EXPECT_FALSE(r.found);
    if (r.found) {
      EXPECT_GE(d.probability, d.threshold);
      EXPECT_TRUE(d.reason.empty()) << d.reason;
      EXPECT_EQ(e.sentences.size(), SentenceMarkers(r.answer).size()) << r.answer;
      ++found;
    } else {
      EXPECT_FALSE(d.reason.empty());
      EXPECT_TRUE(e.sentences.empty());
      ++withheld;
    }
  }
  EXPECT_GT(found, 0) << "the seed questions are answered";
  EXPECT_GT(withheld, 0) << "the swallow is not";
}

TEST_F(EngineContractTest, AQuestionNoPassageMatchesIsWithheldAndSaysWhy) {
  const AskResponse r = Ask("zzqx vvqy wwqz", /*explain=*/true);
  EXPECT_FALSE(r.found);
  EXPECT_TRUE(r.citations.empty());
  EXPECT_EQ(r.answer, kNotFoundAnswer);
  ASSERT_TRUE(r.explanation.has_value());
  EXPECT_TRUE(r.explanation->passages.empty());
  EXPECT_NE(r.explanation->decision.reason.find("no passage matches"), std::string::npos)
      << r.explanation->decision.reason;
  EXPECT_NE(r.explanation->decision.reason.find("'zzqx'"), std::string::npos)
      << r.explanation->decision.reason;
  // The decision's chance is what its explained score says, here too.
  const DecisionExplanation& d = r.explanation->decision;
  EXPECT_LT(d.probability, d.threshold);
  EXPECT_NEAR(d.probability, 1.0 / (1.0 + std::exp(-d.answerability.score)), 1e-9)
      << "probability " << d.probability << ", explained score " << d.answerability.score;
}

TEST_F(EngineContractTest, CitationsFollowTheContract) {
  for (const int top_k : {1, 3, 5, 20}) {
    for (const std::string& question : Questions()) {
      SCOPED_TRACE(question + " top_k " + std::to_string(top_k));
      const AskResponse r = Ask(question, /*explain=*/false, top_k);
      EXPECT_FALSE(r.explanation.has_value()) << "only when asked";
      EXPECT_FALSE(r.answer.empty());
      EXPECT_LE(r.answer.size(), 600u);
      if (!r.found) {
        EXPECT_TRUE(r.citations.empty());
        continue;
      }
      size_t cited = 0;
      while (cited < r.citations.size() && r.citations[cited].cited) ++cited;
      ASSERT_GE(cited, 1u) << r.answer;
      std::set<int64_t> passages;
      for (size_t i = 0; i < r.citations.size(); ++i) {
        const Citation& c = r.citations[i];
        EXPECT_EQ(c.n, static_cast<int>(i + 1));
        EXPECT_EQ(c.cited, i < cited) << "the answer's sources first";
        EXPECT_TRUE(passages.insert(c.passage_id).second) << "each passage once";
        EXPECT_FALSE(c.doc.empty());
        EXPECT_FALSE(c.passage.empty());
        for (const auto& [b, e] : c.highlights) {
          EXPECT_LE(0, b);
          EXPECT_LT(b, e);
          EXPECT_LE(static_cast<size_t>(e), c.passage.size());
        }
        if (!c.cited) {
          EXPECT_TRUE(c.quotes.empty());
          continue;
        }
        ASSERT_FALSE(c.quotes.empty()) << c.passage;
        for (const auto& [b, e] : c.quotes) {
          ASSERT_LE(0, b);
          ASSERT_LT(b, e);
          ASSERT_LE(static_cast<size_t>(e), c.passage.size());
          const std::string quoted =
              c.passage.substr(static_cast<size_t>(b), static_cast<size_t>(e - b));
          // A quote longer than the answer's room is shortened, never another text.
          const std::string said = quoted.size() > 200 ? quoted.substr(0, 100) : quoted;
          EXPECT_NE(r.answer.find(said), std::string::npos) << quoted;
        }
      }
      std::vector<int> expected;
      for (size_t n = 1; n <= cited; ++n) expected.push_back(static_cast<int>(n));
      EXPECT_EQ(MarkersByFirstUse(r.answer), expected) << r.answer;
      EXPECT_LE(r.citations.size() - cited, static_cast<size_t>(top_k));
      EXPECT_LE(r.citations.size(), std::max(cited, static_cast<size_t>(top_k)));
    }
  }
}

TEST_F(EngineContractTest, ExplainingChangesNothingElse) {
  for (const std::string& question :
       {std::string("What does a product manager do?"),
        std::string("How much does a product owner earn in India?")}) {
    AskResponse plain = Ask(question, false);
    AskResponse explained = Ask(question, true);
    EXPECT_EQ(plain.found, explained.found) << question;
    EXPECT_EQ(plain.answer, explained.answer) << question;
    ASSERT_EQ(plain.citations.size(), explained.citations.size()) << question;
    for (size_t i = 0; i < plain.citations.size(); ++i) {
      EXPECT_EQ(plain.citations[i].passage_id, explained.citations[i].passage_id);
      EXPECT_EQ(plain.citations[i].quotes, explained.citations[i].quotes);
    }
  }
}

TEST(ExplanationTextTest, ShowsTheLargestContributionsAndSumsTheRest) {
  Explanation e;
  e.question.text = "Who earns more?";
  e.question.question_word = "who";
  e.question.answer_type = "amount";
  e.question.compares = true;
  e.question.corrections = {{"earns", "earns"}};
  e.question.concepts = {{"earns", {"earns", "salary"}, {"wage"}, 1.5, 12, false, false, true}};
  PassageExplanation p;
  p.rank = 1;
  p.passage_id = 42;
  p.doc = "a.txt";
  p.score.score = 1.0;
  p.score.bias = 0.1;
  const double contributions[] = {0.5, -0.2, 0.3, 0.1, 0.05, 0.1, 0.05};
  for (size_t i = 0; i < std::size(contributions); ++i) {
    p.score.features.push_back({kPassageFeatureNames[i], static_cast<double>(i), contributions[i]});
  }
  e.passages.push_back(p);
  e.decision.found = false;
  e.decision.probability = 0.2;
  e.decision.threshold = 0.35;
  e.decision.reason = "the articles answer it with a chance of 0.20";
  const std::string text = ExplanationText(e);
  for (const char* part :
       {"question: Who earns more?", "asks: who, answer type amount, compares two things",
        "concept 'earns' weight 1.50 in 12 passages, the verb; wordings: 'earns' 'salary'; "
        "related: 'wage'",
        "passage #1 (id 42, a.txt) score 1.000 = bias 0.100", "retrieval_rank 0 (+0.500)",
        "coverage 2 (+0.300)", "2 more features (+0.100)",
        "not answered: chance 0.200, "
        "threshold 0.350",
        "reason: the articles answer it with a chance of 0.20"}) {
    EXPECT_NE(text.find(part), std::string::npos) << part << " in:\n" << text;
  }
  // Largest contributions first, whatever their sign.
  EXPECT_LT(text.find("retrieval_rank"), text.find("coverage 2"));
  EXPECT_LT(text.find("coverage 2"), text.find("fts_bm25_share"));
}

}  // namespace
}  // namespace citeqa::retriever
