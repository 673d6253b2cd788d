#include "retriever/explanation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace citeqa::retriever {
namespace {

std::string Format(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

// "score 2.31 = bias 0.12 + coverage 0.83 (+1.40) + ..." with the largest contributions
// first; the rest summed up, so the line still adds up.
void AppendScore(const ScoreExplanation& s, size_t shown, std::string* out) {
  std::vector<const FeatureContribution*> order;
  for (const FeatureContribution& f : s.features) order.push_back(&f);
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    return std::abs(a->contribution) > std::abs(b->contribution);
  });
  *out += "score " + Format("%.3f", s.score) + " = bias " + Format("%.3f", s.bias);
  double rest = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    if (i < shown) {
      *out += "\n      " + std::string(order[i]->name) + " " + Format("%.3g", order[i]->value) +
              " (" + Format("%+.3f", order[i]->contribution) + ")";
    } else {
      rest += order[i]->contribution;
    }
  }
  if (order.size() > shown) {
    *out += "\n      " + std::to_string(order.size() - shown) + " more features (" +
            Format("%+.3f", rest) + ")";
  }
  *out += "\n";
}

}  // namespace

std::string ExplanationText(const Explanation& e) {
  std::string out;
  const QuestionExplanation& q = e.question;
  out += "question: " + q.text + "\n";
  out += "  asks: " + q.question_word + ", answer type " + q.answer_type +
         (q.compares ? ", compares two things" : "") + "\n";
  for (const auto& [typed, fixed] : q.corrections)
    out += "  corrected " + typed + " -> " + fixed + "\n";
  for (const ConceptExplanation& c : q.concepts) {
    out += "  concept '" + c.label + "' weight " + Format("%.2f", c.weight) + " in " +
           std::to_string(c.passages) + " passages" + (c.carried ? ", from earlier" : "") +
           (c.name ? ", a name" : "") + (c.verb ? ", the verb" : "") + "; wordings:";
    for (const std::string& w : c.wordings) out += " '" + w + "'";
    if (!c.related.empty()) {
      out += "; related:";
      for (const std::string& w : c.related) out += " '" + w + "'";
    }
    out += "\n";
  }
  for (const PassageExplanation& p : e.passages) {
    out += "passage #" + std::to_string(p.rank) + " (id " + std::to_string(p.passage_id) + ", " +
           p.doc + ") ";
    AppendScore(p.score, 5, &out);
  }
  for (const SentenceExplanation& s : e.sentences) {
    out += "sentence (passage " + std::to_string(s.passage_id) + ", chance " +
           Format("%.2f", s.probability) + ") \"" + s.text + "\"\n    ";
    AppendScore(s.score, 5, &out);
  }
  const DecisionExplanation& d = e.decision;
  out += std::string(d.found ? "answered" : "not answered") + ": chance " +
         Format("%.3f", d.probability) + ", threshold " + Format("%.3f", d.threshold) + "\n";
  if (!d.reason.empty()) out += "  reason: " + d.reason + "\n";
  out += "  ";
  AppendScore(d.answerability, 6, &out);
  out += "stages (ms): analysis " + Format("%.3f", e.stages.analysis_ms) + ", retrieval " +
         Format("%.3f", e.stages.retrieval_ms) + ", scoring " +
         Format("%.3f", e.stages.scoring_ms) + ", decision " +
         Format("%.3f", e.stages.decision_ms) + ", composition " +
         Format("%.3f", e.stages.composition_ms) + "\n";
  return out;
}

}  // namespace citeqa::retriever
