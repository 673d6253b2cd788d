// Whether a passage sets the two sides of a comparison side by side: one sentence that names
// both and contrasts them ("Product Managers command higher salaries than Product Owners").
// A passage about one side, or naming both without relating them, answers a comparison
// only by half.
#pragma once

#include <string_view>

#include "retriever/analysis/question.h"
#include "retriever/defaults.h"
#include "retriever/scoring/concept_matcher.h"

namespace citeqa::retriever {

// 1 when a sentence (or list line) of the passage names both sides of the question's
// comparison, the point they are compared on (the question's other weighty concepts, if
// any: "earns" in "who earns more"), and contrasts them; for a choice question ("who earns
// more, A or B?") a contrast without a comparative ("higher than", "compared to") earns
// defaults::kChoiceContrastFit. 0 otherwise, and for a question that compares nothing. Concept
// weights must be set. Pure; thread-safe.
double SideBySideFit(const AnalyzedQuestion& question, std::string_view passage);
// The same with a matcher already built for the question's concepts.
double SideBySideFit(const AnalyzedQuestion& question, const ConceptMatcher& matcher,
                     std::string_view passage);

// The same judged for one sentence, given its match: 1, defaults::kChoiceContrastFit or 0.
// `points` are the question's points of comparison (ComparisonPoints).
double SentenceSideBySideFit(const AnalyzedQuestion& question, const std::vector<size_t>& points,
                             const TextMatch& match, std::string_view sentence);
// The concepts a comparison is made on: the question's weighty concepts other than its
// sides and frame. Empty for a question that compares nothing.
std::vector<size_t> ComparisonPoints(const AnalyzedQuestion& question);

// True if the sentence states a comparison: a comparative word with "than", or "compared
// to/with", "in comparison". Pure.
bool StatesComparative(std::string_view sentence);

}  // namespace citeqa::retriever
