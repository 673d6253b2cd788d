#include "retriever/ranker.h"

#include <algorithm>
#include <unordered_map>

#include "indexer/text.h"
#include "retriever/comparison_evidence.h"
#include "retriever/definition_evidence.h"
#include "retriever/stopwords.h"
#include "retriever/wording_overlap.h"

namespace citeqa::retriever {
namespace {

constexpr double kCoverageWeight = 0.50;
constexpr double kHeadingWeight = 0.15;
constexpr double kTitleWeight = 0.10;
constexpr double kConceptBm25Weight = 0.20;
constexpr double kBm25K1 = 1.2;
constexpr double kBm25B = 0.75;
constexpr double kAdjacencyWeight = 0.10;
constexpr double kAnswerTypeWeight = 0.15;
constexpr double kSentenceWeight = 0.3;
constexpr double kWordingWeight = 0.15;
constexpr double kSideBySideWeight = 0.25;
// Only the best few are ever cited or read for the answer, so only they are de-duplicated.
constexpr size_t kMaxRanked = 20;
constexpr size_t kAnswerTypeContenders = 20;
constexpr double kCarriedFactor = 0.5;
constexpr double kFrameFactor = 0.25;
// A question's main verb says what is asked of its topic; the nouns name the topic.
constexpr double kVerbFactor = 0.5;
constexpr double kNearDuplicateJaccard = 0.8;

// The distinct words of a text as sorted hashes: cheap to compare for near-duplicates.
std::vector<size_t> WordSet(const std::vector<indexer::Token>& tokens) {
  std::vector<size_t> words;
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

// Share of a heading's content words that the question asked about.
double HeadingPrecision(const TextMatch& match, const std::string& heading) {
  int content = 0;
  for (const auto& t : indexer::Tokenize(heading)) content += IsStopword(t.text) ? 0 : 1;
  if (content == 0) return 0.0;
  return std::min(1.0, static_cast<double>(match.highlights.size()) / content);
}

// How much a heading or title is about the question: the share of the question it covers
// times the share of its own words the question asked about. 0 for an empty one.
double FocusOn(const std::string& heading, const std::vector<Concept>& concepts,
               const ConceptMatcher& matcher) {
  if (heading.empty()) return 0.0;
  const TextMatch match = matcher.Match(heading);
  return WeightedCoverage(match, concepts) * HeadingPrecision(match, heading);
}

struct SentenceEvidence {
  double coverage = 0;    // the highest weighted coverage of any one sentence (or list line)
  double definition = 0;  // for a definition question, the best DefinitionFit
};

// One match per sentence serves both.
SentenceEvidence BestSentences(const std::string& text, const AnalyzedQuestion& question,
                               const ConceptMatcher& matcher) {
  const bool defines = question.answer_type == AnswerType::kDefinition;
  SentenceEvidence best;
  for (const std::string_view sentence : indexer::SentencesByLine(text)) {
    const TextMatch match = matcher.Match(sentence);
    best.coverage = std::max(best.coverage, WeightedCoverage(match, question.concepts));
    if (defines) best.definition = std::max(best.definition, DefinitionFit(sentence, match));
  }
  return best;
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

void AssignConceptWeights(const Vocabulary& vocab, const PhraseFrequency& phrase_df,
                          std::vector<Concept>* concepts) {
  for (Concept& c : *concepts) {
    // A concept is found if any wording is, so its frequency is that of its most common
    // wording.
    int64_t df = 0;
    c.match_cost = 0;
    for (size_t a = 0; a < c.stems.size(); ++a) {
      const Phrase& alt = c.stems[a];
      for (const std::string& s : alt) c.match_cost = std::max(c.match_cost, vocab.StemDf(s));
      int64_t alt_df = 0;
      if (alt.size() == 1) {
        alt_df = vocab.StemDf(alt.front());
      } else {
        // Only ask the index when every word occurs somewhere.
        const bool possible = std::all_of(alt.begin(), alt.end(), [&](const std::string& s) {
          return vocab.StemDf(s) > 0;
        });
        alt_df = possible ? phrase_df(c.alternatives[a]) : 0;
      }
      df = std::max(df, alt_df);
    }
    c.df = df;
    c.weight = vocab.Idf(df) * (c.carried ? kCarriedFactor : 1.0) * (c.frame ? kFrameFactor : 1.0) *
               (c.verb ? kVerbFactor : 1.0);
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
  const ConceptMatcher matcher(question.concepts);
  // Each candidate's words, kept for the later signals and the near-duplicate check.
  std::vector<std::vector<indexer::Token>> tokens;
  tokens.reserve(candidates.size());
  double total_words = 0;
  for (Candidate& c : candidates) {
    RankedPassage r;
    tokens.push_back(indexer::Tokenize(c.text));
    // The text starts with the heading line already, so matching the text covers both.
    r.match = matcher.Match(tokens.back());
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
  // Candidates share titles and headings: judge each distinct one once.
  std::unordered_map<std::string, double> focus_memo;
  auto focus_on = [&](const std::string& heading) {
    const auto [it, fresh] = focus_memo.try_emplace(heading, 0.0);
    if (fresh) it->second = FocusOn(heading, question.concepts, matcher);
    return it->second;
  };
  for (size_t i = 0; i < ranked.size(); ++i) {
    RankedPassage& r = ranked[i];
    const Candidate& c = r.candidate;
    const double adjacency =
        possible_pairs > 0 ? static_cast<double>(r.match.adjacent_pairs) / possible_pairs : 0.0;
    // A passage under a heading that names the question's concepts, and little else, is
    // about them.
    const double heading_coverage = focus_on(c.heading);
    const double title_coverage = focus_on(c.title);
    r.score = kCoverageWeight * r.coverage + kHeadingWeight * heading_coverage +
              kTitleWeight * title_coverage +
              kConceptBm25Weight * (best_bm25 > 0 ? bm25[i] / best_bm25 : 0.0) +
              kAdjacencyWeight * adjacency;
  }
  std::vector<size_t> order(ranked.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto by_score = [&](size_t a, size_t b) { return ranked[a].score > ranked[b].score; };
  std::stable_sort(order.begin(), order.end(), by_score);
  // The kind of answer wanted can only reorder close contenders, so it is judged (sentence
  // by sentence, the costly part) for the leading few only.
  // Likewise whether one sentence holds the question together: answers usually sit in a
  // sentence that names most of what was asked, not spread over a passage.
  // And whether it repeats the question's wording, prepositions included ("into").
  const std::vector<StemPair> wording = WordingPairs(question);
  for (size_t k = 0; k < order.size() && k < kAnswerTypeContenders; ++k) {
    RankedPassage& r = ranked[order[k]];
    const SentenceEvidence sentences = BestSentences(r.candidate.text, question, matcher);
    const double answer_type_fit =
        question.answer_type == AnswerType::kDefinition
            ? sentences.definition
            : PassageAnswerTypeFit(question.answer_type, r.candidate.text);
    r.score += kAnswerTypeWeight * answer_type_fit + kSentenceWeight * sentences.coverage +
               kWordingWeight * WordingOverlap(wording, tokens[order[k]]) +
               kSideBySideWeight * SideBySideFit(question, matcher, r.candidate.text);
  }
  std::stable_sort(order.begin(), order.end(), by_score);
  std::vector<RankedPassage> unique;
  std::vector<std::vector<size_t>> kept_words;
  for (size_t i : order) {
    if (unique.size() == kMaxRanked) break;
    auto words = WordSet(tokens[i]);
    const bool duplicate = std::any_of(kept_words.begin(), kept_words.end(), [&](const auto& k) {
      return Jaccard(words, k) >= kNearDuplicateJaccard;
    });
    if (duplicate) continue;
    kept_words.push_back(std::move(words));
    unique.push_back(std::move(ranked[i]));
  }
  return unique;
}

}  // namespace citeqa::retriever
