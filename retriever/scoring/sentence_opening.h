// The opening words of a sentence, as the sentence cues read them (pointing_back.cc,
// sentence_cues.cc), and a look-up in a list of words (signposting.cc too).
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string_view>
#include <vector>

#include "indexer/text.h"

namespace citeqa::retriever {

// Whether `word` is one of `list`'s.
template <size_t N>
bool IsOneOf(std::string_view word, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

// The bytes of a sentence read for its opening word or pair (the longest opener,
// "consequently", and the pairs fit well inside), and for an opening phrase of up to eight
// words and its comma (pointing_back.cc's kOpeningPhraseWords).
inline constexpr size_t kFirstWordsBytes = 40;
inline constexpr size_t kOpeningPhraseBytes = 80;

// The words a sentence opens with, as indexer::Tokenize makes them of its first `bytes`.
struct SentenceOpening {
  SentenceOpening(std::string_view sentence, size_t bytes)
      : text(sentence.substr(0, bytes)),
        words(indexer::Tokenize(text)),
        cut(sentence.size() > text.size()) {}
  // Whether word i is followed at once by `c`.
  bool FollowedBy(size_t i, char c) const {
    const auto end = static_cast<size_t>(words[i].end);
    return end < text.size() && text[end] == c;
  }
  // Whether the sentence opens with a whole word: "Make-or-buy decisions", "Follow-up
  // meetings" open with no imperative.
  bool OpensWithAWholeWord() const { return !words.empty() && !FollowedBy(0, '-'); }

  // Whether word i is whole: not cut short where the opening's bytes end ("Thatcher" read
  // as "that").
  bool Whole(size_t i) const { return !cut || static_cast<size_t>(words[i].end) < text.size(); }
  // Whether only spaces stand between word i and the next.
  bool SpacedFromNext(size_t i) const {
    const auto from = static_cast<size_t>(words[i].end);
    const auto to = static_cast<size_t>(words[i + 1].begin);
    return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(from),
                       text.begin() + static_cast<std::ptrdiff_t>(to),
                       [](char c) { return c == ' '; });
  }

  std::string_view text;
  std::vector<indexer::Token> words;
  bool cut = false;  // the sentence goes on past `text`
};

}  // namespace citeqa::retriever
