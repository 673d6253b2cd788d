// What indexing changes in the index's two vocabularies, kept by the indexer because FTS5
// keeps neither in a form that reads fast: passage_vocab, the unstemmed words of passage
// texts (Tokenize's words, which typo correction draws on), and stem_frequency, the terms
// FTS5 indexes for passages_fts (heading and text), with the passages containing each
// (what the fts5vocab table stem_vocab gives too, but only by reading every posting list:
// a third of a second at 100,000 passages, on every start and every new index version).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "indexer/chunker.h"
#include "indexer/passage_tokenizer.h"
#include "indexer/sqlite_db.h"
#include "indexer/status.h"
#include "indexer/term_count_delta.h"

namespace citeqa::indexer {

// Passages added minus passages deleted, per word and per FTS5 term. Not thread-safe; one
// per thread, merged at the end, is how a pipeline counts on several threads.
class VocabularyDelta {
 public:
  // Counts passages being added (sign +1) or deleted (sign -1): each passage counts once
  // per word of its text and once per term of its heading and text.
  void AddPassages(const std::vector<Passage>& passages, int sign = 1);
  // Adds the counts of `other`, which is left empty.
  void Merge(VocabularyDelta&& other);
  // Passages added minus deleted whose text contains `word` / that FTS5 indexes under
  // `term`.
  int64_t WordPassages(std::string_view word) const { return words_.Passages(word); }
  int64_t TermPassages(std::string_view term) const { return terms_.Passages(term); }
  // Writes the changes into passage_vocab and stem_frequency (a term whose count drops to
  // 0 is removed), adds them to `applied` (unless null) and clears this delta. Inside the
  // caller's transaction. Errors: those of SQLite, and kIoError when FTS5's tokenizer
  // could not be opened to count terms.
  Status Apply(Database* db, FrequencyChanges* applied = nullptr);

 private:
  TermCountDelta words_;
  TermCountDelta terms_;
  std::optional<PassageTokenizer> tokenizer_;  // opened on first use
  Status tokenizer_status_;                    // why it could not be, reported by Apply
};

// Recounts passage_vocab from the passages table (a migration step). Inside the caller's
// transaction.
Status RebuildWordVocabulary(Database* db);

// Fills stem_frequency from FTS5's own vocabulary (a migration step: one read of every
// posting list). Inside the caller's transaction.
Status RebuildStemFrequency(Database* db);

}  // namespace citeqa::indexer
