// WriteTrainingFeatures: the feature names first, then for each question the values every
// stage computed, with exactly the floats the models see.
#include "retriever/eval/training_features.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "retriever/decision/answerability_features.h"
#include "retriever/scoring/passage_features.h"
#include "retriever/scoring/sentence_features.h"
#include "tests/retriever/test_index.h"

namespace citeqa::retriever {
namespace {

using nlohmann::json;

std::vector<float> Floats(const std::string& values) {
  std::istringstream in(values);
  std::vector<float> out;
  for (float v; in >> v;) out.push_back(v);
  return out;
}

class TrainingFeaturesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    index_ = new testing::TestIndex(std::map<std::string, std::string>{
        {"owner.txt",
         "The Product Owner Role\nDuties\nA product owner owns the product backlog and orders it "
         "by business value. They accept or reject the work of each sprint and answer questions "
         "from stakeholders so the team can keep working.\n"},
        {"manager.txt",
         "The Product Manager Role\nDuties\nA product manager sets the product strategy and "
         "maintains the product roadmap. They study the market, talk to customers and decide "
         "which problems the product should solve next quarter.\n"}});
  }
  static void TearDownTestSuite() { delete index_; }
  void SetUp() override {
    no_models_ =
        std::filesystem::temp_directory_path() / ("citeqa_no_models_" + std::to_string(::getpid()));
    std::filesystem::create_directories(no_models_);
  }
  void TearDown() override { std::filesystem::remove_all(no_models_); }

  std::vector<json> Write(const std::string& models_dir) {
    EvalQuestion answerable;
    answerable.id = "q1";
    answerable.kind = "fact";
    answerable.turns = {"Who maintains the product roadmap?"};
    answerable.gold = {"roadmap"};
    answerable.doc = "manager.txt";
    answerable.para = 0;
    EvalQuestion unmatched;
    unmatched.id = "n1";
    unmatched.kind = "negative";
    unmatched.turns = {"zzqx vvqy"};
    unmatched.expect_abstain = true;
    EvalQuestion follow_up;
    follow_up.id = "c1";
    follow_up.kind = "conversation";
    follow_up.turns = {"What does a product owner do?", "Who do they answer?"};
    follow_up.gold = {"stakeholders"};
    std::ostringstream out;
    const Status written = WriteTrainingFeatures({index_->db_path(), models_dir},
                                                 {answerable, unmatched, follow_up}, out);
    EXPECT_TRUE(written.ok()) << written.ToString();
    std::vector<json> lines;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    return lines;
  }

  static testing::TestIndex* index_;
  std::filesystem::path no_models_;
};
testing::TestIndex* TrainingFeaturesTest::index_ = nullptr;

TEST_F(TrainingFeaturesTest, NamesThenALinePerQuestionWithoutModels) {
  const std::vector<json> lines = Write(no_models_.string());
  ASSERT_EQ(lines.size(), 4u);
  const json& names = lines[0]["features"];
  EXPECT_EQ(names["passage"].size(), static_cast<size_t>(kPassageFeatureCount));
  EXPECT_EQ(names["passage"][0], std::string(kPassageFeatureNames[0]));
  EXPECT_EQ(names["sentence"].size(), static_cast<size_t>(kSentenceFeatureCount));
  EXPECT_EQ(names["answerability"].size(), static_cast<size_t>(kAnswerabilityFeatureCount));

  const json& q = lines[1];
  EXPECT_EQ(q["id"], "q1");
  EXPECT_EQ(q["kind"], "fact");
  EXPECT_EQ(q["gold"], json({"roadmap"}));
  EXPECT_EQ(q["expect_abstain"], false);
  EXPECT_EQ(q["doc"], "manager.txt");
  EXPECT_EQ(q["para"], 0);
  ASSERT_FALSE(q["candidates"].empty());
  std::vector<int64_t> retrieved;
  for (const json& c : q["candidates"]) {
    retrieved.push_back(c["passage_id"]);
    EXPECT_EQ(Floats(c["features"]).size(), static_cast<size_t>(kPassageFeatureCount));
  }
  // No passage model: the retrieval order stands.
  EXPECT_EQ(q["ranked"].get<std::vector<int64_t>>(), retrieved);
  ASSERT_FALSE(q["sentences"].empty());
  for (const json& s : q["sentences"]) {
    const std::vector<float> f = Floats(s["features"]);
    ASSERT_EQ(f.size(), static_cast<size_t>(kSentenceFeatureCount));
    // No sentence model: a sentence scores its coverage.
    EXPECT_FLOAT_EQ(static_cast<float>(s["score"].get<double>()), f[kSentenceCoverage]);
    EXPECT_TRUE(s["text"].is_string());
  }
  EXPECT_EQ(Floats(q["answerability"]).size(), static_cast<size_t>(kAnswerabilityFeatureCount));
  EXPECT_EQ(q["found"], true) << "no answerability model: a matched question is answered";
  EXPECT_NE(q["answer"].get<std::string>().find("roadmap"), std::string::npos);

  const json& n = lines[2];
  EXPECT_EQ(n["id"], "n1");
  EXPECT_EQ(n["expect_abstain"], true);
  EXPECT_TRUE(n["candidates"].empty());
  EXPECT_TRUE(n["sentences"].empty());
  EXPECT_EQ(n["found"], false);

  // A conversation's last turn, understood with the earlier ones.
  const json& c = lines[3];
  EXPECT_EQ(c["id"], "c1");
  ASSERT_FALSE(c["sentences"].empty());
  EXPECT_NE(c["answer"].get<std::string>().find("stakeholders"), std::string::npos) << c["answer"];
}

TEST_F(TrainingFeaturesTest, TheModelsGiveTheirScores) {
  const std::vector<json> lines = Write(std::string(CITEQA_SOURCE_DIR) + "/models");
  ASSERT_EQ(lines.size(), 4u);
  const double p = lines[1]["probability"];
  EXPECT_GT(p, 0.0);
  EXPECT_LT(p, 1.0);
  for (const json& s : lines[1]["sentences"]) {
    const std::vector<float> f = Floats(s["features"]);
    ASSERT_EQ(f.size(), static_cast<size_t>(kSentenceFeatureCount));
    EXPECT_NE(static_cast<float>(s["score"].get<double>()), f[kSentenceCoverage])
        << "the sentence model's log-odds, not the coverage";
  }
}

TEST_F(TrainingFeaturesTest, AMissingIndexIsAnError) {
  std::ostringstream out;
  const Status status =
      WriteTrainingFeatures({"/nonexistent/index.db", no_models_.string()}, {}, out);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace citeqa::retriever
