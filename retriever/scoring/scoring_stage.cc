#include "retriever/scoring/scoring_stage.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "retriever/defaults.h"

namespace citeqa::retriever {
namespace {

// The distinct words of a text as sorted hashes: cheap to compare for near-duplicates.
std::vector<size_t> WordSet(const std::vector<indexer::Token>& tokens) {
  std::vector<size_t> words;
  words.reserve(tokens.size());
  for (const auto& t : tokens) words.push_back(std::hash<std::string>{}(t.text));
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

double Jaccard(const std::vector<size_t>& a, const std::vector<size_t>& b) {
  if (a.empty() && b.empty()) return 1.0;
  size_t common = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] == b[j]) {
      ++common;
      ++i;
      ++j;
    } else if (a[i] < b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Best first; a passage whose words are nearly those of a better one is dropped.
std::vector<ScoredPassage> Rank(std::vector<Candidate> candidates,
                                std::vector<PassageEvidence> evidence, const TreeModel* model) {
  std::vector<double> scores(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    scores[i] = model != nullptr ? model->Margin(evidence[i].features) : -static_cast<double>(i);
  }
  std::vector<size_t> order(candidates.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  std::vector<ScoredPassage> ranked;
  std::vector<std::vector<size_t>> kept_words;
  for (size_t i : order) {
    if (ranked.size() == defaults::kRankedPassages) break;
    auto words = WordSet(evidence[i].reading.tokens);
    const bool duplicate = std::any_of(kept_words.begin(), kept_words.end(), [&](const auto& k) {
      return Jaccard(words, k) >= defaults::kNearDuplicateJaccard;
    });
    if (duplicate) continue;
    kept_words.push_back(std::move(words));
    ranked.push_back({std::move(candidates[i]), std::move(evidence[i]), scores[i]});
  }
  return ranked;
}

}  // namespace

ScoredCandidates ScoreCandidates(const AnalyzedQuestion& question,
                                 std::vector<Candidate> candidates, const ScoringModels& models) {
  ScoredCandidates out;
  out.traits = TraitsOf(question);
  const ConceptMatcher matcher(question.concepts);
  std::vector<PassageEvidence> evidence =
      PassageFeatures(question, out.traits, candidates, matcher);
  out.candidate_features.reserve(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    out.candidate_features.emplace_back(candidates[i].passage_id, evidence[i].features);
  }
  out.passages = Rank(std::move(candidates), std::move(evidence), models.passages);

  const size_t leading = std::min(out.passages.size(), defaults::kAnswerPassages);
  std::vector<RankedPassageView> views;
  std::vector<SentenceOption> options;
  for (size_t p = 0; p < leading; ++p) {
    const ScoredPassage& sp = out.passages[p];
    views.push_back({sp.candidate.text, sp.candidate.doc_id, &sp.evidence, sp.score});
    for (SentenceOption& o : SentenceOptions(sp.candidate.text, sp.evidence.reading, p)) {
      options.push_back(std::move(o));
    }
  }
  const std::vector<SentenceFeatureRow> rows =
      SentenceFeatures(question, out.traits, views, options);
  out.sentences.reserve(options.size());
  for (size_t i = 0; i < options.size(); ++i) {
    ScoredSentence s;
    s.option = std::move(options[i]);
    s.features = rows[i];
    if (models.sentences != nullptr) {
      s.score = models.sentences->Margin(s.features);
      s.probability = Sigmoid(s.score);
    } else {
      s.score = s.features[kSentenceCoverage];
      s.probability = s.score;
    }
    out.sentences.push_back(std::move(s));
  }
  std::stable_sort(
      out.sentences.begin(), out.sentences.end(),
      [](const ScoredSentence& a, const ScoredSentence& b) { return a.score > b.score; });
  return out;
}

}  // namespace citeqa::retriever
