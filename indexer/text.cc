#include "indexer/text.h"

#include <libstemmer.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <memory>
#include <unordered_map>

namespace citeqa::indexer {
namespace {

// Decodes one code point at `i`; returns its length, or 0 if the sequence is invalid.
int DecodeUtf8(std::string_view s, size_t i, uint32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  int len = 0;
  uint32_t value = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    value = b0 & 0x1Fu;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    value = b0 & 0x0Fu;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    value = b0 & 0x07u;
  } else {
    return 0;
  }
  if (i + static_cast<size_t>(len) > s.size()) return 0;
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
    if ((b & 0xC0) != 0x80) return 0;
    value = (value << 6) | (b & 0x3Fu);
  }
  // Overlong forms, surrogates and values past U+10FFFF are invalid.
  static constexpr std::array<uint32_t, 5> kMinForLength = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kMinForLength[static_cast<size_t>(len)] || value > 0x10FFFF ||
      (value >= 0xD800 && value <= 0xDFFF)) {
    return 0;
  }
  *cp = value;
  return len;
}

bool IsUnicodeSpace(uint32_t cp) {
  return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

// Non-ASCII code points that unicode61 treats as separators: punctuation and symbols in
// the blocks that web text actually uses.
bool IsUnicodeSeparator(uint32_t cp) {
  if (IsUnicodeSpace(cp)) return true;
  if (cp >= 0x80 && cp <= 0xBF) return cp != 0xAA && cp != 0xB5 && cp != 0xBA;
  if (cp == 0xD7 || cp == 0xF7) return true;
  if (cp >= 0x2000 && cp <= 0x2BFF) return true;  // punctuation, arrows, math, symbols
  if (cp >= 0x3000 && cp <= 0x303F) return true;  // CJK punctuation
  if (cp >= 0xFE30 && cp <= 0xFE4F) return true;
  if (cp >= 0xFF00 && cp <= 0xFF0F) return true;
  if (cp == 0xFFFD) return true;
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return true;  // emoji and pictographs
  return false;
}

// ASCII-only character classes, as the C locale (citeqa never calls setlocale) defines
// them, inlined: the libc calls were a fifth of the indexer's CPU time.
constexpr bool IsAsciiSpace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
constexpr bool IsAsciiUpper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool IsAsciiLowerLetter(unsigned char c) { return c >= 'a' && c <= 'z'; }
constexpr char ToLowerAscii(char c) {
  return IsAsciiUpper(static_cast<unsigned char>(c)) ? static_cast<char>(c + ('a' - 'A')) : c;
}
constexpr bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || IsAsciiUpper(c) || IsAsciiLowerLetter(c);
}

// Lower case without diacritics for U+00C0..U+017F (Latin-1 Supplement and Latin
// Extended-A), as FTS5's unicode61 tokenizer with remove_diacritics folds them: the index
// stores "cafe" for "Café", so questions must too. Generated from Unicode's NFD data.
constexpr uint16_t kLatinFoldFirst = 0xC0;
constexpr std::array<uint16_t, 0x180 - 0xC0> kLatinFold = {
    0x0061, 0x0061, 0x0061, 0x0061, 0x0061, 0x0061, 0x00E6, 0x0063, 0x0065, 0x0065, 0x0065, 0x0065,
    0x0069, 0x0069, 0x0069, 0x0069, 0x00F0, 0x006E, 0x006F, 0x006F, 0x006F, 0x006F, 0x006F, 0x00D7,
    0x00F8, 0x0075, 0x0075, 0x0075, 0x0075, 0x0079, 0x00FE, 0x00DF, 0x0061, 0x0061, 0x0061, 0x0061,
    0x0061, 0x0061, 0x00E6, 0x0063, 0x0065, 0x0065, 0x0065, 0x0065, 0x0069, 0x0069, 0x0069, 0x0069,
    0x00F0, 0x006E, 0x006F, 0x006F, 0x006F, 0x006F, 0x006F, 0x00F7, 0x00F8, 0x0075, 0x0075, 0x0075,
    0x0075, 0x0079, 0x00FE, 0x0079, 0x0061, 0x0061, 0x0061, 0x0061, 0x0061, 0x0061, 0x0063, 0x0063,
    0x0063, 0x0063, 0x0063, 0x0063, 0x0063, 0x0063, 0x0064, 0x0064, 0x0111, 0x0111, 0x0065, 0x0065,
    0x0065, 0x0065, 0x0065, 0x0065, 0x0065, 0x0065, 0x0065, 0x0065, 0x0067, 0x0067, 0x0067, 0x0067,
    0x0067, 0x0067, 0x0067, 0x0067, 0x0068, 0x0068, 0x0127, 0x0127, 0x0069, 0x0069, 0x0069, 0x0069,
    0x0069, 0x0069, 0x0069, 0x0069, 0x0049, 0x0131, 0x0133, 0x0133, 0x006A, 0x006A, 0x006B, 0x006B,
    0x0138, 0x006C, 0x006C, 0x006C, 0x006C, 0x006C, 0x006C, 0x0140, 0x0140, 0x0142, 0x0142, 0x006E,
    0x006E, 0x006E, 0x006E, 0x006E, 0x006E, 0x0149, 0x014B, 0x014B, 0x006F, 0x006F, 0x006F, 0x006F,
    0x006F, 0x006F, 0x0153, 0x0153, 0x0072, 0x0072, 0x0072, 0x0072, 0x0072, 0x0072, 0x0073, 0x0073,
    0x0073, 0x0073, 0x0073, 0x0073, 0x0073, 0x0073, 0x0074, 0x0074, 0x0074, 0x0074, 0x0167, 0x0167,
    0x0075, 0x0075, 0x0075, 0x0075, 0x0075, 0x0075, 0x0075, 0x0075, 0x0075, 0x0075, 0x0075, 0x0075,
    0x0077, 0x0077, 0x0079, 0x0079, 0x0079, 0x007A, 0x007A, 0x007A, 0x007A, 0x007A, 0x007A, 0x017F,
};

