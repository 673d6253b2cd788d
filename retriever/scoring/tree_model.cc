#include "retriever/scoring/tree_model.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <nlohmann/json.hpp>

namespace citeqa::retriever {
namespace {

using nlohmann::json;

Status Malformed(std::string_view name, const std::string& what) {
  return Status::Corruption("model " + std::string(name) + ": " + what);
}

// XGBoost writes most scalars of its parameters as strings ("5E-1").
double NumberOf(const json& value) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) return std::strtod(value.get<std::string>().c_str(), nullptr);
  return 0;
}

}  // namespace

Result<TreeModel> TreeModel::Parse(std::string_view text, std::string_view name,
                                   std::span<const std::string_view> expected_features) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Malformed(name, "not JSON");
  TreeModel model;
  try {
    const json& learner = doc.at("learner");
    for (const json& f : learner.at("feature_names")) {
      model.feature_names_.push_back(f.get<std::string>());
    }
    if (model.feature_names_.size() != expected_features.size()) {
      return Malformed(name, "has " + std::to_string(model.feature_names_.size()) +
                                 " features, this build computes " +
                                 std::to_string(expected_features.size()));
    }
    for (size_t i = 0; i < expected_features.size(); ++i) {
      if (model.feature_names_[i] != expected_features[i]) {
        return Malformed(name, "feature " + std::to_string(i) + " is '" + model.feature_names_[i] +
                                   "', this build computes '" + std::string(expected_features[i]) +
                                   "'");
      }
    }
    if (learner.contains("attributes")) {
      for (const auto& [key, value] : learner.at("attributes").items()) {
        if (value.is_string()) model.attributes_[key] = value.get<std::string>();
      }
    }
    const std::string objective = learner.at("objective").at("name").get<std::string>();
    model.logistic_ = objective == "binary:logistic" || objective == "reg:logistic";
    const bool ranking = objective.rfind("rank:", 0) == 0;
    if (!model.logistic_ && !ranking && objective != "reg:squarederror") {
      return Malformed(name, "objective " + objective + " is not supported");
    }
    const double base_score = NumberOf(learner.at("learner_model_param").at("base_score"));
    if (model.logistic_) {
      if (base_score <= 0 || base_score >= 1) return Malformed(name, "base_score out of (0, 1)");
      model.base_margin_ = std::log(base_score / (1.0 - base_score));
    } else {
      model.base_margin_ = base_score;
    }
    const json& booster = learner.at("gradient_booster");
    if (booster.at("name").get<std::string>() != "gbtree") {
      return Malformed(name, "only gbtree boosters are supported");
    }
    const auto features = static_cast<int>(expected_features.size());
    for (const json& tree : booster.at("model").at("trees")) {
      const auto& left = tree.at("left_children");
      const auto& right = tree.at("right_children");
      const auto& split = tree.at("split_indices");
      const auto& condition = tree.at("split_conditions");
      const auto& default_left = tree.at("default_left");
      const auto& hessian = tree.at("sum_hessian");
      const size_t n = left.size();
      if (n == 0 || right.size() != n || split.size() != n || condition.size() != n ||
          default_left.size() != n || hessian.size() != n) {
        return Malformed(name, "a tree's node arrays differ in length");
      }
      if (tree.contains("split_type")) {
        for (const json& t : tree.at("split_type")) {
          if (t.get<int>() != 0) return Malformed(name, "categorical splits are not supported");
        }
      }
      const int base = static_cast<int>(model.nodes_.size());
      model.roots_.push_back(base);
      std::vector<double> cover(n);
      for (size_t i = 0; i < n; ++i) {
        Node node;
        const int l = left[i].get<int>();
        const int r = right[i].get<int>();
        cover[i] = hessian[i].get<double>();
        if (l < 0) {
          node.value = condition[i].get<float>();
          node.mean = node.value;
        } else {
          if (l >= static_cast<int>(n) || r < 0 || r >= static_cast<int>(n) ||
              l <= static_cast<int>(i) || r <= static_cast<int>(i)) {
            return Malformed(name, "a tree's children are out of order");
          }
          node.feature = split[i].get<int>();
          if (node.feature < 0 || node.feature >= features) {
            return Malformed(name, "a split on an unknown feature");
          }
          node.threshold = condition[i].get<float>();
          node.left = base + l;
          node.right = base + r;
          node.default_left = default_left[i].get<int>() != 0;
        }
        model.nodes_.push_back(node);
      }
      // Children come after their parent, so a backward pass has both children's means.
      for (size_t i = n; i-- > 0;) {
        Node& node = model.nodes_[static_cast<size_t>(base) + i];
        if (node.feature < 0) continue;
        const auto l = static_cast<size_t>(node.left - base);
        const auto r = static_cast<size_t>(node.right - base);
        const double total = cover[l] + cover[r];
        node.mean = total > 0 ? (cover[l] * model.nodes_[static_cast<size_t>(node.left)].mean +
                                 cover[r] * model.nodes_[static_cast<size_t>(node.right)].mean) /
                                    total
                              : 0.5 * (model.nodes_[static_cast<size_t>(node.left)].mean +
                                       model.nodes_[static_cast<size_t>(node.right)].mean);
      }
    }
  } catch (const json::exception& e) {
    return Malformed(name, e.what());
  }
  if (model.roots_.empty()) return Malformed(name, "has no trees");
  if (model.feature_names_.size() > static_cast<size_t>(INT16_MAX)) {
    return Malformed(name, "has too many features");
  }
  model.LayOutHeaps();
  return model;
}

