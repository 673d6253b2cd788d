#include "retriever/vocabulary.h"

#include <algorithm>
#include <cmath>

namespace citeqa::retriever {

int64_t Vocabulary::WordDf(const std::string& word) const {
  const auto it = word_df.find(word);
  return it == word_df.end() ? 0 : it->second;
}

int64_t Vocabulary::StemDf(const std::string& stem) const {
  const auto it = stem_df.find(stem);
  return it == stem_df.end() ? 0 : it->second;
}

double Vocabulary::Idf(int64_t df) const {
  const double n = static_cast<double>(std::max<int64_t>(passages, 1));
  const double d = static_cast<double>(std::min<int64_t>(df, passages));
  return std::log(1.0 + (n - d + 0.5) / (d + 0.5));
}

Result<Vocabulary> LoadVocabulary(indexer::IndexReader* index) {
  Vocabulary vocab;
  auto counts = index->Counts();
  if (!counts.ok()) return counts.status();
  vocab.passages = counts->passages;
  CITEQA_RETURN_IF_ERROR(index->ForEachWordFrequency(
      [&](std::string word, int64_t df) { vocab.word_df.emplace(std::move(word), df); }));
  CITEQA_RETURN_IF_ERROR(index->ForEachStemFrequency(
      [&](std::string stem, int64_t df) { vocab.stem_df.emplace(std::move(stem), df); }));
  vocab.IndexWords();
  return vocab;
}

void Vocabulary::IndexWords() {
  words_by_shape_.clear();
  for (const auto& [word, df] : word_df) {
    if (word.empty()) continue;
    words_by_shape_[word.size() * 256 + static_cast<unsigned char>(word[0])].push_back(&word);
  }
}

const std::vector<const std::string*>& Vocabulary::WordsOf(size_t length, char first) const {
  static const std::vector<const std::string*> kNone;
  const auto it = words_by_shape_.find(length * 256 + static_cast<unsigned char>(first));
  return it == words_by_shape_.end() ? kNone : it->second;
}

}  // namespace citeqa::retriever
