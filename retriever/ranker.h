// Orders candidate passages by how much of the question they cover (IDF-weighted concepts,
// phrases kept together) and, second, by bm25; drops near-duplicates.
#pragma once

#include <cstdint>
#include <functional>
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

// Passages containing a multi-word phrase (lower-case words): exact up to
// kPhraseCountSample matches, estimated beyond (PhraseDocumentFrequency).
using PhraseFrequency = std::function<int64_t(const Phrase&)>;
inline constexpr int64_t kPhraseCountSample = 200;

// Sets each concept's df and weight: the IDF of its most common wording (single words from
// the vocabulary, phrases counted exactly), halved for concepts carried over from earlier
// questions.
void AssignConceptWeights(const Vocabulary& vocab, const PhraseFrequency& phrase_df,
                          std::vector<Concept>* concepts);

// Best first, at most 20. Passages whose words are nearly the same as a better one's are
// dropped.
std::vector<RankedPassage> RankPassages(const AnalyzedQuestion& question,
                                        std::vector<Candidate> candidates);

}  // namespace citeqa::retriever