void TreeModel::LayOutHeaps() {
  // Deeper trees would need 2^depth slots each; XGBoost's default depth is 6.
  constexpr int kMaxHeapDepth = 12;
  std::function<int(int)> depth_of = [&](int node) -> int {
    const Node& n = nodes_[static_cast<size_t>(node)];
    return n.feature < 0 ? 0 : 1 + std::max(depth_of(n.left), depth_of(n.right));
  };
  int depth = 0;
  for (const int root : roots_) depth = std::max(depth, depth_of(root));
  heap_depth_ = 0;
  heap_features_.clear();
  heap_splits_.clear();
  heap_leaves_.clear();
  if (depth > kMaxHeapDepth) return;
  heap_depth_ = depth;
  const size_t inner = (size_t{1} << depth) - 1;
  heap_features_.assign(roots_.size() * inner, 0);
  heap_splits_.assign(roots_.size() * inner, 0.0F);
  heap_leaves_.assign(roots_.size() * (inner + 1), 0.0F);
  for (size_t t = 0; t < roots_.size(); ++t) FillHeap(t, roots_[t], 0, 0);
}

void TreeModel::FillHeap(size_t tree, int node, size_t slot, int depth) {
  const Node& n = nodes_[static_cast<size_t>(node)];
  const size_t inner = (size_t{1} << heap_depth_) - 1;
  if (depth == heap_depth_) {
    heap_leaves_[tree * (inner + 1) + (slot - inner)] = n.value;
    return;
  }
  if (n.feature < 0) {
    // A leaf above the full depth: whichever way a row goes below it, it lands on its value.
    FillHeap(tree, node, 2 * slot + 1, depth + 1);
    FillHeap(tree, node, 2 * slot + 2, depth + 1);
    return;
  }
  heap_features_[tree * inner + slot] = n.feature;
  heap_splits_[tree * inner + slot] = n.threshold;
  FillHeap(tree, n.left, 2 * slot + 1, depth + 1);
  FillHeap(tree, n.right, 2 * slot + 2, depth + 1);
}

int TreeModel::Next(const Node& node, std::span<const float> features) const {
  const float value = features[static_cast<size_t>(node.feature)];
  if (std::isnan(value)) return node.default_left ? node.left : node.right;
  return value < node.threshold ? node.left : node.right;
}

double TreeModel::WalkedMargin(std::span<const float> features) const {
  double margin = base_margin_;
  for (const int root : roots_) {
    const Node* node = &nodes_[static_cast<size_t>(root)];
    while (node->feature >= 0) node = &nodes_[static_cast<size_t>(Next(*node, features))];
    margin += node->value;
  }
  return margin;
}

bool TreeModel::Heaped(std::span<const float> features) const {
  return heap_depth_ > 0 &&
         std::none_of(features.begin(), features.end(), [](float v) { return std::isnan(v); });
}

