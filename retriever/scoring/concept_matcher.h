// Finds a question's concepts in a piece of text by Porter stem: which concepts occur (as a
// phrase, or only word by word), which words to highlight, and how many of the question's
// adjacent word pairs the text repeats.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "indexer/text.h"
#include "retriever/analysis/question.h"
#include "retriever/scoring/stem_prefilter.h"

namespace citeqa::retriever {

struct TextMatch {
  // Per concept: 1 when one of its wordings occurs as a phrase, defaults::kPartialMatchCredit
  // when all words of a multi-word wording occur but apart or only a related wording occurs,
  // 0 otherwise.
  std::vector<double> concept_match;
  std::vector<int> concept_count;   // occurrences of each concept's wordings
  std::vector<int> first_position;  // token index of each concept's first occurrence, or -1
  int words = 0;                    // tokens in the text
  std::vector<std::pair<int, int>> highlights;  // byte ranges of matched words, in order
  int adjacent_pairs = 0;  // the question's adjacent content-word pairs found adjacent here
};

// A question's concepts made ready for matching many texts: its stems numbered, its
// wordings as stem numbers, and the prefilter that tells which words need stemming. Build
// one per question (ranking matches hundreds of passages and sentences); the concepts must
// outlive it. One thread at a time: Match remembers the words it has stemmed, and MatchIds
// reuses its working storage.
class ConceptMatcher {
 public:
  explicit ConceptMatcher(const std::vector<Concept>& concepts);

  TextMatch Match(std::string_view text) const;
  // The same over tokens of the text already made by indexer::Tokenize (or a run of them:
  // a sentence's). Highlights are the tokens' byte offsets; positions count from the run's
  // first token.
  TextMatch Match(std::span<const indexer::Token> tokens) const;

  // The two halves of Match, for matching a text and then parts of it without stemming its
  // words again: the stem id of each token (-1 for words no concept has), then the match of
  // a run of tokens given their ids (`ids` as long as `tokens`).
  std::vector<int> StemIds(std::span<const indexer::Token> tokens) const;
  // The same for tokens whose stems are known, with each stem's StemHash (both as long as
  // the text's tokens): an integer probe per word, no stemming or string hashing.
  std::vector<int> StemIds(std::span<const std::string> stems,
                           std::span<const uint64_t> stem_hashes) const;
  TextMatch MatchIds(std::span<const indexer::Token> tokens, std::span<const int> ids) const;

  // Working storage of MatchIds, kept from one text to the next.
  struct Scratch {
    std::vector<uint32_t> occurrence_start;
    std::vector<size_t> occurrence_positions;
    std::vector<uint32_t> occurrence_next;
    std::vector<std::pair<size_t, size_t>> claimed;
    std::vector<uint32_t> highlighted;
  };

 private:
  using IdPhrase = std::vector<int>;
  int IdOf(const std::string& stem) const;
  // The id of the word's stem, or -1; stems each distinct word once.
  int WordId(const std::string& word) const;

  const std::vector<Concept>& concepts_;
  StemPrefilter prefilter_;
  std::unordered_map<std::string, int> stem_ids_;
  std::vector<std::vector<IdPhrase>> wordings_;  // per concept: Concept::stems as ids
  std::vector<std::vector<IdPhrase>> related_;   // per concept: Concept::related_stems as ids
  // Per concept: the ids of the last stem of its own wording and of the first, for the
  // adjacent-pair count; -1 for an empty wording.
  std::vector<std::pair<int, int>> ends_;
  // Per concept: IdBit of every stem id of its wordings and related wordings. A text that
  // holds none of them cannot match the concept in any way, so MatchIds passes over it.
  std::vector<uint64_t> concept_bits_;
  // The question's stems by StemHash, open addressing (a power of two, at most half full):
  // {hash, id}, id -1 for an empty slot.
  std::vector<std::pair<uint64_t, int>> stem_slots_;
  std::vector<const std::string*> stem_of_id_;  // the stem of each id, for a hash that agrees
  // Words met so far and their WordId: passages repeat their words (Zipf), and stemming
  // was a tenth of ranking.
  mutable std::unordered_map<std::string, int> word_ids_;
  mutable Scratch scratch_;
};

// The hash ConceptMatcher::StemIds takes for a stem (a laid-out passage keeps one per word).
inline uint64_t StemHash(std::string_view stem) { return std::hash<std::string_view>{}(stem); }

// One-off matches; a ConceptMatcher is cheaper for many texts. Pure; thread-safe.
TextMatch MatchConcepts(std::string_view text, const std::vector<Concept>& concepts);
TextMatch MatchConcepts(const std::vector<indexer::Token>& tokens,
                        const std::vector<Concept>& concepts);

// Sum of weight * match over concepts, divided by the sum of weights (0 when no weight).
double WeightedCoverage(const TextMatch& match, const std::vector<Concept>& concepts);
// The same of two texts read together (neighbouring sentences): each concept counts as the
// better of its two matches.
double WeightedCoverage(const TextMatch& a, const TextMatch& b,
                        const std::vector<Concept>& concepts);

}  // namespace citeqa::retriever
