#include "retriever/decision/decision_stage.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace citeqa::retriever {
namespace {

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

// The question's words no article uses, quoted: the plainest reason there is.
std::string UnknownWords(const AnalyzedQuestion& question) {
  std::string out;
  for (const Concept& c : question.concepts) {
    if (c.df > 0 || c.carried) continue;
    if (!out.empty()) out += ", ";
    out += "'" + c.label + "'";
  }
  return out;
}

// "the articles answer it with a chance of 0.12, below the threshold 0.31; against it most:
// ..." naming the features that pulled the chance down most.
std::string ReasonFrom(const AnalyzedQuestion& question, const Decision& d,
                       const TreeModel& model) {
  std::vector<double> contributions;
  double bias = 0;
  model.Explain(d.features, &contributions, &bias);
  std::vector<size_t> order(contributions.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return contributions[a] < contributions[b]; });
  std::string reason = "the articles answer it with a chance of " + Number(d.probability) +
                       ", below the threshold " + Number(d.threshold);
  std::string against;
  for (size_t k = 0; k < order.size() && k < 3 && contributions[order[k]] < 0; ++k) {
    if (!against.empty()) against += ", ";
    against +=
        std::string(kAnswerabilityFeatureNames[order[k]]) + " " + Number(d.features[order[k]]);
  }
  if (!against.empty()) reason += "; most against it: " + against;
  const std::string unknown = UnknownWords(question);
  if (!unknown.empty()) reason += "; no article uses " + unknown;
  return reason;
}

}  // namespace

Decision Decide(const AnalyzedQuestion& question, const ScoredCandidates& scored,
                const TreeModel* answerability, double threshold) {
  Decision d;
  d.threshold = threshold;
  d.features = AnswerabilityFeatures(question, scored);
  if (answerability != nullptr) {
    d.probability = 1.0 / (1.0 + std::exp(-answerability->Margin(d.features)));
  }
  if (scored.passages.empty() || scored.sentences.empty()) {
    const std::string unknown = UnknownWords(question);
    d.reason = unknown.empty()
                   ? "no passage matches the question's words"
                   : "no passage matches the question's words; no article uses " + unknown;
    return d;
  }
  if (answerability == nullptr) {
    d.found = true;
    d.probability = 1.0;
    return d;
  }
  d.found = d.probability >= threshold;
  if (!d.found) d.reason = ReasonFrom(question, d, *answerability);
  return d;
}

}  // namespace citeqa::retriever
