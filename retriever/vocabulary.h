// An in-memory snapshot of the index's word statistics: document frequencies of surface
// words (for typo correction) and of Porter stems (for term weights).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "indexer/sqlite_db.h"
#include "indexer/status.h"

namespace citeqa::retriever {

struct Vocabulary {
  Vocabulary() = default;
  // words_by_length points into word_df: copies would dangle, moves do not.
  Vocabulary(const Vocabulary&) = delete;
  Vocabulary& operator=(const Vocabulary&) = delete;
  Vocabulary(Vocabulary&&) = default;
  Vocabulary& operator=(Vocabulary&&) = default;

  int64_t passages = 0;
  std::unordered_map<std::string, int64_t> word_df;  // unstemmed word -> passages containing it
  std::unordered_map<std::string, int64_t> stem_df;  // porter stem -> passages containing it
  // Words bucketed by byte length, for candidate generation in typo correction.
  std::vector<std::vector<const std::string*>> words_by_length;

  int64_t WordDf(const std::string& word) const;
  int64_t StemDf(const std::string& stem) const;
  // Robertson-Sparck Jones IDF of a document frequency, always > 0.
  double Idf(int64_t df) const;
};

// Reads the statistics from the fts5vocab tables. Errors: kIoError / kCorruption.
Result<Vocabulary> LoadVocabulary(indexer::Database* db);

}  // namespace citeqa::retriever