uint32_t FoldCodePoint(uint32_t cp) {
  if (cp >= kLatinFoldFirst && cp < kLatinFoldFirst + kLatinFold.size()) {
    return kLatinFold[cp - kLatinFoldFirst];
  }
  return cp;
}

bool IsAbbreviation(std::string_view word) {
  static constexpr std::array<std::string_view, 22> kAbbreviations = {
      "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms",     "dr", "prof", "inc", "ltd",
      "co",  "u.s", "u.k", "jr", "sr", "st",  "approx", "no", "fig",  "cf",  "al"};
  for (std::string_view a : kAbbreviations) {
    if (a.size() != word.size()) continue;
    size_t i = 0;
    while (i < a.size() && ToLowerAscii(word[i]) == a[i]) ++i;
    if (i == a.size()) return true;
  }
  return word.size() == 1 && IsAsciiUpper(static_cast<unsigned char>(word[0]));  // initials
}

}  // namespace

bool IsValidUtf8(std::string_view bytes) {
  for (size_t i = 0; i < bytes.size();) {
    uint32_t cp = 0;
    const int len = DecodeUtf8(bytes, i, &cp);
    if (len == 0) return false;
    i += static_cast<size_t>(len);
  }
  return true;
}

std::string CutUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

std::string SanitizeUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    if (byte >= 0x20 && byte < 0x7F) {  // a run of printable ASCII, the common case
      size_t end = i + 1;
      while (end < bytes.size() && static_cast<unsigned char>(bytes[end]) >= 0x20 &&
             static_cast<unsigned char>(bytes[end]) < 0x7F) {
        ++end;
      }
      out.append(bytes.substr(i, end - i));
      i = end;
      continue;
    }
    uint32_t cp = 0;
    const int len = DecodeUtf8(bytes, i, &cp);
    if (len == 0) {
      AppendUtf8(0xFFFD, &out);
      ++i;
      continue;
    }
    const bool control =
        (cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
    if (!control) out.append(bytes.substr(i, static_cast<size_t>(len)));
    i += static_cast<size_t>(len);
  }
  return out;
}

std::string CollapseWhitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80 && !IsAsciiSpace(byte)) {  // the common case: a run needing no decoding
      size_t end = i + 1;
      while (end < text.size() && static_cast<unsigned char>(text[end]) < 0x80 &&
             !IsAsciiSpace(static_cast<unsigned char>(text[end]))) {
        ++end;
      }
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.append(text.substr(i, end - i));
      i = end;
      continue;
    }
    uint32_t cp = 0;
    int len = DecodeUtf8(text, i, &cp);
    if (len == 0) {
      cp = 0xFFFD;
      len = 1;
    }
    const bool space =
        (cp < 0x80 && IsAsciiSpace(static_cast<unsigned char>(cp))) || IsUnicodeSpace(cp);
    if (space) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      if (len == 1 && cp == 0xFFFD) {
        AppendUtf8(0xFFFD, &out);
      } else {
        out.append(text.substr(i, static_cast<size_t>(len)));
      }
    }
    i += static_cast<size_t>(len);
  }
  return out;
}

