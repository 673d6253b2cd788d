// A cheap test of whether a word can have one of a set of Porter stems, so that ranking
// stems only the few words of a passage that might match the question. Stemming every word
// of every candidate was most of the ranking time at a million passages.
//
// Why it is sound: Porter stemming keeps a word's first letter, and its second one unless
// that is a 'y' turned into 'i' ("eyed" -> "ei"); only one-letter stems ("eing" -> "e") break
// the second rule. Words of three bytes or fewer are never filtered out. A test checks the
// rule against Stem() over /usr/share/dict/words.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace citeqa::retriever {

class StemPrefilter {
 public:
  // `stems` are Porter stems (indexer::Stem) the caller looks for.
  explicit StemPrefilter(const std::vector<std::string>& stems);
  // Or built a stem at a time, without copying them: Add each, then Seal once.
  StemPrefilter() = default;
  void Add(std::string_view stem);
  void Seal();

  // False only when Stem(lower_word) is certainly none of the stems. `lower_word` is a
  // token as indexer::Tokenize makes it (lower-case).
  bool MayMatch(std::string_view lower_word) const;

 private:
  static uint16_t PairKey(unsigned char first, unsigned char second) {
    return static_cast<uint16_t>((first << 8) | second);
  }
  bool HasPair(unsigned char first, unsigned char second) const;
  // Sorted and small (a question has few stems): cheap to build once per passage.
  std::vector<uint16_t> first_two_;        // opening byte pairs of the stems
  std::vector<unsigned char> first_only_;  // opening bytes of one-byte stems
};

}  // namespace citeqa::retriever
