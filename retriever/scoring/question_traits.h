// What every scoring stage needs to know of the question once: its weights in sum, the word
// pairs worth finding, how many of its concepts stand side by side, and how it asks.
#pragma once

#include <vector>

#include "retriever/analysis/question.h"
#include "retriever/scoring/concept_matcher.h"
#include "retriever/scoring/wording_overlap.h"

namespace citeqa::retriever {

struct QuestionTraits {
  double known_weight = 0;    // sum of the weights of concepts some passage has (df > 0)
  double heaviest_known = 0;  // the largest of those weights
  int possible_pairs = 0;     // adjacent concept pairs of the question's own words
  std::vector<StemPair> wording_pairs;
  bool has_carried = false;         // leans on an earlier question
};

QuestionTraits TraitsOf(const AnalyzedQuestion& question);

// How much of the question a text matches, by the weight of the concepts some passage has
// (df > 0): a word no article uses is found in none and is judged apart.
struct MatchMeasures {
  double coverage = 0;        // partial matches count part
  double exact_coverage = 0;  // only concepts found in one of their own wordings
  double partial_share = 0;   // concepts found only in part (split phrase, related wording)
  double missing_max = 0;     // heaviest known concept not found, / heaviest known weight
  int missing = 0;            // known concepts not found
};

MatchMeasures Measure(const TextMatch& match, const std::vector<Concept>& concepts,
                      const QuestionTraits& traits);

}  // namespace citeqa::retriever
