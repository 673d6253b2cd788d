// citeqa_bench_index: index build throughput over one corpus folder, beside the plain cost
// of putting the same passages into a bare FTS5 table, in one run.
//   citeqa_bench_index --corpus DIR --work DIR [--keep-db FILE] [--iterations N]
//                      [--benchmark_format=json ...]
// Benchmarks, run in this order:
//   index/citeqa            IndexCorpus into a new database (the whole `citeqa index`)
//   index/parse_chunk       read + clean + chunk every file and count the passages' words,
//                           no database, on one thread (the CPU part, which `citeqa index`
//                           spreads over the cores while it writes)
//   index/citeqa_schema     the same passages written into a new citeqa schema the way the
//                           indexer writes them (PassageWriter: content table, its FTS5
//                           rows, the word and stem counts), one
//                           document at a time, words counted on the same thread
//   index/bare_fts5         the same passages into CREATE VIRTUAL TABLE t USING fts5(heading,
//                           text), unicode61, one transaction
//   index/bare_fts5_porter  the same with the porter tokenizer citeqa uses
// Counters: passages_per_s and MB_per_s (input file bytes for the first two, passage text
// bytes for the rest), peak_rss_MB (of the process so far). --keep-db keeps the index built
// by index/citeqa (for the Ask benchmarks).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/chunker.h"
#include "indexer/cleaner.h"
#include "indexer/corpus_indexer.h"
#include "indexer/document_pipeline.h"
#include "indexer/index_schema.h"
#include "indexer/passage_writer.h"
#include "indexer/reader.h"
#include "indexer/sqlite_db.h"
#include "indexer/vocabulary_delta.h"

