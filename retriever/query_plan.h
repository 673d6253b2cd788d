// Bounded-work candidate retrieval. A plain OR of every question word makes FTS5 score each
// passage holding any of them, which at a million passages is a second per question. The
// plan instead asks for passages holding ALL informative concepts first (rarest first, so the
// match is small), widens by dropping the most common concept only while too few passages
// come back, never lets bm25 score more rows than a cap, and leaves concepts that occur in
// most passages ("product") to the re-ranking, where they cost nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "indexer/sqlite_db.h"
#include "indexer/status.h"
#include "retriever/passage_search.h"
#include "retriever/question.h"

namespace citeqa::retriever {

struct QueryPlanLimits {
  int64_t passages = 0;        // passages in the index
  int limit = 100;             // candidates wanted from one query
  int min_candidates = 50;     // widen while fewer than this have been found
  // Estimated matches beyond which bm25 is not asked for: it scores each (~2.5 us).
  int64_t max_scored = 2000;
  // Rows taken, unscored, from a match too large to score; each costs ~20 us to re-rank.
  int unranked_scan = 200;
  double common_share = 0.5;   // a concept in more than this share of passages is left out
  size_t max_conjunction = 4;  // AND at most this many (the rarest) concepts
  // Postings an AND may walk besides the rarest concept's: FTS5 steps through a common
  // word's whole posting list to intersect it (about 20 ns a posting), however rare the
  // other side is, so commoner concepts are left to the OR and the re-ranking.
  int64_t max_conjunction_postings = 150000;
};

struct PlannedQuery {
  std::string match;  // an FTS5 MATCH expression built from quoted tokens only
  bool ranked = true; // ORDER BY bm25, or the first rows unscored
  int limit = 0;
};

// The queries to run, narrowest first. Concepts need their df set (AssignConceptWeights).
// Empty when no concept occurs in the index. Pure; thread-safe.
std::vector<PlannedQuery> PlanQueries(const std::vector<Concept>& concepts,
                                      const QueryPlanLimits& limits);

// Runs the queries in order until `min_candidates` distinct passages are found; returns
// them (each once, from the first query that found it). Errors: kIoError.
Result<std::vector<Candidate>> RunQueryPlan(indexer::Database* db,
                                            const std::vector<PlannedQuery>& plan,
                                            int min_candidates);

}  // namespace citeqa::retriever
