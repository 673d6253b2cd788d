#include "bench/corpus_generator.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "bench/article_generator.h"
#include "indexer/chunker.h"
#include "indexer/cleaner.h"
#include "indexer/reader.h"
#include "indexer/text.h"

namespace citeqa::bench {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kFilesPerFolder = 1000;
constexpr int64_t kBatchArticles = 256;

struct Article {
  std::string text;
  int64_t passages = 0;
  int64_t words = 0;
};

Article MakeArticle(const TextModel& model, uint64_t seed, int64_t index) {
  Article a;
  a.text = GenerateArticle(model, MixSeed(seed ^ MixSeed(static_cast<uint64_t>(index))));
  auto doc = indexer::ReadDocument(indexer::DocumentFormat::kMarkdown, a.text);
  if (doc.ok()) {
    indexer::CleanDocument(&*doc, nullptr);
    a.passages = static_cast<int64_t>(indexer::ChunkDocument(*doc).size());
  }
  a.words = indexer::CountWords(a.text);
  return a;
}

fs::path ArticlePath(const fs::path& dir, int64_t index) {
  char folder[24];
  char file[32];
  std::snprintf(folder, sizeof folder, "%04lld", static_cast<long long>(index / kFilesPerFolder));
  std::snprintf(file, sizeof file, "%07lld.md", static_cast<long long>(index));
  return dir / folder / file;
}

Status WriteFile(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) {
    return Status::IoError("cannot create " + path.parent_path().string() + ": " + ec.message());
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Status::IoError("cannot write " + path.string());
  return Status::Ok();
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string CorpusSummary::ToJson(const CorpusOptions& options) const {
  char numbers[512];
  std::snprintf(numbers, sizeof numbers,
                "\"seed\": %llu, \"target_passages\": %lld, \"vocabulary_size\": %zu, "
                "\"zipf_exponent\": %g, \"articles\": %lld, \"passages\": %lld, "
                "\"bytes\": %lld, \"words\": %lld, \"seconds\": %.2f",
                static_cast<unsigned long long>(options.model.seed),
                static_cast<long long>(options.target_passages), vocabulary,
                options.model.zipf_exponent, static_cast<long long>(articles),
                static_cast<long long>(passages), static_cast<long long>(bytes),
                static_cast<long long>(words), seconds);
  return "{\"generator\": \"citeqa_gen_corpus 1\", \"seed_corpus\": " +
         JsonString(options.model.seed_corpus_dir) +
         ", \"dictionary\": " + JsonString(options.model.dictionary_path) + ", " + numbers + "}\n";
}

Result<CorpusSummary> GenerateCorpus(const CorpusOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const fs::path dir(options.out_dir);
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return Status::InvalidArgument("output folder " + options.out_dir + " is not empty");
  }
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create " + options.out_dir + ": " + ec.message());
  auto model = TextModel::Build(options.model);
  if (!model.ok()) return model.status();

  CorpusSummary summary;
  summary.vocabulary = model->content_size();
  const int threads = std::max(options.threads, 1);
  int64_t next = 0;
  while (summary.passages < options.target_passages) {
    // Generate a batch in parallel, then keep articles in index order until the target.
    std::vector<Article> batch(static_cast<size_t>(kBatchArticles));
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (int64_t i = t; i < kBatchArticles; i += threads) {
          batch[static_cast<size_t>(i)] = MakeArticle(*model, options.model.seed, next + i);
        }
      });
    }
    for (std::thread& w : workers) w.join();
    for (int64_t i = 0; i < kBatchArticles && summary.passages < options.target_passages; ++i) {
      const Article& a = batch[static_cast<size_t>(i)];
      CITEQA_RETURN_IF_ERROR(WriteFile(ArticlePath(dir, next + i), a.text));
      ++summary.articles;
      summary.passages += a.passages;
      summary.words += a.words;
      summary.bytes += static_cast<int64_t>(a.text.size());
    }
    next += kBatchArticles;
  }
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CITEQA_RETURN_IF_ERROR(WriteFile(dir / ".generator.json", summary.ToJson(options)));
  return summary;
}

}  // namespace citeqa::bench
