// Ranking full-text matches without reads FTS5's bm25() makes. bm25() looks up each matched
// passage's length in passages_fts_docsize, a b-tree seek per row, and counts the passages
// holding each phrase of the query by walking its whole posting list (for a common word in
// a large index, most of a question's work). citeqa_bm25() computes the same score,
// operation for operation (so scores and rankings equal bm25()'s to the last bit), taking
// each length from PassageLengths held in memory and each one-term phrase's count from the
// caller's statistics when it has them, from FTS5 otherwise.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <string_view>
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

// The passages holding each FTS5 term (passages_fts's porter stems) and phrase in one
// version of an index: terms as its stem_frequency keeps them (the indexer updates it with
// passages_fts), phrases as FTS5 counted them for earlier queries.
struct TermPassages {
  int64_t generation = -1;  // the version (meta.generation) the counts are of
  // The passages holding a phrase given as its FTS5 terms joined by spaces (one term: the
  // term): 0 for a term no passage holds, -1 for a phrase whose count is not known.
  std::function<int64_t(std::string_view terms)> count;
  // Told the counts FTS5 worked out for the phrases `count` did not know (may be empty).
  std::function<void(std::string_view terms, int64_t passages)> remember;
};

// What a reader of an index holds to rank its matches with (TermQuery::ranking).
struct RankingStatistics {
  PassageLengths lengths;
  TermPassages term_passages;  // without `count`: none
};

// What citeqa_bm25 is given besides the column weights; each part may be absent.
struct RankingInput {
  const PassageLengths* lengths = nullptr;
  // For each phrase of the MATCH expression, in its order: how many terms FTS5 makes of it,
  // and for a one-term phrase the passages holding that term in the version read (-1: FTS5
  // counts them). Ignored unless the expression's phrases have exactly these sizes.
  std::vector<int> phrase_terms;
  std::vector<int64_t> phrase_passages;
  // Out: per phrase, the count FTS5 worked out where phrase_passages had none (else -1);
  // left empty when the counts did not fit the query.
  std::vector<int64_t> counted;
};

// The pointer type (SQLite's pointer passing) under which citeqa_bm25 takes its input.
inline constexpr const char* kRankingInputPointer = "citeqa_ranking_input";

// Registers citeqa_bm25 on a connection:
//   citeqa_bm25(fts_table, weight_of_column_0, ..., weight_of_column_n, input)
// the column weights as bm25() takes them, then a RankingInput bound as a pointer of type
// kRankingInputPointer (anything else, NULL say: FTS5 reads every length and counts every
// phrase, as bm25() does). Errors: kIoError when the connection's SQLite has no FTS5.
Status RegisterPassageRanking(sqlite3* db);

}  // namespace citeqa::indexer
