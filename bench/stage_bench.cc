// citeqa_bench_stages: where one Ask's time goes, stage by stage, for each question of the
// mix, by calling the retriever's public stages the way QaEngine::AskLocked does (as of
// this writing: analyze with typo correction, concept weights with exact phrase counts,
// the FTS5 candidate query, ranking). Plus probes of cheaper query shapes for the same
// MATCH expression, so a new query plan can be judged against them. A diagnostic for
// designing the plan: when AskLocked changes, this file may need to follow.
//   citeqa_bench_stages --db FILE [--questions bench/questions.tsv] [--benchmark_* flags]
// Benchmarks per question ID:
//   stage/analyze/ID   AnalyzeQuestion with the TypoCorrector (bigram lookups hit the db)
//   stage/weights/ID   AssignConceptWeights with PhraseDocumentFrequency (uncached)
//   stage/search/ID    SearchPassages(BuildMatchExpression(concepts), 100): bm25 with the
//                      joins to passages and documents, ORDER BY score LIMIT 100
//   stage/rank/ID      RankPassages over those candidates
//   probe/rowid_bm25/ID    the same MATCH and bm25 order, rowids only (no joins)
//   probe/unranked/ID      the same MATCH, first 100 rowids in rowid order (no scoring)
// and stage/load_vocabulary (what every re-index costs each Engine once).
// Counters: concepts, match_terms, matches (passages matching the expression), candidates,
// max_df (the commonest concept's passages).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "bench/question_mix.h"
#include "indexer/sqlite_db.h"
#include "retriever/paraphrases.h"
#include "retriever/passage_search.h"
#include "retriever/query_plan.h"
#include "retriever/question_analyzer.h"
#include "retriever/ranker.h"
#include "retriever/synonyms.h"
#include "retriever/typo_corrector.h"
#include "retriever/vocabulary.h"
#include "retriever/wordnet.h"

