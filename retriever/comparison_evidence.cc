#include "retriever/comparison_evidence.h"

#include <algorithm>
#include <string>
#include <vector>

#include "indexer/text.h"
#include "retriever/answer_type.h"
#include "retriever/concept_matcher.h"

namespace citeqa::retriever {

bool StatesComparative(std::string_view sentence) {
  std::string lower = " ";
  lower += indexer::AsciiLower(sentence);
  lower += ' ';
  for (std::string_view cue : {" compared to ", " compared with ", " in comparison", " than "}) {
    if (lower.find(cue) != std::string::npos) return true;
  }
  return false;
}

double SideBySideFit(const AnalyzedQuestion& question, std::string_view passage) {
  if (!question.is_comparison) return 0.0;
  return SideBySideFit(question, ConceptMatcher(question.concepts), passage);
}

double SideBySideFit(const AnalyzedQuestion& question, const ConceptMatcher& matcher,
                     std::string_view passage) {
  if (!question.is_comparison || question.side_a < 0 || question.side_b < 0) return 0.0;
  const auto a = static_cast<size_t>(question.side_a);
  const auto b = static_cast<size_t>(question.side_b);
  if (a >= question.concepts.size() || b >= question.concepts.size()) return 0.0;
  // The point of comparison ("earns" in "who earns more"): the question's other concepts
  // that carry weight. A word no passage has, the frame, and the sides themselves are no
  // point, nor do they set the bar for the others; a word every passage has is too light.
  auto could_be_point = [&](size_t c) {
    const Concept& k = question.concepts[c];
    return c != a && c != b && !k.frame && k.df > 0;
  };
  double heaviest = 0;
  for (size_t c = 0; c < question.concepts.size(); ++c) {
    if (could_be_point(c)) heaviest = std::max(heaviest, question.concepts[c].weight);
  }
  std::vector<size_t> points;
  for (size_t c = 0; c < question.concepts.size(); ++c) {
    if (could_be_point(c) && question.concepts[c].weight >= kPointWeightShare * heaviest) {
      points.push_back(c);
    }
  }
  double best = 0;
  for (const std::string_view sentence : indexer::SentencesByLine(passage)) {
    const TextMatch match = matcher.Match(sentence);
    if (match.concept_match[a] < 1.0 || match.concept_match[b] < 1.0) continue;
    const bool on_point =
        points.empty() || std::any_of(points.begin(), points.end(),
                                      [&](size_t c) { return match.concept_match[c] > 0; });
    if (!on_point) continue;
    const bool contrasts = AnswerTypeFit(AnswerType::kContrast, sentence) > 0;
    if (StatesComparative(sentence)) return 1.0;
    // A choice ("who earns more") is settled by a comparative; a contrast only sets the
    // sides apart.
    if (contrasts) best = question.asks_choice ? kChoiceContrastFit : 1.0;
  }
  return best;
}

}  // namespace citeqa::retriever
