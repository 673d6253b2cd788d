// Example questions for an index: candidates drawn from its section openings
// (question_candidates.h), each asked through the engine and offered only when citeqa
// answers it, citing the article the candidate came from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "indexer/status.h"
#include "retriever/engine.h"
#include "retriever/suggestions/question_candidates.h"

namespace citeqa::retriever {

struct SuggestionOptions {
  std::string db_path;  // the index the engine answers from
  size_t max_suggestions = 4;
  size_t max_asks = 40;     // candidates asked at most, answered or not
  int max_sections = 4000;  // section openings read (IndexReader::SectionOpenings)
};

struct Suggestions {
  int64_t generation = 0;  // the index generation the candidates were read from
  std::vector<std::string> questions;
};

// Whether `response` answers `candidate`: found, and one of the answer's sources (a
// citation marked `cited`) is from the document the candidate was drawn from. Pure.
bool AnswersCandidate(const QuestionCandidate& candidate, const AskResponse& response);

// Asks `candidates` in order through `engine` until `max_suggestions` are answered
// (AnswersCandidate) or `max_asks` were asked; of questions whose answers cite the same
// first passage only the first is kept. Errors: the first failed Ask's other than kInvalidArgument
// (e.g. kUnavailable when the index went away). Thread-safe if `engine` is.
Result<std::vector<std::string>> AnsweredQuestions(Engine& engine,
                                                   const std::vector<QuestionCandidate>& candidates,
                                                   size_t max_suggestions, size_t max_asks);

// Reads the index at options.db_path (one read transaction), draws candidates with the
// shared WordNet and returns those `engine` answers. An empty index gives no questions.
// Errors: those of IndexReader::Open and its reads, and of AnsweredQuestions. Takes as long
// as up to options.max_asks questions: call it off the request path, or once per index
// generation (server/suggestion_service.h).
Result<Suggestions> SuggestQuestions(Engine& engine, const SuggestionOptions& options);

}  // namespace citeqa::retriever
