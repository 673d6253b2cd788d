// The three learned models of the answering pipeline, loaded once: the passage ranker, the
// sentence ranker and the answerability model with its threshold. They are XGBoost models
// trained by training/train.py and kept in models/; the binary carries a copy of each.
#pragma once

#include <optional>
#include <string>

#include "indexer/status.h"
#include "retriever/scoring/tree_model.h"

namespace citeqa::retriever {

struct Models {
  std::optional<TreeModel> passages;       // models/passage_ranker.json
  std::optional<TreeModel> sentences;      // models/sentence_ranker.json
  std::optional<TreeModel> answerability;  // models/answerability.json
  // The answerability model's chance below which the answer is "not found" (its attribute
  // "threshold", chosen on held-out folds at training).
  double answer_threshold = 0.5;
  // The sentence model's chance a further sentence needs to join the answer (its attribute
  // "follow_threshold").
  double follow_threshold = 0.5;
};

// Loads the three models from `dir` or, with an empty `dir`, the copies built into the
// binary. Errors: kNotFound naming a missing model, kCorruption naming a malformed one or one
// trained on other features than this build computes.
Result<Models> LoadModels(const std::string& dir);

// The same, taking only the models present in `dir` (the others stay empty): for reading
// training features before all models exist. Errors as LoadModels for a present file.
Result<Models> LoadAvailableModels(const std::string& dir);

}  // namespace citeqa::retriever
