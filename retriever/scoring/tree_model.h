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

  // The margins of many rows at once, each exactly as Margin gives it: `rows` holds
  // margins.size() rows of feature_names().size() values, one after another. Cheaper than
  // a Margin per row: each tree is read once for all rows, and the rows' descents through
  // it, independent of each other, overlap in the processor. Thread-safe.
  void Margins(std::span<const float> rows, std::span<double> margins) const;

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
  // The same trees laid out for Margin as complete binary trees of one depth (heap order:
  // node i's children are 2i+1 and 2i+2), a shallower leaf copied into every slot below
  // it. A row then descends each tree by arithmetic, with no branch on its values to
  // mispredict: Margin visits about 800 nodes per row and a row's walk was the branchy part.
  // Empty when the trees are too deep to lay out so (then Margin walks nodes_).
  std::vector<int32_t> heap_features_;  // per tree, 2^depth - 1 split features
  std::vector<float> heap_splits_;      // and thresholds (a row goes right when not below)
  std::vector<float> heap_leaves_;      // per tree, 2^depth leaf values
  int heap_depth_ = 0;

  // Whether a row descends the heaps: Margin and Margins must agree on it, row by row. A
  // missing (NaN) value goes its split's default way, which arithmetic cannot follow.
  bool Heaped(std::span<const float> features) const;
  int Next(const Node& node, std::span<const float> features) const;
  void LayOutHeaps();
  void FillHeap(size_t tree, int node, size_t slot, int depth);
  double WalkedMargin(std::span<const float> features) const;

  std::vector<Node> nodes_;  // every tree's nodes, one after another
  std::vector<int> roots_;   // index of each tree's root in nodes_
  double base_margin_ = 0;
  bool logistic_ = false;
  std::vector<std::string> feature_names_;
  std::map<std::string, std::string> attributes_;
};

}  // namespace citeqa::retriever
