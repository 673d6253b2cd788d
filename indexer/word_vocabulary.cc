#include "indexer/word_vocabulary.h"

#include <algorithm>
#include <utility>

#include "indexer/text.h"

namespace citeqa::indexer {

uint64_t WordVocabularyDelta::Hash(std::string_view word) {
  return std::hash<std::string_view>()(word);
}

WordVocabularyDelta::WordTable::Entry& WordVocabularyDelta::WordTable::Find(
    std::string_view word, uint64_t hash) {
  if ((entries_.size() + 1) * 2 > slots_.size()) Grow();
  const size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>(hash) & mask;; i = (i + 1) & mask) {
    const uint32_t slot = slots_[i];
    if (slot == 0) {
      entries_.push_back(Entry{std::string(word), hash, 0, 0});
      slots_[i] = static_cast<uint32_t>(entries_.size());
      return entries_.back();
    }
    Entry& entry = entries_[slot - 1];
    if (entry.hash == hash && entry.word == word) return entry;
  }
}

const WordVocabularyDelta::WordTable::Entry* WordVocabularyDelta::WordTable::Lookup(
    std::string_view word, uint64_t hash) const {
  if (slots_.empty()) return nullptr;
  const size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>(hash) & mask;; i = (i + 1) & mask) {
    const uint32_t slot = slots_[i];
    if (slot == 0) return nullptr;
    const Entry& entry = entries_[slot - 1];
    if (entry.hash == hash && entry.word == word) return &entry;
  }
}

void WordVocabularyDelta::WordTable::Clear() {
  std::fill(slots_.begin(), slots_.end(), 0);
  entries_.clear();
}

void WordVocabularyDelta::WordTable::Grow() {
  slots_.assign(std::max<size_t>(slots_.size() * 2, 1024), 0);
  const size_t mask = slots_.size() - 1;
  for (size_t e = 0; e < entries_.size(); ++e) {
    size_t i = static_cast<size_t>(entries_[e].hash) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = static_cast<uint32_t>(e + 1);
  }
}

void WordVocabularyDelta::AddTexts(const std::vector<std::string_view>& texts, int sign) {
  // Counted first in a small table of these texts' words, which stays in the CPU cache,
  // then added to the large one.
  local_.Clear();
  for (std::string_view text : texts) {
    const uint64_t id = ++texts_;
    ForEachWord(text, [&](std::string_view word) {
      WordTable::Entry& entry = local_.Find(word, Hash(word));
      if (entry.last_text != id) {
        entry.last_text = id;
        ++entry.count;
      }
    });
  }
  for (const WordTable::Entry& entry : local_.entries()) {
    delta_.Find(entry.word, entry.hash).count += sign * entry.count;
  }
}

void WordVocabularyDelta::Merge(WordVocabularyDelta&& other) {
  if (delta_.entries().size() < other.delta_.entries().size()) std::swap(delta_, other.delta_);
  for (const WordTable::Entry& entry : other.delta_.entries()) {
    delta_.Find(entry.word, entry.hash).count += entry.count;
  }
  other.delta_.Clear();
}

int64_t WordVocabularyDelta::Passages(std::string_view word) const {
  const WordTable::Entry* entry = delta_.Lookup(word, Hash(word));
  return entry == nullptr ? 0 : entry->count;
}

Status WordVocabularyDelta::Apply(Database* db) {
  // In key order: the b-tree is then written front to back.
  std::vector<std::pair<std::string_view, int64_t>> changes;
  changes.reserve(delta_.entries().size());
  for (const WordTable::Entry& entry : delta_.entries()) {
    if (entry.count != 0) changes.emplace_back(entry.word, entry.count);
  }
  std::sort(changes.begin(), changes.end());
  auto upsert = db->Prepare(
      "INSERT INTO passage_vocab(term, doc) VALUES (?1, ?2) "
      "ON CONFLICT(term) DO UPDATE SET doc = doc + excluded.doc");
  if (!upsert.ok()) return upsert.status();
  bool any_removed = false;
  for (const auto& [word, n] : changes) {
    upsert->Reset();
    CITEQA_RETURN_IF_ERROR(upsert->Bind(1, word).Bind(2, n).Run());
    any_removed = any_removed || n < 0;
  }
  delta_.Clear();
  if (!any_removed) return Status::Ok();
  return db->Exec("DELETE FROM passage_vocab WHERE doc <= 0");
}

Status RebuildWordVocabulary(Database* db) {
  CITEQA_RETURN_IF_ERROR(db->Exec("DELETE FROM passage_vocab"));
  auto stmt = db->Prepare("SELECT text FROM passages");
  if (!stmt.ok()) return stmt.status();
  WordVocabularyDelta delta;
  while (stmt->Step()) {
    const std::string text = stmt->ColumnText(0);
    delta.AddTexts({text});
  }
  CITEQA_RETURN_IF_ERROR(stmt->status());
  return delta.Apply(db);
}

}  // namespace citeqa::indexer
