// Changes to a term -> passages table (passage_vocab, stem_frequency): passages added minus
// passages deleted that contain each term, counted in memory and then written in one pass.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/frequency_changes.h"
#include "indexer/sqlite_db.h"
#include "indexer/status.h"

namespace citeqa::indexer {

// Counts in batches: BeginText() before each text's terms, Add() for each of them (a term
// counts once per text), then EndBatch(sign) adds the batch, as added (+1) or deleted (-1)
// texts. Not thread-safe; one per thread, merged at the end.
class TermCountDelta {
 public:
  void BeginText() { ++texts_; }
  void Add(std::string_view term);
  void EndBatch(int sign);
  // Adds the counts of `other`, which is left empty.
  void Merge(TermCountDelta&& other);
  // Texts added minus deleted that contain `term` (ended batches only).
  int64_t Passages(std::string_view term) const;
  // Writes the changes into `table` (term TEXT PRIMARY KEY, doc INTEGER), removing a term
  // whose count drops to 0, and clears this delta; each change is also added to `applied`
  // (unless null) as of `kind`. Inside the caller's transaction.
  Status Apply(Database* db, std::string_view table, FrequencyKind kind = FrequencyKind::kWord,
               FrequencyChanges* applied = nullptr);

 private:
  // term -> count, open addressing over stored hashes: a lookup touches one slot and, on
  // a hash match, one entry, where std::unordered_map<std::string> touches a bucket, a node
  // and the string (counting the words of a large corpus is mostly such lookups).
  class TermTable {
   public:
    struct Entry {
      std::string term;
      uint64_t hash = 0;
      int64_t count = 0;
      uint64_t last_text = 0;  // the text that counted it last, so that a text counts once
    };
    Entry& Find(std::string_view term, uint64_t hash);  // inserts a zero entry if missing
    const Entry* Lookup(std::string_view term, uint64_t hash) const;
    void Clear();
    std::vector<Entry>& entries() { return entries_; }

   private:
    void Grow();
    std::vector<uint32_t> slots_;  // entry index + 1; 0: empty
    std::vector<Entry> entries_;
  };
  static uint64_t Hash(std::string_view term);

  TermTable delta_;
  // The current batch, counted apart: a small table that stays in the CPU cache, added to
  // the large one once per batch.
  TermTable batch_;
  uint64_t texts_ = 0;
};

}  // namespace citeqa::indexer
