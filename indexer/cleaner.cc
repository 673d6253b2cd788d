#include "indexer/cleaner.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cctype>
#include <cstdint>
#include <cstring>
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

// A fixed set of phrases (at least two bytes each) searched for in one pass over a text:
// a search per phrase stopped at every occurrence of its first letter, and the cleaner
// asks about every sentence. The phrases are filed by their first two bytes, so a position
// is compared only with the phrases that begin with its two bytes (pairs such as "th" or
// "co" begin many words, and comparing each with every phrase was a tenth of an index
// build).
class PhraseSet {
 public:
  PhraseSet(std::initializer_list<std::string_view> phrases) {
    for (std::string_view p : phrases) {
      uint8_t& bucket = bucket_of_pair_[PairIndex(p[0], p[1])];
      if (bucket == 0) {
        buckets_.emplace_back();
        assert(buckets_.size() <= UINT8_MAX);
        bucket = static_cast<uint8_t>(buckets_.size());
      }
      buckets_[bucket - 1].push_back(p);
    }
  }
  bool FoundIn(std::string_view text) const {
    for (size_t i = 0; i + 1 < text.size(); ++i) {
      const uint8_t bucket = bucket_of_pair_[PairIndex(text[i], text[i + 1])];
      if (bucket == 0) continue;
      const std::string_view rest = text.substr(i);
      for (std::string_view p : buckets_[bucket - 1]) {
        if (rest.starts_with(p)) return true;
      }
    }
    return false;
  }

 private:
  static size_t PairIndex(char a, char b) {
    return static_cast<size_t>(static_cast<unsigned char>(a)) << 8 |
           static_cast<unsigned char>(b);
  }
  std::vector<std::vector<std::string_view>> buckets_;  // phrases by their first two bytes
  std::array<uint8_t, 65536> bucket_of_pair_{};         // 1 + index into buckets_, or 0 for none
};

// Short line with no sentence punctuation: a menu entry, a button, a counter.
bool IsShortLine(const Block& block, int words) {
  if (block.kind == BlockKind::kParagraph && !block.text.empty() &&
      (block.text.back() == '.' || block.text.back() == '?' || block.text.back() == '!')) {
    return false;
  }
  return words <= kShortLineWords;
}

bool IsNumberOnly(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == ',' || c == '.' || c == ' ';
  });
}

// "Serverless Computing Explained." inside running text: a link title, not prose.
bool IsTitleCaseFragment(std::string_view sentence) {
  const WordCounts counts = CountCapitalisedWords(sentence);
  if (counts.words < 3) return false;
  return counts.capitalised * 4 >= counts.words * 3;
}

bool IsCodeLikeLower(std::string_view text, const std::string& lower);
bool IsWebChromeLower(const std::string& lower);

bool IsNoiseSentence(std::string_view sentence) {
  const std::string lower = AsciiLower(sentence);
  if (IsCodeLikeLower(sentence, lower) || IsWebChromeLower(lower) ||
      IsTitleCaseFragment(sentence)) {
    return true;
  }
  // Obfuscated addresses and "read more" arrows left behind by scrapers.
  static const PhraseSet kLeftovers({"[email protected]", "more \xE2\x86\x92", "\xC2\xA9"});
  return kLeftovers.FoundIn(lower);
}

// The sentences of a block, and how many documents contain each (when known).
struct Sentences {
  std::vector<std::pair<int, int>> spans;
  std::vector<int> documents;  // per span; empty when no counter was consulted
};

