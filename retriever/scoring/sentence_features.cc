#include "retriever/scoring/sentence_features.h"

#include <algorithm>
#include <cmath>
#include <span>

#include "retriever/analysis/answer_type.h"
#include "retriever/scoring/comparison_evidence.h"
#include "retriever/scoring/definition_evidence.h"
#include "retriever/scoring/passage_layout.h"
#include "retriever/scoring/pointing_back.h"
#include "retriever/scoring/sentence_cues.h"
#include "retriever/scoring/wording_overlap.h"

namespace citeqa::retriever {
namespace {

float Log2Plus1(double x) { return static_cast<float>(std::log2(1.0 + std::max(x, 0.0))); }
float Flag(bool b) { return b ? 1.0F : 0.0F; }

}  // namespace

std::vector<SentenceFeatureRow> SentenceFeatures(const AnalyzedQuestion& question,
                                                 const QuestionTraits& traits,
                                                 const std::vector<RankedPassageView>& passages,
                                                 const std::vector<SentenceOption>& options) {
  std::vector<SentenceFeatureRow> rows(options.size());
  if (options.empty() || passages.empty()) return rows;
  const auto& concepts = question.concepts;
  std::vector<MatchMeasures> measures;
  measures.reserve(options.size());
  double best_coverage = 0;
  for (const SentenceOption& o : options) {
    measures.push_back(Measure(o.match, concepts, traits));
    best_coverage = std::max(best_coverage, measures.back().coverage);
  }
  const std::vector<size_t> points = ComparisonPoints(question);
  const bool defines = question.answer_type == AnswerType::kDefinition;
  for (size_t i = 0; i < options.size(); ++i) {
    const SentenceOption& o = options[i];
    const RankedPassageView& p = passages[o.passage];
    const PassageReading& reading = p.evidence->reading;
    const SentenceSpan& span = reading.sentences[o.sentence];
    const std::string_view own =
        p.text.substr(static_cast<size_t>(o.quotes.front().first),
                      static_cast<size_t>(o.quotes.front().second - o.quotes.front().first));
    const MatchMeasures& m = measures[i];
    SentenceFeatureRow& f = rows[i];
    f[kSentencePassageScore] = static_cast<float>(p.score);
    f[kSentencePassageRank] = static_cast<float>(o.passage);
    f[kSentencePassageGap] = static_cast<float>(passages.front().score - p.score);
    f[kSentenceCoverage] = static_cast<float>(m.coverage);
    f[kSentenceExactCoverage] = static_cast<float>(m.exact_coverage);
    f[kSentencePartialShare] = static_cast<float>(m.partial_share);
    f[kSentenceMissingMax] = static_cast<float>(m.missing_max);
    f[kSentenceCoverageOfBest] =
        best_coverage > 0 ? static_cast<float>(m.coverage / best_coverage) : 0.0F;
    f[kSentenceBestInPassage] =
        Flag(static_cast<int>(o.sentence) == p.evidence->best_sentence && !o.lists);
    f[kSentenceAdjacentPairs] =
        traits.possible_pairs > 0
            ? static_cast<float>(o.match.adjacent_pairs) / static_cast<float>(traits.possible_pairs)
            : 0.0F;
    const size_t n = span.end_token - span.first_token;
    const auto tokens = reading.tokens.subspan(span.first_token, n);
    f[kSentenceWordingOverlap] = static_cast<float>(
        WordingOverlap(traits.wording_pairs, reading.stems.subspan(span.first_token, n),
                       reading.stem_hashes.subspan(span.first_token, n)));
    double type_fit = 0;
    if (defines) {
      type_fit = DefinitionFit(own, o.match, o.quotes.front().first,
                               reading.layout->QuotedTypeFit(o.sentence, AnswerType::kDefinition));
    } else if (o.lists) {
      type_fit = reading.layout->ListTypeFit(o.sentence, question.answer_type, o.text);
    } else {
      type_fit = reading.layout->QuotedTypeFit(o.sentence, question.answer_type);
    }
    f[kSentenceTypeFit] = static_cast<float>(type_fit);
    f[kSentenceSideBySide] =
        static_cast<float>(SentenceSideBySideFit(question, points, o.match, own));
    const NamedThings named =
        NamesIn(std::span(reading.layout->word_kinds).subspan(span.first_token, n),
                std::span(reading.concept_ids).subspan(span.first_token, n));
    f[kSentenceAskedThing] = static_cast<float>(AskedThingFit(question.question_word, named));
    f[kSentenceHasNumber] = Flag(named.number);
    f[kSentenceNewNames] = static_cast<float>(std::min(named.new_names, 5));
    f[kSentenceNewContent] = static_cast<float>(named.new_content_share);
    f[kSentenceEventStated] =
        question.event_verb < 0 ? -1.0F : Flag(StatesEvent(question, o.match));
    f[kSentencePositionLog] = Log2Plus1(static_cast<double>(o.sentence));
    f[kSentenceIsFirst] = Flag(o.sentence == 0);
    f[kSentenceWordsLog] = Log2Plus1(o.match.words);
    f[kSentenceIsList] = Flag(o.lists);
    // (`own` is what the layout's cues are of: an option quotes its sentence's QuotedRange.)
    const SentenceCues cues = reading.layout->CuesOf(o.sentence);
    f[kSentenceLeansBack] = Flag(cues.leans_back);
    f[kSentencePreviousCoverage] = o.sentence > 0
                                       ? static_cast<float>(WeightedCoverage(
                                             reading.sentence_matches[o.sentence - 1], concepts))
                                       : 0.0F;
    f[kSentenceSignpost] = Flag(cues.signpost);
    f[kSentencePromotional] = Flag(cues.promotional);
    f[kSentenceUnfinished] = Flag(cues.unfinished);
    f[kSentenceAsks] = Flag(!own.empty() && own.back() == '?');
    f[kSentenceSameDocument] = Flag(p.doc_id == passages.front().doc_id);
    f[kSentenceQuestionWord] = static_cast<float>(question.question_word);
    f[kSentenceAnswerType] = static_cast<float>(question.answer_type);
    f[kSentenceQuestionAsksList] = Flag(question.asks_list);
    f[kSentenceQuestionCompares] = Flag(question.is_comparison);
  }
  return rows;
}

}  // namespace citeqa::retriever
