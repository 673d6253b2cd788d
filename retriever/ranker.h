// Orders candidate passages by how much of the question they cover (IDF-weighted concepts,
// phrases kept together) and, second, by bm25; drops near-duplicates.
#pragma once

#include <vector>

#include "retriever/concept_matcher.h"
#include "retriever/passage_search.h"
#include "retriever/question.h"
#include "retriever/vocabulary.h"

namespace citeqa::retriever {

struct RankedPassage {
  Candidate candidate;
  TextMatch match;        // of heading and text together
  double coverage = 0;    // IDF-weighted share of the question's concepts present
  double score = 0;       // what the order is by
};

// Sets each concept's weight: the IDF of the rarer of its wordings' words (a phrase is as
// specific as its rarest word), halved for concepts carried over from earlier questions.
void AssignConceptWeights(const Vocabulary& vocab, std::vector<Concept>* concepts);

// Best first, at most 20. Passages whose words are nearly the same as a better one's are
// dropped.
std::vector<RankedPassage> RankPassages(const AnalyzedQuestion& question,
                                        std::vector<Candidate> candidates);

}  // namespace citeqa::retriever
