// The scoring stage of the answering pipeline. Every candidate passage is read and turned
// into features, and the passage model orders them (near-duplicates of a better passage are
// dropped); then the sentences of the leading passages are turned into features, and the
// sentence model gives each the chance that it holds the answer.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "retriever/analysis/question.h"
#include "retriever/retrieval/query_plan.h"
#include "retriever/scoring/passage_features.h"
#include "retriever/scoring/question_traits.h"
#include "retriever/scoring/sentence_features.h"
#include "retriever/scoring/sentence_options.h"
#include "retriever/scoring/tree_model.h"

namespace citeqa::retriever {

struct ScoredPassage {
  Candidate candidate;
  PassageEvidence evidence;
  double score = 0;  // the passage model's
};

struct ScoredSentence {
  SentenceOption option;
  SentenceFeatureRow features{};
  double score = 0;        // the sentence model's (log-odds)
  double probability = 0;  // that it holds the answer
};

struct ScoredCandidates {
  QuestionTraits traits;
  // Every candidate's passage id and features, in retrieval order, before ranking dropped
  // any: what the passage model is trained on.
  std::vector<std::pair<int64_t, PassageFeatureRow>> candidate_features;
  // Best first: the first `ranked` (at most defaults::kRankedPassages) as the passage model
  // ranked them, then any fetched only as the context of a leading passage.
  std::vector<ScoredPassage> passages;
  size_t ranked = 0;
  std::vector<ScoredSentence> sentences;  // options of the leading passages, best first
};

// The place in `passages` of the passage that comes just before passages[p] in its
// document, or none when `passages` does not hold it.
std::optional<size_t> PassageBefore(const std::vector<ScoredPassage>& passages, size_t p);

// The two models scoring uses. Training reads features before the models exist: without a
// passage model the retrieval order stands (score: minus the place), without a sentence
// model a sentence scores its coverage. The engine always has both.
struct ScoringModels {
  const TreeModel* passages = nullptr;
  const TreeModel* sentences = nullptr;
};

// The passage just before a candidate in its document, or none; for the context a leading
// passage's first sentence needs.
using PassageBeforeFetch = std::function<std::optional<Candidate>(const Candidate&)>;

// Scores the candidates (retrieval order). Pure apart from its inputs' lifetimes and what
// `passage_before` reads: the question must outlive the result's matches only while they
// are read. `layouts`, when given, are the index version's shared passage layouts (else
// each is laid out here).
//
// A leading passage whose first sentence points back ("However, ...", "He ...") can only be
// quoted with the end of the passage before it in its document (composition), so that
// passage's sentences are scored too: the ranked passage it is, or else the one
// `passage_before` fetches, added after the ranked passages with a score below theirs.
ScoredCandidates ScoreCandidates(const AnalyzedQuestion& question,
                                 std::vector<Candidate> candidates, const ScoringModels& models,
                                 PassageLayouts* layouts = nullptr,
                                 const PassageBeforeFetch& passage_before = nullptr);

}  // namespace citeqa::retriever