namespace citeqa::bench {
namespace {

using retriever::AnalyzedQuestion;

constexpr int kCandidateLimit = 100;

struct StageBenchEnv {
  std::unique_ptr<indexer::Database> db;
  retriever::Vocabulary vocab;
  retriever::SynonymTable synonyms;
  std::vector<BenchQuestion> questions;
};

StageBenchEnv* env = nullptr;

retriever::TypoCorrector MakeCorrector() {
  indexer::Database* db = env->db.get();
  return retriever::TypoCorrector(env->vocab, retriever::EnglishWords(),
                                  [db](const std::string& a, const std::string& b) {
                                    auto found = retriever::BigramExists(db, a, b);
                                    return found.ok() && *found;
                                  });
}

retriever::PhraseFrequency PhraseCounter() {
  indexer::Database* db = env->db.get();
  return [db](const retriever::Phrase& phrase) {
    auto df = retriever::PhraseDocumentFrequency(db, phrase, retriever::kPhraseCountSample);
    return df.ok() ? *df : int64_t{0};
  };
}

// The question analysed and weighted, as AskLocked has it before the candidate query.
Result<AnalyzedQuestion> Prepare(const std::string& text) {
  const retriever::TypoCorrector corrector = MakeCorrector();
  auto analyzed = retriever::AnalyzeQuestion(text, env->synonyms, &corrector,
                                             &retriever::SharedWordNet());
  if (!analyzed.ok()) return analyzed.status();
  retriever::KeepIndexedWordings(env->vocab, &*analyzed);
  retriever::AssignConceptWeights(env->vocab, PhraseCounter(), &analyzed->concepts);
  return analyzed;
}

int64_t CountMatches(const std::string& match) {
  if (match.empty()) return 0;
  auto stmt = env->db->Prepare("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?1");
  if (!stmt.ok()) return -1;
  stmt->Bind(1, match);
  return stmt->Step() ? stmt->ColumnInt(0) : -1;
}

void SetQuestionCounters(benchmark::State& state, const AnalyzedQuestion& q) {
  const std::string match = retriever::BuildMatchExpression(q.concepts);
  int64_t max_df = 0;
  for (const retriever::Concept& c : q.concepts) max_df = std::max(max_df, c.df);
  state.counters["concepts"] = static_cast<double>(q.concepts.size());
  state.counters["match_terms"] =
      match.empty() ? 0 : static_cast<double>(std::count(match.begin(), match.end(), '"') / 2);
  state.counters["matches"] = static_cast<double>(CountMatches(match));
  state.counters["max_df"] = static_cast<double>(max_df);
}

void BM_LoadVocabulary(benchmark::State& state) {
  size_t words = 0;
  for (auto _ : state) {
    auto vocab = retriever::LoadVocabulary(env->db.get());
    if (!vocab.ok()) {
      state.SkipWithError(vocab.status().ToString().c_str());
      return;
    }
    words = vocab->word_df.size() + vocab->stem_df.size();
  }
  state.counters["terms"] = static_cast<double>(words);
}

void BM_Analyze(benchmark::State& state, const BenchQuestion* q) {
  const retriever::TypoCorrector corrector = MakeCorrector();
  for (auto _ : state) {
    auto analyzed = retriever::AnalyzeQuestion(q->text, env->synonyms, &corrector,
                                               &retriever::SharedWordNet());
    benchmark::DoNotOptimize(analyzed);
  }
  auto prepared = Prepare(q->text);
  if (prepared.ok()) SetQuestionCounters(state, *prepared);
}

void BM_Weights(benchmark::State& state, const BenchQuestion* q) {
  const retriever::TypoCorrector corrector = MakeCorrector();
  auto analyzed = retriever::AnalyzeQuestion(q->text, env->synonyms, &corrector,
                                               &retriever::SharedWordNet());
  if (!analyzed.ok()) {
    state.SkipWithError(analyzed.status().ToString().c_str());
    return;
  }
  retriever::KeepIndexedWordings(env->vocab, &*analyzed);
  const retriever::PhraseFrequency counter = PhraseCounter();
  for (auto _ : state) {
    std::vector<retriever::Concept> concepts = analyzed->concepts;
    retriever::AssignConceptWeights(env->vocab, counter, &concepts);
    benchmark::DoNotOptimize(concepts);
  }
}

retriever::QueryPlanLimits PlanLimits() {
  retriever::QueryPlanLimits limits;
  limits.passages = env->vocab.passages;
  return limits;
}

void BM_Search(benchmark::State& state, const BenchQuestion* q) {
  auto prepared = Prepare(q->text);
  if (!prepared.ok()) {
    state.SkipWithError(prepared.status().ToString().c_str());
    return;
  }
  const retriever::QueryPlanLimits limits = PlanLimits();
  const std::vector<retriever::PlannedQuery> plan =
      retriever::PlanQueries(prepared->concepts, limits);
  size_t candidates = 0;
  for (auto _ : state) {
    auto found = retriever::RunQueryPlan(env->db.get(), plan, limits.min_candidates);
    if (!found.ok()) {
      state.SkipWithError(found.status().ToString().c_str());
      return;
    }
    candidates = found->size();
  }
  SetQuestionCounters(state, *prepared);
  state.counters["planned_queries"] = static_cast<double>(plan.size());
  state.counters["candidates"] = static_cast<double>(candidates);
}

void BM_OrAll(benchmark::State& state, const BenchQuestion* q) {
  auto prepared = Prepare(q->text);
  if (!prepared.ok()) {
    state.SkipWithError(prepared.status().ToString().c_str());
    return;
  }
  const std::string match = retriever::BuildMatchExpression(prepared->concepts);
  size_t candidates = 0;
  for (auto _ : state) {
    auto found = retriever::SearchPassages(env->db.get(), match, kCandidateLimit);
    if (!found.ok()) {
      state.SkipWithError(found.status().ToString().c_str());
      return;
    }
    candidates = found->size();
  }
  state.counters["candidates"] = static_cast<double>(candidates);
}

void BM_Rank(benchmark::State& state, const BenchQuestion* q) {
  auto prepared = Prepare(q->text);
  if (!prepared.ok()) {
    state.SkipWithError(prepared.status().ToString().c_str());
    return;
  }
  const retriever::QueryPlanLimits limits = PlanLimits();
  auto found = retriever::RunQueryPlan(
      env->db.get(), retriever::PlanQueries(prepared->concepts, limits), limits.min_candidates);
  if (!found.ok()) {
    state.SkipWithError(found.status().ToString().c_str());
    return;
  }
  for (auto _ : state) {
    auto ranked = retriever::RankPassages(*prepared, *found);
    benchmark::DoNotOptimize(ranked);
  }
  state.counters["candidates"] = static_cast<double>(found->size());
}

void BM_Probe(benchmark::State& state, const BenchQuestion* q, const char* sql) {
  auto prepared = Prepare(q->text);
  if (!prepared.ok()) {
    state.SkipWithError(prepared.status().ToString().c_str());
    return;
  }
  const std::string match = retriever::BuildMatchExpression(prepared->concepts);
  int64_t rows = 0;
  for (auto _ : state) {
    if (match.empty()) continue;
    auto stmt = env->db->Prepare(sql);
    if (!stmt.ok()) {
      state.SkipWithError(stmt.status().ToString().c_str());
      return;
    }
    stmt->Bind(1, match).Bind(2, static_cast<int64_t>(kCandidateLimit));
    rows = 0;
    while (stmt->Step()) ++rows;
    if (!stmt->status().ok()) {
      state.SkipWithError(stmt->status().ToString().c_str());
      return;
    }
  }
  state.counters["rows"] = static_cast<double>(rows);
}

int Usage(const std::string& message) {
  std::fprintf(stderr,
               "citeqa_bench_stages: %s\nusage: citeqa_bench_stages --db FILE "
               "[--questions FILE] [--benchmark_* flags]\n",
               message.c_str());
  return 2;
}

int Main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
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
  auto db = indexer::Database::Open(db_path, indexer::OpenMode::kReadOnly);
  if (!db.ok()) return Usage(db.status().ToString());
  bench_env.db = std::make_unique<indexer::Database>(std::move(*db));
  auto vocab = retriever::LoadVocabulary(bench_env.db.get());
  if (!vocab.ok()) return Usage(vocab.status().ToString());
  bench_env.vocab = std::move(*vocab);
  std::string synonyms_text;
  {
    auto stmt = bench_env.db->Prepare("SELECT value FROM meta WHERE key = 'synonyms'");
    if (!stmt.ok()) return Usage(stmt.status().ToString());
    if (stmt->Step()) synonyms_text = stmt->ColumnText(0);
  }
  auto synonyms = retriever::SynonymTable::Parse(synonyms_text);
  if (!synonyms.ok()) return Usage(synonyms.status().ToString());
  bench_env.synonyms = std::move(*synonyms);
  (void)retriever::EnglishWords();
  env = &bench_env;

  benchmark::RegisterBenchmark("stage/load_vocabulary", BM_LoadVocabulary)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  for (const BenchQuestion& q : bench_env.questions) {
    const auto add = [&](const std::string& name, auto fn) {
      benchmark::RegisterBenchmark((name + "/" + q.id).c_str(), fn, &q)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    };
    add("stage/analyze", BM_Analyze);
    add("stage/weights", BM_Weights);
    add("stage/search", BM_Search);
    add("stage/rank", BM_Rank);
    add("probe/or_all", BM_OrAll);
    benchmark::RegisterBenchmark(("probe/rowid_bm25/" + q.id).c_str(), BM_Probe, &q,
                                 "SELECT rowid, bm25(passages_fts, 2.0, 1.0) AS score "
                                 "FROM passages_fts WHERE passages_fts MATCH ?1 "
                                 "ORDER BY score LIMIT ?2")
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("probe/unranked/" + q.id).c_str(), BM_Probe, &q,
                                 "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?1 "
                                 "LIMIT ?2")
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  env = nullptr;
  return 0;
}

}  // namespace
}  // namespace citeqa::bench

int main(int argc, char** argv) { return citeqa::bench::Main(argc, argv); }
