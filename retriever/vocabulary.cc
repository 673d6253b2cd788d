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

Result<Vocabulary> LoadVocabulary(indexer::Database* db) {
  Vocabulary vocab;
  {
    auto stmt = db->Prepare("SELECT count(*) FROM passages");
    if (!stmt.ok()) return stmt.status();
    if (!stmt->Step()) return stmt->status();
    vocab.passages = stmt->ColumnInt(0);
  }
  {
    auto stmt = db->Prepare("SELECT term, doc FROM passage_vocab");
    if (!stmt.ok()) return stmt.status();
    while (stmt->Step()) vocab.word_df.emplace(stmt->ColumnText(0), stmt->ColumnInt(1));
    if (!stmt->status().ok()) return stmt->status();
  }
  {
    auto stmt = db->Prepare("SELECT term, doc FROM stem_vocab");
    if (!stmt.ok()) return stmt.status();
    while (stmt->Step()) vocab.stem_df.emplace(stmt->ColumnText(0), stmt->ColumnInt(1));
    if (!stmt->status().ok()) return stmt->status();
  }
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
