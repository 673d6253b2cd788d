// A fixed set of word-boundary cues (" because ", " in order to ") looked for in a sentence
// in one pass. Each cue begins with a space; the text is lower-case and padded with a space
// at each end (SpacePaddedLower), so that a cue can demand whole words. Asking
// `string::find` for each cue in turn read the sentence once per cue, stopping at every
// space on the way (all cues begin with one): about 15,000 instructions for a sentence and
// thirty cues, once per sentence of every passage a question first reads.
#pragma once

#include <array>
#include <cassert>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/text.h"

namespace citeqa::retriever {

// " " + ASCII-lower-cased `text` + " ": what CueSet::FoundIn reads.
inline std::string SpacePaddedLower(std::string_view text) {
  std::string padded = " ";
  padded += indexer::AsciiLower(text);
  padded += ' ';
  return padded;
}

class CueSet {
 public:
  // Every cue is at least two characters and begins with a space.
  CueSet(std::initializer_list<std::string_view> cues) {
    for (std::string_view cue : cues) {
      assert(cue.size() >= 2 && cue.front() == ' ');
      by_second_[static_cast<uint8_t>(cue[1])].push_back(cue);
    }
  }

  // Whether some cue occurs in `padded` (anywhere: exactly where `padded.find(cue)` would
  // find one). At each space only the cues that go on with the next character are compared.
  bool FoundIn(std::string_view padded) const {
    for (size_t at = padded.find(' '); at != std::string_view::npos && at + 1 < padded.size();
         at = padded.find(' ', at + 1)) {
      for (std::string_view cue : by_second_[static_cast<uint8_t>(padded[at + 1])]) {
        if (padded.substr(at).starts_with(cue)) return true;
      }
    }
    return false;
  }

 private:
  std::array<std::vector<std::string_view>, 256> by_second_;
};

}  // namespace citeqa::retriever
