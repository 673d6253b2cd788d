// Whether a passage sets the two sides of a comparison side by side: one sentence that names
// both and contrasts them ("Product Managers command higher salaries than Product Owners").
// A passage about one side, or naming both without relating them, answers a comparison
// only by half.
#pragma once

#include <string_view>

#include "retriever/concept_matcher.h"
#include "retriever/question.h"

namespace citeqa::retriever {

// A concept is a point of comparison when it weighs at least this share of the heaviest.
inline constexpr double kPointWeightShare = 0.25;
// What a mere contrast ("whereas") earns for a choice question, which wants a comparative.
inline constexpr double kChoiceContrastFit = 0.5;

// 1 when a sentence (or list line) of the passage names both sides of the question's
// comparison, the point they are compared on (the question's other weighty concepts, if
// any: "earns" in "who earns more"), and contrasts them; for a choice question ("who earns
// more, A or B?") a contrast without a comparative ("higher than", "compared to") earns
// kChoiceContrastFit. 0 otherwise, and for a question that compares nothing. Concept
// weights must be set. Pure; thread-safe.
double SideBySideFit(const AnalyzedQuestion& question, std::string_view passage);
// The same with a matcher already built for the question's concepts.
double SideBySideFit(const AnalyzedQuestion& question, const ConceptMatcher& matcher,
                     std::string_view passage);

// True if the sentence states a comparison: a comparative word with "than", or "compared
// to/with", "in comparison". Pure.
bool StatesComparative(std::string_view sentence);

}  // namespace citeqa::retriever
