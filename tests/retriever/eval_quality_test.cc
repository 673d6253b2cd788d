// Answer quality floors on the seed corpus, measured the way `citeqa eval` measures them.
// The floors sit a little below what the method reaches, so a change that makes answers
// worse fails here; raise them when the method improves.
#include <gtest/gtest.h>

#include "retriever/engine.h"
#include "retriever/eval/eval.h"
#include "retriever/scoring/pointing_back.h"
#include "retriever/scoring/sentence_cues.h"
#include "tests/retriever/test_index.h"

namespace citeqa::retriever {
namespace {

struct Floor {
  const char* file;
  double hit_at_1;
  double hit_at_3;
  double abstention_rate;
  int max_false_abstentions;
};

class EvalQualityTest : public ::testing::TestWithParam<Floor> {};

TEST_P(EvalQualityTest, MeetsTheFloor) {
  static const testing::TestIndex index = testing::TestIndex::SeedCorpus();
  const Floor floor = GetParam();
  EngineOptions options;
  options.db_path = index.db_path();
  auto engine = Engine::Open(options);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  auto questions = LoadEvalQuestions(std::string(CITEQA_TESTDATA_DIR) + "/" + floor.file);
  ASSERT_TRUE(questions.ok()) << questions.status().ToString();
  auto report = RunEval(**engine, *questions);
  ASSERT_TRUE(report.ok());
  const EvalSummary& s = report->summary;
  std::cout << floor.file << "\n" << FormatEvalTable(s);
  EXPECT_GE(s.overall.hit_at_1, floor.hit_at_1);
  EXPECT_GE(s.overall.hit_at_3, floor.hit_at_3);
  EXPECT_GE(s.abstention_rate, floor.abstention_rate);
  EXPECT_LE(s.overall.false_abstentions, floor.max_false_abstentions);
  for (const EvalResult& r : report->results) {
    EXPECT_LE(r.response.answer.size(), 600u) << r.id;
    if (!r.response.found) continue;
    EXPECT_FALSE(r.response.citations.empty()) << r.id;
    // Nothing comes before an answer's first sentence, so it never points back ("He ...",
    // "However, ...", "By following these steps, ..."). A list's lead-in may ("These
    // include:"): its items follow it.
    const std::string& answer = r.response.answer;
    const std::string first = answer.substr(0, answer.find(" ["));
    if (first.find('\n') != std::string::npos) continue;
    EXPECT_EQ(HowItPointsBack(first), PointingBack::kNo) << r.id << ": " << answer;
  }
}

INSTANTIATE_TEST_SUITE_P(QuestionFiles, EvalQualityTest,
                         ::testing::Values(Floor{"dev_qa.jsonl", 0.92, 0.99, 1.0, 1},
                                           // 7 of its 8 negatives: since passages hold whole
                                           // paragraphs (pipeline-4), "Who created the Scrum
                                           // framework?" is answered with a sentence that only
                                           // names the framework (an event no article states).
                                           Floor{"qa_own.jsonl", 0.88, 0.97, 0.87, 1},
                                           // Written after the method, in everyday words.
                                           // The learned answerability model withholds 3 of
                                           // its 4 negatives (the rules it replaced caught all:
                                           // "How many developers should a Scrum team have?"
                                           // asks for a number none gives).
                                           Floor{"qa_probe.jsonl", 0.76, 0.76, 0.75, 3}),
                         [](const auto& info) {
                           const std::string file = info.param.file;
                           return file.substr(0, file.find('.'));
                         });

TEST(ContainsGoldTest, ComparesCaseInsensitivelyAfterCollapsingWhiteSpace) {
  EXPECT_TRUE(ContainsGold("The  PRODUCT\n roadmap", {"product roadmap"}));
  EXPECT_FALSE(ContainsGold("product road map", {"product roadmap"}));
  EXPECT_FALSE(ContainsGold("anything", {""}));
}

}  // namespace
}  // namespace citeqa::retriever
