// The decision stage of the answering pipeline: whether the articles answer the question.
// One model (models/answerability.json) gives the chance that they do from the question's
// best evidence; the answer is given when it reaches the threshold chosen with the model.
#pragma once

#include <string>

#include "retriever/analysis/question.h"
#include "retriever/decision/answerability_features.h"
#include "retriever/scoring/scoring_stage.h"
#include "retriever/scoring/tree_model.h"

namespace citeqa::retriever {

struct Decision {
  bool found = false;
  double probability = 0;  // that the articles answer the question
  double threshold = 0;
  std::string reason;  // why not, in a sentence; empty when found
  AnswerabilityFeatureRow features{};
};

// Decides. With no model (reading training features) every question with a passage is
// answered. A question no passage matches is never answered. Pure.
Decision Decide(const AnalyzedQuestion& question, const ScoredCandidates& scored,
                const TreeModel* answerability, double threshold);

}  // namespace citeqa::retriever
