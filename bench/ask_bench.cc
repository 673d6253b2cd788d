// citeqa_bench_ask: Ask latency over one index, beside the naive FTS5 query, in one run.
//   citeqa_bench_ask --db FILE [--questions bench/questions.tsv] [--rounds N]
//                    [--ask-rounds N] [--no-warm-up] [--benchmark_format=json ...]
// Benchmarks: ask/ID and naive/ID for every question of the mix (p50_ms, p99_ms counters;
// ask/ID also reports found, citations and the engine's took_ms, naive/ID how many passages
// match), and ask_mix / naive_mix, which cycle through the whole mix --rounds times (ask_mix
// --ask-rounds times, by default as many) and report p50_ms / p99_ms over every call; ask_mix
// also first_p50_ms / first_p99_ms over its first round, each question's first ask in the
// process (ask_mix runs first, so nothing has looked up its words or corrected its typos
// yet: what a question nobody asked before costs). The engine's background warm-up
// (EngineOptions::warm_up_layouts: every passage laid out, for a corpus that fits) is
// awaited before any question, as a served user's first question finds it done, and
// reported apart (context warm_up_ms, laid_out_ahead); --no-warm-up turns it off. A
// p99 needs a few hundred calls to be more than the slowest one; citeqa's are cheap
// enough for that at every size, the naive query's are not. The naive query is
//   SELECT rowid FROM passages_fts WHERE passages_fts MATCH '"a" OR "b" ...'
//   ORDER BY rank LIMIT 10
// over the question's content words: what a plain FTS5 search box would do. xapian_mix and
// xapian/ID run the same words through Xapian's BM25 over the same passages
// (bench/xapian_baseline.h): a search library's cost per question. They run after every
// citeqa and naive benchmark, and the Xapian database is built by the first of them
// (xapian_mix reports how long in index_ms), so that it is not there while citeqa is timed;
// --no-xapian leaves them out (indexing a million passages takes minutes).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "bench/question_mix.h"
#include "bench/xapian_baseline.h"
#include "indexer/sqlite_db.h"
#include "retriever/engine.h"

