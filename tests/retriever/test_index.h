// Builds a throwaway citeqa index for tests, from the seed corpus or from given articles.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "indexer/corpus_indexer.h"

namespace citeqa::testing {

class TestIndex {
  struct Empty {};

 public:
  // Indexes `articles` (file name -> text) with the repository's synonyms file.
  explicit TestIndex(const std::map<std::string, std::string>& articles) : TestIndex(Empty{}) {
    for (const auto& [name, text] : articles) {
      std::ofstream(corpus_ / name, std::ios::binary) << text;
    }
    Build();
  }
  // Indexes the seed corpus.
  static TestIndex SeedCorpus() {
    TestIndex index(Empty{});
    for (const auto& entry : std::filesystem::directory_iterator(CITEQA_CORPUS_DIR)) {
      std::filesystem::copy_file(entry.path(), index.corpus_ / entry.path().filename());
    }
    index.Build();
    return index;
  }
  TestIndex(TestIndex&& other) noexcept : root_(std::move(other.root_)), corpus_(std::move(other.corpus_)) {
    other.root_.clear();
  }
  ~TestIndex() {
    if (!root_.empty()) std::filesystem::remove_all(root_);
  }
  std::string db_path() const { return (root_ / "index.db").string(); }
  std::filesystem::path corpus() const { return corpus_; }

 private:
  explicit TestIndex(Empty) {
    static int counter = 0;
    root_ = std::filesystem::temp_directory_path() /
            ("citeqa_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(root_);
    corpus_ = root_ / "corpus";
    std::filesystem::create_directories(corpus_);
  }
  void Build() {
    indexer::IndexOptions options;
    options.corpus_dir = corpus_.string();
    options.db_path = db_path();
    options.synonyms_path = CITEQA_SYNONYMS_FILE;
    auto summary = indexer::IndexCorpus(options);
    if (!summary.ok()) throw std::runtime_error(summary.status().ToString());
  }

  std::filesystem::path root_;
  std::filesystem::path corpus_;
};

}  // namespace citeqa::testing
