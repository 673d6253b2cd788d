#include "retriever/analysis/analysis_stage.h"

#include <utility>

#include "retriever/analysis/question_analyzer.h"

namespace citeqa::retriever {

Result<AnalyzedQuestion> AnalyzeInConversation(std::string_view question,
                                               const std::vector<std::string>& history,
                                               const AnalysisContext& context) {
  auto asked = AnalyzeQuestion(question, *context.synonyms, context.corrector, context.wordnet);
  if (!asked.ok()) return asked.status();
  AnalyzedQuestion previous;
  for (const std::string& earlier : history) {
    auto turn = AnalyzeQuestion(earlier, *context.synonyms, context.corrector, context.wordnet);
    if (!turn.ok()) continue;
    previous = ResolveFollowUp(std::move(*turn), previous);
  }
  return WeighQuestion(ResolveFollowUp(std::move(*asked), previous), *context.vocab,
                       context.phrase_frequency);
}

}  // namespace citeqa::retriever
