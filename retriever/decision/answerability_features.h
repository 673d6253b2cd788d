// The features of a question's best evidence for the answerability model: how well the best
// passage and sentence match, what the question asks that no article has (unknown words,
// names that never meet, a role nobody names, an event nobody states), and signs that the
// best sentence says something else (a quantity missing, a negation or an opposite). The
// model (models/answerability.json) gives the chance that the articles answer the question.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "retriever/analysis/question.h"
#include "retriever/scoring/scoring_stage.h"

namespace citeqa::retriever {

enum AnswerabilityFeature : size_t {
  kTopPassageScore,
  kPassageScoreGap,  // the best passage's score minus the second's
  kTopSentenceScore,
  kSentenceScoreGap,
  kTopPassageCoverage,
  kTopPassageExactCoverage,
  kTopPassageMissingMax,
  kBestPassageCoverage,  // the best coverage of any ranked passage
  kTopSentenceCoverage,
  kTopSentenceExactCoverage,
  kTopSentenceMissingMax,
  kMissingNamesSentence,  // the question's names (known to the index) the best sentence lacks
  kMissingNamesPassage,   // the same for the best passage
  kMissingNumbers,        // numbers of the question the best passage does not hold
  kTopPassageMissing,     // known concepts of the question the best passage lacks
  kTopSentenceMissing,    // ... and the best sentence
  kUnknownShare,          // share of the question's own concepts that no article has
  kUnknownNames,          // names and phrases of the question that no article has
  // Evidence for or against, each 1 when nothing speaks against the answer (so that the
  // model may only ever read its 0 as against):
  kNamesTogether,       // 0: the question's names never meet in a leading passage
  kRoleNamed,           // 0: a role named by two words ("product director") is never named so
  kEventStatedLeading,  // 0: no leading sentence states the asked-for event ("who founded X")
  kQuantityMissing,     // 1: asks how much or many, and the best sentence has no quantity
  kTopSentenceAskedThing,
  kNegationMismatch,  // the question negates and the best sentence does not, or the reverse
  // the best sentence has the opposite of a question word, not the word (WordNet antonyms,
  // and the function words of degree and order: most/least, first/last, before/after)
  kAntonymClash,
  kTopTitleFocus,
  kAnswerQuestionConcepts,
  kAnswerQuestionCorrections,
  kAnswerQuestionCarries,
  kAnswerQuestionWord,
  kAnswerAnswerType,
  kAnswerQuestionCompares,
  kHeaviestConceptShare,  // the heaviest concept's share of all weight
  kAnswerabilityFeatureCount
};

inline constexpr std::array<std::string_view, kAnswerabilityFeatureCount>
    kAnswerabilityFeatureNames = {
        "top_passage_score",
        "passage_score_gap",
        "top_sentence_score",
        "sentence_score_gap",
        "top_passage_coverage",
        "top_passage_exact_coverage",
        "top_passage_missing_max_weight",
        "best_passage_coverage",
        "top_sentence_coverage",
        "top_sentence_exact_coverage",
        "top_sentence_missing_max_weight",
        "missing_names_sentence",
        "missing_names_passage",
        "missing_numbers",
        "top_passage_missing_concepts",
        "top_sentence_missing_concepts",
        "unknown_share",
        "unknown_names",
        "names_together",
        "role_named",
        "event_stated",
        "quantity_missing",
        "top_sentence_asked_thing_fit",
        "negation_mismatch",
        "antonym_clash",
        "top_title_focus",
        "q_concepts",
        "q_corrections",
        "q_carries",
        "q_word",
        "q_answer_type",
        "q_compares",
        "heaviest_concept_share",
};

using AnswerabilityFeatureRow = std::array<float, kAnswerabilityFeatureCount>;

// The question's features given what scoring found. Pure.
AnswerabilityFeatureRow AnswerabilityFeatures(const AnalyzedQuestion& question,
                                              const ScoredCandidates& scored);

}  // namespace citeqa::retriever
