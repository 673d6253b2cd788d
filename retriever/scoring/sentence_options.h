// The sentences a leading passage offers as answer sentences: each sentence and list item,
// and each list's lead-in together with its items ("Key skills include:" and what follows),
// with the byte ranges of the passage they quote and the question's concepts they match.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "retriever/scoring/passage_reading.h"

namespace citeqa::retriever {

struct SentenceOption {
  size_t passage = 0;   // index into the ranked passages
  size_t sentence = 0;  // index into the passage's reading.sentences (a list: its lead-in)
  // Byte ranges [begin, end) of the passage text the option quotes, in order.
  std::vector<std::pair<int, int>> quotes;
  // As the answer says it: the sentence, or a lead-in and its items, an item a line ("- ").
  std::string text;
  bool lists = false;  // a lead-in with its items
  // The concepts it matches; a list counts its items and the paragraph that leads up to it.
  TextMatch match;
};

// The options of one passage, in text order: every sentence, then after each lead-in the
// lead-in with its items. `passage` is the value for SentenceOption::passage.
std::vector<SentenceOption> SentenceOptions(std::string_view text, const PassageReading& reading,
                                            size_t passage);

}  // namespace citeqa::retriever
