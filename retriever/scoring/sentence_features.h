// The features of an answer-sentence option for the sentence model: how much of the question
// it holds, whether it is the kind of answer asked for and names the thing asked about, how
// well it reads out of context (pointing back, selling, asking), and how good its passage
// is. The model (models/sentence_ranker.json) gives the chance that it holds the answer.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "retriever/analysis/question.h"
#include "retriever/scoring/passage_features.h"
#include "retriever/scoring/question_traits.h"
#include "retriever/scoring/sentence_options.h"

namespace citeqa::retriever {

enum SentenceFeature : size_t {
  kSentencePassageScore,  // the passage model's score of its passage
  kSentencePassageRank,   // place of its passage among the ranked ones, from 0
  kSentencePassageGap,    // the best passage's score minus its passage's
  kSentenceCoverage,
  kSentenceExactCoverage,
  kSentencePartialShare,
  kSentenceMissingMax,
  kSentenceCoverageOfBest,  // its coverage as a share of the best option's
  kSentenceBestInPassage,   // the best-covering sentence of its passage
  kSentenceAdjacentPairs,
  kSentenceWordingOverlap,
  kSentenceTypeFit,  // AnswerTypeFit, or DefinitionFit for "what is"
  kSentenceSideBySide,
  kSentenceAskedThing,  // AskedThingFit (-1: nothing particular asked for)
  kSentenceHasNumber,
  kSentenceNewNames,
  kSentenceNewContent,
  kSentenceEventStated,  // -1: not an event question
  kSentencePositionLog,
  kSentenceIsFirst,
  kSentenceWordsLog,
  kSentenceIsList,
  kSentenceLeansBack,
  kSentencePreviousCoverage,  // of the sentence before it in the passage (0 for the first)
  kSentenceSignpost,
  kSentencePromotional,
  kSentenceUnfinished,    // trails off ("...")
  kSentenceAsks,          // ends with a question mark
  kSentenceSameDocument,  // from the best passage's document
  kSentenceQuestionWord,
  kSentenceAnswerType,
  kSentenceQuestionAsksList,
  kSentenceQuestionCompares,
  kSentenceFeatureCount
};

inline constexpr std::array<std::string_view, kSentenceFeatureCount> kSentenceFeatureNames = {
    "passage_score",     "passage_rank",    "passage_gap",        "coverage",
    "exact_coverage",    "partial_share",   "missing_max_weight", "coverage_of_best",
    "best_in_passage",   "adjacent_pairs",  "wording_overlap",    "answer_type_fit",
    "side_by_side",      "asked_thing_fit", "has_number",         "new_names",
    "new_content_share", "event_stated",    "position_log",       "is_first",
    "words_log",         "is_list",         "leans_back",         "previous_coverage",
    "signpost",          "promotional",     "unfinished",         "asks",
    "same_document",     "q_word",          "q_answer_type",      "q_asks_list",
    "q_compares",
};

using SentenceFeatureRow = std::array<float, kSentenceFeatureCount>;

// A leading passage as sentence features see it.
struct RankedPassageView {
  std::string_view text;
  int64_t doc_id = 0;
  const PassageEvidence* evidence = nullptr;
  double score = 0;  // the passage model's
};

// Features of every option, in the options' order. `passages` are the ranked passages the
// options' SentenceOption::passage indexes; passages[0] is the best. Pure.
std::vector<SentenceFeatureRow> SentenceFeatures(const AnalyzedQuestion& question,
                                                 const QuestionTraits& traits,
                                                 const std::vector<RankedPassageView>& passages,
                                                 const std::vector<SentenceOption>& options);

}  // namespace citeqa::retriever