namespace citeqa::bench {
namespace {

constexpr int64_t kNaiveLimit = 10;

struct AskBenchEnv {
  std::unique_ptr<retriever::Engine> engine;
  std::unique_ptr<indexer::Database> db;  // for the naive query
  std::unique_ptr<XapianBaseline> xapian;  // built by the first Xapian benchmark
  std::vector<BenchQuestion> questions;
};

AskBenchEnv* env = nullptr;

double ElapsedMs(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since)
      .count();
}

void SetLatencyCounters(benchmark::State& state, const std::vector<double>& ms) {
  state.counters["p50_ms"] = Percentile(ms, 0.50);
  state.counters["p99_ms"] = Percentile(ms, 0.99);
  state.counters["max_ms"] = Percentile(ms, 1.0);
  state.counters["calls"] = static_cast<double>(ms.size());
}

// One Ask; false (and the benchmark skipped) on an error.
bool TimedAsk(benchmark::State& state, const std::string& question, std::vector<double>* ms,
              retriever::AskResponse* out) {
  retriever::AskRequest request;
  request.question = question;
  const auto started = std::chrono::steady_clock::now();
  auto response = env->engine->Ask(request);
  ms->push_back(ElapsedMs(started));
  if (!response.ok()) {
    state.SkipWithError(response.status().ToString().c_str());
    return false;
  }
  if (out != nullptr) *out = std::move(*response);
  return true;
}

// Runs the naive query to completion; returns the rows read, or -1 on an error.
int64_t NaiveQuery(const std::string& match) {
  if (match.empty()) return 0;
  auto stmt = env->db->Prepare(
      "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?1 ORDER BY rank LIMIT ?2");
  if (!stmt.ok()) return -1;
  stmt->Bind(1, match).Bind(2, kNaiveLimit);
  int64_t rows = 0;
  while (stmt->Step()) rows += stmt->ColumnInt(0) > 0 ? 1 : 0;
  return stmt->status().ok() ? rows : -1;
}

int64_t CountMatches(const std::string& match) {
  if (match.empty()) return 0;
  auto stmt = env->db->Prepare("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?1");
  if (!stmt.ok()) return -1;
  stmt->Bind(1, match);
  return stmt->Step() ? stmt->ColumnInt(0) : -1;
}

void BM_Ask(benchmark::State& state, const BenchQuestion* q) {
  std::vector<double> ms;
  retriever::AskResponse first;
  if (!TimedAsk(state, q->text, &ms, &first)) return;  // warm-up, not counted
  ms.clear();
  for (auto _ : state) {
    if (!TimedAsk(state, q->text, &ms, nullptr)) return;
  }
  SetLatencyCounters(state, ms);
  state.counters["found"] = first.found ? 1 : 0;
  state.counters["citations"] = static_cast<double>(first.citations.size());
  state.counters["engine_took_ms"] = first.took_ms;
}

void BM_Naive(benchmark::State& state, const BenchQuestion* q) {
  const std::string match = NaiveMatchExpression(q->text);
  const int64_t matches = CountMatches(match);
  if (matches < 0 || NaiveQuery(match) < 0) {
    state.SkipWithError(("naive query failed: " + match).c_str());
    return;
  }
  std::vector<double> ms;
  int64_t rows = 0;
  for (auto _ : state) {
    const auto started = std::chrono::steady_clock::now();
    rows = NaiveQuery(match);
    ms.push_back(ElapsedMs(started));
    benchmark::DoNotOptimize(rows);
  }
  SetLatencyCounters(state, ms);
  state.counters["matches"] = static_cast<double>(matches);
  state.counters["rows"] = static_cast<double>(rows);
}

// The Xapian baseline, built on first use (its time in `state`'s counter index_ms); null,
// with the benchmark skipped, when it cannot be built.
const XapianBaseline* Xapian(benchmark::State& state) {
  if (env->xapian) return env->xapian.get();
  const auto indexing = std::chrono::steady_clock::now();
  auto built = XapianBaseline::Build(env->db.get());
  if (!built.ok()) {
    state.SkipWithError(built.status().ToString().c_str());
    return nullptr;
  }
  state.counters["index_ms"] = ElapsedMs(indexing);
  state.counters["passages"] = static_cast<double>((*built)->passages());
  env->xapian = std::move(*built);
  return env->xapian.get();
}

void BM_Xapian(benchmark::State& state, const BenchQuestion* q) {
  const XapianBaseline* xapian = Xapian(state);
  if (xapian == nullptr) return;
  const int64_t found = xapian->Search(q->text, kNaiveLimit);
  if (found < 0) {
    state.SkipWithError("xapian search failed");
    return;
  }
  std::vector<double> ms;
  for (auto _ : state) {
    const auto started = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(xapian->Search(q->text, kNaiveLimit));
    ms.push_back(ElapsedMs(started));
  }
  SetLatencyCounters(state, ms);
  state.counters["rows"] = static_cast<double>(found);
}

void BM_AskMix(benchmark::State& state) {
  std::vector<double> ms;
  size_t i = 0;
  for (auto _ : state) {
    if (!TimedAsk(state, env->questions[i++ % env->questions.size()].text, &ms, nullptr)) return;
  }
  SetLatencyCounters(state, ms);
  const std::vector<double> first_round(
      ms.begin(),
      ms.begin() + static_cast<std::ptrdiff_t>(std::min(ms.size(), env->questions.size())));
  state.counters["first_p50_ms"] = Percentile(first_round, 0.50);
  state.counters["first_p99_ms"] = Percentile(first_round, 0.99);
}

void BM_NaiveMix(benchmark::State& state) {
  std::vector<std::string> matches;
  for (const BenchQuestion& q : env->questions) matches.push_back(NaiveMatchExpression(q.text));
  std::vector<double> ms;
  size_t i = 0;
  for (auto _ : state) {
    const auto started = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(NaiveQuery(matches[i++ % matches.size()]));
    ms.push_back(ElapsedMs(started));
  }
  SetLatencyCounters(state, ms);
}

void BM_XapianMix(benchmark::State& state) {
  const XapianBaseline* xapian = Xapian(state);
  if (xapian == nullptr) return;
  std::vector<double> ms;
  size_t i = 0;
  for (auto _ : state) {
    const auto started = std::chrono::steady_clock::now();
    const int64_t found =
        xapian->Search(env->questions[i++ % env->questions.size()].text, kNaiveLimit);
    ms.push_back(ElapsedMs(started));
    if (found < 0) {
      state.SkipWithError("xapian search failed");
      return;
    }
  }
  SetLatencyCounters(state, ms);
}

int Usage(const std::string& message) {
  std::fprintf(stderr,
               "citeqa_bench_ask: %s\nusage: citeqa_bench_ask --db FILE [--questions FILE] "
               "[--rounds N] [--ask-rounds N] [--no-warm-up] [--no-xapian] "
               "[--benchmark_* flags]\n",
               message.c_str());
  return 2;
}

int Main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);  // removes the --benchmark_* flags
  std::string db_path;
  std::string questions_path = "bench/questions.tsv";
  int64_t rounds = 5;
  int64_t ask_rounds = 0;  // 0: as many as rounds
  bool warm_up = true;
  bool with_xapian = true;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--no-warm-up") {
      warm_up = false;
      continue;
    }
    if (flag == "--no-xapian") {
      with_xapian = false;
      continue;
    }
    if (i + 1 >= argc) return Usage("missing value for " + flag);
    const std::string value = argv[++i];
    if (flag == "--db") {
      db_path = value;
    } else if (flag == "--questions") {
      questions_path = value;
    } else if (flag == "--rounds") {
      rounds = std::max<int64_t>(std::atoll(value.c_str()), 1);
    } else if (flag == "--ask-rounds") {
      ask_rounds = std::max<int64_t>(std::atoll(value.c_str()), 1);
    } else {
      return Usage("unknown flag " + flag);
    }
  }
  if (db_path.empty()) return Usage("--db is required");

  AskBenchEnv bench_env;
  auto questions = LoadQuestionMix(questions_path);
  if (!questions.ok()) return Usage(questions.status().ToString());
  bench_env.questions = std::move(*questions);
  const auto opened = std::chrono::steady_clock::now();
  retriever::EngineOptions options;
  options.db_path = db_path;
  // The mix repeats each question: measure the search, not the cache of recent answers.
  options.answer_cache_entries = 0;
  options.warm_up_layouts = warm_up;
  auto engine = retriever::Engine::Open(options);
  if (!engine.ok()) return Usage(engine.status().ToString());
  benchmark::AddCustomContext("engine_open_ms", std::to_string(ElapsedMs(opened)));
  const auto warming = std::chrono::steady_clock::now();
  (*engine)->AwaitWarmUp();
  benchmark::AddCustomContext("warm_up_ms", std::to_string(ElapsedMs(warming)));
  bench_env.engine = std::move(*engine);
  auto db = indexer::Database::Open(db_path, indexer::OpenMode::kReadOnly);
  if (!db.ok()) return Usage(db.status().ToString());
  bench_env.db = std::make_unique<indexer::Database>(std::move(*db));
  auto stats = bench_env.engine->Stats();
  if (stats.ok()) {
    benchmark::AddCustomContext("passages", std::to_string(stats->passages));
    benchmark::AddCustomContext("laid_out_ahead", std::to_string(stats->passages_laid_out_ahead));
  }
  env = &bench_env;

  // The whole mix first (benchmarks run in the order they are registered): its first round
  // is then every question's first ask.
  const int64_t mix_calls = rounds * static_cast<int64_t>(bench_env.questions.size());
  const int64_t ask_mix_calls =
      (ask_rounds > 0 ? ask_rounds : rounds) * static_cast<int64_t>(bench_env.questions.size());
  benchmark::RegisterBenchmark("ask_mix", BM_AskMix)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->Iterations(ask_mix_calls);
  benchmark::RegisterBenchmark("naive_mix", BM_NaiveMix)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->Iterations(mix_calls);
  for (const BenchQuestion& q : bench_env.questions) {
    benchmark::RegisterBenchmark(("ask/" + q.id).c_str(), BM_Ask, &q)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("naive/" + q.id).c_str(), BM_Naive, &q)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  if (with_xapian) {
    benchmark::RegisterBenchmark("xapian_mix", BM_XapianMix)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(ask_mix_calls);
    for (const BenchQuestion& q : bench_env.questions) {
      benchmark::RegisterBenchmark(("xapian/" + q.id).c_str(), BM_Xapian, &q)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  env = nullptr;
  return 0;
}

}  // namespace
}  // namespace citeqa::bench

int main(int argc, char** argv) { return citeqa::bench::Main(argc, argv); }
