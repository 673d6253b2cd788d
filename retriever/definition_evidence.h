// Whether a sentence defines what a "what is X?" question asks about: X itself followed by
// a defining phrase ("Scrum is an agile framework", "the product backlog, a prioritized
// list of features", "a Product Owner (PO) is ..."), not merely some "is a" elsewhere.
#pragma once

#include <string_view>

#include "retriever/concept_matcher.h"

namespace citeqa::retriever {

// What a definition of something else ("... is a role") is worth beside one of the word
// asked about.
inline constexpr double kOtherDefinitionFit = 0.5;

// 1 if a word the question asked about (a highlight of `match`, made by MatchConcepts over
// `sentence`) is directly followed by a defining phrase; kOtherDefinitionFit if the
// sentence defines something else; 0 otherwise. Pure; thread-safe.
double DefinitionFit(std::string_view sentence, const TextMatch& match);

}  // namespace citeqa::retriever
