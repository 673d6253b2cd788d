#include "indexer/markdown_inline.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "indexer/text.h"

namespace citeqa::indexer {
namespace {

struct NamedReference {
  std::string_view name;
  uint32_t code_point;
};

constexpr std::array<NamedReference, 52> kNamedReferences = {{
    {"amp", '&'},      {"lt", '<'},        {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
    {"nbsp", 0xA0},    {"copy", 0xA9},     {"reg", 0xAE},     {"trade", 0x2122}, {"mdash", 0x2014},
    {"ndash", 0x2013}, {"hellip", 0x2026}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C},
    {"rdquo", 0x201D}, {"laquo", 0xAB},    {"raquo", 0xBB},   {"middot", 0xB7},  {"bull", 0x2022},
    {"deg", 0xB0},     {"times", 0xD7},    {"divide", 0xF7},  {"plusmn", 0xB1},  {"euro", 0x20AC},
    {"pound", 0xA3},   {"yen", 0xA5},      {"cent", 0xA2},    {"sect", 0xA7},    {"para", 0xB6},
    {"frac12", 0xBD},  {"shy", 0xAD},      {"aacute", 0xE1},  {"agrave", 0xE0},  {"acirc", 0xE2},
    {"auml", 0xE4},    {"aring", 0xE5},    {"ccedil", 0xE7},  {"eacute", 0xE9},  {"egrave", 0xE8},
    {"ecirc", 0xEA},   {"euml", 0xEB},     {"iacute", 0xED},  {"oacute", 0xF3},  {"ouml", 0xF6},
    {"uacute", 0xFA},  {"uuml", 0xFC},     {"ntilde", 0xF1},  {"szlig", 0xDF},   {"Eacute", 0xC9},
    {"Ouml", 0xD6},    {"Uuml", 0xDC},
}};

bool IsInlineTag(std::string_view name) {
  static constexpr std::array<std::string_view, 20> kInline = {
      "a",   "b",    "i",    "em", "strong", "span", "code", "sup", "sub",  "small",
      "kbd", "abbr", "mark", "u",  "s",      "del",  "ins",  "img", "font", "var"};
  return std::find(kInline.begin(), kInline.end(), name) != kInline.end();
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n'; }
bool IsPunct(char c) { return std::ispunct(static_cast<unsigned char>(c)) != 0; }

// One run of '*', '_' or '~' copied to the output, which pairing may delete.
struct DelimiterRun {
  size_t out_pos;
  size_t length;
  char ch;
  bool can_open;
  bool can_close;
  bool removed = false;
};

// Positions of matched pairs found in one left-to-right pass, ignoring escaped characters
// and code spans: for backtick runs (a run closes at the next run of the same length) and
// for brackets and parentheses (balanced, by stack).
struct Matches {
  std::unordered_map<size_t, size_t> code_end;  // opening backtick run -> end of span
  std::unordered_map<size_t, size_t> close_of;  // '[' -> ']' and '(' -> ')'
};

Matches FindMatches(std::string_view s) {
  Matches m;
  struct Run {
    size_t pos;
    size_t length;
  };
  std::vector<Run> runs;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '\\') {
      i += 2;
    } else if (s[i] == '`') {
      size_t j = i;
      while (j < s.size() && s[j] == '`') ++j;
      runs.push_back({i, j - i});
      i = j;
    } else {
      ++i;
    }
  }
  std::unordered_map<size_t, std::vector<size_t>> runs_by_length;
  for (size_t k = 0; k < runs.size(); ++k) runs_by_length[runs[k].length].push_back(k);
  std::unordered_map<size_t, size_t> cursor;  // per length: first candidate closer
  for (size_t k = 0; k < runs.size();) {
    const std::vector<size_t>& same = runs_by_length[runs[k].length];
    size_t& c = cursor[runs[k].length];
    while (c < same.size() && same[c] <= k) ++c;
    if (c == same.size()) {
      ++k;
      continue;
    }
    const size_t closer = same[c];
    m.code_end[runs[k].pos] = runs[closer].pos + runs[closer].length;
    k = closer + 1;
  }
  std::vector<size_t> brackets;
  std::vector<size_t> parens;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (const auto code = m.code_end.empty() ? m.code_end.end() : m.code_end.find(i);
               code != m.code_end.end()) {  // (most text has no code span to look up)
      i = code->second - 1;
    } else if (s[i] == '[') {
      brackets.push_back(i);
    } else if (s[i] == ']' && !brackets.empty()) {
      m.close_of[brackets.back()] = i;
      brackets.pop_back();
    } else if (s[i] == '(') {
      parens.push_back(i);
    } else if (s[i] == ')' && !parens.empty()) {
      m.close_of[parens.back()] = i;
      parens.pop_back();
    }
  }
  return m;
}

