#include "retriever/term_frequencies.h"

#include <algorithm>

namespace citeqa::retriever {
namespace {

// At most this share of slots is taken, so that a probe sequence stays short.
constexpr size_t kMaxLoadNumerator = 7;
constexpr size_t kMaxLoadDenominator = 10;
// Room reserved per term for its text: English words average some 8 to 9 bytes.
constexpr size_t kTypicalTermBytes = 10;

size_t SlotsFor(size_t terms) {
  size_t slots = 16;
  while (slots * kMaxLoadNumerator < terms * kMaxLoadDenominator) slots *= 2;
  return slots;
}

}  // namespace

uint32_t TermFrequencies::Hash(std::string_view term) {
  // FNV-1a: terms are short, and the table only needs them spread, not kept secret (an
  // index's terms are its articles', not a request's).
  uint32_t h = 2166136261u;
  for (const char c : term) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

size_t TermFrequencies::SlotOf(std::string_view term, uint32_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const uint32_t taken = slots_[slot];
    if (taken == 0) return slot;
    const Entry& e = entries_[taken - 1];
    if (e.hash == hash && TermAt(taken - 1) == term) return slot;
  }
}

void TermFrequencies::Reserve(size_t terms) {
  entries_.reserve(terms);
  arena_.reserve(terms * kTypicalTermBytes);
  if (slots_.size() < SlotsFor(terms)) {
    slots_.assign(SlotsFor(terms), 0);
    for (size_t i = 0; i < entries_.size(); ++i) {
      slots_[SlotOf(TermAt(i), entries_[i].hash)] = static_cast<uint32_t>(i + 1);
    }
  }
}

TermFrequencies TermFrequencies::WithRoomFor(size_t more) const {
  TermFrequencies copy;
  copy.entries_.reserve(entries_.size() + more);
  copy.entries_.assign(entries_.begin(), entries_.end());
  copy.arena_.reserve(arena_.size() + more * kTypicalTermBytes);
  copy.arena_.assign(arena_.begin(), arena_.end());
  if (slots_.size() >= SlotsFor(entries_.size() + more)) {
    copy.slots_ = slots_;
  } else {
    copy.Reserve(entries_.size() + more);  // slots for all of them, the copied placed
  }
  return copy;
}

void TermFrequencies::Grow() { Reserve(std::max<size_t>(entries_.size() * 2, 16)); }

void TermFrequencies::Set(std::string_view term, int64_t count) {
  if (slots_.empty() ||
      (entries_.size() + 1) * kMaxLoadDenominator > slots_.size() * kMaxLoadNumerator) {
    Grow();
  }
  const uint32_t hash = Hash(term);
  const size_t slot = SlotOf(term, hash);
  if (slots_[slot] != 0) {
    entries_[slots_[slot] - 1].count = count;
    return;
  }
  entries_.push_back(
      {static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(term.size()), hash, count});
  arena_.insert(arena_.end(), term.begin(), term.end());
  slots_[slot] = static_cast<uint32_t>(entries_.size());
}

void TermFrequencies::Append(std::string_view term, int64_t count) {
  entries_.push_back({static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(term.size()),
                      Hash(term), count});
  arena_.insert(arena_.end(), term.begin(), term.end());
}

void TermFrequencies::Index() {
  slots_.assign(SlotsFor(entries_.size()), 0);
  for (size_t i = 0; i < entries_.size(); ++i) {
    slots_[SlotOf(TermAt(i), entries_[i].hash)] = static_cast<uint32_t>(i + 1);
  }
}

int64_t TermFrequencies::Get(std::string_view term) const {
  if (slots_.empty()) return 0;
  const uint32_t taken = slots_[SlotOf(term, Hash(term))];
  return taken == 0 ? 0 : entries_[taken - 1].count;
}

std::string_view TermFrequencies::TermAt(size_t i) const {
  return std::string_view(arena_.data() + entries_[i].offset, entries_[i].length);
}

}  // namespace citeqa::retriever
