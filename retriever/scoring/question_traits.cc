#include "retriever/scoring/question_traits.h"

#include <algorithm>

namespace citeqa::retriever {

QuestionTraits TraitsOf(const AnalyzedQuestion& question) {
  QuestionTraits traits;
  const auto& concepts = question.concepts;
  for (const Concept& c : concepts) {
    if (c.df > 0) {
      traits.known_weight += c.weight;
      traits.heaviest_known = std::max(traits.heaviest_known, c.weight);
    }
    traits.has_carried = traits.has_carried || c.carried;
  }
  for (size_t c = 0; c + 1 < concepts.size(); ++c) {
    if (!concepts[c].carried && !concepts[c + 1].carried &&
        concepts[c + 1].first_token == concepts[c].last_token + 1) {
      ++traits.possible_pairs;
    }
  }
  traits.wording_pairs = WordingPairs(question);
  return traits;
}

MatchMeasures Measure(const TextMatch& match, const std::vector<Concept>& concepts,
                      const QuestionTraits& traits) {
  MatchMeasures m;
  double total = 0;
  for (size_t c = 0; c < concepts.size(); ++c) {
    // A word no passage has is found nowhere: it says nothing about this text, and is
    // counted apart (the answerability features' unknown share).
    if (concepts[c].df == 0) continue;
    const double w = concepts[c].weight;
    const double found = match.concept_match[c];
    total += w;
    m.coverage += w * found;
    if (found >= 1.0) m.exact_coverage += w;
    if (found > 0 && found < 1.0) m.partial_share += w;
    if (found == 0) {
      ++m.missing;
      m.missing_max = std::max(m.missing_max, w);
    }
  }
  if (total > 0) {
    m.coverage /= total;
    m.exact_coverage /= total;
    m.partial_share /= total;
  }
  if (traits.heaviest_known > 0) m.missing_max /= traits.heaviest_known;
  return m;
}

}  // namespace citeqa::retriever
