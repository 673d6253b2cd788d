#include "retriever/suggestions/suggestions.h"

#include <algorithm>
#include <set>

#include "indexer/index_reader.h"
#include "retriever/analysis/wordnet.h"

namespace citeqa::retriever {

bool AnswersCandidate(const QuestionCandidate& candidate, const AskResponse& response) {
  if (!response.found) return false;
  return std::any_of(response.citations.begin(), response.citations.end(),
                     [&](const Citation& c) { return c.cited && c.doc == candidate.doc; });
}

Result<std::vector<std::string>> AnsweredQuestions(Engine& engine,
                                                   const std::vector<QuestionCandidate>& candidates,
                                                   size_t max_suggestions, size_t max_asks) {
  std::vector<std::string> questions;
  std::set<int64_t> first_passages;
  size_t asked = 0;
  for (const QuestionCandidate& candidate : candidates) {
    if (questions.size() >= max_suggestions || asked >= max_asks) break;
    ++asked;
    AskRequest request;
    request.question = candidate.question;
    Result<AskResponse> response = engine.Ask(request);
    if (!response.ok()) {
      if (response.status().code() == StatusCode::kInvalidArgument) continue;
      return response.status();
    }
    if (!AnswersCandidate(candidate, *response)) continue;
    if (!first_passages.insert(response->citations.front().passage_id).second) continue;
    questions.push_back(candidate.question);
  }
  return questions;
}

Result<Suggestions> SuggestQuestions(Engine& engine, const SuggestionOptions& options) {
  // Suggestions are kept for a whole generation: they are checked against its own word
  // statistics, not the previous version's the engine may still answer with.
  CITEQA_RETURN_IF_ERROR(engine.AwaitStatistics());
  auto reader = indexer::IndexReader::Open(options.db_path);
  if (!reader.ok()) return reader.status();
  Suggestions out;
  CITEQA_RETURN_IF_ERROR(reader->BeginRead());
  auto generation = reader->Generation();
  auto sections = reader->SectionOpenings(options.max_sections);
  CITEQA_RETURN_IF_ERROR(reader->EndRead());
  if (!generation.ok()) return generation.status();
  if (!sections.ok()) return sections.status();
  out.generation = *generation;
  const WordNet& wordnet = SharedWordNet();
  const std::vector<QuestionCandidate> candidates =
      CandidateQuestions(*sections, wordnet.loaded() ? &wordnet : nullptr);
  auto questions = AnsweredQuestions(engine, candidates, options.max_suggestions, options.max_asks);
  if (!questions.ok()) return questions.status();
  out.questions = std::move(*questions);
  return out;
}

}  // namespace citeqa::retriever
