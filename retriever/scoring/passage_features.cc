#include "retriever/scoring/passage_features.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "retriever/analysis/answer_type.h"
#include "retriever/defaults.h"
#include "retriever/scoring/comparison_evidence.h"
#include "retriever/scoring/definition_evidence.h"
#include "retriever/scoring/sentence_cues.h"

namespace citeqa::retriever {
namespace {

// The usual BM25 constants, applied to concepts rather than words.
constexpr double kBm25K1 = 1.2;
constexpr double kBm25B = 0.75;

float Log2Plus1(double x) { return static_cast<float>(std::log2(1.0 + std::max(x, 0.0))); }

// BM25 over concepts rather than words: each concept is one term (any of its wordings
// counts), weighted by its IDF. FTS5's own bm25 scores an abbreviation ("PM") apart from
// the phrase it stands for ("product manager").
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

// How much a heading or title is about the question: the share of the question it covers
// times the share of its own content words the question asked about. 0 for an empty one.
double FocusOn(const LineLayout& line, const std::vector<Concept>& concepts,
               const ConceptMatcher& matcher, double* coverage) {
  *coverage = 0;
  if (line.tokens.empty()) return 0.0;
  const std::vector<int> ids = matcher.StemIds(line.stems, line.stem_hashes);
  const TextMatch match = matcher.MatchIds(line.tokens, ids);
  *coverage = WeightedCoverage(match, concepts);
  if (line.content_words == 0) return 0.0;
  const double precision =
      std::min(1.0, static_cast<double>(match.highlights.size()) / line.content_words);
  return *coverage * precision;
}

struct Focus {
  double focus = 0;
  double coverage = 0;
};

}  // namespace

bool StatesEvent(const AnalyzedQuestion& question, const TextMatch& sentence) {
  if (question.event_verb < 0) return false;
  const auto event = static_cast<size_t>(question.event_verb);
  if (event >= question.concepts.size() || sentence.concept_match[event] < 1.0) return false;
  double total = 0;
  double covered = 0;
  for (size_t c = 0; c < question.concepts.size(); ++c) {
    const Concept& k = question.concepts[c];
    if (c == event || k.verb || k.df == 0) continue;
    total += k.weight;
    covered += k.weight * sentence.concept_match[c];
  }
  return total == 0 || covered >= defaults::kEventEvidenceShare * total;
}

std::vector<PassageEvidence> PassageFeatures(const AnalyzedQuestion& question,
                                             const QuestionTraits& traits,
                                             const std::vector<Candidate>& candidates,
                                             const ConceptMatcher& matcher,
                                             PassageLayouts* layouts) {
  const auto& concepts = question.concepts;
  std::vector<PassageEvidence> out(candidates.size());
  double total_words = 0;
  double best_bm25 = 0;  // FTS5 bm25 is negative: the best is the lowest
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    out[i].reading = layouts != nullptr
                         ? ReadPassage(layouts->Get(c.passage_id, c.text, c.heading), matcher)
                         : ReadPassage(c.text, c.heading, matcher);
    out[i].measures = Measure(out[i].reading.match, concepts, traits);
    total_words += out[i].reading.match.words;
    best_bm25 = std::min(best_bm25, candidates[i].bm25);
  }
  const double average_words =
      candidates.empty() ? 1.0 : total_words / static_cast<double>(candidates.size());
  std::vector<double> concept_bm25(candidates.size());
  double best_concept_bm25 = 0;
  for (size_t i = 0; i < candidates.size(); ++i) {
    concept_bm25[i] = ConceptBm25(out[i].reading.match, concepts, average_words);
    best_concept_bm25 = std::max(best_concept_bm25, concept_bm25[i]);
  }
  // Per document: the best coverage any of its candidates has, and how many it has.
  std::unordered_map<int64_t, std::pair<double, int>> documents;
  for (size_t i = 0; i < candidates.size(); ++i) {
    auto& [best, count] = documents[candidates[i].doc_id];
    best = std::max(best, out[i].measures.coverage);
    ++count;
  }
  // Candidates share titles and headings: each distinct one is judged once.
  std::unordered_map<std::string, Focus> focus_memo;
  auto focus_on = [&](const std::string& heading) {
    const auto [it, fresh] = focus_memo.try_emplace(heading);
    Focus& focus = it->second;
    if (!fresh || heading.empty()) return focus;  // an empty heading has no focus
    focus.focus = layouts != nullptr
                      ? FocusOn(*layouts->GetLine(heading), concepts, matcher, &focus.coverage)
                      : FocusOn(LayOutLine(heading), concepts, matcher, &focus.coverage);
    return focus;
  };
  const bool defines = question.answer_type == AnswerType::kDefinition;
  const std::vector<size_t> points = ComparisonPoints(question);
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    PassageEvidence& e = out[i];
    const PassageReading& r = e.reading;
    PassageFeatureRow& f = e.features;
    f[kRetrievalRank] = Log2Plus1(static_cast<double>(i));
    f[kBm25Share] = best_bm25 < 0 ? static_cast<float>(c.bm25 / best_bm25) : 0.0F;
    f[kCoverage] = static_cast<float>(e.measures.coverage);
    f[kExactCoverage] = static_cast<float>(e.measures.exact_coverage);
    f[kPartialShare] = static_cast<float>(e.measures.partial_share);
    f[kMissingMax] = static_cast<float>(e.measures.missing_max);
    f[kMissingCount] = static_cast<float>(e.measures.missing);
    f[kConceptBm25Share] =
        best_concept_bm25 > 0 ? static_cast<float>(concept_bm25[i] / best_concept_bm25) : 0.0F;
    f[kConceptBm25] =
        traits.known_weight > 0 ? static_cast<float>(concept_bm25[i] / traits.known_weight) : 0.0F;
    f[kAdjacentPairs] = traits.possible_pairs > 0 ? static_cast<float>(r.match.adjacent_pairs) /
                                                        static_cast<float>(traits.possible_pairs)
                                                  : 0.0F;
    f[kHeadingFocus] = static_cast<float>(focus_on(c.heading).focus);
    const Focus title = focus_on(c.title);
    f[kTitleFocus] = static_cast<float>(title.focus);
    f[kTitleCoverage] = static_cast<float>(title.coverage);