class InlineStripper {
 public:
  InlineStripper(std::string_view s, const LinkLabels& labels)
      : s_(s), labels_(labels), m_(FindMatches(s)) {}

  std::string Run() {
    for (size_t i = 0; i < s_.size();) i = Step(i);
    return RemovePairedDelimiters();
  }

 private:
  size_t CloseOf(size_t open) const {
    const auto it = m_.close_of.find(open);
    return it == m_.close_of.end() ? std::string_view::npos : it->second;
  }

  // Where a link or image whose text is [open, close] ends, or npos if it is none.
  size_t LinkEnd(size_t close) const {
    if (close + 1 < s_.size() && (s_[close + 1] == '(' || s_[close + 1] == '[')) {
      const size_t end = CloseOf(close + 1);
      if (end != std::string_view::npos) return end + 1;
    }
    return std::string_view::npos;
  }

  bool IsDefinedLabel(size_t open, size_t close) const {
    return labels_.count(NormalizeLinkLabel(s_.substr(open + 1, close - open - 1))) > 0;
  }

  size_t Step(size_t i) {
    // Most text has no links or code spans: the lookups are skipped for it.
    if (!jumps_.empty()) {
      if (const auto jump = jumps_.find(i); jump != jumps_.end()) return jump->second;
    }
    const char c = s_[i];
    if (c == '\\' && i + 1 < s_.size() && IsPunct(s_[i + 1])) {
      out_.push_back(s_[i + 1]);
      return i + 2;
    }
    if (const auto code = m_.code_end.empty() ? m_.code_end.end() : m_.code_end.find(i);
        code != m_.code_end.end()) {
      size_t b = i;
      while (s_[b] == '`') ++b;
      const size_t e = code->second - (b - i);
      out_.append(s_.substr(b, e - b));
      return code->second;
    }
    if (c == '!' && i + 1 < s_.size() && s_[i + 1] == '[') {
      const size_t close = CloseOf(i + 1);
      if (close != std::string_view::npos) {
        const size_t end = LinkEnd(close);
        if (end != std::string_view::npos) return end;
        if (IsDefinedLabel(i + 1, close)) return close + 1;
      }
    }
    if (c == '[') return OpenBracket(i);
    if (c == '<') return AngleBracket(i);
    if (c == '&') {
      const size_t length = DecodeCharacterReference(s_.substr(i), &out_);
      if (length > 0) return i + length;
    }
    if (c == '*' || c == '_' || c == '~') return Delimiters(i);
    // A run of characters that none of the above starts is copied at once. (The jumps and
    // code spans above are keyed by ']' and '`', which end such a run.)
    size_t end = i + 1;
    while (end < s_.size() && IsPlain(s_[end])) ++end;
    out_.append(s_.substr(i, end - i));
    return end;
  }

  // Whether a character has no meaning of its own to Step: most of any text.
  static bool IsPlain(char c) {
    switch (c) {
      case '\\':
      case '`':
      case '!':
      case '[':
      case ']':
      case '<':
      case '&':
      case '*':
      case '_':
      case '~':
        return false;
      default:
        return true;
    }
  }

  size_t OpenBracket(size_t i) {
    const size_t close = CloseOf(i);
    if (close == std::string_view::npos) {
      out_.push_back('[');
      return i + 1;
    }
    if (i + 1 < s_.size() && s_[i + 1] == '^') return close + 1;  // footnote reference
    const size_t end = LinkEnd(close);
    if (end != std::string_view::npos) {
      jumps_[close] = end;
      return i + 1;
    }
    if (IsDefinedLabel(i, close)) {
      jumps_[close] = close + 1;
      return i + 1;
    }
    out_.push_back('[');
    return i + 1;
  }

  // HTML comments and tags are dropped (tags that break lines leave a space); autolinks
  // keep their URL.
  size_t AngleBracket(size_t i) {
    if (s_.substr(i, 4) == "<!--") {
      if (!comment_searched_ || (comment_end_ != std::string_view::npos && comment_end_ < i + 4)) {
        comment_end_ = s_.find("-->", i + 4);
        comment_searched_ = true;
      }
      if (comment_end_ != std::string_view::npos) return comment_end_ + 3;
      out_.push_back('<');
      return i + 1;
    }
    size_t j = i + 1;
    if (j < s_.size() && s_[j] == '/') ++j;
    if (j == s_.size() || std::isalpha(static_cast<unsigned char>(s_[j])) == 0) {
      out_.push_back('<');
      return i + 1;
    }
    const size_t name_begin = j;
    while (j < s_.size() && std::isalnum(static_cast<unsigned char>(s_[j])) != 0) ++j;
    const std::string name = AsciiLower(s_.substr(name_begin, j - name_begin));
    bool spaces = false;
    while (j < s_.size() && s_[j] != '>' && s_[j] != '<') spaces |= IsSpace(s_[j++]);
    if (j == s_.size() || s_[j] != '>') {
      out_.push_back('<');
      return i + 1;
    }
    const std::string_view inner = s_.substr(i + 1, j - i - 1);
    if (!spaces && (inner.find("://") != std::string_view::npos || inner.starts_with("mailto:") ||
                    inner.find('@') != std::string_view::npos)) {
      out_.append(inner.starts_with("mailto:") ? inner.substr(7) : inner);
    } else if (!IsInlineTag(name)) {
      out_.push_back(' ');
    }
    return j + 1;
  }

