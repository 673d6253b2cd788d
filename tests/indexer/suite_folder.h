// Test helper: a temporary folder for a test suite's corpus and index, named after the
// suite and the process (so that parallel test processes never share one), emptied when
// made and removed when destroyed.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

#include "indexer/corpus_indexer.h"

namespace citeqa::indexer {

class SuiteFolder {
 public:
  explicit SuiteFolder(const std::string& suite)
      : root_(std::filesystem::temp_directory_path() /
              ("citeqa_" + suite + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(corpus());
  }
  ~SuiteFolder() { std::filesystem::remove_all(root_); }
  SuiteFolder(const SuiteFolder&) = delete;
  SuiteFolder& operator=(const SuiteFolder&) = delete;

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path corpus() const { return root_ / "corpus"; }
  std::string db_path() const { return (root_ / "index.db").string(); }

  // `citeqa index` of corpus() into db_path(), with the synonyms file at `synonyms_path`
  // when one is given.
  Result<IndexSummary> Index(const std::string& synonyms_path = "") const {
    IndexOptions options;
    options.corpus_dir = corpus().string();
    options.db_path = db_path();
    options.synonyms_path = synonyms_path;
    return IndexCorpus(options);
  }

 private:
  std::filesystem::path root_;
};

}  // namespace citeqa::indexer
