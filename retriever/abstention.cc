#include "retriever/abstention.h"

#include <algorithm>

namespace citeqa::retriever {

bool ShouldAbstain(const AnalyzedQuestion& question, const std::vector<RankedPassage>& ranked,
                   const AbstentionPolicy& policy) {
  if (question.concepts.empty() || ranked.empty()) return true;
  int own = 0;
  int unknown = 0;
  for (const Concept& c : question.concepts) {
    if (c.carried) continue;  // the earlier turn's words were judged with it
    ++own;
    if (c.df == 0) ++unknown;
    if (c.df == 0 && (c.proper || c.entity)) return true;
  }
  if (own > 0 && static_cast<double>(unknown) >= policy.max_unknown_share * own) return true;
  // The best-covering passage among the leaders decides, whatever their order.
  double best = 0;
  for (const RankedPassage& r : ranked) {
    double total = 0;
    double covered = 0;
    for (size_t c = 0; c < question.concepts.size(); ++c) {
      if (question.concepts[c].df == 0) continue;
      total += question.concepts[c].weight;
      covered += question.concepts[c].weight * r.match.concept_match[c];
    }
    if (total > 0) best = std::max(best, covered / total);
  }
  return best < policy.min_coverage;
}

}  // namespace citeqa::retriever