double TreeModel::Margin(std::span<const float> features) const {
  if (!Heaped(features)) return WalkedMargin(features);
  double margin = base_margin_;
  const size_t inner = (size_t{1} << heap_depth_) - 1;
  const int32_t* split_features = heap_features_.data();
  const float* splits = heap_splits_.data();
  const float* leaves = heap_leaves_.data();
  for (size_t t = 0; t < roots_.size(); ++t) {
    size_t slot = 0;
    for (int d = 0; d < heap_depth_; ++d) {
      const bool right = !(features[static_cast<size_t>(split_features[slot])] < splits[slot]);
      slot = 2 * slot + 1 + static_cast<size_t>(right);
    }
    margin += leaves[slot - inner];
    split_features += inner;
    splits += inner;
    leaves += inner + 1;
  }
  return margin;
}

void TreeModel::Margins(std::span<const float> rows, std::span<double> margins) const {
  const size_t width = feature_names_.size();
  assert(rows.size() == margins.size() * width);
  // Rows that Margin walks are walked here too; the others descend the heaps a block of
  // rows at a time, tree by tree. Each margin adds the same values in the same order as
  // Margin's, so the two agree to the last bit.
  constexpr size_t kBlock = 8;
  std::vector<size_t> heaped;
  heaped.reserve(margins.size());
  for (size_t r = 0; r < margins.size(); ++r) {
    const std::span<const float> row = rows.subspan(r * width, width);
    if (Heaped(row)) {
      heaped.push_back(r);
    } else {
      margins[r] = WalkedMargin(row);
    }
  }
  const size_t inner = (size_t{1} << heap_depth_) - 1;
  // A block's rows feature by feature (value f of the block's row k at f * kBlock + k): a
  // row's value at a split is then one offset from one base.
  std::vector<float> block(width * kBlock);
  for (size_t first = 0; first < heaped.size(); first += kBlock) {
    const size_t count = std::min(kBlock, heaped.size() - first);
    // A short last block repeats its first row, so that every block is full width (the
    // loops below then unroll); the repeats' sums are dropped.
    for (size_t k = 0; k < kBlock; ++k) {
      const float* row = rows.data() + heaped[first + (k < count ? k : 0)] * width;
      for (size_t f = 0; f < width; ++f) block[f * kBlock + k] = row[f];
    }
    double sums[kBlock];
    for (double& sum : sums) sum = base_margin_;
    const float* values = block.data();
    const int32_t* split_features = heap_features_.data();
    const float* splits = heap_splits_.data();
    const float* leaves = heap_leaves_.data();
    for (size_t t = 0; t < roots_.size(); ++t) {
      size_t slot[kBlock] = {};
      for (int d = 0; d < heap_depth_; ++d) {
        for (size_t k = 0; k < kBlock; ++k) {
          const size_t s = slot[k];
          const float value = values[static_cast<size_t>(split_features[s]) * kBlock + k];
          slot[k] = 2 * s + 1 + static_cast<size_t>(!(value < splits[s]));
        }
      }
      for (size_t k = 0; k < kBlock; ++k) sums[k] += leaves[slot[k] - inner];
      split_features += inner;
      splits += inner;
      leaves += inner + 1;
    }
    for (size_t k = 0; k < count; ++k) margins[heaped[first + k]] = sums[k];
  }
}

double TreeModel::Explain(std::span<const float> features, std::vector<double>* contributions,
                          double* bias) const {
  contributions->assign(feature_names_.size(), 0.0);
  *bias = base_margin_;
  double margin = base_margin_;
  for (const int root : roots_) {
    const Node* node = &nodes_[static_cast<size_t>(root)];
    *bias += node->mean;
    while (node->feature >= 0) {
      const Node* next = &nodes_[static_cast<size_t>(Next(*node, features))];
      (*contributions)[static_cast<size_t>(node->feature)] += next->mean - node->mean;
      node = next;
    }
    margin += node->value;
  }
  return margin;
}

std::string TreeModel::Attribute(const std::string& key) const {
  const auto it = attributes_.find(key);
  return it == attributes_.end() ? std::string() : it->second;
}

}  // namespace citeqa::retriever
