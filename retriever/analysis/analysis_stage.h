// The analysis stage of the answering pipeline: a question, with the earlier questions of its
// conversation, as understood (concepts and their wordings, follow-ups resolved, typos
// corrected) and weighed by the index's statistics.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "indexer/status.h"
#include "retriever/analysis/question.h"
#include "retriever/analysis/question_weighing.h"
#include "retriever/analysis/synonyms.h"
#include "retriever/analysis/typo_corrector.h"
#include "retriever/analysis/wordnet.h"
#include "retriever/vocabulary.h"

namespace citeqa::retriever {

// What analysis reads; everything is borrowed and must outlive the call.
struct AnalysisContext {
  const SynonymTable* synonyms = nullptr;    // required
  const Vocabulary* vocab = nullptr;         // required
  const TypoCorrector* corrector = nullptr;  // null: no typo correction
  const WordNet* wordnet = nullptr;          // null: no verbs or WordNet wordings
  PhraseFrequency phrase_frequency;          // required
};

// The question as understood. Earlier questions are resolved oldest first, each leaning on
// the one before; one that cannot be analysed adds no context. Errors: kInvalidArgument for
// a question with no words or over kMaxQuestionBytes. Thread-safe if the context is.
Result<AnalyzedQuestion> AnalyzeInConversation(std::string_view question,
                                               const std::vector<std::string>& history,
                                               const AnalysisContext& context);

}  // namespace citeqa::retriever
