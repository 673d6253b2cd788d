// The index's vocabulary of unstemmed words (table passage_vocab: term -> passages whose
// text contains it), which typo correction draws on. The indexer keeps it by counting the
// words of the passages it adds and deletes; FTS5 does not (see index_schema.cc).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/sqlite_db.h"
#include "indexer/status.h"

namespace citeqa::indexer {

// Changes to passage_vocab: word -> passages added minus passages deleted. Words are
// Tokenize's (lower-cased, Latin diacritics removed). Not thread-safe; one per thread,
// merged at the end, is how a pipeline counts on several threads.
class WordVocabularyDelta {
 public:
  // Counts the words of passage texts being added (sign +1) or deleted (sign -1); each text
  // counts once per word.
  void AddTexts(const std::vector<std::string_view>& texts, int sign = 1);
  // Adds the counts of `other`, which is left empty.
  void Merge(WordVocabularyDelta&& other);
  // Passages added minus deleted that contain `word`.
  int64_t Passages(std::string_view word) const;
  // Writes the changes into passage_vocab (a word whose count drops to 0 is removed) and
  // clears this delta. Inside the caller's transaction.
  Status Apply(Database* db);

 private:
  // word -> count, open addressing over stored hashes: a lookup touches one slot and, on
  // a hash match, one entry, where std::unordered_map<std::string> touches a bucket, a node
  // and the string (counting the words of a large corpus is mostly such lookups).
  class WordTable {
   public:
    struct Entry {
      std::string word;
      uint64_t hash = 0;
      int64_t count = 0;
      uint64_t last_text = 0;  // the text that counted it last, so that a text counts once
    };
    Entry& Find(std::string_view word, uint64_t hash);  // inserts a zero entry if missing
    const Entry* Lookup(std::string_view word, uint64_t hash) const;
    void Clear();
    std::vector<Entry>& entries() { return entries_; }

   private:
    void Grow();
    std::vector<uint32_t> slots_;  // entry index + 1; 0: empty
    std::vector<Entry> entries_;
  };
  static uint64_t Hash(std::string_view word);

  WordTable delta_;
  WordTable local_;  // scratch space of AddTexts
  uint64_t texts_ = 0;
};

// Recounts passage_vocab from the passages table (a migration step). Inside the caller's
// transaction.
Status RebuildWordVocabulary(Database* db);

}  // namespace citeqa::indexer
