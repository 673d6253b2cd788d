// Text primitives shared by the indexer and the retriever: UTF-8 repair, white space,
// word tokens with byte offsets (the same word boundaries as FTS5's unicode61 tokenizer),
// sentence boundaries and Porter stems. All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace citeqa::indexer {

// Replaces every invalid UTF-8 sequence with U+FFFD and drops NUL and other C0/C1 control
// characters except '\n' and '\t'. The result is always valid UTF-8.
std::string SanitizeUtf8(std::string_view bytes);

// True if `bytes` is well-formed UTF-8.
bool IsValidUtf8(std::string_view bytes);

// The longest prefix of `text` of at most `max_bytes` bytes that ends on a UTF-8 character
// boundary (valid UTF-8 in, valid UTF-8 out).
std::string CutUtf8(std::string_view text, size_t max_bytes);

// Trims and collapses every run of white space (including U+00A0 and other Unicode
// spaces) into one ASCII space.
std::string CollapseWhitespace(std::string_view text);

struct Token {
  std::string text;  // lower-cased, Latin diacritics removed ("Café" -> "cafe"), as FTS5's
                     // unicode61 tokenizer with remove_diacritics stores words
  int begin = 0;     // byte offsets [begin, end) into the tokenised string
  int end = 0;
};

// Splits into word tokens: runs of ASCII letters/digits and non-ASCII letters. Punctuation,
// symbols and white space separate tokens, as in FTS5's unicode61 tokenizer.
std::vector<Token> Tokenize(std::string_view text);

// Calls on_word with the text of each token Tokenize would return, in order, without
// allocating per token; the view is valid only during the call.
void ForEachWord(std::string_view text, const std::function<void(std::string_view)>& on_word);

// Byte ranges [begin, end) of the sentences of `text`, in order, covering all of its
// non-space content. Knows common abbreviations ("e.g.", "U.S.") and decimals ("$1.5").
std::vector<std::pair<int, int>> SplitSentences(std::string_view text);

// The sentences of each line of `text` in order (a heading or list item is a line of its
// own, never joined to the next), as views into `text`.
std::vector<std::string_view> SentencesByLine(std::string_view text);

// The Porter stem of a lower-case word (the algorithm FTS5's porter tokenizer uses).
std::string Stem(std::string_view lower_word);

// Number of words (tokens) in `text`.
int CountWords(std::string_view text);
// min(CountWords(text), limit + 1), stopping early: for "at most `limit` words?" tests.
int CountWordsUpTo(std::string_view text, int limit);

// Words (tokens) of `text`, and how many of them start with an ASCII capital or digit.
struct WordCounts {
  int words = 0;
  int capitalised = 0;
};
WordCounts CountCapitalisedWords(std::string_view text);

// Appends the UTF-8 encoding of a code point; surrogates and values past U+10FFFF become
// U+FFFD.
void AppendUtf8(uint32_t code_point, std::string* out);

// Lower-cases ASCII letters.
std::string AsciiLower(std::string_view text);

}  // namespace citeqa::indexer