// Removes noise sentences, and sentences repeated across documents, from a paragraph;
// returns the remaining text (may be empty). `sentences` are those of `text`.
std::string CleanSentences(const std::string& text, const Sentences& sentences,
                           const RepeatedLineCounter* repeated, int min_documents) {
  std::string out;
  for (size_t k = 0; k < sentences.spans.size(); ++k) {
    const auto [b, e] = sentences.spans[k];
    std::string_view sentence = std::string_view(text).substr(static_cast<size_t>(b),
                                                              static_cast<size_t>(e - b));
    if (IsNoiseSentence(sentence)) continue;
    if (repeated != nullptr) {
      const int documents = sentences.documents.empty() ? repeated->DocumentsContaining(sentence)
                                                        : sentences.documents[k];
      if (documents >= min_documents) continue;
    }
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

bool IsCodeLike(std::string_view text) { return IsCodeLikeLower(text, AsciiLower(text)); }

namespace {

// IsCodeLike for a caller that has the lower-cased text at hand.
bool IsCodeLikeLower(std::string_view text, const std::string& lower) {
  // Looked up, not compared ten times: the cleaner asks about every sentence.
  static constexpr std::array<bool, 256> kCodeSymbol = [] {
    std::array<bool, 256> symbol{};
    for (const unsigned char c : std::string_view("{};=<>()[]")) symbol[c] = true;
    return symbol;
  }();
  int symbols = 0;
  for (const char c : text) symbols += kCodeSymbol[static_cast<unsigned char>(c)] ? 1 : 0;
  static const PhraseSet kScript({"function(", "function (", "var ", "document.", "window.", "=>"});
  if (kScript.FoundIn(lower) &&
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

}  // namespace

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

bool IsWebChrome(std::string_view text) { return IsWebChromeLower(AsciiLower(text)); }

namespace {

bool IsWebChromeLower(const std::string& lower) {
  static const PhraseSet kChrome({"all rights reserved", "copyright \xC2\xA9", "\xC2\xA9" "copyright",
                                   "sign up for our newsletter", "subscribe to our newsletter",
                                   "required fields are marked", "your email address will not be",
                                   "leave a reply", "leave a comment", "close this search box",
                                   "spread the love", "share this", "share on", "accept cookies",
                                   "we use cookies", "this website uses cookies", "cookie policy",
                                   "skip to content", "skip to main content", "found this article helpful",
                                   "click here to", "privacy policy", "terms of service",
                                   "in your inbox"});
  return kChrome.FoundIn(lower);
}

}  // namespace

bool IsLinkList(std::string_view text) {
  const size_t commas = static_cast<size_t>(std::count(text.begin(), text.end(), ','));
  if (commas < 4) return false;
  const WordCounts counts = CountCapitalisedWords(text);
  if (counts.words < 8) return false;
  // Running prose capitalises few of its words; lists of titles capitalise most.
  return counts.capitalised * 10 >= counts.words * 7;
}

namespace {

// ASCII-lower-cases the eight bytes of `w` at once (bytes >= 0x80 are left alone).
uint64_t LowerAsciiWord(uint64_t w) {
  const uint64_t heptets = w & 0x7F7F7F7F7F7F7F7FULL;
  const uint64_t above_z = heptets + 0x2525252525252525ULL;    // high bit: byte > 'Z'
  const uint64_t from_a = heptets + 0x3F3F3F3F3F3F3F3FULL;     // high bit: byte >= 'A'
  const uint64_t upper = ~w & (from_a ^ above_z) & 0x8080808080808080ULL;
  return w | (upper >> 2);
}

uint64_t Mix64(uint64_t x) {  // MurmurHash3's finaliser
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDULL;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ULL;
  x ^= x >> 33;
  return x;
}

}  // namespace

RepeatedLineCounter::LineKey RepeatedLineCounter::KeyOf(std::string_view line) {
  uint64_t high = 0x243F6A8885A308D3ULL ^ line.size();
  uint64_t low = 0x13198A2E03707344ULL + line.size();
  size_t i = 0;
  auto absorb = [&](uint64_t w) {
    w = LowerAsciiWord(w);
    high = (high ^ w) * 0x9E3779B97F4A7C15ULL;
    high ^= high >> 32;
    low = (low ^ ((w << 31) | (w >> 33))) * 0xC2B2AE3D27D4EB4FULL;
    low ^= low >> 29;
  };
  for (; i + 8 <= line.size(); i += 8) {
    uint64_t w = 0;
    std::memcpy(&w, line.data() + i, 8);
    absorb(w);
  }
  if (i < line.size()) {
    uint64_t w = 0;
    std::memcpy(&w, line.data() + i, line.size() - i);
    absorb(w);
  }
  return LineKey{Mix64(high), Mix64(low ^ high)};
}

int& RepeatedLineCounter::CountOf(const LineKey& key) {
  if ((used_ + 1) * 2 > slots_.size()) Grow();
  const size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>(key.low) & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.documents == 0) {
      slot.key = key;
      ++used_;
      return slot.documents;
    }
    if (slot.key == key) return slot.documents;
  }
}

void RepeatedLineCounter::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(std::max<size_t>(old.size() * 2, 1024), Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.documents == 0) continue;
    size_t i = static_cast<size_t>(slot.key.low) & mask;
    while (slots_[i].documents != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

void RepeatedLineCounter::AddDocument(const ParsedDocument& doc) { AddKeys(KeysOf(doc)); }

void RepeatedLineCounter::AddKeys(const std::vector<LineKey>& keys) {
  if (counts_all_) {
    for (const LineKey& key : keys) ++CountOf(key);
    return;
  }
  for (const LineKey& key : keys) {
    if (std::binary_search(counted_.begin(), counted_.end(), key)) ++CountOf(key);
  }
}

void RepeatedLineCounter::CountOnly(std::vector<LineKey> keys) {
  counts_all_ = false;
  counted_ = std::move(keys);
}

std::vector<RepeatedLineCounter::LineKey> RepeatedLineCounter::QueryKeysOf(
    const ParsedDocument& doc) {
  std::vector<LineKey> keys;
  auto add_sentences = [&keys](std::string_view text) {
    for (const auto& [b, e] : SplitSentences(text)) {
      keys.push_back(KeyOf(text.substr(static_cast<size_t>(b), static_cast<size_t>(e - b))));
    }
  };
  for (const Block& block : doc.blocks) {
    keys.push_back(KeyOf(block.text));
    if (block.kind == BlockKind::kHeading) continue;
    add_sentences(block.text);
    const std::string without_code = RemoveInlineCode(block.text);
    if (without_code != block.text) add_sentences(without_code);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::vector<RepeatedLineCounter::LineKey> RepeatedLineCounter::KeysOf(const ParsedDocument& doc) {
  std::vector<LineKey> keys;
  for (const Block& block : doc.blocks) {
    if (CountWordsUpTo(block.text, kRepeatedLineMaxWords) <= kRepeatedLineMaxWords) {
      keys.push_back(KeyOf(block.text));
    }
    if (block.kind == BlockKind::kHeading) continue;
    const auto spans = SplitSentences(block.text);
    if (spans.size() < 2) continue;  // a one-sentence block was counted whole above
    for (const auto& [b, e] : spans) {
      keys.push_back(KeyOf(std::string_view(block.text).substr(static_cast<size_t>(b),
                                                               static_cast<size_t>(e - b))));
    }
  }
  // Each line counts once per document.
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

void RepeatedLineCounter::Merge(const RepeatedLineCounter& other) {
  for (const Slot& slot : other.slots_) {
    if (slot.documents == 0) continue;
    if (!counts_all_ && !std::binary_search(counted_.begin(), counted_.end(), slot.key)) continue;
    CountOf(slot.key) += slot.documents;
  }
}

int RepeatedLineCounter::DocumentsContaining(std::string_view line) const {
  if (slots_.empty()) return 0;
  const LineKey key = KeyOf(line);
  const size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>(key.low) & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.documents == 0) return 0;
    if (slot.key == key) return slot.documents;
  }
}

int CleanDocument(ParsedDocument* doc, const RepeatedLineCounter* repeated,
                  const CleanerOptions& options) {
  const int min_documents = options.repeated_line_min_documents;
  // Each paragraph's sentences, split and looked up once for the two uses below.
  std::vector<Sentences> sentences(doc->blocks.size());
  if (repeated != nullptr) {
    // Sentences shared with other documents are chrome only while they are the smaller
    // part of this one; a document made mostly of them is a copy, and keeps its text.
    int total = 0;
    int shared = 0;
    for (size_t i = 0; i < doc->blocks.size(); ++i) {
      const Block& block = doc->blocks[i];
      if (block.kind == BlockKind::kHeading) continue;
      sentences[i].spans = SplitSentences(block.text);
      for (const auto& [b, e] : sentences[i].spans) {
        const int documents = repeated->DocumentsContaining(std::string_view(block.text).substr(
            static_cast<size_t>(b), static_cast<size_t>(e - b)));
        sentences[i].documents.push_back(documents);
        ++total;
        if (documents >= min_documents) ++shared;
      }
    }
    if (shared * 2 >= total) repeated = nullptr;
  }
  std::vector<Block>& blocks = doc->blocks;
  std::vector<bool> drop(blocks.size(), false);
  std::vector<int> words(blocks.size());
  // Word counts matter here only up to the largest threshold below.
  for (size_t i = 0; i < blocks.size(); ++i) {
    words[i] = CountWordsUpTo(blocks[i].text, kChromeBlockMaxWords);
  }
  // Runs of short lines are menus, share bars and footers. The last line of a run that
  // leads into running text is that text's heading, so it stays.
  for (size_t i = 0; i < blocks.size();) {
    size_t j = i;
    while (j < blocks.size() && IsShortLine(blocks[j], words[j])) ++j;
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
    const bool short_block = words[i] <= kChromeBlockMaxWords;
    if (IsCodeLike(block.text) || (short_block && IsWebChrome(block.text)) ||
        IsLinkList(block.text) || IsNumberOnly(block.text)) {
      drop[i] = true;
      continue;
    }
    if (repeated != nullptr && words[i] <= kRepeatedLineMaxWords &&
        repeated->DocumentsContaining(block.text) >= min_documents) {
      drop[i] = true;
      continue;
    }
    if (block.kind != BlockKind::kHeading) {
      std::string text = RemoveInlineCode(block.text);
      if (text != block.text || sentences[i].documents.empty()) {
        sentences[i] = Sentences{SplitSentences(text), {}};
      }
      block.text = CleanSentences(text, sentences[i], repeated, min_documents);
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
