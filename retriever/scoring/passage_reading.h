// One candidate passage read for scoring: its layout (words, stems, sentences and list
// lines, shared by every question that reads the passage) and the question's concepts
// matched in the whole and in each sentence. Every feature of the passage and of its
// sentences is computed from this reading.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "indexer/text.h"
#include "retriever/scoring/concept_matcher.h"
#include "retriever/scoring/passage_layout.h"

namespace citeqa::retriever {

struct PassageReading {
  std::shared_ptr<const PassageLayout> layout;  // what the views below point into
  std::span<const indexer::Token> tokens;
  std::span<const std::string> stems;       // per token
  std::span<const uint64_t> stem_hashes;    // per token: StemHash of its stem
  std::span<const SentenceSpan> sentences;  // in order, without the heading line
  std::vector<int> concept_ids;             // per token: ConceptMatcher::StemIds
  TextMatch match;                          // of the whole text, heading line included
  std::vector<TextMatch> sentence_matches;  // same order as sentences
};

// Reads a laid-out passage. Not thread-safe in the matcher's sense: one matcher per thread.
PassageReading ReadPassage(std::shared_ptr<const PassageLayout> layout,
                           const ConceptMatcher& matcher);

// The same for a text laid out here, whose first line is `heading` when that is not empty.
PassageReading ReadPassage(std::string_view text, std::string_view heading,
                           const ConceptMatcher& matcher);

}  // namespace citeqa::retriever
