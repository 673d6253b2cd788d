#include "retriever/scoring/comparison_evidence.h"

#include <algorithm>
#include <string>
#include <vector>

#include "indexer/text.h"
#include "retriever/analysis/answer_type.h"
#include "retriever/analysis/cue_set.h"
#include "retriever/scoring/concept_matcher.h"

namespace citeqa::retriever {

bool StatesComparative(std::string_view sentence) {
  static const CueSet kComparativeCues{" compared to ", " compared with ", " in comparison",
                                       " than "};
  return kComparativeCues.FoundIn(SpacePaddedLower(sentence));
}

double SideBySideFit(const AnalyzedQuestion& question, std::string_view passage) {
  if (!question.is_comparison) return 0.0;
  return SideBySideFit(question, ConceptMatcher(question.concepts), passage);
}

std::vector<size_t> ComparisonPoints(const AnalyzedQuestion& question) {
  std::vector<size_t> points;
  if (!question.is_comparison || question.side_a < 0 || question.side_b < 0) return points;
  const auto a = static_cast<size_t>(question.side_a);
  const auto b = static_cast<size_t>(question.side_b);
  if (a >= question.concepts.size() || b >= question.concepts.size()) return points;
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
  for (size_t c = 0; c < question.concepts.size(); ++c) {
    if (could_be_point(c) &&
        question.concepts[c].weight >= defaults::kComparisonPointShare * heaviest) {
      points.push_back(c);
    }
  }
  return points;
}

double SentenceSideBySideFit(const AnalyzedQuestion& question, const std::vector<size_t>& points,
                             const TextMatch& match, std::string_view sentence) {
  if (!question.is_comparison || question.side_a < 0 || question.side_b < 0) return 0.0;
  const auto a = static_cast<size_t>(question.side_a);
  const auto b = static_cast<size_t>(question.side_b);
  if (a >= match.concept_match.size() || b >= match.concept_match.size()) return 0.0;
  if (match.concept_match[a] < 1.0 || match.concept_match[b] < 1.0) return 0.0;
  const bool on_point = points.empty() || std::any_of(points.begin(), points.end(), [&](size_t c) {
                          return match.concept_match[c] > 0;
                        });
  if (!on_point) return 0.0;
  if (StatesComparative(sentence)) return 1.0;
  // A choice ("who earns more") is settled by a comparative; a contrast only sets the
  // sides apart.
  if (AnswerTypeFit(AnswerType::kContrast, sentence) > 0) {
    return question.asks_choice ? defaults::kChoiceContrastFit : 1.0;
  }
  return 0.0;
}

double SideBySideFit(const AnalyzedQuestion& question, const ConceptMatcher& matcher,
                     std::string_view passage) {
  if (!question.is_comparison) return 0.0;
  const std::vector<size_t> points = ComparisonPoints(question);
  double best = 0;
  for (const std::string_view sentence : indexer::SentencesByLine(passage)) {
    best =
        std::max(best, SentenceSideBySideFit(question, points, matcher.Match(sentence), sentence));
    if (best >= 1.0) break;
  }
  return best;
}

}  // namespace citeqa::retriever
