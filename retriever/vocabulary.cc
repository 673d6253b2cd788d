#include "retriever/vocabulary.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>
#include <vector>

namespace citeqa::retriever {

double Vocabulary::Idf(int64_t df) const {
  const double n = static_cast<double>(std::max<int64_t>(passages, 1));
  const double d = static_cast<double>(std::min<int64_t>(df, passages));
  return std::log(1.0 + (n - d + 0.5) / (d + 0.5));
}

Result<Vocabulary> LoadVocabulary(indexer::IndexReader* index, int64_t passages) {
  Vocabulary vocab;
  vocab.passages = passages;
  // Only to size the tables: without the counts they grow as the rows come.
  if (const auto rows = index->CountFrequencyRows(); rows.ok()) {
    vocab.word_df.Reserve(static_cast<size_t>(rows->words));
    vocab.stem_df.Reserve(static_cast<size_t>(rows->stems));
  }
  CITEQA_RETURN_IF_ERROR(index->ForEachWordFrequency(
      [&](std::string_view word, int64_t df) { vocab.word_df.Append(word, df); }));
  CITEQA_RETURN_IF_ERROR(index->ForEachStemFrequency(
      [&](std::string_view stem, int64_t df) { vocab.stem_df.Append(stem, df); }));
  vocab.word_df.Index();
  vocab.stem_df.Index();
  vocab.words_in_order = vocab.word_df.size();
  vocab.IndexWords();
  return vocab;
}

Result<Vocabulary> UpdateVocabulary(const Vocabulary& earlier, int64_t generation,
                                    indexer::IndexReader* index, int64_t passages) {
  Vocabulary vocab;
  vocab.passages = passages;
  vocab.updates = earlier.updates + 1;
  vocab.words_in_order = earlier.words_in_order;
  std::vector<indexer::FrequencyChange> changes;
  CITEQA_RETURN_IF_ERROR(index->ForEachFrequencyChange(
      generation, [&](indexer::FrequencyKind kind, std::string_view term, int64_t delta) {
        changes.push_back({kind, std::string(term), delta});
      }));
  vocab.word_df = earlier.word_df.WithRoomFor(changes.size());
  vocab.stem_df = earlier.stem_df.WithRoomFor(changes.size());
  for (const indexer::FrequencyChange& change : changes) {
    TermFrequencies& counts =
        change.kind == indexer::FrequencyKind::kWord ? vocab.word_df : vocab.stem_df;
    counts.Set(change.term, std::max<int64_t>(0, counts.Get(change.term) + change.delta));
  }
  vocab.IndexWords();
  return vocab;
}

namespace {

size_t ShapeOf(size_t length, char first) {
  return length * 256 + static_cast<unsigned char>(first);
}

}  // namespace

void Vocabulary::IndexWords() {
  // Counted first, then placed: one array for all buckets, in the order of word_df.
  // A word of count 0 (gone from every passage, UpdateVocabulary) is no candidate.
  shape_ranges_.clear();
  auto candidate = [this](size_t i) {
    return !word_df.TermAt(i).empty() && word_df.CountAt(i) > 0;
  };
  for (size_t i = 0; i < word_df.size(); ++i) {
    const std::string_view word = word_df.TermAt(i);
    if (candidate(i)) ++shape_ranges_[ShapeOf(word.size(), word[0])].second;
  }
  uint32_t begin = 0;
  for (auto& [shape, range] : shape_ranges_) {
    const uint32_t count = range.second;
    range = {begin, begin};  // .second becomes the next free place, then the end
    begin += count;
  }
  words_by_shape_.assign(begin, std::string_view());
  for (size_t i = 0; i < word_df.size(); ++i) {
    const std::string_view word = word_df.TermAt(i);
    if (candidate(i)) words_by_shape_[shape_ranges_[ShapeOf(word.size(), word[0])].second++] = word;
  }
  // The words in order come first in their buckets, in order; a bucket that also holds
  // words added after them is sorted (a few, after a re-index).
  std::unordered_set<size_t> unsorted;
  for (size_t i = words_in_order; i < word_df.size(); ++i) {
    const std::string_view word = word_df.TermAt(i);
    if (candidate(i)) unsorted.insert(ShapeOf(word.size(), word[0]));
  }
  for (const size_t shape : unsorted) {
    const auto [first, end] = shape_ranges_.at(shape);
    std::sort(words_by_shape_.begin() + first, words_by_shape_.begin() + end);
  }
}

std::span<const std::string_view> Vocabulary::WordsOf(size_t length, char first) const {
  const auto it = shape_ranges_.find(ShapeOf(length, first));
  if (it == shape_ranges_.end()) return {};
  return std::span<const std::string_view>(words_by_shape_)
      .subspan(it->second.first, it->second.second - it->second.first);
}

}  // namespace citeqa::retriever