  size_t Delimiters(size_t i) {
    const char c = s_[i];
    size_t j = i;
    while (j < s_.size() && s_[j] == c) ++j;
    const char before = i == 0 ? ' ' : s_[i - 1];
    const char after = j == s_.size() ? ' ' : s_[j];
    const bool left = !IsSpace(after) && (!IsPunct(after) || IsSpace(before) || IsPunct(before));
    const bool right = !IsSpace(before) && (!IsPunct(before) || IsSpace(after) || IsPunct(after));
    DelimiterRun run{out_.size(), j - i, c, left, right};
    if (c == '_') {
      run.can_open = left && (!right || IsPunct(before));
      run.can_close = right && (!left || IsPunct(after));
    } else if (c == '~' && j - i != 2) {
      run.can_open = run.can_close = false;
    }
    if (run.can_open || run.can_close) runs_.push_back(run);
    out_.append(s_.substr(i, j - i));
    return j;
  }

  // Pairs each closing run with the nearest open run of the same character, deletes both,
  // and returns the output without them.
  std::string RemovePairedDelimiters() {
    std::array<std::vector<size_t>, 3> openers;  // '*', '_', '~'
    for (size_t k = 0; k < runs_.size(); ++k) {
      DelimiterRun& run = runs_[k];
      std::vector<size_t>& stack = openers[run.ch == '*' ? 0 : run.ch == '_' ? 1 : 2];
      if (run.can_close && !stack.empty()) {
        runs_[stack.back()].removed = true;
        run.removed = true;
        stack.pop_back();
        continue;
      }
      if (run.can_open) stack.push_back(k);
    }
    std::string result;
    result.reserve(out_.size());
    size_t pos = 0;
    for (const DelimiterRun& run : runs_) {
      if (!run.removed) continue;
      result.append(out_, pos, run.out_pos - pos);
      pos = run.out_pos + run.length;
    }
    result.append(out_, pos, std::string::npos);
    return result;
  }

  std::string_view s_;
  const LinkLabels& labels_;
  const Matches m_;
  std::unordered_map<size_t, size_t> jumps_;  // a link's ']' -> past its destination
  std::vector<DelimiterRun> runs_;
  std::string out_;
  bool comment_searched_ = false;  // comment_end_ is the first "-->" after an earlier "<!--"
  size_t comment_end_ = 0;
};

}  // namespace

std::string NormalizeLinkLabel(std::string_view label) {
  return AsciiLower(CollapseWhitespace(label));
}

size_t DecodeCharacterReference(std::string_view text, std::string* out) {
  constexpr size_t kMaxLength = 12;
  const size_t semi = text.substr(0, kMaxLength).find(';');
  if (text.size() < 3 || text[0] != '&' || semi == std::string_view::npos || semi < 2) return 0;
  const std::string_view body = text.substr(1, semi - 1);
  if (body[0] == '#') {
    const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
    const std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    uint32_t cp = 0;
    for (char d : digits) {
      const auto u = static_cast<unsigned char>(d);
      const int value = std::isdigit(u) != 0           ? d - '0'
                        : hex && std::isxdigit(u) != 0 ? std::tolower(u) - 'a' + 10
                                                       : -1;
      if (value < 0) return 0;
      cp = std::min<uint32_t>(cp * (hex ? 16 : 10) + static_cast<uint32_t>(value), 0x110000);
    }
    AppendUtf8(cp == 0 ? 0xFFFD : cp, out);  // "&#0;" is no character
    return semi + 1;
  }
  for (const NamedReference& ref : kNamedReferences) {
    if (ref.name == body) {
      if (ref.code_point != 0xAD) AppendUtf8(ref.code_point, out);  // soft hyphen: none
      return semi + 1;
    }
  }
  return 0;
}

std::string StripInlineMarkdown(std::string_view markdown, const LinkLabels& labels) {
  return InlineStripper(markdown, labels).Run();
}

}  // namespace citeqa::indexer
