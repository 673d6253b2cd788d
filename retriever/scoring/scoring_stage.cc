#include "retriever/scoring/scoring_stage.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "retriever/defaults.h"

namespace citeqa::retriever {
namespace {

// Whether the Jaccard similarity of two sorted word sets reaches `threshold` (in (0, 1]).
// Similar sets leave few words unmatched: Jaccard >= t exactly when the unmatched words are
// at most (|a| + |b|)(1 - t)/(1 + t). The merge stops once more are unmatched (one spare,
// against rounding), which for passages that are not near-duplicates is early; the answer
// is then the same as the full count's.
bool JaccardAtLeast(const std::vector<size_t>& a, const std::vector<size_t>& b, double threshold) {
  if (a.empty() && b.empty()) return true;
  const double total = static_cast<double>(a.size() + b.size());
  const double allowed = total * (1.0 - threshold) / (1.0 + threshold) + 1.0;
  size_t common = 0;
  size_t unmatched = 0;
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) {
      ++common;
      ++i;
      ++j;
      continue;
    }
    ++(a[i] < b[j] ? i : j);
    if (static_cast<double>(++unmatched) > allowed) return false;
  }
  return static_cast<double>(common) / (total - static_cast<double>(common)) >= threshold;
}

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Feature rows one after another, as TreeModel::Margins takes them.
template <typename Rows, typename RowOf>
std::vector<float> Flattened(const Rows& rows, RowOf row_of) {
  std::vector<float> flat;
  for (const auto& r : rows) {
    const auto& row = row_of(r);
    flat.insert(flat.end(), row.begin(), row.end());
  }
  return flat;
}

// Best first; a passage whose words are nearly those of a better one is dropped.
std::vector<ScoredPassage> Rank(std::vector<Candidate> candidates,
                                std::vector<PassageEvidence> evidence, const TreeModel* model) {
  std::vector<double> scores(evidence.size());
  if (model != nullptr) {
    model->Margins(
        Flattened(evidence,
                  [](const PassageEvidence& e) -> const PassageFeatureRow& { return e.features; }),
        scores);
  } else {
    for (size_t i = 0; i < scores.size(); ++i) scores[i] = -static_cast<double>(i);
  }
  std::vector<size_t> order(candidates.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  std::vector<ScoredPassage> ranked;
  std::vector<std::shared_ptr<const PassageLayout>> kept;  // their word sets stay alive
  for (size_t i : order) {
    if (ranked.size() == defaults::kRankedPassages) break;
    const std::vector<size_t>& words = evidence[i].reading.layout->word_set;
    const bool duplicate = std::any_of(kept.begin(), kept.end(), [&](const auto& k) {
      return JaccardAtLeast(words, k->word_set, defaults::kNearDuplicateJaccard);
    });
    if (duplicate) continue;
    kept.push_back(evidence[i].reading.layout);
    ranked.push_back({std::move(candidates[i]), std::move(evidence[i]), scores[i]});
  }
  return ranked;
}

// Whether a passage's first sentence points back to what came before it.
bool OpensLeaningBack(const ScoredPassage& p) {
  const PassageReading& r = p.evidence.reading;
  return p.candidate.ordinal > 0 && !r.sentences.empty() && r.layout->CuesOf(0).leans_back;
}

// The passages whose sentences are scored as answer sentences: the leading ones, and for
// each that opens by pointing back, the passage before it (its context), fetched and added
// to the ranked passages when none of them is it.
std::vector<size_t> AnswerPassages(const AnalyzedQuestion& question, const ConceptMatcher& matcher,
                                   PassageLayouts* layouts,
                                   const PassageBeforeFetch& passage_before,
                                   ScoredCandidates* out) {
  std::vector<ScoredPassage>& passages = out->passages;
  const size_t leading = std::min(passages.size(), defaults::kAnswerPassages);
  std::vector<size_t> answering(leading);
  for (size_t p = 0; p < leading; ++p) answering[p] = p;
  for (size_t p = 0; p < leading; ++p) {
    if (!OpensLeaningBack(passages[p])) continue;
    std::optional<size_t> before = PassageBefore(passages, p);
    if (!before) {
      std::optional<Candidate> fetched;
      if (passage_before) fetched = passage_before(passages[p].candidate);
      if (!fetched) continue;
      std::vector<PassageEvidence> evidence =
          PassageFeatures(question, out->traits, {*fetched}, matcher, layouts);
      const double below = passages.back().score - 1.0;
      passages.push_back({std::move(*fetched), std::move(evidence.front()), below});
      before = passages.size() - 1;
    }
    if (std::find(answering.begin(), answering.end(), *before) == answering.end()) {
      answering.push_back(*before);
    }
  }
  return answering;
}

}  // namespace

std::optional<size_t> PassageBefore(const std::vector<ScoredPassage>& passages, size_t p) {
  const Candidate& c = passages[p].candidate;
  for (size_t q = 0; q < passages.size(); ++q) {
    const Candidate& other = passages[q].candidate;
    if (other.doc_id == c.doc_id && other.ordinal + 1 == c.ordinal) return q;
  }
  return std::nullopt;
}

ScoredCandidates ScoreCandidates(const AnalyzedQuestion& question,
                                 std::vector<Candidate> candidates, const ScoringModels& models,
                                 PassageLayouts* layouts,
                                 const PassageBeforeFetch& passage_before) {
  ScoredCandidates out;
  out.traits = TraitsOf(question);
  const ConceptMatcher matcher(question.concepts);
  std::vector<PassageEvidence> evidence =
      PassageFeatures(question, out.traits, candidates, matcher, layouts);
  out.candidate_features.reserve(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    out.candidate_features.emplace_back(candidates[i].passage_id, evidence[i].features);
  }
  out.passages = Rank(std::move(candidates), std::move(evidence), models.passages);
  out.ranked = out.passages.size();

  const std::vector<size_t> answering =
      AnswerPassages(question, matcher, layouts, passage_before, &out);
  std::vector<RankedPassageView> views;  // of every passage: options name theirs by place
  for (const ScoredPassage& sp : out.passages) {
    views.push_back({sp.candidate.text, sp.candidate.doc_id, &sp.evidence, sp.score});
  }
  std::vector<SentenceOption> options;
  for (size_t p : answering) {
    const ScoredPassage& sp = out.passages[p];
    for (SentenceOption& o : SentenceOptions(sp.candidate.text, sp.evidence.reading, p)) {
      options.push_back(std::move(o));
    }
  }
  const std::vector<SentenceFeatureRow> rows =
      SentenceFeatures(question, out.traits, views, options);
  std::vector<double> margins(rows.size());
  if (models.sentences != nullptr) {
    models.sentences->Margins(
        Flattened(rows, [](const SentenceFeatureRow& r) -> const SentenceFeatureRow& { return r; }),
        margins);
  }
  out.sentences.reserve(options.size());
  for (size_t i = 0; i < options.size(); ++i) {
    ScoredSentence s;
    s.option = std::move(options[i]);
    s.features = rows[i];
    if (models.sentences != nullptr) {
      s.score = margins[i];
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
