// citeqa_bench_stages: where one Ask's time goes, stage by stage, for each question of the
// mix. It runs the engine's own pipeline (RunPipeline, with the context QaEngine builds:
// typo correction with bigram lookups, phrase counts, the models built into the binary) and
// reads each stage's time from PipelineResult::times, so it follows the pipeline whatever
// its stages do. Beside it, in the same iterations, the naive FTS5 baseline: the question's
// concepts as one OR of every wording (AnyWordingQuery) through IndexReader::Candidates,
// bm25-ranked, as many passages as the pipeline retrieves.
//   citeqa_bench_stages --db FILE [--questions bench/questions.tsv] [--benchmark_* flags]
// Benchmarks:
//   stages/ID   per question; its time is RunPipeline's. Counters (ms, mean per call):
//               analysis_ms, retrieval_ms, scoring_ms, decision_ms, composition_ms,
//               pipeline_ms, naive_ms; ratios pipeline_per_naive and retrieval_per_naive;
//               and concepts, planned_queries, candidates, max_df (the commonest
//               concept's passages), naive_rows, found.
//   setup/load_vocabulary, setup/load_models   what an Engine pays once per index
//               generation, and once at start.
// Phrase counts and bigram lookups are not remembered between calls (the engine remembers
// them per index generation): these are a question's costs the first time it is asked.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/question_mix.h"
#include "indexer/index_reader.h"
#include "retriever/analysis/synonyms.h"
#include "retriever/analysis/typo_corrector.h"
#include "retriever/analysis/wordnet.h"
#include "retriever/defaults.h"
#include "retriever/index_statistics.h"
#include "retriever/models.h"
#include "retriever/pipeline.h"
#include "retriever/retrieval/query_plan.h"
#include "retriever/vocabulary.h"

namespace citeqa::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct StageBenchEnv {
  indexer::IndexReader* index = nullptr;
  std::shared_ptr<const retriever::IndexStatistics> stats;
  retriever::Models models;
  std::vector<BenchQuestion> questions;
};

StageBenchEnv* env = nullptr;

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Sums of one question's calls.
struct StageSums {
  retriever::StageTimes stages;
  double pipeline_ms = 0;
  double naive_ms = 0;
};

void Add(const retriever::StageTimes& t, retriever::StageTimes* sum) {
  sum->analysis_ms += t.analysis_ms;
  sum->retrieval_ms += t.retrieval_ms;
  sum->scoring_ms += t.scoring_ms;
  sum->decision_ms += t.decision_ms;
  sum->composition_ms += t.composition_ms;
}

void SetStageCounters(benchmark::State& state, const StageSums& sums) {
  const auto mean = [](double total) {
    return benchmark::Counter(total, benchmark::Counter::kAvgIterations);
  };
  state.counters["analysis_ms"] = mean(sums.stages.analysis_ms);
  state.counters["retrieval_ms"] = mean(sums.stages.retrieval_ms);
  state.counters["scoring_ms"] = mean(sums.stages.scoring_ms);
  state.counters["decision_ms"] = mean(sums.stages.decision_ms);
  state.counters["composition_ms"] = mean(sums.stages.composition_ms);
  state.counters["pipeline_ms"] = mean(sums.pipeline_ms);
  state.counters["naive_ms"] = mean(sums.naive_ms);
  if (sums.naive_ms > 0) {
    state.counters["pipeline_per_naive"] = sums.pipeline_ms / sums.naive_ms;
    state.counters["retrieval_per_naive"] = sums.stages.retrieval_ms / sums.naive_ms;
  }
}

