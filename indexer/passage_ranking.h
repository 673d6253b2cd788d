// Ranking full-text matches without a disk read per matched row. FTS5's bm25() looks up
// each matched passage's length in passages_fts_docsize, a b-tree seek per row that is most
// of what a ranked query costs. citeqa_bm25() computes the same score, operation for
// operation (so scores and rankings equal bm25()'s to the last bit), and takes each length
// from PassageLengths held in memory when they cover the row, from FTS5 otherwise.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "indexer/status.h"

namespace citeqa::indexer {

// Tokens per passage (heading and text together, as FTS5 counts them for bm25), by passage
// id. A passage's length never changes under its id: passages.id is AUTOINCREMENT, so a
// re-indexed passage gets a new id and a removed one's id is never given again. Lengths read
// from one version of an index therefore hold, for the ids they cover, in every later
// version of the same index file. Immutable once built; shared across threads.
class PassageLengths {
 public:
  static constexpr uint32_t kUnknown = std::numeric_limits<uint32_t>::max();

  // The length of passage `id`, or kUnknown when not held.
  uint32_t Of(int64_t id) const {
    const uint64_t slot = static_cast<uint64_t>(id - first_id_);
    return slot < tokens_.size() ? tokens_[slot] : kUnknown;
  }
  // One past the highest id held (0 when none): a later version's passages start there.
  int64_t end_id() const { return first_id_ + static_cast<int64_t>(tokens_.size()); }
  size_t held() const { return held_; }  // passages with a known length

  // Adds the lengths of rows (id ascending, every id >= end_id() of the lengths so far)
  // read from passages_fts_docsize: `sizes` is FTS5's record of one varint per column.
  // Gaps between ids (passages removed) are held as kUnknown. A record that does not
  // decode is held as kUnknown (FTS5 then reads that row's length itself).
  void Append(int64_t id, const unsigned char* sizes, int bytes);

 private:
  int64_t first_id_ = 0;
  std::vector<uint32_t> tokens_;  // by id - first_id_
  size_t held_ = 0;
};

// The pointer type (SQLite's pointer passing) under which citeqa_bm25 takes its lengths.
inline constexpr const char* kPassageLengthsPointer = "citeqa_passage_lengths";

// Registers citeqa_bm25 on a connection:
//   citeqa_bm25(fts_table, weight_of_column_0, ..., weight_of_column_n, lengths)
// the column weights as bm25() takes them, then a PassageLengths bound as a pointer of type
// kPassageLengthsPointer (anything else, NULL say: every length read by FTS5, as bm25()
// does). Errors: kIoError when the connection's SQLite has no FTS5.
Status RegisterPassageRanking(sqlite3* db);

}  // namespace citeqa::indexer
