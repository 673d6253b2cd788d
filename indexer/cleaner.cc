#include "indexer/cleaner.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_set>

#include "indexer/text.h"

namespace citeqa::indexer {
namespace {

constexpr int kShortLineWords = 3;
constexpr int kMenuRunLength = 3;
constexpr int kRepeatedLineMaxWords = 12;
constexpr size_t kTitleMaxBytes = 120;
constexpr int kChromeBlockMaxWords = 30;
constexpr size_t kMaxInlineCallBytes = 512;

bool ContainsAny(const std::string& lower, std::initializer_list<std::string_view> needles) {
  return std::any_of(needles.begin(), needles.end(),
                     [&](std::string_view n) { return lower.find(n) != std::string::npos; });
}

// Short line with no sentence punctuation: a menu entry, a button, a counter.
bool IsShortLine(const Block& block) {
  if (block.kind == BlockKind::kParagraph && !block.text.empty() &&
      (block.text.back() == '.' || block.text.back() == '?' || block.text.back() == '!')) {
    return false;
  }
  return CountWords(block.text) <= kShortLineWords;
}

bool IsNumberOnly(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == ',' || c == '.' || c == ' ';
  });
}

// "Serverless Computing Explained." inside running text: a link title, not prose.
bool IsTitleCaseFragment(std::string_view sentence) {
  const auto tokens = Tokenize(sentence);
  if (tokens.size() < 3) return false;
  int capitalised = 0;
  for (const Token& t : tokens) {
    const auto c = static_cast<unsigned char>(sentence[static_cast<size_t>(t.begin)]);
    if (std::isupper(c) != 0 || std::isdigit(c) != 0) ++capitalised;
  }
  return capitalised * 4 >= static_cast<int>(tokens.size()) * 3;
}

bool IsNoiseSentence(std::string_view sentence) {
  if (IsCodeLike(sentence) || IsWebChrome(sentence) || IsTitleCaseFragment(sentence)) return true;
  const std::string lower = AsciiLower(sentence);
  // Obfuscated addresses and "read more" arrows left behind by scrapers.
  return ContainsAny(lower, {"[email protected]", "more \xE2\x86\x92", "\xC2\xA9"});
}

// Removes noise sentences, and sentences repeated across documents, from a paragraph;
// returns the remaining text (may be empty).
std::string CleanSentences(const std::string& text, const RepeatedLineCounter* repeated,
                           int min_documents) {
  const auto spans = SplitSentences(text);
  std::string out;
  for (const auto& [b, e] : spans) {
    std::string_view sentence = std::string_view(text).substr(static_cast<size_t>(b),
                                                              static_cast<size_t>(e - b));
    if (IsNoiseSentence(sentence)) continue;
    if (repeated != nullptr && repeated->DocumentsContaining(sentence) >= min_documents) continue;
    if (!out.empty()) out.push_back(' ');
    out.append(sentence);
  }
  return out;
}

}  // namespace

// Byte range of a call like "hbspt.cta.load(...);" starting at or after `from`, as
// [begin, end), or {npos, npos}: a dotted identifier, balanced parentheses, optional ';'.
std::pair<size_t, size_t> FindDottedCall(std::string_view text, size_t from) {
  for (size_t p = text.find('(', from); p != std::string_view::npos; p = text.find('(', p + 1)) {
    size_t w = p;
    int dots = 0;
    while (w > 0 && (std::isalnum(static_cast<unsigned char>(text[w - 1])) != 0 ||
                     text[w - 1] == '.' || text[w - 1] == '_' || text[w - 1] == '$')) {
      if (text[w - 1] == '.') ++dots;
      --w;
    }
    if (dots == 0 || p - w < 4 || text[w] == '.') continue;
    int depth = 0;
    size_t end = p;
    // Inline tracking calls are short; bounding the search keeps unclosed '(' linear.
    const size_t scan_end = std::min(text.size(), p + kMaxInlineCallBytes);
    for (; end < scan_end; ++end) {
      if (text[end] == '(') ++depth;
      if (text[end] == ')' && --depth == 0) break;
    }
    if (end == scan_end) continue;
    ++end;
    if (end < text.size() && text[end] == ';') ++end;
    return {w, end};
  }
  return {std::string_view::npos, std::string_view::npos};
}

namespace {

// Quotes or braces inside a call's parentheses: a script, not prose or a signature.
bool HasCodeArguments(std::string_view call) {
  return call.find_first_of("'{\"") != std::string_view::npos;
}

}  // namespace