// One read transaction per call, as the engine has; it is not part of the time measured.
void BM_Stages(benchmark::State& state, const BenchQuestion* q) {
  // The context the engine builds for a question; its remembered counts are forgotten
  // before every call, so each call pays a question's first-time cost.
  const retriever::QuestionContext question_context(env->index, *env->stats, env->models);
  const retriever::PipelineContext& context = question_context.get();
  StageSums sums;
  retriever::PipelineResult last;
  size_t naive_rows = 0;
  for (auto _ : state) {
    if (const Status begun = env->index->BeginRead(); !begun.ok()) {
      state.SkipWithError(begun.ToString().c_str());
      return;
    }
    env->stats->ForgetCounts();
    const Clock::time_point started = Clock::now();
    auto result = retriever::RunPipeline(q->text, {}, context);
    const double pipeline_ms = MsSince(started);
    if (!result.ok()) {
      (void)env->index->EndRead();
      state.SkipWithError(result.status().ToString().c_str());
      return;
    }
    // The baseline over the concepts the analysis found: what a search box would run.
    const indexer::TermQuery naive =
        retriever::AnyWordingQuery(result->question.concepts, context.limits.candidates);
    const Clock::time_point naive_started = Clock::now();
    auto rows = env->index->Candidates(naive);
    const double naive_ms = MsSince(naive_started);
    const Status ended = env->index->EndRead();
    if (!rows.ok() || !ended.ok()) {
      state.SkipWithError((rows.ok() ? ended : rows.status()).ToString().c_str());
      return;
    }
    state.SetIterationTime(pipeline_ms / 1000.0);
    sums.pipeline_ms += pipeline_ms;
    sums.naive_ms += naive_ms;
    Add(result->times, &sums.stages);
    naive_rows = rows->size();
    last = std::move(*result);
  }
  SetStageCounters(state, sums);
  int64_t max_df = 0;
  for (const retriever::Concept& c : last.question.concepts) max_df = std::max(max_df, c.df);
  state.counters["concepts"] = static_cast<double>(last.question.concepts.size());
  state.counters["planned_queries"] =
      static_cast<double>(retriever::PlanQueries(last.question.concepts, context.limits).size());
  state.counters["candidates"] = static_cast<double>(last.scored.candidate_features.size());
  state.counters["max_df"] = static_cast<double>(max_df);
  state.counters["naive_rows"] = static_cast<double>(naive_rows);
  state.counters["found"] = last.decision.found ? 1 : 0;
}

void BM_LoadVocabulary(benchmark::State& state) {
  size_t terms = 0;
  for (auto _ : state) {
    auto counts = env->index->Counts();
    if (!counts.ok()) {
      state.SkipWithError(counts.status().ToString().c_str());
      return;
    }
    auto vocab = retriever::LoadVocabulary(env->index, counts->passages);
    if (!vocab.ok()) {
      state.SkipWithError(vocab.status().ToString().c_str());
      return;
    }
    terms = vocab->word_df.size() + vocab->stem_df.size();
  }
  state.counters["terms"] = static_cast<double>(terms);
}

void BM_LoadModels(benchmark::State& state) {
  for (auto _ : state) {
    auto models = retriever::LoadModels("");
    if (!models.ok()) {
      state.SkipWithError(models.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(models);
  }
}

int Usage(const std::string& message) {
  std::fprintf(stderr,
               "citeqa_bench_stages: %s\nusage: citeqa_bench_stages --db FILE "
               "[--questions FILE] [--benchmark_* flags]\n",
               message.c_str());
  return 2;
}

int Main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);  // removes the --benchmark_* flags
  std::string db_path;
  std::string questions_path = "bench/questions.tsv";
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return Usage("missing value for " + flag);
    const std::string value = argv[++i];
    if (flag == "--db") {
      db_path = value;
    } else if (flag == "--questions") {
      questions_path = value;
    } else {
      return Usage("unknown flag " + flag);
    }
  }
  if (db_path.empty()) return Usage("--db is required");
  StageBenchEnv bench_env;
  auto questions = LoadQuestionMix(questions_path);
  if (!questions.ok()) return Usage(questions.status().ToString());
  bench_env.questions = std::move(*questions);
  auto index = indexer::IndexReader::Open(db_path);
  if (!index.ok()) return Usage(index.status().ToString());
  bench_env.index = &*index;
  if (const Status begun = index->BeginRead(); !begun.ok()) return Usage(begun.ToString());
  auto stats = retriever::IndexStatistics::Load(&*index, "", nullptr);
  if (!stats.ok()) return Usage(stats.status().ToString());
  bench_env.stats = std::move(*stats);
  if (const Status ended = index->EndRead(); !ended.ok()) return Usage(ended.ToString());
  auto models = retriever::LoadModels("");
  if (!models.ok()) return Usage(models.status().ToString());
  bench_env.models = std::move(*models);
  // Loaded once per process, as the engine does before its first question.
  (void)retriever::EnglishWords();
  (void)retriever::SharedWordNet();
  benchmark::AddCustomContext("passages", std::to_string(bench_env.stats->vocab.passages));
  env = &bench_env;

  benchmark::RegisterBenchmark("setup/load_vocabulary", BM_LoadVocabulary)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("setup/load_models", BM_LoadModels)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  for (const BenchQuestion& q : bench_env.questions) {
    benchmark::RegisterBenchmark(("stages/" + q.id).c_str(), BM_Stages, &q)
        ->Unit(benchmark::kMillisecond)
        ->UseManualTime();
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  env = nullptr;
  return 0;
}

}  // namespace
}  // namespace citeqa::bench

int main(int argc, char** argv) { return citeqa::bench::Main(argc, argv); }
