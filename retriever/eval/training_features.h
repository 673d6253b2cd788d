// What the models are trained on: for every question of a question file, the features the
// pipeline computed at each stage (every candidate passage, every sentence option of the
// leading passages, the answerability row), with the question's labels. Written as one JSON
// object a line for training/train.py, which labels passages and sentences by the gold
// answers and trains with XGBoost.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "indexer/status.h"
#include "retriever/eval/eval.h"

namespace citeqa::retriever {

struct TrainingFeaturesOptions {
  std::string db_path;
  // The models trained so far (a stage's features may need the stages before it); those
  // missing are left out.
  std::string models_dir;
};

// Asks every question (conversations turn by turn, earlier turns as history) and writes a
// line per question:
//   {"id", "kind", "gold", "expect_abstain", "doc", "para",
//    "candidates": [{"passage_id", "features"}],     retrieval order
//    "ranked": [passage_id, ...],                     the passage model's order
//    "sentences": [{"passage_id", "rank", "text", "score", "features"}],
//    "answerability", "probability", "found", "answer"}
// where each "features" (and "answerability") is a string of numbers in the order of the
// feature names, with the digits that give back the exact float the model sees.
// and first a line {"features": {"passage": [names], "sentence": [...], "answerability": [...]}}.
// Errors: those of opening the index and the models; a question that cannot be answered is
// written with empty lists.
Status WriteTrainingFeatures(const TrainingFeaturesOptions& options,
                             const std::vector<EvalQuestion>& questions, std::ostream& out);

}  // namespace citeqa::retriever
