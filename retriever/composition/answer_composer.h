// The composition stage of the answering pipeline: the short answer, built from the scored
// sentences of the leading passages, each sentence ending with its passage's [n] marker,
// and the passages it cites with the byte ranges it quotes. Rules that make an answer read
// well out of context, whatever the question:
// - the best sentence first; a further one only if it stands in the same passage, the
//   sentence model gives it at least the follow threshold, and it fits
//   (defaults::kMaxAnswerSentences, defaults::kMaxAnswerBytes): the answer's source is one
//   passage, cited first;
// - a question comparing two things also gets the best sentence about a side the answer
//   lacks, from any passage;
// - a sentence that points back ("It ...", "For example, ...") comes with the sentence before
//   it (for a passage's first sentence, the last of the passage before it in its document,
//   which scoring adds to the leading passages), or not at all; calls to action, signposts,
//   questions and sentences that trail off are never quoted;
// - a sentence that goes on with a connective ("But ...") after a call to action between
//   paragraphs ("Create beautiful roadmaps in minutes.") goes on from the sentence before it;
// - "He ..." inside a list item comes with the list's lead-in, which names who is meant;
// - the first sentence is said however long it is with those it points back to (cut short
//   to defaults::kMaxAnswerBytes); a sentence with no room left is neither said nor cited;
// - a list stays a list; the sentences of an article are given in the article's order.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "retriever/analysis/question.h"
#include "retriever/scoring/scoring_stage.h"

namespace citeqa::retriever {

struct CitedPassage {
  size_t passage = 0;  // index into ScoredCandidates::passages
  // Byte ranges [begin, end) of the passage text the answer quotes, in order.
  std::vector<std::pair<int, int>> quotes;
};

struct ComposedAnswer {
  std::string text;                 // empty when no sentence could be used
  std::vector<CitedPassage> cited;  // cited[i] is marked [i + 1], in order of first use
  std::vector<size_t> sentences;    // indexes into ScoredCandidates::sentences, as said
};

ComposedAnswer ComposeAnswer(const AnalyzedQuestion& question, const ScoredCandidates& scored,
                             double follow_threshold);

}  // namespace citeqa::retriever
