// Finds a question's concepts in a piece of text by Porter stem: which concepts occur (as a
// phrase, or only word by word), which words to highlight, and how many of the question's
// adjacent word pairs the text repeats.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "indexer/text.h"
#include "retriever/question.h"

namespace citeqa::retriever {

// What a concept earns when only one of its related wordings (Concept::related) occurs.
inline constexpr double kRelatedCredit = 0.5;

struct TextMatch {
  // Per concept: 1 when one of its wordings occurs as a phrase, 0.5 when all words of a
  // multi-word wording occur but apart or only a related wording occurs, 0 otherwise.
  std::vector<double> concept_match;
  std::vector<int> concept_count;  // occurrences of each concept's wordings
  std::vector<int> first_position; // token index of each concept's first occurrence, or -1
  int words = 0;                   // tokens in the text
  std::vector<std::pair<int, int>> highlights;  // byte ranges of matched words, in order
  int adjacent_pairs = 0;  // the question's adjacent content-word pairs found adjacent here
};

// Pure; thread-safe.
TextMatch MatchConcepts(std::string_view text, const std::vector<Concept>& concepts);
// The same over tokens of the text already made by indexer::Tokenize.
TextMatch MatchConcepts(const std::vector<indexer::Token>& tokens,
                        const std::vector<Concept>& concepts);

// Sum of weight * match over concepts, divided by the sum of weights (0 when no weight).
double WeightedCoverage(const TextMatch& match, const std::vector<Concept>& concepts);

}  // namespace citeqa::retriever
