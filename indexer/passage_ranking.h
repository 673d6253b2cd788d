// Ranking full-text matches without reads FTS5's bm25() makes. bm25() looks up each matched
// passage's length in passages_fts_docsize, a b-tree seek per row, and counts the passages
// holding each phrase of the query by walking its whole posting list (for a common word in
// a large index, most of a question's work). citeqa_bm25() computes the same score,
// operation for operation, taking each length and phrase count from what the caller holds
// (ranking_statistics.h) when it has them, from FTS5 otherwise. Scores and rankings equal
// bm25()'s to the last bit where the compiler makes the same floating-point choices as
// SQLite's build (no fused multiply-add, as on x86-64): the tests check it on every build.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <vector>

#include "indexer/ranking_statistics.h"
#include "indexer/status.h"

namespace citeqa::indexer {

// What citeqa_bm25 is given besides the column weights (each part may be absent), and what
// it gives back.
struct RankingInput {
  const PassageLengths* lengths = nullptr;
  // For each phrase of the MATCH expression, in its order: how many terms FTS5 makes of it,
  // and the passages holding it in the version read (-1: FTS5 counts them). Ignored unless
  // the expression's phrases have exactly these sizes.
  std::vector<int> phrase_terms;
  std::vector<int64_t> phrase_passages;
  // Written by citeqa_bm25: per phrase, the count FTS5 worked out where phrase_passages had
  // none (else -1); left empty when the counts did not fit the query.
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
