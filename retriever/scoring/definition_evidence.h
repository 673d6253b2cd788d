// Whether a sentence defines what a "what is X?" question asks about: X itself followed by
// a defining phrase ("Scrum is an agile framework", "the product backlog, a prioritized
// list of features", "a Product Owner (PO) is ..."), not merely some "is a" elsewhere.
#pragma once

#include <string_view>

#include "retriever/defaults.h"
#include "retriever/scoring/concept_matcher.h"

namespace citeqa::retriever {

// 1 if a word the question asked about (a highlight of `match`, made by MatchConcepts over
// `sentence`) is directly followed by a defining phrase; defaults::kOtherDefinitionFit if the
// sentence defines something else; 0 otherwise. Pure; thread-safe.
// `offset` is where `sentence` starts in the text the match's byte offsets refer to.
double DefinitionFit(std::string_view sentence, const TextMatch& match, int offset = 0);

// The same when the sentence's AnswerTypeFit for AnswerType::kDefinition is known (a passage
// layout remembers it per sentence).
double DefinitionFit(std::string_view sentence, const TextMatch& match, int offset,
                     double definition_type_fit);

}  // namespace citeqa::retriever
