// Writes a synthetic corpus folder of Markdown articles holding (about) a requested number
// of passages, counted with the indexer's own reader, cleaner and chunker. Deterministic:
// the same options give the same files, whatever the thread count.
#pragma once

#include <cstdint>
#include <string>

#include "bench/text_model.h"
#include "indexer/status.h"

namespace citeqa::bench {

struct CorpusOptions {
  TextModelOptions model;
  std::string out_dir;              // created; must not hold files already
  int64_t target_passages = 10000;  // articles are added until the count reaches this
  int threads = 2;
};

struct CorpusSummary {
  int64_t articles = 0;
  int64_t passages = 0;  // as the chunker counts them (the index may differ slightly)
  int64_t bytes = 0;
  int64_t words = 0;
  size_t vocabulary = 0;
  double seconds = 0;

  // {"articles": .., "passages": .., ...} with the options that made the corpus.
  std::string ToJson(const CorpusOptions& options) const;
};

// Files are OUT/NNNN/NNNNNNN.md, 1000 a folder; OUT/.generator.json (a hidden file, which
// the indexer skips) records the options and the summary. Errors: kInvalidArgument if
// out_dir holds files; kIoError if writing fails; TextModel::Build's errors.
Result<CorpusSummary> GenerateCorpus(const CorpusOptions& options);

}  // namespace citeqa::bench
