// TreeModel against XGBoost itself: tests/testdata/models/ holds a tiny model trained by
// training/make_test_model.py with XGBoost's own margins and approximate contributions of a
// few rows (some on split thresholds, some with missing values). Also the loading of the
// three models of the pipeline (models.h).
#include "retriever/scoring/tree_model.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>
#include <span>
#include <sstream>

#include "retriever/models.h"

namespace citeqa::retriever {
namespace {

using nlohmann::json;

constexpr std::string_view kFeatures[] = {"a", "b", "c"};

std::string ReadTestdata(const std::string& name) {
  std::ifstream in(std::string(CITEQA_TESTDATA_DIR) + "/models/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name << ": run /usr/bin/python3 training/make_test_model.py";
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TreeModel TinyModel() {
  auto model = TreeModel::Parse(ReadTestdata("tiny_model.json"), "tiny_model.json", kFeatures);
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  return std::move(*model);
}

struct ExpectedRow {
  std::vector<float> x;
  double margin = 0;
  std::vector<double> contributions;
  double bias = 0;
};

std::vector<ExpectedRow> ExpectedRows() {
  const json expected = json::parse(ReadTestdata("tiny_model_expected.json"));
  EXPECT_EQ(expected.at("features"), json({"a", "b", "c"}));
  std::vector<ExpectedRow> rows;
  for (const json& r : expected.at("rows")) {
    ExpectedRow row;
    for (const json& v : r.at("x")) {
      row.x.push_back(v.is_null() ? std::numeric_limits<float>::quiet_NaN() : v.get<float>());
    }
    row.margin = r.at("margin").get<double>();
    row.contributions = r.at("contributions").get<std::vector<double>>();
    row.bias = r.at("bias").get<double>();
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string RowText(const std::vector<float>& x) {
  std::ostringstream out;
  out.precision(9);
  for (float v : x) out << v << " ";
  return out.str();
}

TEST(TreeModelTest, ParsesTheTinyModel) {
  const TreeModel model = TinyModel();
  EXPECT_TRUE(model.logistic());
  EXPECT_EQ(model.trees(), 5u);
  EXPECT_EQ(model.feature_names(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(model.Attribute("threshold"), "0.42");
  EXPECT_EQ(model.Attribute("note"), "tiny test model");
  EXPECT_EQ(model.Attribute("no such attribute"), "");
}

TEST(TreeModelTest, MarginMatchesXgboost) {
  const TreeModel model = TinyModel();
  const std::vector<ExpectedRow> rows = ExpectedRows();
  ASSERT_GE(rows.size(), 10u);
  std::set<double> margins;
  for (const ExpectedRow& row : rows) {
    EXPECT_NEAR(model.Margin(row.x), row.margin, 1e-5) << RowText(row.x);
    margins.insert(std::round(row.margin * 1e4));
  }
  EXPECT_GE(margins.size(), 5u) << "the rows should reach different leaves";
}

// Rows with and without missing values, scored together, each as Margin scores it alone.
TEST(TreeModelTest, MarginsOfManyRowsAreEachRowsMargin) {
  const TreeModel model = TinyModel();
  std::vector<float> flat;
  std::vector<double> one_by_one;
  for (int copy = 0; copy < 3; ++copy) {  // enough rows for more than one block
    for (const ExpectedRow& row : ExpectedRows()) {
      flat.insert(flat.end(), row.x.begin(), row.x.end());
      one_by_one.push_back(model.Margin(row.x));
    }
  }
  std::vector<double> together(one_by_one.size());
  model.Margins(flat, together);
  EXPECT_EQ(together, one_by_one);
}

TEST(TreeModelTest, ExplainAddsUpAndMatchesXgboostsApproximateContributions) {
  const TreeModel model = TinyModel();
  for (const ExpectedRow& row : ExpectedRows()) {
    std::vector<double> contributions;
    double bias = 0;
    const double margin = model.Explain(row.x, &contributions, &bias);
    ASSERT_EQ(contributions.size(), 3u);
    EXPECT_DOUBLE_EQ(margin, model.Margin(row.x)) << RowText(row.x);
    EXPECT_NEAR(bias + std::accumulate(contributions.begin(), contributions.end(), 0.0), margin,
                1e-9)
        << RowText(row.x);
    EXPECT_NEAR(bias, row.bias, 1e-5) << RowText(row.x);
    for (size_t f = 0; f < 3; ++f) {
      EXPECT_NEAR(contributions[f], row.contributions[f], 1e-5)
          << RowText(row.x) << "feature " << f;
    }
  }
}

// Margin lays the trees out as complete binary trees and descends them by arithmetic;
// Explain walks the nodes as parsed. On the pipeline's own models (trees of uneven depth,
// leaves above the full depth), rows whose values sit on, just below and just above the
// models' thresholds must get the same margin from both, to the last bit.
TEST(TreeModelTest, TheBuiltInModelsScoreEveryRowAsTheirTreesWalkedNodeByNode) {
  for (const char* name : {"passage_ranker.json", "sentence_ranker.json", "answerability.json"}) {
    std::ifstream in(std::string(CITEQA_SOURCE_DIR) + "/models/" + name, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const json whole = json::parse(text.str());
    const auto names = whole["learner"]["feature_names"].get<std::vector<std::string>>();
    const std::vector<std::string_view> features(names.begin(), names.end());
    auto model = TreeModel::Parse(text.str(), name, features);
    ASSERT_TRUE(model.ok()) << model.status().ToString();

    // Each feature's thresholds, the values a row is made of.
    std::vector<std::vector<float>> thresholds(features.size());
    for (const json& tree : whole["learner"]["gradient_booster"]["model"]["trees"]) {
      const auto& left = tree["left_children"];
      for (size_t n = 0; n < left.size(); ++n) {
        if (left[n].get<int>() < 0) continue;
        thresholds[tree["split_indices"][n].get<size_t>()].push_back(
            tree["split_conditions"][n].get<float>());
      }
    }
    uint64_t state = 42;
    auto next = [&state] {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      return state >> 33;
    };
    std::set<double> margins;
    std::vector<float> all_rows;
    std::vector<double> walked_margins;
    for (int r = 0; r < 2000; ++r) {
      std::vector<float> row(features.size(), 0.0F);
      for (size_t f = 0; f < row.size(); ++f) {
        if (thresholds[f].empty()) continue;
        const float at = thresholds[f][next() % thresholds[f].size()];
        const int side = static_cast<int>(next() % 3);
        row[f] = side == 0 ? at
                           : std::nextafter(at, side == 1 ? -std::numeric_limits<float>::infinity()
                                                          : std::numeric_limits<float>::infinity());
      }
      // Every fifth row misses a value: Margins walks it, between rows it scores in blocks.
      if (r % 5 == 4) row[next() % row.size()] = std::numeric_limits<float>::quiet_NaN();
      std::vector<double> contributions;
      double bias = 0;
      const double walked = model->Explain(row, &contributions, &bias);
      ASSERT_EQ(model->Margin(row), walked) << name << ": " << RowText(row);
      margins.insert(walked);
      all_rows.insert(all_rows.end(), row.begin(), row.end());
      walked_margins.push_back(walked);
    }
    EXPECT_GE(margins.size(), 1000u) << name << ": the rows should reach many leaves";
    // Margins, rows in blocks: all of them, and counts that leave a short last block.
    for (const size_t count :
         {walked_margins.size(), size_t{15}, size_t{13}, size_t{9}, size_t{1}}) {
      std::vector<double> batch(count);
      model->Margins(std::span(all_rows).first(count * features.size()), batch);
      for (size_t r = 0; r < count; ++r) {
        ASSERT_EQ(batch[r], walked_margins[r]) << name << ": row " << r << " of " << count;
      }
    }
  }
}

// The tiny model's JSON with one change made by `edit`.
std::string Edited(const std::function<void(json&)>& edit) {
  json model = json::parse(ReadTestdata("tiny_model.json"));
  edit(model);
  return model.dump();
}

json& FirstTree(json& model) { return model["learner"]["gradient_booster"]["model"]["trees"][0]; }

TEST(TreeModelTest, RejectsMalformedOrForeignModelsNamingThem) {
  struct Case {
    std::string what;
    std::string json;
    std::vector<std::string_view> features;
    std::string message_part;
  } cases[] = {
      {"empty", "", {"a", "b", "c"}, "tiny.json"},
      {"cut short", ReadTestdata("tiny_model.json").substr(0, 200), {"a", "b", "c"}, "not JSON"},
      {"an array", "[1, 2, 3]", {"a", "b", "c"}, "not JSON"},
      {"no learner", R"({"version": [1, 7, 4]})", {"a", "b", "c"}, "tiny.json"},
      {"other features", ReadTestdata("tiny_model.json"), {"a", "b", "d"}, "'d'"},
      {"fewer features", ReadTestdata("tiny_model.json"), {"a", "b"}, "3 features"},
      // XGBoost's own categorical model (it writes its category splits' conditions as NaN,
      // which JSON lacks), and the tiny model with a split marked categorical.
      {"XGBoost categorical", ReadTestdata("tiny_categorical.json"), {"a", "b", "c"}, "tiny.json"},
      {"categorical split",
       Edited([](json& m) {
         json& types = FirstTree(m)["split_type"];
         types[0] = 1;
       }),
       {"a", "b", "c"},
       "categorical"},
      {"objective",
       Edited([](json& m) { m["learner"]["objective"]["name"] = "multi:softprob"; }),
       {"a", "b", "c"},
       "multi:softprob"},
      {"booster",
       Edited([](json& m) { m["learner"]["gradient_booster"]["name"] = "gblinear"; }),
       {"a", "b", "c"},
       "gbtree"},
      {"no trees",
       Edited([](json& m) { m["learner"]["gradient_booster"]["model"]["trees"] = json::array(); }),
       {"a", "b", "c"},
       "no trees"},
      {"split feature",
       Edited([](json& m) { FirstTree(m)["split_indices"][0] = 7; }),
       {"a", "b", "c"},
       "unknown feature"},
      {"child order",
       Edited([](json& m) { FirstTree(m)["left_children"][0] = 0; }),
       {"a", "b", "c"},
       "out of order"},
      {"array lengths",
       Edited([](json& m) { FirstTree(m)["split_conditions"].erase(0); }),
       {"a", "b", "c"},
       "differ in length"},
      {"base score",
       Edited([](json& m) { m["learner"]["learner_model_param"]["base_score"] = "1.5"; }),
       {"a", "b", "c"},
       "base_score"},
      {"node type",
       Edited([](json& m) { FirstTree(m)["left_children"][0] = "one"; }),
       {"a", "b", "c"},
       "tiny.json"},
  };
  for (const auto& c : cases) {
    auto model = TreeModel::Parse(c.json, "tiny.json", c.features);
    ASSERT_FALSE(model.ok()) << c.what;
    EXPECT_EQ(model.status().code(), StatusCode::kCorruption) << c.what;
    EXPECT_NE(model.status().message().find("tiny.json"), std::string::npos)
        << c.what << ": " << model.status().message();
    EXPECT_NE(model.status().message().find(c.message_part), std::string::npos)
        << c.what << ": " << model.status().message();
  }
}

TEST(TreeModelTest, AMissingValueTakesTheDefaultWay) {
  const TreeModel model = TinyModel();
  json whole = json::parse(ReadTestdata("tiny_model.json"));
  const json tree = FirstTree(whole);
  const int feature = tree["split_indices"][0].get<int>();
  const bool left = tree["default_left"][0].get<int>() != 0;
  // The root's own missing-value direction decides the first step: flipping it in a copy of
  // the model changes the margin of a row missing that feature, not of a full row.
  const std::string flipped =
      Edited([&](json& m) { FirstTree(m)["default_left"][0] = left ? 0 : 1; });
  auto other = TreeModel::Parse(flipped, "flipped.json", kFeatures);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  std::vector<float> full = {0.25F, -0.5F, 1.0F};
  std::vector<float> missing = full;
  missing[static_cast<size_t>(feature)] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_DOUBLE_EQ(model.Margin(full), other->Margin(full));
  EXPECT_NE(model.Margin(missing), other->Margin(missing));
}

class ModelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("citeqa_models_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Copy(const std::string& file) {
    std::filesystem::copy_file(std::string(CITEQA_SOURCE_DIR) + "/models/" + file, dir_ / file);
  }
  std::filesystem::path dir_;
};

TEST_F(ModelsTest, TheBuiltInModelsLoadWithTheirThresholds) {
  auto models = LoadModels("");
  ASSERT_TRUE(models.ok()) << models.status().ToString();
  ASSERT_TRUE(models->passages.has_value());
  ASSERT_TRUE(models->sentences.has_value());
  ASSERT_TRUE(models->answerability.has_value());
  EXPECT_TRUE(models->sentences->logistic());
  EXPECT_TRUE(models->answerability->logistic());
  EXPECT_GT(models->answer_threshold, 0.0);
  EXPECT_LT(models->answer_threshold, 1.0);
  EXPECT_EQ(models->answer_threshold, std::stod(models->answerability->Attribute("threshold")));
  EXPECT_EQ(models->follow_threshold, std::stod(models->sentences->Attribute("follow_threshold")));
}

TEST_F(ModelsTest, AFolderMustHoldEveryModelUnlessOnlyTheAvailableOnesAreWanted) {
  auto none = LoadModels(dir_.string());
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_NE(none.status().message().find("passage_ranker.json"), std::string::npos)
      << none.status().message();
  Copy("passage_ranker.json");
  auto partial = LoadModels(dir_.string());
  EXPECT_EQ(partial.status().code(), StatusCode::kNotFound);
  EXPECT_NE(partial.status().message().find("sentence_ranker.json"), std::string::npos)
      << partial.status().message();
  auto available = LoadAvailableModels(dir_.string());
  ASSERT_TRUE(available.ok()) << available.status().ToString();
  EXPECT_TRUE(available->passages.has_value());
  EXPECT_FALSE(available->sentences.has_value());
  EXPECT_FALSE(available->answerability.has_value());
  Copy("sentence_ranker.json");
  Copy("answerability.json");
  auto all = LoadModels(dir_.string());
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_TRUE(all->answerability.has_value());
}

TEST_F(ModelsTest, AMalformedOrForeignModelIsCorruptionNamingIt) {
  Copy("passage_ranker.json");
  Copy("sentence_ranker.json");
  std::ofstream(dir_ / "answerability.json") << ReadTestdata("tiny_model.json");  // a, b, c
  auto foreign = LoadModels(dir_.string());
  EXPECT_EQ(foreign.status().code(), StatusCode::kCorruption);
  EXPECT_NE(foreign.status().message().find("answerability.json"), std::string::npos)
      << foreign.status().message();
  std::ofstream(dir_ / "answerability.json", std::ios::trunc) << "{\"learner\": ";
  auto malformed = LoadAvailableModels(dir_.string());
  EXPECT_EQ(malformed.status().code(), StatusCode::kCorruption);
  EXPECT_NE(malformed.status().message().find("answerability.json"), std::string::npos)
      << malformed.status().message();
}

TEST_F(ModelsTest, AThresholdMustBeAProbability) {
  Copy("passage_ranker.json");
  Copy("answerability.json");
  for (const char* value : {"", "1.5", "0", "high", "0.3x"}) {
    json sentences =
        json::parse(std::ifstream(std::string(CITEQA_SOURCE_DIR) + "/models/sentence_ranker.json"));
    if (*value == '\0') {
      sentences["learner"]["attributes"].erase("follow_threshold");
    } else {
      sentences["learner"]["attributes"]["follow_threshold"] = value;
    }
    std::ofstream(dir_ / "sentence_ranker.json", std::ios::trunc) << sentences.dump();
    auto models = LoadModels(dir_.string());
    EXPECT_EQ(models.status().code(), StatusCode::kCorruption) << value;
    EXPECT_NE(models.status().message().find("follow_threshold"), std::string::npos)
        << value << ": " << models.status().message();
  }
}

}  // namespace
}  // namespace citeqa::retriever
