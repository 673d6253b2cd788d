// One candidate passage read for scoring: its words tokenised once, its sentences (and list
// lines) as runs of those words with their byte ranges, and the question's concepts matched
// in the whole and in each sentence. Every feature of the passage and of its sentences is
// computed from this reading.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "indexer/text.h"
#include "retriever/scoring/concept_matcher.h"

namespace citeqa::retriever {

struct SentenceSpan {
  int begin = 0;  // byte range [begin, end) in the passage text
  int end = 0;
  size_t first_token = 0;  // token run [first_token, end_token) of the passage's tokens
  size_t end_token = 0;
  int line = 0;            // line of the passage text it stands on (the heading line is 0)
  bool list_item = false;  // its line is a list item ("- ...")
};

struct PassageReading {
  std::vector<indexer::Token> tokens;
  std::vector<int> concept_ids;             // per token: ConceptMatcher::StemIds
  TextMatch match;                          // of the whole text, heading line included
  std::vector<SentenceSpan> sentences;      // in order, without the heading line
  std::vector<TextMatch> sentence_matches;  // same order
};

// Reads `text`, whose first line is `heading` when that is not empty. Not thread-safe in the
// matcher's sense: one matcher per thread.
PassageReading ReadPassage(std::string_view text, std::string_view heading,
                           const ConceptMatcher& matcher);

}  // namespace citeqa::retriever
