#include "retriever/ranker.h"

#include <algorithm>
#include <set>

#include "indexer/text.h"

namespace citeqa::retriever {
namespace {

constexpr double kCoverageWeight = 0.50;
constexpr double kHeadingWeight = 0.15;
constexpr double kConceptBm25Weight = 0.20;
constexpr double kBm25K1 = 1.2;
constexpr double kBm25B = 0.75;
constexpr double kAdjacencyWeight = 0.10;
constexpr double kAnswerTypeWeight = 0.05;
// Only the best few are ever cited or read for the answer, so only they are de-duplicated.
constexpr size_t kMaxRanked = 20;
constexpr double kCarriedFactor = 0.5;
constexpr double kNearDuplicateJaccard = 0.8;

std::set<std::string> WordSet(const std::string& text) {
  std::set<std::string> words;
  for (const auto& t : indexer::Tokenize(text)) words.insert(t.text);
  return words;
}

double Jaccard(const std::set<std::string>& a, const std::set<std::string>& b) {
  if (a.empty() && b.empty()) return 1.0;
  size_t common = 0;
  for (const auto& w : a) common += b.count(w);
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

int PossibleAdjacentPairs(const std::vector<Concept>& concepts) {
  int pairs = 0;
  for (size_t c = 0; c + 1 < concepts.size(); ++c) {
    if (!concepts[c].carried && !concepts[c + 1].carried &&
        concepts[c + 1].first_token == concepts[c].last_token + 1) {
      ++pairs;
    }
  }
  return pairs;
}

}  // namespace

void AssignConceptWeights(const Vocabulary& vocab, std::vector<Concept>* concepts) {
  for (Concept& c : *concepts) {
    // A concept is found if any wording is, so its frequency is that of its most common
    // wording; a wording is as rare as its rarest word.
    int64_t df = 0;
    for (const Phrase& alt : c.stems) {
      int64_t alt_df = -1;
      for (const std::string& stem : alt) {
        const int64_t d = vocab.StemDf(stem);
        alt_df = alt_df < 0 ? d : std::min(alt_df, d);
      }
      df = std::max(df, std::max<int64_t>(alt_df, 0));
    }
    c.df = df;
    c.weight = vocab.Idf(df) * (c.carried ? kCarriedFactor : 1.0);
  }
}

namespace {

// BM25 over concepts rather than words: each concept is one term (any of its wordings
// counts), weighted by its IDF. FTS5's own bm25 only gathers candidates, because it scores
// an abbreviation ("PM") apart from the phrase it stands for ("product manager").
double ConceptBm25(const TextMatch& match, const std::vector<Concept>& concepts,
                   double average_words) {
  const double length_norm =
      1.0 - kBm25B + kBm25B * static_cast<double>(match.words) / std::max(average_words, 1.0);
  double score = 0;
  for (size_t c = 0; c < concepts.size(); ++c) {
    const double tf = match.concept_count[c];
    score += concepts[c].weight * tf * (kBm25K1 + 1.0) / (tf + kBm25K1 * length_norm);
  }
  return score;
}

}  // namespace

std::vector<RankedPassage> RankPassages(const AnalyzedQuestion& question,
                                        std::vector<Candidate> candidates) {
  std::vector<RankedPassage> ranked;
  ranked.reserve(candidates.size());
  double total_words = 0;
  for (Candidate& c : candidates) {
    RankedPassage r;
    // The text starts with the heading line already, so matching the text covers both.
    r.match = MatchConcepts(c.text, question.concepts);
    r.coverage = WeightedCoverage(r.match, question.concepts);
    total_words += r.match.words;
    r.candidate = std::move(c);
    ranked.push_back(std::move(r));
  }
  const double average_words = ranked.empty() ? 1.0 : total_words / static_cast<double>(ranked.size());
  std::vector<double> bm25(ranked.size());
  double best_bm25 = 0;
  for (size_t i = 0; i < ranked.size(); ++i) {
    bm25[i] = ConceptBm25(ranked[i].match, question.concepts, average_words);
    best_bm25 = std::max(best_bm25, bm25[i]);
  }
  const int possible_pairs = PossibleAdjacentPairs(question.concepts);
  for (size_t i = 0; i < ranked.size(); ++i) {
    RankedPassage& r = ranked[i];
    const Candidate& c = r.candidate;
    const double adjacency =
        possible_pairs > 0 ? static_cast<double>(r.match.adjacent_pairs) / possible_pairs : 0.0;
    // A passage under a heading that names the question's concepts is about them.
    const double heading_coverage =
        c.heading.empty() ? 0.0 : WeightedCoverage(MatchConcepts(c.heading, question.concepts),
                                                   question.concepts);
    r.score = kCoverageWeight * r.coverage + kHeadingWeight * heading_coverage +
              kConceptBm25Weight * (best_bm25 > 0 ? bm25[i] / best_bm25 : 0.0) +
              kAdjacencyWeight * adjacency +
              kAnswerTypeWeight * AnswerTypeFit(question.answer_type, c.text);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const RankedPassage& a, const RankedPassage& b) {
    return a.score > b.score;
  });
  std::vector<RankedPassage> unique;
  std::vector<std::set<std::string>> kept_words;
  for (RankedPassage& r : ranked) {
    if (unique.size() == kMaxRanked) break;
    auto words = WordSet(r.candidate.text);
    const bool duplicate = std::any_of(kept_words.begin(), kept_words.end(), [&](const auto& k) {
      return Jaccard(words, k) >= kNearDuplicateJaccard;
    });
    if (duplicate) continue;
    kept_words.push_back(std::move(words));
    unique.push_back(std::move(r));
  }
  return unique;
}

}  // namespace citeqa::retriever
