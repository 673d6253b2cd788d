// The one table of numbers that shape answers outside the model files (models/*.json).
// Everything the models decide (how signals combine into a passage's rank, a sentence's
// worth and the chance that the articles answer at all, and the threshold on that chance)
// is learned; what stays here defines the signals themselves and bounds the work and the
// answer's size. Changing a value changes the features the models were trained on: retrain
// (training/README.md) and compare `citeqa eval` before and after.
#pragma once

#include <cstddef>
#include <cstdint>

namespace citeqa::retriever::defaults {

// --- Concept weights (analysis): a concept weighs its IDF times these factors.
// Taken over from an earlier question: context, not what is asked now.
inline constexpr double kCarriedConceptFactor = 0.5;
// Frames a comparison ("difference", "vs"): answered by contrast, not by the word itself.
inline constexpr double kFrameConceptFactor = 0.25;
// The question's main verb says what is asked of the topic; the nouns name the topic.
inline constexpr double kVerbConceptFactor = 0.5;
// The two sides of a comparison weigh at least this share of the heaviest other concept:
// every article names them, so their IDF is low, yet they are what is compared.
inline constexpr double kComparedSideShare = 0.5;

// --- Matching (features): what a concept earns in a text.
// Only a related wording (WordNet sense, derived form) occurs, or all words of a multi-word
// wording occur but apart.
inline constexpr double kPartialMatchCredit = 0.5;
// A phrase's passage count is exact up to this many matches, estimated beyond.
inline constexpr int64_t kPhraseCountSample = 200;
// An event question ("who created X?") is answered by a sentence holding the event verb and
// at least this share, by weight, of its other known concepts.
inline constexpr double kEventEvidenceShare = 0.5;
// A concept is a point of comparison when it weighs at least this share of the heaviest.
inline constexpr double kComparisonPointShare = 0.25;
// What a mere contrast ("whereas") earns a choice question ("who earns more?"), which
// wants a comparative.
inline constexpr double kChoiceContrastFit = 0.5;
// A definition of something else ("... is a role") beside one of the word asked about.
inline constexpr double kOtherDefinitionFit = 0.5;

// --- Work bounds (retrieval and scoring).
// Candidates fetched and scored per question.
inline constexpr int kCandidates = 40;
// Passages ranked and kept after scoring (and near-duplicate removal).
inline constexpr size_t kRankedPassages = 20;
// Passages whose words are this similar (Jaccard) to a better one's are dropped.
inline constexpr double kNearDuplicateJaccard = 0.8;
// Leading passages whose sentences are scored as answer sentences.
inline constexpr size_t kAnswerPassages = 4;
// Leading passages read for question-level evidence (names together, the asked-for event).
inline constexpr size_t kEvidencePassages = 5;
// Tokens of passage layouts (words, stems, sentences) an index version keeps for later
// questions, about 80 bytes each: 400,000 hold about 3,000 of SQuAD's passages (130 tokens
// each). Once full, between half and all of the budget is held (PassageLayouts::MakeRoom).
inline constexpr size_t kKeptLayoutTokens = 400000;
// An index version whose passages hold at most this many tokens is laid out in the
// background as soon as questions use it (EngineOptions::warm_up_layouts); the rest of the
// budget is room for changed passages, headings and titles. A larger one is laid out as
// questions read it: which of its passages questions will read is not known beforehand.
inline constexpr size_t kWarmUpLayoutTokens = kKeptLayoutTokens * 3 / 4;

// --- The answer (composition).
inline constexpr size_t kMaxAnswerBytes = 600;
inline constexpr int kMaxAnswerSentences = 3;
// Before a sentence that goes on with a connective ("But to the extent ..."), an imperative
// to the reader of at most this many words that neither names the question's concepts nor
// shares a word with it is taken for a call to action between paragraphs ("Create
// beautiful roadmaps in minutes."), and passed over in looking for what it goes on from.
inline constexpr int kMaxInterjectionWords = 8;
// List items past this many bytes of a list answer are left out.
inline constexpr size_t kMaxListAnswerBytes = 520;
// Citations: the answer's sources first, then related passages up to the request's top_k
// (default and cap).
inline constexpr int kDefaultTopK = 5;
inline constexpr int kMaxTopK = 20;

}  // namespace citeqa::retriever::defaults
