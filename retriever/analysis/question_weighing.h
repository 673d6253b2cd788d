// The last step of analysis: a question's concepts weighed by the index's statistics (IDF of
// each concept's commonest wording, adjusted by its part in the question), and its looser
// wordings cut to those the index holds.
#pragma once

#include <cstdint>
#include <functional>

#include "retriever/analysis/question.h"
#include "retriever/vocabulary.h"

namespace citeqa::retriever {

// Passages containing a multi-word phrase (lower-case words): exact up to
// defaults::kPhraseCountSample matches, estimated beyond.
using PhraseFrequency = std::function<int64_t(const Phrase&)>;

// Returns the question with each concept's df, match_cost and weight set: the IDF of its most
// common wording, times defaults' factors for carried, framing and verb concepts; the two
// sides of a comparison weigh at least defaults::kComparedSideShare of the heaviest other
// concept. Related wordings the index does not hold are dropped. Pure apart from
// `phrase_frequency`.
AnalyzedQuestion WeighQuestion(AnalyzedQuestion question, const Vocabulary& vocab,
                               const PhraseFrequency& phrase_frequency);

}  // namespace citeqa::retriever
