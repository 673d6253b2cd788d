#include "indexer/vocabulary_delta.h"

#include <string>
#include <utility>

#include "indexer/text.h"

namespace citeqa::indexer {

void VocabularyDelta::AddPassages(const std::vector<Passage>& passages, int sign) {
  if (!tokenizer_.has_value() && tokenizer_status_.ok()) {
    auto opened = PassageTokenizer::Open();
    if (opened.ok()) {
      tokenizer_.emplace(std::move(*opened));
    } else {
      tokenizer_status_ = opened.status();
    }
  }
  const auto add_word = [this](std::string_view word) { words_.Add(word); };
  const auto add_term = [this](std::string_view term) { terms_.Add(term); };
  for (const Passage& p : passages) {
    words_.BeginText();
    ForEachWord(p.text, add_word);
    if (!tokenizer_.has_value()) continue;
    terms_.BeginText();
    tokenizer_->ForEachTerm(p.heading, add_term);
    tokenizer_->ForEachTerm(p.text, add_term);
  }
  words_.EndBatch(sign);
  terms_.EndBatch(sign);
}

void VocabularyDelta::Merge(VocabularyDelta&& other) {
  words_.Merge(std::move(other.words_));
  terms_.Merge(std::move(other.terms_));
  if (tokenizer_status_.ok()) tokenizer_status_ = other.tokenizer_status_;
}

Status VocabularyDelta::Apply(Database* db, FrequencyChanges* applied) {
  CITEQA_RETURN_IF_ERROR(tokenizer_status_);
  CITEQA_RETURN_IF_ERROR(words_.Apply(db, "passage_vocab", FrequencyKind::kWord, applied));
  return terms_.Apply(db, "stem_frequency", FrequencyKind::kStem, applied);
}

Status RebuildWordVocabulary(Database* db) {
  CITEQA_RETURN_IF_ERROR(db->Exec("DELETE FROM passage_vocab"));
  auto stmt = db->Prepare("SELECT text FROM passages");
  if (!stmt.ok()) return stmt.status();
  TermCountDelta words;
  while (stmt->Step()) {
    words.BeginText();
    ForEachWord(stmt->ColumnTextView(0), [&](std::string_view word) { words.Add(word); });
    words.EndBatch(+1);
  }
  CITEQA_RETURN_IF_ERROR(stmt->status());
  return words.Apply(db, "passage_vocab");
}

Status RebuildStemFrequency(Database* db) {
  return db->Exec(
      "DELETE FROM stem_frequency;"
      "INSERT INTO stem_frequency(term, doc) SELECT term, doc FROM stem_vocab ORDER BY term");
}

}  // namespace citeqa::indexer
