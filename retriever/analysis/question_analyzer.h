// Turns question text into an AnalyzedQuestion: sanitising, tokenising, typo correction,
// stopwords, synonyms and abbreviations, comparison detection, follow-up resolution.
#pragma once

#include <string_view>
#include <vector>

#include "indexer/status.h"
#include "retriever/analysis/question.h"
#include "retriever/analysis/synonyms.h"
#include "retriever/analysis/typo_corrector.h"
#include "retriever/analysis/wordnet.h"

namespace citeqa::retriever {

inline constexpr size_t kMaxQuestionWords = 64;  // words past this are ignored
inline constexpr size_t kMaxConcepts = 24;

// Errors: kInvalidArgument for a question with no words, or longer than kMaxQuestionBytes.
// `corrector` may be null (no typo correction); `wordnet` may be null (no verb detection,
// no WordNet wordings). Thread-safe if its arguments are.
Result<AnalyzedQuestion> AnalyzeQuestion(std::string_view question, const SynonymTable& synonyms,
                                         const TypoCorrector* corrector,
                                         const WordNet* wordnet = nullptr);

// Merges the topic of the previous (already resolved) question into a follow-up:
// "How much do they earn?" after "What does a product owner do?" gets the concept
// "product owner" (the previous subjects; or its concepts when it named no subject). A
// question with its own subject keeps it: with an opener such as "what about ...", it
// inherits only the previous question's details; otherwise nothing.
AnalyzedQuestion ResolveFollowUp(AnalyzedQuestion question, const AnalyzedQuestion& previous);

}  // namespace citeqa::retriever
