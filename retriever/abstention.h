// Decides when the articles do not answer a question. Two tests: the question must be
// mostly about things the index knows (a question whose own concepts are half or more
// unknown to every article, like "the capital of France", is about another topic even if
// one word appears somewhere), and the best passage must cover enough of the IDF-weighted
// known concepts. Unknown words in an otherwise covered question ("is the role *tied* to
// Scrum?") are paraphrase, not a change of topic; but an unknown name ("in Germany", "FIFA",
// "Scrum Master") is a constraint no article meets. A third test for event questions ("Who
// created X?", "When was X invented?"): some leading passage must state that very event,
// not only mention X. An unknown word that a leading passage holds in other words (a
// WordNet wording: "competitors" / "competition") is a paraphrase, not an unknown topic,
// unless it stands in a compound with another question word ("business analyst"). And a
// question naming two or more things ("the CEO of BMC") needs a leading passage naming all.
#pragma once

#include <cstddef>
#include <vector>

#include "retriever/question.h"
#include "retriever/ranker.h"

namespace citeqa::retriever {

struct AbstentionPolicy {
  double min_coverage = 0.4;        // of the known concepts, by the best passage
  double max_unknown_share = 0.5;   // abstain at or above this share of unknown concepts
  size_t event_passages_read = 5;   // leading passages searched for the asked-for event
};

// Share (by weight) of an event question's other known concepts that the sentence stating
// its event must hold.
inline constexpr double kEventEvidenceShare = 0.5;

// True when the answer should be "not found".
bool ShouldAbstain(const AnalyzedQuestion& question, const std::vector<RankedPassage>& ranked,
                   const AbstentionPolicy& policy = {});

}  // namespace citeqa::retriever
