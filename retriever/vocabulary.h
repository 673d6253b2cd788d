// An in-memory snapshot of the index's word statistics: document frequencies of surface
// words (for typo correction) and of Porter stems (for term weights).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "indexer/index_reader.h"
#include "indexer/status.h"

namespace citeqa::retriever {

struct Vocabulary {
  Vocabulary() = default;
  // The typo buckets point into word_df: copies would dangle, moves do not.
  Vocabulary(const Vocabulary&) = delete;
  Vocabulary& operator=(const Vocabulary&) = delete;
  Vocabulary(Vocabulary&&) = default;
  Vocabulary& operator=(Vocabulary&&) = default;

  int64_t passages = 0;
  std::unordered_map<std::string, int64_t> word_df;  // unstemmed word -> passages containing it
  std::unordered_map<std::string, int64_t> stem_df;  // porter stem -> passages containing it
  // Typo candidates of `length` bytes starting with `first`. People rarely mistype a
  // word's first letter, so candidates are bucketed by it as well as by length: a scan of
  // one bucket instead of every word of that length (363k words at a million passages).
  const std::vector<const std::string*>& WordsOf(size_t length, char first) const;
  // Rebuilds the buckets from word_df; LoadVocabulary does it, call it after filling
  // word_df by hand.
  void IndexWords();

  int64_t WordDf(const std::string& word) const;
  int64_t StemDf(const std::string& stem) const;
  // Robertson-Sparck Jones IDF of a document frequency, always > 0.
  double Idf(int64_t df) const;

 private:
  // Points into word_df (so copies would dangle; moves do not), keyed length * 256 + byte.
  std::unordered_map<size_t, std::vector<const std::string*>> words_by_shape_;
};

// Reads the statistics from the index (passage_vocab, kept by the indexer, and the
// fts5vocab table stem_vocab). Errors: kIoError / kCorruption.
Result<Vocabulary> LoadVocabulary(indexer::IndexReader* index);

}  // namespace citeqa::retriever
