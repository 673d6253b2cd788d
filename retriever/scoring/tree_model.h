// A gradient-boosted tree model as XGBoost saves it (its JSON model format, written by
// training/train.py with XGBoost's own save_model), evaluated in process. XGBoost itself
// trains the models; evaluating them here costs about a microsecond a row, where libxgboost's
// C API spends 30-40 us on each call before the first tree (measured with Debian's 1.7.4),
// and the answer is due in a millisecond. Contributions follow XGBoost's approximate
// (Saabas) attribution: along each tree's path, each split's feature earns the change in the
// expected value, so a row's contributions and the bias add up to its margin exactly.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/status.h"

namespace citeqa::retriever {

class TreeModel {
 public:
  // Parses a model. `expected_features` must equal the model's feature names, in order: a
  // model trained on other features must not be fed these. Errors: kCorruption naming
  // `name` for malformed JSON, an unsupported objective or tree, or other features.
  static Result<TreeModel> Parse(std::string_view json, std::string_view name,
                                 std::span<const std::string_view> expected_features);

  // The raw score: log-odds for a logistic model, a ranking score otherwise. `features`
  // holds a value for every feature. Thread-safe.
  double Margin(std::span<const float> features) const;

  // The margin with its parts: `contributions[f]` for each feature and the bias (the
  // expected margin of any row). They add up to the margin. Thread-safe.
  double Explain(std::span<const float> features, std::vector<double>* contributions,
                 double* bias) const;

  // A string attribute stored with the model at training ("threshold", ...), or "".
  std::string Attribute(const std::string& key) const;
  const std::vector<std::string>& feature_names() const { return feature_names_; }
  bool logistic() const { return logistic_; }
  size_t trees() const { return roots_.size(); }

 private:
  struct Node {
    int feature = -1;     // -1 for a leaf
    float threshold = 0;  // a row goes left when its value is below
    int left = -1;
    int right = -1;
    bool default_left = true;  // where a missing (NaN) value goes
    float value = 0;           // a leaf's value
    double mean = 0;           // the expected value of the leaves below, by cover
  };
  // The same nodes packed for Margin, which walks about 800 of them per row: 16 bytes, so
  // that a tree's top levels share cache lines. A leaf has feature -1 and its value in
  // `split`.
  struct PackedNode {
    float split = 0;  // threshold, or a leaf's value
    int16_t feature = -1;
    uint8_t default_left = 1;
    int32_t left = -1;
    int32_t right = -1;
  };
  int Next(const Node& node, std::span<const float> features) const;
  void Pack();

  std::vector<Node> nodes_;  // every tree's nodes, one after another
  std::vector<PackedNode> packed_;  // nodes_ packed, same indexes
  std::vector<int> roots_;   // index of each tree's root in nodes_
  double base_margin_ = 0;
  bool logistic_ = false;
  std::vector<std::string> feature_names_;
  std::map<std::string, std::string> attributes_;
};

}  // namespace citeqa::retriever