namespace citeqa::bench {
namespace {

namespace fs = std::filesystem;

struct StoredPassage {
  int64_t doc_id = 0;
  std::string heading;
  std::string text;
};

struct IndexBenchEnv {
  std::string corpus_dir;
  fs::path work_dir;
  std::string keep_db;
  int64_t input_bytes = 0;
  std::vector<StoredPassage> passages;  // loaded from the index index/citeqa built
  int64_t passage_bytes = 0;
};

IndexBenchEnv* env = nullptr;

void RemoveDatabase(const fs::path& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    fs::remove(path.string() + suffix, ec);
  }
}

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void SetThroughput(benchmark::State& state, int64_t passages, int64_t bytes) {
  const double n = static_cast<double>(state.iterations());
  state.counters["passages_per_s"] =
      benchmark::Counter(static_cast<double>(passages) * n, benchmark::Counter::kIsRate);
  state.counters["MB_per_s"] =
      benchmark::Counter(static_cast<double>(bytes) * n / 1e6, benchmark::Counter::kIsRate);
  state.counters["passages"] = static_cast<double>(passages);
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["peak_rss_MB"] = PeakRssMb();
}

Status LoadPassages(const std::string& db_path) {
  auto db = indexer::Database::Open(db_path, indexer::OpenMode::kReadOnly);
  if (!db.ok()) return db.status();
  auto stmt = db->Prepare("SELECT doc_id, heading, text FROM passages ORDER BY id");
  if (!stmt.ok()) return stmt.status();
  env->passages.clear();
  env->passage_bytes = 0;
  while (stmt->Step()) {
    StoredPassage p{stmt->ColumnInt(0), stmt->ColumnText(1), stmt->ColumnText(2)};
    env->passage_bytes += static_cast<int64_t>(p.heading.size() + p.text.size());
    env->passages.push_back(std::move(p));
  }
  return stmt->status();
}

void BM_IndexCiteqa(benchmark::State& state) {
  const fs::path db_path = env->work_dir / "bench_citeqa.db";
  int64_t passages = 0;
  for (auto _ : state) {
    state.PauseTiming();
    RemoveDatabase(db_path);
    state.ResumeTiming();
    indexer::IndexOptions options;
    options.corpus_dir = env->corpus_dir;
    options.db_path = db_path.string();
    auto summary = indexer::IndexCorpus(options);
    if (!summary.ok()) {
      state.SkipWithError(summary.status().ToString().c_str());
      return;
    }
    passages = summary->passages;
  }
  SetThroughput(state, passages, env->input_bytes);
  const Status loaded = LoadPassages(db_path.string());
  if (!loaded.ok()) state.SkipWithError(loaded.ToString().c_str());
  if (!env->keep_db.empty()) {
    RemoveDatabase(env->keep_db);
    std::error_code ec;
    fs::rename(db_path, env->keep_db, ec);
    if (ec) state.SkipWithError(("cannot keep the index: " + ec.message()).c_str());
  }
  RemoveDatabase(db_path);
}

void BM_ParseChunk(benchmark::State& state) {
  struct File {
    indexer::DocumentFormat format;
    std::string bytes;
  };
  std::vector<File> files;
  for (const auto& entry : fs::recursive_directory_iterator(env->corpus_dir)) {
    if (!entry.is_regular_file() || entry.path().filename().string().starts_with(".")) continue;
    const auto format = indexer::FormatForPath(entry.path().string());
    if (!format) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    files.push_back(File{*format, bytes.str()});
  }
  int64_t passages = 0;
  for (auto _ : state) {
    passages = 0;
    std::vector<indexer::SourceFile> sources;
    for (const File& f : files) sources.push_back(indexer::SourceFile{"", f.format, f.bytes, true});
    indexer::ParsedCorpus corpus = indexer::ParseCorpus(&sources, /*threads=*/1);
    indexer::VocabularyDelta vocabulary;
    for (auto& doc : corpus.documents) {
      if (!doc.ok()) continue;
      const indexer::PreparedDocument prepared =
          indexer::PrepareDocument(std::move(*doc), "", corpus.repeated);
      vocabulary.AddPassages(prepared.passages);
      passages += static_cast<int64_t>(prepared.passages.size());
    }
  }
  SetThroughput(state, passages, env->input_bytes);
}

// Inserts every stored passage through `sql` (?1 heading, ?2 text) in one transaction into
// a new database prepared by `schema`.
void InsertPassages(benchmark::State& state, const char* name, const char* schema,
                    const char* sql) {
  if (env->passages.empty()) {
    state.SkipWithError("no passages: index/citeqa must run first");
    return;
  }
  const fs::path db_path = env->work_dir / (std::string("bench_") + name + ".db");
  for (auto _ : state) {
    state.PauseTiming();
    RemoveDatabase(db_path);
    state.ResumeTiming();
    auto db = indexer::Database::Open(db_path.string(), indexer::OpenMode::kReadWrite);
    if (!db.ok()) {
      state.SkipWithError(db.status().ToString().c_str());
      return;
    }
    indexer::Transaction txn(&*db);
    Status status = txn.Begin();
    if (status.ok()) status = db->Exec(schema);
    auto insert = db->Prepare(sql);
    if (status.ok() && !insert.ok()) status = insert.status();
    for (size_t i = 0; status.ok() && i < env->passages.size(); ++i) {
      insert->Reset();
      insert->Bind(1, env->passages[i].heading).Bind(2, env->passages[i].text);
      status = insert->Run();
    }
    if (status.ok()) status = txn.Commit();
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      return;
    }
  }
  SetThroughput(state, static_cast<int64_t>(env->passages.size()), env->passage_bytes);
  RemoveDatabase(db_path);
}

Status WriteCiteqaSchema(const fs::path& db_path) {
  auto db = indexer::Database::Open(db_path.string(), indexer::OpenMode::kReadWrite);
  if (!db.ok()) return db.status();
  CITEQA_RETURN_IF_ERROR(db->Exec("PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY"));
  indexer::Transaction txn(&*db);
  CITEQA_RETURN_IF_ERROR(txn.Begin());
  CITEQA_RETURN_IF_ERROR(indexer::MigrateSchema(&*db));
  auto writer = indexer::PassageWriter::Create(&*db);
  if (!writer.ok()) return writer.status();
  std::vector<indexer::Passage> passages;
  indexer::VocabularyDelta vocabulary;
  for (size_t i = 0; i < env->passages.size(); ++i) {
    const StoredPassage& p = env->passages[i];
    passages.push_back(indexer::Passage{p.heading, p.text, static_cast<int>(passages.size())});
    if (i + 1 < env->passages.size() && env->passages[i + 1].doc_id == p.doc_id) continue;
    vocabulary.AddPassages(passages);
    const indexer::DocumentRecord doc{
        "doc" + std::to_string(p.doc_id), "title", "", 0, "", "", ""};
    CITEQA_RETURN_IF_ERROR(writer->AddDocument(doc, passages));
    passages.clear();
  }
  writer->AddVocabulary(std::move(vocabulary));
  CITEQA_RETURN_IF_ERROR(writer->Finish());
  return txn.Commit();
}

