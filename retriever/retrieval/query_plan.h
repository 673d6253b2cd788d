// The retrieval stage: bounded-work candidate passages for a weighed question. When few
// enough passages hold any of the question's informative concepts, bm25 ranks them all: the
// best recall, since a passage missing the rarest word may still answer in other words.
// Otherwise a plain OR would make FTS5 score each passage holding any of them, which at a
// million passages is a second per question; the plan then asks for passages holding ALL
// informative concepts first (rarest first, so the match is small), widens by dropping the
// most common concept only while too few passages come back, never lets bm25 score more rows
// than a cap, and leaves concepts that occur in most passages ("product") to scoring, where
// they cost nothing.
#pragma once

#include <cstdint>
#include <vector>

#include "indexer/index_reader.h"
#include "indexer/status.h"
#include "retriever/analysis/question.h"
#include "retriever/defaults.h"

namespace citeqa::retriever {

// A passage found for the question, as the index holds it.
using Candidate = indexer::PassageRow;

struct QueryPlanLimits {
  int64_t passages = 0;                    // passages in the index
  // Wanted in all, and the limit of every query: a match too large to score gives its first
  // rows in id order, of which at most those found before are repeats, so as many rows as
  // are wanted in all always hold the ones still missing (IndexReader::Candidates keeps
  // unranked rows in id order; every FTS5 row has its passage and document, as the indexer
  // writes them in one transaction).
  int candidates = defaults::kCandidates;
  // Estimated matches beyond which bm25 is not asked for: it scores each (~2.5 us).
  int64_t max_scored = 2000;
  double common_share = 0.5;  // a concept in more than this share of passages is left out
  // Past this many estimated rows, the one scored OR leaves out concepts in more than
  // scored_common_share of the passages: they add rows for bm25 to score but hardly change
  // their order (scoring still weighs them). Below it, scoring them all is cheap.
  int64_t scored_rows_budget = 500;
  double scored_common_share = 0.1;
  size_t max_conjunction = 4;  // AND at most this many (the rarest) concepts
  // Postings a ranked AND may walk: bm25 scores every match, so FTS5 steps through each
  // concept's whole posting list to intersect them (about 20 ns a posting), however rare the
  // other side is; commoner concepts are left to the OR and to scoring.
  int64_t max_conjunction_postings = 150000;
  // Postings an unranked AND may be expected to walk (about 0.8 ms): it stops at its
  // `candidates`-th match, so past some size the same concepts fit at any size and cost the
  // same. The ceiling on its whole lists (about 20 ms) bounds the walk when the concepts
  // seldom meet.
  int64_t max_expected_walk = 40000;
  int64_t max_unranked_conjunction_postings = 1000000;
};

// The queries to run, narrowest first. Concepts need their df set (WeighQuestion). Empty
// when no concept occurs in the index. Pure; thread-safe.
std::vector<indexer::TermQuery> PlanQueries(const std::vector<Concept>& concepts,
                                            const QueryPlanLimits& limits);

// Runs the plan's queries in order until `limits.candidates` distinct passages are found and
// returns at most that many, each once, in the order found (bm25 order within a query).
// `ranking` is what the index's statistics hold for ranking (TermQuery::ranking).
// Errors: kIoError.
Result<std::vector<Candidate>> RetrieveCandidates(indexer::IndexReader* index,
                                                  const std::vector<Concept>& concepts,
                                                  const QueryPlanLimits& limits,
                                                  const indexer::RankingStatistics& ranking);

// The naive query the benchmarks measure the plan against: any wording of any concept, or
// any word of a multi-word wording, ranked by bm25. Pure.
indexer::TermQuery AnyWordingQuery(const std::vector<Concept>& concepts, int limit);

}  // namespace citeqa::retriever
