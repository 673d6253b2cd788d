// The answering pipeline, stage by stage: analysis (the question understood and weighed) ->
// retrieval (candidate passages) -> scoring (features and the passage and sentence models)
// -> decision (the answerability model: answer or not, and why) -> composition (the answer's
// sentences and citations). Each stage takes the earlier stages' values and returns a new
// one. The engine, `citeqa eval`, the training features, the benchmarks and the fuzzers all
// run this one pipeline.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "indexer/index_reader.h"
#include "indexer/status.h"
#include "retriever/analysis/analysis_stage.h"
#include "retriever/composition/answer_composer.h"
#include "retriever/decision/decision_stage.h"
#include "retriever/engine.h"
#include "retriever/explanation.h"
#include "retriever/models.h"
#include "retriever/retrieval/query_plan.h"
#include "retriever/scoring/scoring_stage.h"

namespace citeqa::retriever {

// What the pipeline reads; everything is borrowed and must outlive the call.
struct PipelineContext {
  indexer::IndexReader* index = nullptr;  // inside a read transaction
  AnalysisContext analysis;
  const Models* models = nullptr;
  QueryPlanLimits limits;
  PassageLayouts* layouts = nullptr;  // the index version's, shared; null lays out afresh
  // The index version's passage lengths and term counts, to rank candidates without FTS5's
  // reads; none: FTS5 reads them (the same ranking, slower).
  indexer::RankingStatistics ranking;
};

struct PipelineResult {
  AnalyzedQuestion question;
  ScoredCandidates scored;
  Decision decision;
  ComposedAnswer answer;  // empty when not found
  StageTimes times;
};

// Runs every stage. Errors: kInvalidArgument for an unusable question (AnalyzeInConversation),
// kIoError when the index cannot be read.
Result<PipelineResult> RunPipeline(const std::string& question,
                                   const std::vector<std::string>& history,
                                   const PipelineContext& context);

// The API's answer: the answer text, `found`, and the citations (the answer's sources
// first, then related passages up to `top_k`); with `explain`, the explanation. The
// conversation id and timing are the engine's to fill.
AskResponse ToResponse(PipelineResult result, size_t top_k, bool explain, const Models& models);

// The answer when the articles do not answer the question.
inline constexpr const char* kNotFoundAnswer =
    "I could not find an answer to that in the articles.";

}  // namespace citeqa::retriever
