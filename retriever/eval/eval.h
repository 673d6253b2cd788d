// Scores a question file (CONTRACT.md format) against an Engine: hit@k, MRR@5, answer
// hits, abstentions, accuracy, answers mixing articles, and in-process latency.
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
  // Where the question was written from, when the file says (training labels): the
  // article's file name and the paragraph's place in it; "" and -1 otherwise.
  std::string doc;
  int para = -1;
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
  KindScores overall;                         // over all answerable questions
  std::map<std::string, KindScores> by_kind;  // answerable kinds only
  int questions = 0;
  int negatives = 0;
  double abstention_rate = 0;         // share of negatives that abstained
  double false_abstention_share = 0;  // share of answerable questions answered "not found"
  // (answer hits + abstained negatives) / all questions
  double accuracy = 0;
  // Over every answer given: the share of its sentences (text ending in [n] markers) that
  // cite another article than its first sentence does.
  double mixed_share = 0;
  int answer_sentences = 0;
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

// The citation numbers that end the answer's sentences, in order (a sentence ends at its
// last "[n]" marker): what the mixed-article share is counted over.
std::vector<int> SentenceMarkers(const std::string& answer);

}  // namespace citeqa::retriever