void BM_CiteqaSchema(benchmark::State& state) {
  if (env->passages.empty()) {
    state.SkipWithError("no passages: index/citeqa must run first");
    return;
  }
  const fs::path db_path = env->work_dir / "bench_citeqa_schema.db";
  for (auto _ : state) {
    state.PauseTiming();
    RemoveDatabase(db_path);
    state.ResumeTiming();
    const Status status = WriteCiteqaSchema(db_path);
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      return;
    }
  }
  SetThroughput(state, static_cast<int64_t>(env->passages.size()), env->passage_bytes);
  RemoveDatabase(db_path);
}

void BM_BareFts5(benchmark::State& state) {
  InsertPassages(state, "bare_fts5", "CREATE VIRTUAL TABLE t USING fts5(heading, text)",
                 "INSERT INTO t(heading, text) VALUES (?1, ?2)");
}

void BM_BareFts5Porter(benchmark::State& state) {
  InsertPassages(state, "bare_fts5_porter",
                 "CREATE VIRTUAL TABLE t USING fts5(heading, text, "
                 "tokenize='porter unicode61 remove_diacritics 2')",
                 "INSERT INTO t(heading, text) VALUES (?1, ?2)");
}

int Usage(const std::string& message) {
  std::fprintf(stderr,
               "citeqa_bench_index: %s\nusage: citeqa_bench_index --corpus DIR --work DIR "
               "[--keep-db FILE] [--iterations N] [--benchmark_* flags]\n",
               message.c_str());
  return 2;
}

int Main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  IndexBenchEnv bench_env;
  int64_t iterations = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return Usage("missing value for " + flag);
    const std::string value = argv[++i];
    if (flag == "--corpus") {
      bench_env.corpus_dir = value;
    } else if (flag == "--work") {
      bench_env.work_dir = value;
    } else if (flag == "--keep-db") {
      bench_env.keep_db = value;
    } else if (flag == "--iterations") {
      iterations = std::max<int64_t>(std::atoll(value.c_str()), 1);
    } else {
      return Usage("unknown flag " + flag);
    }
  }
  if (bench_env.corpus_dir.empty() || bench_env.work_dir.empty()) {
    return Usage("--corpus and --work are required");
  }
  std::error_code ec;
  fs::create_directories(bench_env.work_dir, ec);
  if (ec) return Usage("cannot create " + bench_env.work_dir.string() + ": " + ec.message());
  for (const auto& entry : fs::recursive_directory_iterator(bench_env.corpus_dir, ec)) {
    if (entry.is_regular_file() && !entry.path().filename().string().starts_with(".") &&
        indexer::FormatForPath(entry.path().string())) {
      bench_env.input_bytes += static_cast<int64_t>(entry.file_size());
    }
  }
  if (ec) return Usage("cannot read " + bench_env.corpus_dir + ": " + ec.message());
  env = &bench_env;

  struct Entry {
    const char* name;
    void (*fn)(benchmark::State&);
  };
  for (const Entry& e :
       {Entry{"index/citeqa", BM_IndexCiteqa}, Entry{"index/parse_chunk", BM_ParseChunk},
        Entry{"index/citeqa_schema", BM_CiteqaSchema}, Entry{"index/bare_fts5", BM_BareFts5},
        Entry{"index/bare_fts5_porter", BM_BareFts5Porter}}) {
    benchmark::RegisterBenchmark(e.name, e.fn)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(iterations);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  env = nullptr;
  return 0;
}

}  // namespace
}  // namespace citeqa::bench

int main(int argc, char** argv) { return citeqa::bench::Main(argc, argv); }
