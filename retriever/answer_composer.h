// Builds the short answer: the one to three sentences of the cited passages that best
// answer the question, each ending with its passage's [n] marker, at most 600 characters.
// A comparison draws on both sides; a list's lead-in brings its items along.
#pragma once

#include <string>
#include <vector>

#include "retriever/question.h"
#include "retriever/ranker.h"

namespace citeqa::retriever {

inline constexpr size_t kMaxAnswerBytes = 600;
inline constexpr int kMaxAnswerSentences = 3;

// `cited[i]` is cited as [i + 1]. Returns "" when no sentence matches any concept.
std::string ComposeAnswer(const AnalyzedQuestion& question,
                          const std::vector<RankedPassage>& cited);

}  // namespace citeqa::retriever