namespace {

// The character at byte `i` of `text`: its length in bytes (1 for an invalid byte), whether
// it belongs to a word, and its folded code point (lower case, no diacritics).
struct TextChar {
  int length = 1;
  bool word = false;
  uint32_t folded = 0;
};

TextChar CharAt(std::string_view text, size_t i) {
  TextChar c;
  const auto byte = static_cast<unsigned char>(text[i]);
  if (byte < 0x80) {
    c.word = IsWordByte(byte);
    c.folded = static_cast<unsigned char>(ToLowerAscii(static_cast<char>(byte)));
    return c;
  }
  uint32_t cp = byte;
  c.length = DecodeUtf8(text, i, &cp);
  if (c.length == 0) {
    c.length = 1;
    return c;
  }
  c.word = !IsUnicodeSeparator(cp);
  c.folded = FoldCodePoint(cp);
  return c;
}

// Walks the word tokens of `text` as Tokenize defines them, calling on_begin(offset) at the
// start of a token, on_char(folded code point) for each of its characters and
// on_end(offset) after it.
template <typename OnBegin, typename OnChar, typename OnEnd>
void ScanTokens(std::string_view text, OnBegin on_begin, OnChar on_char, OnEnd on_end) {
  bool in_token = false;
  for (size_t i = 0; i < text.size();) {
    const TextChar c = CharAt(text, i);
    if (c.word) {
      if (!in_token) {
        in_token = true;
        on_begin(i);
      }
      on_char(c.folded);
    } else if (in_token) {
      in_token = false;
      on_end(i);
    }
    i += static_cast<size_t>(c.length);
  }
  if (in_token) on_end(text.size());
}

}  // namespace

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  tokens.reserve(text.size() / 6 + 1);  // English runs about six bytes a word
  const size_t n = text.size();
  auto ascii_word_byte = [&](size_t i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    return byte < 0x80 && IsWordByte(byte);
  };
  for (size_t i = 0; i < n;) {
    const TextChar first = CharAt(text, i);
    if (!first.word) {
      i += static_cast<size_t>(first.length);
      continue;
    }
    Token& token = tokens.emplace_back();
    token.begin = static_cast<int>(i);
    // Most words are ASCII: copied whole and lower-cased in place, not a character at a
    // time (tokenising candidates was a third of ranking).
    size_t end = i;
    while (end < n && ascii_word_byte(end)) ++end;
    token.text.assign(text.substr(i, end - i));
    for (char& c : token.text) c = ToLowerAscii(c);
    // The rest of a word with other characters ("café"), decoded and folded.
    while (end < n) {
      const TextChar c = CharAt(text, end);
      if (!c.word) break;
      if (c.folded < 0x80) {
        token.text.push_back(static_cast<char>(c.folded));
      } else {
        AppendUtf8(c.folded, &token.text);
      }
      end += static_cast<size_t>(c.length);
    }
    token.end = static_cast<int>(end);
    i = end;
  }
  return tokens;
}

void ForEachWord(std::string_view text, const std::function<void(std::string_view)>& on_word) {
  std::string word;
  ScanTokens(
      text, [&](size_t) { word.clear(); },
      [&](uint32_t cp) {
        if (cp < 0x80) {
          word.push_back(static_cast<char>(cp));
        } else {
          AppendUtf8(cp, &word);
        }
      },
      [&](size_t) { on_word(word); });
}

