// Scores a question file (CONTRACT.md format) against an Engine: hit@k, MRR@5, answer
// hits, abstentions, and in-process latency.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "indexer/status.h"
#include "retriever/engine.h"

namespace citeqa::retriever {

struct EvalQuestion {
  std::string id;
  std::string kind;
  std::vector<std::string> turns;  // one entry for a plain question
  std::vector<std::string> gold;   // empty for a negative
  bool expect_abstain = false;
};

struct EvalResult {
  std::string id;
  std::string kind;
  AskResponse response;  // the answer to the last turn
  int hit_rank = 0;      // 1-based rank of the first citation containing a gold phrase; 0 none
  bool answer_hit = false;
  bool correct = false;  // negatives: abstained; answerable: hit within the citations
};

struct KindScores {
  int answerable = 0;
  double hit_at_1 = 0, hit_at_3 = 0, hit_at_5 = 0, mrr_at_5 = 0, answer_hit = 0;
  int false_abstentions = 0;
};

struct EvalSummary {
  KindScores overall;                  // over all answerable questions
  std::map<std::string, KindScores> by_kind;  // answerable kinds only
  int negatives = 0;
  double abstention_rate = 0;  // share of negatives that abstained
  double latency_p50_ms = 0;
  double latency_p99_ms = 0;
};

struct EvalReport {
  EvalSummary summary;
  std::vector<EvalResult> results;
};

// Parses a .jsonl question file. Errors: kNotFound / kIoError for the file, and
// kInvalidArgument naming the line for a malformed entry.
Result<std::vector<EvalQuestion>> LoadEvalQuestions(const std::string& path);

// Asks every question (conversations turn by turn, passing earlier turns as history).
Result<EvalReport> RunEval(Engine& engine, const std::vector<EvalQuestion>& questions);

// A human-readable table of the summary.
std::string FormatEvalTable(const EvalSummary& summary);

// Case-insensitive containment after collapsing white space, as CONTRACT.md defines a hit.
bool ContainsGold(const std::string& text, const std::vector<std::string>& gold);

}  // namespace citeqa::retriever
