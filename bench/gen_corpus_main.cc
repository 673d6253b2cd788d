// citeqa_gen_corpus: writes a deterministic synthetic corpus for the benchmarks.
//   citeqa_gen_corpus --out DIR --passages N [--seed S] [--seed-corpus DIR]
//                     [--dictionary FILE] [--vocabulary N] [--zipf S] [--threads N]
// Prints the summary JSON (also written to DIR/.generator.json). Exit 0 on success, 1 on
// failure, 2 on a usage error.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/corpus_generator.h"

namespace {

int Usage(const char* message) {
  std::fprintf(stderr,
               "citeqa_gen_corpus: %s\nusage: citeqa_gen_corpus --out DIR --passages N "
               "[--seed S] [--seed-corpus DIR] [--dictionary FILE] [--vocabulary N] "
               "[--zipf S] [--threads N]\n",
               message);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  citeqa::bench::CorpusOptions options;
  options.model.seed_corpus_dir = "corpus";
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return Usage(("missing value for " + flag).c_str());
    const std::string value = argv[++i];
    if (flag == "--out") {
      options.out_dir = value;
    } else if (flag == "--passages") {
      options.target_passages = std::atoll(value.c_str());
    } else if (flag == "--seed") {
      options.model.seed = std::strtoull(value.c_str(), nullptr, 10);
    } else if (flag == "--seed-corpus") {
      options.model.seed_corpus_dir = value;
    } else if (flag == "--dictionary") {
      options.model.dictionary_path = value;
    } else if (flag == "--vocabulary") {
      options.model.vocabulary_size = static_cast<size_t>(std::atoll(value.c_str()));
    } else if (flag == "--zipf") {
      options.model.zipf_exponent = std::atof(value.c_str());
    } else if (flag == "--threads") {
      options.threads = std::atoi(value.c_str());
    } else {
      return Usage(("unknown flag " + flag).c_str());
    }
  }
  if (options.out_dir.empty()) return Usage("--out is required");
  if (options.target_passages <= 0) return Usage("--passages must be positive");
  if (options.model.vocabulary_size < 1000) return Usage("--vocabulary must be at least 1000");
  if (options.model.zipf_exponent <= 0) return Usage("--zipf must be positive");
  auto summary = citeqa::bench::GenerateCorpus(options);
  if (!summary.ok()) {
    std::fprintf(stderr, "citeqa_gen_corpus: %s\n", summary.status().ToString().c_str());
    return 1;
  }
  std::fputs(summary->ToJson(options).c_str(), stdout);
  return 0;
}
