// Test helper: a one-split XGBoost model over a stage's feature names, written in XGBoost's
// JSON format and parsed by TreeModel, so that a test of what a stage does with a model's
// score does not depend on the trained models in models/.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "retriever/scoring/tree_model.h"

namespace citeqa::testing {

struct Stump {
  size_t feature = 0;   // the split's feature
  float threshold = 0;  // a row goes left when its value is below
  float left = 0;       // the leaves' values
  float right = 0;
  bool logistic = true;  // binary:logistic, else rank:pairwise
  std::map<std::string, std::string> attributes;
};

inline retriever::TreeModel StumpModel(std::span<const std::string_view> names, const Stump& s) {
  using nlohmann::json;
  json features = json::array();
  for (std::string_view n : names) features.push_back(std::string(n));
  json attributes = json::object();
  for (const auto& [key, value] : s.attributes) attributes[key] = value;
  const json tree = {
      {"left_children", {1, -1, -1}},
      {"right_children", {2, -1, -1}},
      {"split_indices", {s.feature, 0, 0}},
      {"split_conditions", {s.threshold, s.left, s.right}},
      {"default_left", {1, 0, 0}},
      {"sum_hessian", {10.0, 5.0, 5.0}},
      {"split_type", {0, 0, 0}},
  };
  const json model = {
      {"learner",
       {{"attributes", attributes},
        {"feature_names", features},
        {"objective", {{"name", s.logistic ? "binary:logistic" : "rank:pairwise"}}},
        {"learner_model_param", {{"base_score", "5E-1"}}},
        {"gradient_booster", {{"name", "gbtree"}, {"model", {{"trees", json::array({tree})}}}}}}}};
  auto parsed = retriever::TreeModel::Parse(model.dump(), "stump.json", names);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return std::move(*parsed);
}

}  // namespace citeqa::testing
