// The features of a candidate passage for the passage ranking model: how much of the
// question it covers and how (whole phrases, side by side, in one sentence, under a heading
// that names it), whether it holds the kind of answer asked for, what its document as a whole
// has to say, and a few traits of the question itself that change what matters. Each is a
// named number; the model (models/passage_ranker.json) combines them.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "retriever/analysis/question.h"
#include "retriever/retrieval/query_plan.h"
#include "retriever/scoring/passage_reading.h"
#include "retriever/scoring/question_traits.h"

namespace citeqa::retriever {

enum PassageFeature : size_t {
  kRetrievalRank,  // log2(1 + place in retrieval order)
  kBm25Share,      // FTS5 bm25 as a share of the best candidate's (0 when unscored)
  kCoverage,       // question's concepts found, by weight (MatchMeasures)
  kCoverageGap,    // the best candidate's coverage minus this one's
  kExactCoverage,
  kPartialShare,
  kMissingMax,
  kMissingCount,
  kConceptBm25Share,   // bm25 over concepts (any wording counts), as a share of the best
  kConceptBm25,        // the same over the question's known weight
  kAdjacentPairs,      // share of the question's adjacent concept pairs found adjacent
  kHeadingFocus,       // the heading names the question and little else
  kTitleFocus,         // the same for the document's title
  kTitleCoverage,      // question's concepts in the title, by weight
  kBestSentence,       // coverage of the best sentence alone
  kBestSentenceGap,    // the best candidate's best sentence minus this one's
  kSecondSentence,     // and of the second best
  kBestSentencePair,   // of the best two neighbouring sentences together
  kBestSentenceExact,  // exact coverage of the best sentence
  kAnswerTypeFit,      // sentences of the kind of answer wanted (definition fit for "what is")
  kAskedThingFit,      // the best sentence names what the question word asks for (-1: n/a)
  kAskedThingAny,      // a sentence covering at least half as much names it (-1: n/a)
  kWordingOverlap,     // the question's own word pairs repeated
  kSideBySide,         // a sentence sets a comparison's two sides against each other
  kEventStated,        // a sentence states the asked-for event (-1: not an event question)
  kDocBestCoverage,    // the best coverage among candidates of the same document
  kDocShare,           // share of the candidates that come from the same document
  kWordsLog,           // log2(1 + words)
  kOrdinalLog,         // log2(1 + place in its document)
  kQuestionConcepts,
  kQuestionWordCode,  // QuestionWord, as a number
  kAnswerTypeCode,    // AnswerType, as a number
  kQuestionCompares,
  kQuestionCarries,  // leans on an earlier question
  kQuestionAsksList,
  kPassageFeatureCount
};

inline constexpr std::array<std::string_view, kPassageFeatureCount> kPassageFeatureNames = {
    "retrieval_rank",
    "fts_bm25_share",
    "coverage",
    "coverage_gap",
    "exact_coverage",
    "partial_share",
    "missing_max_weight",
    "missing_concepts",
    "concept_bm25_share",
    "concept_bm25",
    "adjacent_pairs",
    "heading_focus",
    "title_focus",
    "title_coverage",
    "best_sentence_coverage",
    "best_sentence_gap",
    "second_sentence_coverage",
    "best_sentence_pair_coverage",
    "best_sentence_exact_coverage",
    "answer_type_fit",
    "asked_thing_fit",
    "asked_thing_any",
    "wording_overlap",
    "side_by_side",
    "event_stated",
    "doc_best_coverage",
    "doc_candidate_share",
    "words_log",
    "ordinal_log",
    "q_concepts",
    "q_word",
    "q_answer_type",
    "q_compares",
    "q_carries",
    "q_asks_list",
};

using PassageFeatureRow = std::array<float, kPassageFeatureCount>;

// A candidate as scoring read it.
struct PassageEvidence {
  PassageReading reading;
  MatchMeasures measures;  // of the whole passage
  int best_sentence = -1;  // index into reading.sentences of the best-covering one, or -1
  PassageFeatureRow features{};
};

// Reads every candidate and computes its features, in the candidates' order. Candidates'
// retrieval order is their rank. Layouts come from `layouts` when it is not null. Not
// thread-safe in the matcher's sense.
std::vector<PassageEvidence> PassageFeatures(const AnalyzedQuestion& question,
                                             const QuestionTraits& traits,
                                             const std::vector<Candidate>& candidates,
                                             const ConceptMatcher& matcher,
                                             PassageLayouts* layouts);

// Whether a sentence (its match) states the question's event: the event verb in one of the
// question's own wordings and at least defaults::kEventEvidenceShare, by weight, of its
// other known concepts. False for a question without an event verb.
bool StatesEvent(const AnalyzedQuestion& question, const TextMatch& sentence);

}  // namespace citeqa::retriever
