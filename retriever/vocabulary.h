// An in-memory snapshot of the index's word statistics: document frequencies of surface
// words (for typo correction) and of Porter stems (for term weights).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "indexer/index_reader.h"
#include "indexer/status.h"
#include "retriever/term_frequencies.h"

namespace citeqa::retriever {

struct Vocabulary {
  Vocabulary() = default;
  // The typo buckets point into word_df: copies would dangle, moves do not.
  Vocabulary(const Vocabulary&) = delete;
  Vocabulary& operator=(const Vocabulary&) = delete;
  Vocabulary(Vocabulary&&) = default;
  Vocabulary& operator=(Vocabulary&&) = default;

  int64_t passages = 0;
  int updates = 0;          // UpdateVocabulary steps since the counts were read whole
  // word_df's first words, those read whole, in the index's order (by bytes); the words
  // after them were added by UpdateVocabulary.
  size_t words_in_order = 0;
  TermFrequencies word_df;  // unstemmed word -> passages containing it
  TermFrequencies stem_df;  // porter stem -> passages containing it
  // Typo candidates of `length` bytes starting with `first`. People rarely mistype a
  // word's first letter, so candidates are bucketed by it as well as by length: a scan of
  // one bucket instead of every word of that length (363k words at a million passages).
  std::span<const std::string_view> WordsOf(size_t length, char first) const;
  // Rebuilds the buckets from word_df; LoadVocabulary does it, call it after filling
  // word_df by hand. A bucket lists its words by bytes (the typo corrector takes the first
  // of equally good ones), as the index lists them, however they came into word_df.
  void IndexWords();

  int64_t WordDf(std::string_view word) const { return word_df.Get(word); }
  int64_t StemDf(std::string_view stem) const { return stem_df.Get(stem); }
  // Robertson-Sparck Jones IDF of a document frequency, always > 0.
  double Idf(int64_t df) const;

 private:
  // Views into word_df's terms (which moves keep), grouped by shape (length * 256 + first
  // byte); shape_ranges_ gives each shape's [begin, end) in words_by_shape_.
  std::vector<std::string_view> words_by_shape_;
  std::unordered_map<size_t, std::pair<uint32_t, uint32_t>> shape_ranges_;
};

// Reads the statistics from the index (passage_vocab and stem_frequency, kept by the
// indexer), for an index of `passages` passages (IndexReader::Counts, which the caller
// usually needs as well). Errors: kIoError / kCorruption.
Result<Vocabulary> LoadVocabulary(indexer::IndexReader* index, int64_t passages);

// The statistics of `earlier` (those of version `generation` of this index) brought up to
// the version `index` reads, by the changes the index keeps of the versions between
// (IndexReader::ForEachFrequencyChange; the caller checks that they apply, by the token):
// a copy and a few hundred changes, where LoadVocabulary reads every word and stem. A
// word or stem no passage has any more keeps a count of 0, as good as missing. Errors:
// kIoError / kCorruption.
Result<Vocabulary> UpdateVocabulary(const Vocabulary& earlier, int64_t generation,
                                    indexer::IndexReader* index, int64_t passages);

}  // namespace citeqa::retriever