std::vector<std::pair<int, int>> SplitSentences(std::string_view text) {
  std::vector<std::pair<int, int>> sentences;
  const size_t n = text.size();
  size_t start = 0;
  auto skip_space = [&](size_t i) {
    while (i < n && IsAsciiSpace(static_cast<unsigned char>(text[i]))) ++i;
    return i;
  };
  auto emit = [&](size_t end) {
    size_t b = skip_space(start);
    size_t e = end;
    while (e > b && IsAsciiSpace(static_cast<unsigned char>(text[e - 1]))) --e;
    if (e > b) sentences.emplace_back(static_cast<int>(b), static_cast<int>(e));
    start = end;
  };
  for (size_t i = 0; i < n; ++i) {
    const char c = text[i];
    bool terminal = c == '.' || c == '!' || c == '?';
    size_t after = i + 1;
    // U+2026 HORIZONTAL ELLIPSIS ends a sentence like "...".
    if (!terminal && static_cast<unsigned char>(c) == 0xE2 && i + 2 < n &&
        static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        static_cast<unsigned char>(text[i + 2]) == 0xA6) {
      terminal = true;
      after = i + 3;
    }
    if (!terminal) continue;
    // Absorb runs of terminal punctuation and closing quotes/brackets.
    while (after < n && (text[after] == '.' || text[after] == '!' || text[after] == '?' ||
                         text[after] == '"' || text[after] == '\'' || text[after] == ')')) {
      ++after;
    }
    // Closing curly quotes (U+201D, U+2019).
    while (after + 2 < n + 0 && static_cast<unsigned char>(text[after]) == 0xE2 &&
           static_cast<unsigned char>(text[after + 1]) == 0x80 &&
           (static_cast<unsigned char>(text[after + 2]) == 0x9D ||
            static_cast<unsigned char>(text[after + 2]) == 0x99)) {
      after += 3;
    }
    if (after < n && !IsAsciiSpace(static_cast<unsigned char>(text[after]))) {
      i = after - 1;
      continue;  // "3.5", "e.g.x", "example.com"
    }
    if (c == '.') {
      // The word before the period: an abbreviation or an initial does not end a sentence.
      size_t w = i;
      while (w > start && !IsAsciiSpace(static_cast<unsigned char>(text[w - 1]))) --w;
      std::string_view word = text.substr(w, i - w);
      while (!word.empty() && (word.front() == '(' || word.front() == '"')) word.remove_prefix(1);
      if (IsAbbreviation(word)) {
        i = after - 1;
        continue;
      }
      // Lower-case continuation after a period is usually not a new sentence.
      const size_t next = skip_space(after);
      if (next < n && IsAsciiLowerLetter(static_cast<unsigned char>(text[next]))) {
        i = after - 1;
        continue;
      }
    }
    emit(after);
    i = after - 1;
  }
  emit(n);
  return sentences;
}

std::vector<std::string_view> SentencesByLine(std::string_view text) {
  std::vector<std::string_view> sentences;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    for (const auto& [b, e] : SplitSentences(line)) {
      sentences.push_back(line.substr(static_cast<size_t>(b), static_cast<size_t>(e - b)));
    }
    start = end + 1;
  }
  return sentences;
}

namespace {

std::string StemUncached(std::string_view lower_word) {
  struct StemmerDeleter {
    void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
  };
  // libstemmer objects are not thread-safe; one per thread is cheap.
  thread_local std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer(
      sb_stemmer_new("porter", "UTF_8"));
  if (!stemmer || lower_word.empty()) return std::string(lower_word);
  const sb_symbol* out =
      sb_stemmer_stem(stemmer.get(), reinterpret_cast<const sb_symbol*>(lower_word.data()),
                      static_cast<int>(lower_word.size()));
  if (out == nullptr) return std::string(lower_word);
  return std::string(reinterpret_cast<const char*>(out),
                     static_cast<size_t>(sb_stemmer_length(stemmer.get())));
}

}  // namespace

std::string Stem(std::string_view lower_word) {
  // Stemming dominates matching passages against a question, and text repeats its words:
  // a per-thread memo, emptied when it grows large, makes it a hash lookup.
  // Looked up by the view itself (a transparent hash): a word already stemmed costs no copy
  // of it as a key.
  constexpr size_t kMaxMemoEntries = 1 << 16;
  struct ViewHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  thread_local std::unordered_map<std::string, std::string, ViewHash, std::equal_to<>> memo;
  if (const auto it = memo.find(lower_word); it != memo.end()) return it->second;
  if (memo.size() >= kMaxMemoEntries) memo.clear();
  std::string stem = StemUncached(lower_word);
  memo.emplace(std::string(lower_word), stem);
  return stem;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

int CountWords(std::string_view text) {
  int words = 0;
  ScanTokens(
      text, [&](size_t) { ++words; }, [](uint32_t) {}, [](size_t) {});
  return words;
}

int CountWordsUpTo(std::string_view text, int limit) {
  int words = 0;
  bool in_token = false;
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    bool word = false;
    int len = 1;
    if (byte < 0x80) {
      word = IsWordByte(byte);
    } else {
      uint32_t cp = 0;
      len = DecodeUtf8(text, i, &cp);
      if (len == 0) {
        len = 1;
      } else {
        word = !IsUnicodeSeparator(cp);
      }
    }
    if (word && !in_token && ++words > limit) return words;
    in_token = word;
    i += static_cast<size_t>(len);
  }
  return words;
}

WordCounts CountCapitalisedWords(std::string_view text) {
  WordCounts counts;
  ScanTokens(
      text,
      [&](size_t begin) {
        ++counts.words;
        const auto c = static_cast<unsigned char>(text[begin]);
        if (IsAsciiUpper(c) || (c >= '0' && c <= '9')) ++counts.capitalised;
      },
      [](uint32_t) {}, [](size_t) {});
  return counts;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ToLowerAscii(c);
  return out;
}

}  // namespace citeqa::indexer