bool IsCodeLike(std::string_view text) {
  int symbols = 0;
  for (char c : text) {
    if (c == '{' || c == '}' || c == ';' || c == '=' || c == '<' || c == '>' || c == '(' ||
        c == ')' || c == '[' || c == ']') {
      ++symbols;
    }
  }
  const std::string lower = AsciiLower(text);
  if (ContainsAny(lower, {"function(", "function (", "var ", "document.", "window.", "=>"}) &&
      symbols >= 3) {
    return true;
  }
  // Mostly a call with code inside: "hbspt.cta.load(3434168, 'a4593ff5', {});" — but not an
  // API signature in documentation ("string.capwords(s, sep=None)").
  const auto [b, e] = FindDottedCall(text, 0);
  if (b != std::string_view::npos && (e - b) * 2 >= text.size() &&
      HasCodeArguments(text.substr(b, e - b))) {
    return true;
  }
  return !text.empty() && symbols * 8 > static_cast<int>(text.size());
}

std::string RemoveInlineCode(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const auto [b, e] = FindDottedCall(text, pos);
    if (b == std::string_view::npos) break;
    // Only calls with code inside (quotes, braces or digits-and-commas) are removed;
    // prose like "see fig.(2)" is left alone.
    if (!HasCodeArguments(text.substr(b, e - b))) {
      out.append(text.substr(pos, e - pos));
      pos = e;
      continue;
    }
    out.append(text.substr(pos, b - pos));
    pos = e;
  }
  out.append(text.substr(pos));
  return CollapseWhitespace(out);
}

bool IsWebChrome(std::string_view text) {
  const std::string lower = AsciiLower(text);
  return ContainsAny(lower, {"all rights reserved", "copyright \xC2\xA9", "\xC2\xA9" "copyright",
                             "sign up for our newsletter", "subscribe to our newsletter",
                             "required fields are marked", "your email address will not be",
                             "leave a reply", "leave a comment", "close this search box",
                             "spread the love", "share this", "share on", "accept cookies",
                             "we use cookies", "this website uses cookies", "cookie policy",
                             "skip to content", "skip to main content", "found this article helpful",
                             "click here to", "privacy policy", "terms of service",
                             "in your inbox"});
}

bool IsLinkList(std::string_view text) {
  const size_t commas = static_cast<size_t>(std::count(text.begin(), text.end(), ','));
  if (commas < 4) return false;
  const auto tokens = Tokenize(text);
  if (tokens.size() < 8) return false;
  int capitalised = 0;
  for (const Token& t : tokens) {
    const auto c = static_cast<unsigned char>(text[static_cast<size_t>(t.begin)]);
    if (std::isupper(c) != 0 || std::isdigit(c) != 0) ++capitalised;
  }
  // Running prose capitalises few of its words; lists of titles capitalise most.
  return capitalised * 10 >= static_cast<int>(tokens.size()) * 7;
}

void RepeatedLineCounter::AddDocument(const ParsedDocument& doc) {
  std::unordered_set<std::string> seen;
  auto count = [&](std::string_view text) {
    std::string key = AsciiLower(text);
    if (seen.insert(key).second) ++documents_by_line_[key];
  };
  for (const Block& block : doc.blocks) {
    if (CountWords(block.text) <= kRepeatedLineMaxWords) count(block.text);
    if (block.kind == BlockKind::kHeading) continue;
    const auto spans = SplitSentences(block.text);
    if (spans.size() < 2) continue;  // a one-sentence block was counted whole above
    for (const auto& [b, e] : spans) {
      count(std::string_view(block.text).substr(static_cast<size_t>(b), static_cast<size_t>(e - b)));
    }
  }
}

int RepeatedLineCounter::DocumentsContaining(std::string_view line) const {
  const auto it = documents_by_line_.find(AsciiLower(line));
  return it == documents_by_line_.end() ? 0 : it->second;
}

// Sentences shared with other documents are chrome only while they are the smaller part of
// this one; a document made mostly of them is a copy, and keeps its text.
bool RepeatedSentencesAreChrome(const ParsedDocument& doc, const RepeatedLineCounter& repeated,
                                int min_documents) {
  int total = 0;
  int shared = 0;
  for (const Block& block : doc.blocks) {
    if (block.kind == BlockKind::kHeading) continue;
    for (const auto& [b, e] : SplitSentences(block.text)) {
      ++total;
      const std::string_view sentence = std::string_view(block.text).substr(
          static_cast<size_t>(b), static_cast<size_t>(e - b));
      if (repeated.DocumentsContaining(sentence) >= min_documents) ++shared;
    }
  }
  return shared * 2 < total;
}

