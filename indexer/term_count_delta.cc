#include "indexer/term_count_delta.h"

#include <algorithm>
#include <functional>
#include <string>
#include <utility>

namespace citeqa::indexer {

uint64_t TermCountDelta::Hash(std::string_view term) { return std::hash<std::string_view>()(term); }

TermCountDelta::TermTable::Entry& TermCountDelta::TermTable::Find(std::string_view term,
                                                                  uint64_t hash) {
  if ((entries_.size() + 1) * 2 > slots_.size()) Grow();
  const size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>(hash) & mask;; i = (i + 1) & mask) {
    const uint32_t slot = slots_[i];
    if (slot == 0) {
      entries_.push_back(Entry{std::string(term), hash, 0, 0});
      slots_[i] = static_cast<uint32_t>(entries_.size());
      return entries_.back();
    }
    Entry& entry = entries_[slot - 1];
    if (entry.hash == hash && entry.term == term) return entry;
  }
}

const TermCountDelta::TermTable::Entry* TermCountDelta::TermTable::Lookup(std::string_view term,
                                                                          uint64_t hash) const {
  if (slots_.empty()) return nullptr;
  const size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>(hash) & mask;; i = (i + 1) & mask) {
    const uint32_t slot = slots_[i];
    if (slot == 0) return nullptr;
    const Entry& entry = entries_[slot - 1];
    if (entry.hash == hash && entry.term == term) return &entry;
  }
}

void TermCountDelta::TermTable::Clear() {
  std::fill(slots_.begin(), slots_.end(), 0);
  entries_.clear();
}

void TermCountDelta::TermTable::Grow() {
  slots_.assign(std::max<size_t>(slots_.size() * 2, 1024), 0);
  const size_t mask = slots_.size() - 1;
  for (size_t e = 0; e < entries_.size(); ++e) {
    size_t i = static_cast<size_t>(entries_[e].hash) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = static_cast<uint32_t>(e + 1);
  }
}

void TermCountDelta::Add(std::string_view term) {
  TermTable::Entry& entry = batch_.Find(term, Hash(term));
  if (entry.last_text != texts_) {
    entry.last_text = texts_;
    ++entry.count;
  }
}

void TermCountDelta::EndBatch(int sign) {
  for (const TermTable::Entry& entry : batch_.entries()) {
    delta_.Find(entry.term, entry.hash).count += sign * entry.count;
  }
  batch_.Clear();
}

void TermCountDelta::Merge(TermCountDelta&& other) {
  if (delta_.entries().size() < other.delta_.entries().size()) std::swap(delta_, other.delta_);
  for (const TermTable::Entry& entry : other.delta_.entries()) {
    delta_.Find(entry.term, entry.hash).count += entry.count;
  }
  other.delta_.Clear();
}

int64_t TermCountDelta::Passages(std::string_view term) const {
  const TermTable::Entry* entry = delta_.Lookup(term, Hash(term));
  return entry == nullptr ? 0 : entry->count;
}

Status TermCountDelta::Apply(Database* db, std::string_view table, FrequencyKind kind,
                             FrequencyChanges* applied) {
  // In key order: the b-tree is then written front to back.
  std::vector<std::pair<std::string_view, int64_t>> changes;
  changes.reserve(delta_.entries().size());
  for (const TermTable::Entry& entry : delta_.entries()) {
    if (entry.count != 0) changes.emplace_back(entry.term, entry.count);
  }
  std::sort(changes.begin(), changes.end());
  const std::string name(table);
  auto upsert = db->Prepare("INSERT INTO " + name +
                            "(term, doc) VALUES (?1, ?2) "
                            "ON CONFLICT(term) DO UPDATE SET doc = doc + excluded.doc");
  if (!upsert.ok()) return upsert.status();
  bool any_removed = false;
  for (const auto& [term, n] : changes) {
    upsert->Reset();
    CITEQA_RETURN_IF_ERROR(upsert->Bind(1, term).Bind(2, n).Run());
    any_removed = any_removed || n < 0;
    if (applied != nullptr) applied->Add(kind, term, n);
  }
  delta_.Clear();
  if (!any_removed) return Status::Ok();
  return db->Exec("DELETE FROM " + name + " WHERE doc <= 0");
}

}  // namespace citeqa::indexer