    // Sentence by sentence: the best and second best, the best neighbouring pair, the kind
    // of answer, the asked-for event.
    double best = 0;
    double second = 0;
    double best_exact = 0;
    double best_pair = 0;
    double type_fit = 0;
    int fitting = 0;
    bool event = false;
    double side_by_side = 0;
    std::vector<double> coverages(r.sentences.size());
    for (size_t s = 0; s < r.sentences.size(); ++s) {
      const TextMatch& m = r.sentence_matches[s];
      const MatchMeasures sm = Measure(m, concepts, traits);
      coverages[s] = sm.coverage;
      if (sm.coverage > best) {
        second = best;
        best = sm.coverage;
        best_exact = sm.exact_coverage;
        e.best_sentence = static_cast<int>(s);
      } else {
        second = std::max(second, sm.coverage);
      }
      if (s + 1 < r.sentences.size()) {
        best_pair = std::max(best_pair, WeightedCoverage(m, r.sentence_matches[s + 1], concepts));
      }
      const SentenceSpan& span = r.sentences[s];
      const std::string_view text = std::string_view(c.text).substr(
          static_cast<size_t>(span.begin), static_cast<size_t>(span.end - span.begin));
      if (defines) {
        type_fit = std::max(type_fit,
                            DefinitionFit(text, m, span.begin,
                                          r.layout->SentenceTypeFit(s, AnswerType::kDefinition)));
      } else if (question.answer_type != AnswerType::kAny) {
        fitting += r.layout->SentenceTypeFit(s, question.answer_type) > 0;
      }
      event = event || StatesEvent(question, m);
      if (question.is_comparison) {
        side_by_side = std::max(side_by_side, SentenceSideBySideFit(question, points, m, text));
      }
    }
    if (!defines) type_fit = std::min(1.0, fitting / 2.0);
    f[kBestSentence] = static_cast<float>(best);
    f[kSecondSentence] = static_cast<float>(second);
    f[kBestSentencePair] = static_cast<float>(std::max(best_pair, best));
    f[kBestSentenceExact] = static_cast<float>(best_exact);
    f[kAnswerTypeFit] = static_cast<float>(type_fit);
    // Whether the best sentence, or any covering at least half as much, names the kind of
    // thing the question word asks for.
    auto asked_thing = [&](size_t s) {
      const SentenceSpan& span = r.sentences[s];
      const size_t n = span.end_token - span.first_token;
      const NamedThings named =
          NamesIn(std::span(r.layout->word_kinds).subspan(span.first_token, n),
                  std::span(r.concept_ids).subspan(span.first_token, n));
      return AskedThingFit(question.question_word, named);
    };
    f[kAskedThingFit] = -1.0F;
    f[kAskedThingAny] = -1.0F;
    if (e.best_sentence >= 0) {
      f[kAskedThingFit] = static_cast<float>(asked_thing(static_cast<size_t>(e.best_sentence)));
      f[kAskedThingAny] = f[kAskedThingFit];
      for (size_t s = 0; s < r.sentences.size() && f[kAskedThingAny] == 0; ++s) {
        if (coverages[s] > 0 && coverages[s] >= 0.5 * best) {
          f[kAskedThingAny] = static_cast<float>(asked_thing(s));
        }
      }
    }
    f[kWordingOverlap] =
        static_cast<float>(WordingOverlap(traits.wording_pairs, r.stems, r.stem_hashes));
    f[kSideBySide] = static_cast<float>(side_by_side);
    f[kEventStated] = question.event_verb < 0 ? -1.0F : (event ? 1.0F : 0.0F);
    const auto& [doc_best, doc_count] = documents[c.doc_id];
    f[kDocBestCoverage] = static_cast<float>(doc_best);
    f[kDocShare] = static_cast<float>(doc_count) / static_cast<float>(candidates.size());
    f[kWordsLog] = Log2Plus1(r.match.words);
    f[kOrdinalLog] = Log2Plus1(c.ordinal);
    f[kQuestionConcepts] = static_cast<float>(concepts.size());
    f[kQuestionWordCode] = static_cast<float>(question.question_word);
    f[kAnswerTypeCode] = static_cast<float>(question.answer_type);
    f[kQuestionCompares] = question.is_comparison ? 1.0F : 0.0F;
    f[kQuestionCarries] = traits.has_carried ? 1.0F : 0.0F;
    f[kQuestionAsksList] = question.asks_list ? 1.0F : 0.0F;
  }
  // How far each falls behind the best candidate, which a model scoring one passage at a
  // time cannot see otherwise.
  float best_coverage = 0;
  float best_sentence = 0;
  for (const PassageEvidence& e : out) {
    best_coverage = std::max(best_coverage, e.features[kCoverage]);
    best_sentence = std::max(best_sentence, e.features[kBestSentence]);
  }
  for (PassageEvidence& e : out) {
    e.features[kCoverageGap] = best_coverage - e.features[kCoverage];
    e.features[kBestSentenceGap] = best_sentence - e.features[kBestSentence];
  }
  return out;
}

}  // namespace citeqa::retriever
