// A term -> count table built once and then only read: the index's word and stem document
// frequencies (vocabulary.h). The terms live in one arena and the table is open addressing
// over 32-bit hashes, so that loading a large vocabulary makes a handful of allocations
// instead of one per term, and freeing it is as cheap (a million-passage index has some
// 700,000 terms, which std::unordered_map took most of a cold start to build and free).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace citeqa::retriever {

class TermFrequencies {
 public:
  // Prepares room for `terms` entries (optional: the table grows as needed, at the price of
  // copying what it holds and touching fresh memory each time).
  void Reserve(size_t terms);
  // Sets the count of `term`, adding it when missing.
  void Set(std::string_view term, int64_t count);
  // For loading: adds a term known not to be in the table yet (the rows of a table keyed by
  // term) without indexing it. Call Index() after the last, before any Get or Set: the
  // table is then sized once, instead of growing (and re-placing every term) as it fills.
  void Append(std::string_view term, int64_t count);
  void Index();
  // A copy with room for `more` terms besides: adding them then moves nothing (a plain
  // copy is full to the brim, and its first new term would copy it all again).
  TermFrequencies WithRoomFor(size_t more) const;
  // The count of `term`, 0 when missing.
  int64_t Get(std::string_view term) const;
  size_t size() const { return entries_.size(); }
  // The i-th term added (i < size()); the view stays valid until the next Set, and across
  // moves of the table.
  std::string_view TermAt(size_t i) const;
  int64_t CountAt(size_t i) const { return entries_[i].count; }

 private:
  struct Entry {
    uint32_t offset = 0;  // into arena_
    uint32_t length = 0;
    uint32_t hash = 0;
    int64_t count = 0;
  };
  static uint32_t Hash(std::string_view term);
  // The slot holding `term`, or the empty slot where it would go.
  size_t SlotOf(std::string_view term, uint32_t hash) const;
  void Grow();

  std::vector<char> arena_;  // a vector, not a string: a move keeps its buffer (and views)
  std::vector<Entry> entries_;
  std::vector<uint32_t> slots_;  // entry index + 1; 0: empty. Size a power of two.
};

}  // namespace citeqa::retriever