int CleanDocument(ParsedDocument* doc, const RepeatedLineCounter* repeated,
                  const CleanerOptions& options) {
  if (repeated != nullptr &&
      !RepeatedSentencesAreChrome(*doc, *repeated, options.repeated_line_min_documents)) {
    repeated = nullptr;
  }
  std::vector<Block>& blocks = doc->blocks;
  std::vector<bool> drop(blocks.size(), false);
  // Runs of short lines are menus, share bars and footers. The last line of a run that
  // leads into running text is that text's heading, so it stays.
  for (size_t i = 0; i < blocks.size();) {
    size_t j = i;
    while (j < blocks.size() && IsShortLine(blocks[j])) ++j;
    if (j - i >= static_cast<size_t>(kMenuRunLength)) {
      const bool last_introduces_text =
          j < blocks.size() && blocks[j - 1].kind == BlockKind::kHeading;
      for (size_t k = i; k < (last_introduces_text ? j - 1 : j); ++k) drop[k] = true;
    }
    i = std::max(j, i + 1);
  }
  for (size_t i = 0; i < blocks.size(); ++i) {
    Block& block = blocks[i];
    if (drop[i]) continue;
    // Chrome phrases condemn a short block outright; in running text only their sentence.
    const bool short_block = CountWords(block.text) <= kChromeBlockMaxWords;
    if (IsCodeLike(block.text) || (short_block && IsWebChrome(block.text)) ||
        IsLinkList(block.text) || IsNumberOnly(block.text)) {
      drop[i] = true;
      continue;
    }
    if (repeated != nullptr && CountWords(block.text) <= kRepeatedLineMaxWords &&
        repeated->DocumentsContaining(block.text) >= options.repeated_line_min_documents) {
      drop[i] = true;
      continue;
    }
    if (block.kind != BlockKind::kHeading) {
      block.text = CleanSentences(RemoveInlineCode(block.text), repeated,
                                  options.repeated_line_min_documents);
      if (block.text.empty()) drop[i] = true;
    }
  }
  // A heading followed by nothing, or straight away by a heading of the same or a higher
  // level, introduces nothing: it is a site name or a menu entry.
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (drop[i] || blocks[i].kind != BlockKind::kHeading) continue;
    size_t next = i + 1;
    while (next < blocks.size() && drop[next]) ++next;
    if (next == blocks.size() || (blocks[next].kind == BlockKind::kHeading &&
                                  blocks[next].level <= blocks[i].level)) {
      drop[i] = true;
    }
  }
  std::vector<Block> kept;
  int dropped = 0;
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (drop[i]) {
      ++dropped;
    } else {
      kept.push_back(std::move(blocks[i]));
    }
  }
  blocks = std::move(kept);
  return dropped;
}

std::string ChooseTitle(const ParsedDocument& doc) {
  constexpr size_t kNearTop = 8;
  auto shorten = [](std::string s) {
    if (s.size() <= kTitleMaxBytes) return s;
    size_t cut = s.rfind(' ', kTitleMaxBytes);
    if (cut == std::string::npos || cut < kTitleMaxBytes / 2) cut = kTitleMaxBytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut) + "\xE2\x80\xA6";
  };
  // Near the top, the longest heading is the article's; shorter ones are site names.
  const Block* best = nullptr;
  for (size_t i = 0; i < doc.blocks.size() && i < kNearTop; ++i) {
    const Block& b = doc.blocks[i];
    if (b.kind != BlockKind::kHeading || IsWebChrome(b.text) || IsCodeLike(b.text)) continue;
    if (best == nullptr || CountWords(b.text) > CountWords(best->text)) best = &b;
  }
  if (best != nullptr && CountWords(best->text) >= 3) return shorten(best->text);
  for (const Block& b : doc.blocks) {
    if (b.kind == BlockKind::kHeading) return shorten(b.text);
  }
  if (doc.blocks.empty()) return "";
  const std::string& text = doc.blocks.front().text;
  const auto sentences = SplitSentences(text);
  if (sentences.empty()) return shorten(text);
  return shorten(text.substr(0, static_cast<size_t>(sentences.front().second)));
}

}  // namespace citeqa::indexer
