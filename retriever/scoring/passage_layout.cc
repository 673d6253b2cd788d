#include "retriever/scoring/passage_layout.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <unordered_map>

#include "retriever/analysis/stopwords.h"
#include "retriever/scoring/concept_matcher.h"
#include "retriever/scoring/pointing_back.h"
#include "retriever/scoring/sentence_cues.h"
#include "retriever/scoring/signposting.h"

namespace citeqa::retriever {
namespace {
constexpr float kUnknownFit = std::numeric_limits<float>::quiet_NaN();
constexpr uint8_t kUnknownCues = 0x80;  // above the cue bits
enum CueBit : uint8_t {
  kLeansBack = 1,
  kSignpost = 2,
  kPromotional = 4,
  kUnfinished = 8,
  kPointsBack = 16
};

// What a layout needs of a word that depends on the word alone.
struct WordFacts {
  std::string stem;        // indexer::Stem
  uint64_t stem_hash = 0;  // StemHash of the stem
  size_t word_hash = 0;    // std::hash of the word
  uint8_t word_kinds = 0;  // KindsOfWordText
};

// Text repeats its words, and a corpus's passages share most of theirs: a per-thread memo,
// emptied when it grows large, makes stemming, the word lists and the two hashes one lookup
// per word. Worked out afresh for each token they were two thirds of laying out a passage,
// and laying out passages is most of what a question's first ask costs beyond a warm one.
// The reference is good until the next call.
const WordFacts& FactsOf(const std::string& word) {
  constexpr size_t kMaxMemoEntries = 1 << 16;
  thread_local std::unordered_map<std::string, WordFacts> memo;
  if (const auto it = memo.find(word); it != memo.end()) return it->second;
  if (memo.size() >= kMaxMemoEntries) memo.clear();
  WordFacts facts;
  facts.stem = indexer::Stem(word);
  facts.stem_hash = StemHash(facts.stem);
  facts.word_hash = std::hash<std::string>{}(word);
  facts.word_kinds = KindsOfWordText(word);
  return memo.emplace(word, std::move(facts)).first->second;
}
}  // namespace

SentenceCues CuesOfText(std::string_view sentence) {
  SentenceCues cues;
  const PointingBackReadings pointing = ReadPointingBack(sentence);
  cues.leans_back = pointing.leans_back;
  cues.points_back = pointing.how != PointingBack::kNo;
  cues.signpost = IsSignpost(sentence);
  cues.promotional = IsPromotional(sentence);
  cues.unfinished = IsUnfinished(sentence);
  return cues;
}

PassageLayout LayOutPassage(std::string_view text, std::string_view heading) {
  PassageLayout layout;
  layout.text = std::string(text);
  layout.heading = std::string(heading);
  layout.tokens = indexer::Tokenize(text);
  layout.stems.reserve(layout.tokens.size());
  layout.stem_hashes.reserve(layout.tokens.size());
  layout.word_kinds.reserve(layout.tokens.size());
  layout.word_set.reserve(layout.tokens.size());
  for (const indexer::Token& t : layout.tokens) {
    const WordFacts& facts = FactsOf(t.text);
    layout.stems.push_back(facts.stem);
    layout.stem_hashes.push_back(facts.stem_hash);
    layout.word_kinds.push_back(facts.word_kinds | CapitalisedBit(text, t));
    layout.word_set.push_back(facts.word_hash);
  }
  std::sort(layout.word_set.begin(), layout.word_set.end());
  layout.word_set.erase(std::unique(layout.word_set.begin(), layout.word_set.end()),
                        layout.word_set.end());

  // Lines first (a heading or list item is never joined to the next), then sentences.
  const std::vector<indexer::Token>& tokens = layout.tokens;
  size_t token = 0;
  int line = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line_text = text.substr(start, end - start);
    const bool is_heading = line == 0 && !heading.empty() && line_text == heading;
    if (!is_heading) {
      const bool item = line_text.starts_with("- ");
      for (const auto& [b, e] : indexer::SplitSentences(line_text)) {
        SentenceSpan s;
        s.begin = static_cast<int>(start) + b;
        s.end = static_cast<int>(start) + e;
        s.line = line;
        s.list_item = item;
        while (token < tokens.size() && tokens[token].begin < s.begin) ++token;
        s.first_token = token;
        while (token < tokens.size() && tokens[token].end <= s.end) ++token;
        s.end_token = token;
        layout.sentences.push_back(s);
      }
    }
    ++line;
    start = end + 1;
  }
  layout.type_fits = std::vector<PassageLayout::TypeFits>(layout.sentences.size());
  for (auto& kinds : layout.type_fits) {
    for (auto& fits : kinds) {
      for (std::atomic<float>& fit : fits) fit.store(kUnknownFit, std::memory_order_relaxed);
    }
  }
  layout.cue_bits = std::vector<std::atomic<uint8_t>>(layout.sentences.size());
  for (std::atomic<uint8_t>& bits : layout.cue_bits) {
    bits.store(kUnknownCues, std::memory_order_relaxed);
  }
  return layout;
}

std::pair<int, int> QuotedRange(std::string_view text, const SentenceSpan& span) {
  auto [begin, end] = std::pair{span.begin, span.end};
  if (!span.list_item) return {begin, end};
  if (text.substr(static_cast<size_t>(begin), 2) == "- ") begin += 2;
  while (end > begin &&
         (text[static_cast<size_t>(end) - 1] == '.' || text[static_cast<size_t>(end) - 1] == ' ')) {
    --end;
  }
  return {begin, end};
}

std::string_view Slice(std::string_view text, std::pair<int, int> range) {
  return text.substr(static_cast<size_t>(range.first),
                     static_cast<size_t>(range.second - range.first));
}

LineLayout LayOutLine(std::string_view line) {
  LineLayout layout;
  layout.tokens = indexer::Tokenize(line);
  layout.stems.reserve(layout.tokens.size());
  layout.stem_hashes.reserve(layout.tokens.size());
  for (const indexer::Token& t : layout.tokens) {
    const WordFacts& facts = FactsOf(t.text);
    layout.stems.push_back(facts.stem);
    layout.stem_hashes.push_back(facts.stem_hash);
    layout.content_words += (facts.word_kinds & kWordIsStopword) != 0 ? 0 : 1;
  }
  return layout;
}

SentenceCues PassageLayout::CuesOf(size_t s) const {
  std::atomic<uint8_t>& kept = cue_bits[s];
  uint8_t bits = kept.load(std::memory_order_relaxed);
  if (bits == kUnknownCues) {
    const SentenceCues cues = CuesOfText(Slice(text, QuotedRange(text, sentences[s])));
    bits = static_cast<uint8_t>(
        (cues.leans_back ? kLeansBack : 0) | (cues.signpost ? kSignpost : 0) |
        (cues.promotional ? kPromotional : 0) | (cues.unfinished ? kUnfinished : 0) |
        (cues.points_back ? kPointsBack : 0));
    kept.store(bits, std::memory_order_relaxed);
  }
  SentenceCues cues;
  cues.leans_back = (bits & kLeansBack) != 0;
  cues.signpost = (bits & kSignpost) != 0;
  cues.promotional = (bits & kPromotional) != 0;
  cues.unfinished = (bits & kUnfinished) != 0;
  cues.points_back = (bits & kPointsBack) != 0;
  return cues;
}

namespace {

// The fit kept in `kept`, or `text`'s, which is then kept.
double RememberedFit(std::atomic<float>& kept, AnswerType type, std::string_view text) {
  const float known = kept.load(std::memory_order_relaxed);
  if (!std::isnan(known)) {
    assert(known == static_cast<float>(AnswerTypeFit(type, text)));
    return known;
  }
  const auto fit = static_cast<float>(AnswerTypeFit(type, text));
  kept.store(fit, std::memory_order_relaxed);
  return fit;
}

}  // namespace

double PassageLayout::SentenceTypeFit(size_t s, AnswerType type) const {
  const SentenceSpan& span = sentences[s];
  return RememberedFit(type_fits[s][kFitOfSentence][static_cast<size_t>(type)], type,
                       Slice(text, {span.begin, span.end}));
}

double PassageLayout::QuotedTypeFit(size_t s, AnswerType type) const {
  return RememberedFit(type_fits[s][kFitOfQuote][static_cast<size_t>(type)], type,
                       Slice(text, QuotedRange(text, sentences[s])));
}

double PassageLayout::ListTypeFit(size_t s, AnswerType type, std::string_view list_text) const {
  return RememberedFit(type_fits[s][kFitOfList][static_cast<size_t>(type)], type, list_text);
}

std::shared_ptr<const PassageLayout> PassageLayouts::Get(int64_t passage_id, std::string_view text,
                                                         std::string_view heading, bool* laid_out) {
  if (laid_out != nullptr) *laid_out = false;
  const auto of_these_rows = [&](const PassageLayout& kept) {
    return kept.text == text && kept.heading == heading;
  };
  bool other_text_kept = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = kept_.find(passage_id);
    if (it != kept_.end()) {
      if (of_these_rows(*it->second)) return it->second;
      other_text_kept = true;
    } else if (const auto from_earlier = inherited_.find(passage_id);
               from_earlier != inherited_.end()) {
      std::shared_ptr<const PassageLayout> layout = std::move(from_earlier->second);
      inherited_.erase(from_earlier);
      if (of_these_rows(*layout)) return kept_.emplace(passage_id, std::move(layout)).first->second;
      // Another text under the id (the indexer gives a changed passage a new id, so only a
      // reused id could): laid out below and kept, as a passage never seen.
      tokens_ -= std::min(tokens_, layout->tokens.size());
    }
  }
  if (laid_out != nullptr) *laid_out = true;
  if (other_text_kept) {
    // Rows of a newer index version than the one these layouts belong to: laid out outside
    // the lock and not kept, so the version's own layout stays for the questions that read it.
    return std::make_shared<const PassageLayout>(LayOutPassage(text, heading));
  }
  // Laid out outside the lock: questions on other threads go on meanwhile. Two of them
  // laying out the same passage at once keep the first.
  auto layout = std::make_shared<const PassageLayout>(LayOutPassage(text, heading));
  std::lock_guard<std::mutex> lock(mutex_);
  if (const auto it = kept_.find(passage_id); it != kept_.end()) {
    // Another thread kept this passage meanwhile: share its layout when it is of the same
    // text (as GetLine does), else keep to this version's own.
    return of_these_rows(*it->second) ? it->second : layout;
  }
  MakeRoom(layout->tokens.size());
  kept_.emplace(passage_id, layout);
  tokens_ += layout->tokens.size();
  return layout;
}

std::shared_ptr<const LineLayout> PassageLayouts::GetLine(std::string_view line) {
  const std::string key(line);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (const auto it = lines_.find(key); it != lines_.end()) return it->second;
  }
  auto layout = std::make_shared<const LineLayout>(LayOutLine(line));
  std::lock_guard<std::mutex> lock(mutex_);
  if (const auto it = lines_.find(key); it != lines_.end()) return it->second;
  // An empty line still costs its entry: counted as one token.
  const size_t tokens = std::max<size_t>(layout->tokens.size(), 1);
  MakeRoom(tokens);
  lines_.emplace(key, layout);
  tokens_ += tokens;
  return layout;
}

namespace {

// splitmix64's finaliser: which passages a round of forgetting draws looks random, and
// differs from round to round.
uint64_t Scrambled(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

void PassageLayouts::MakeRoom(size_t tokens) {
  if (tokens_ + tokens <= max_tokens_) return;
  // Forgets passages until `tokens` more fit in half the budget, each with the same chance
  // (a hash of its id, salted anew each round, against the share to free). Forgetting
  // everything at once made a question mix that reads a little more than the budget find
  // none of its layouts kept: at 100,000 passages the benchmark's 125 questions laid out
  // every candidate on every ask. Headings and titles go whole: they are few and cheap.
  lines_.clear();
  tokens_ = 0;
  for (const auto* held : {&kept_, &inherited_}) {
    for (const auto& [passage_id, layout] : *held) tokens_ += layout->tokens.size();
  }
  const size_t target = max_tokens_ / 2;
  while ((!kept_.empty() || !inherited_.empty()) && tokens_ + tokens > target) {
    const double share =
        static_cast<double>(tokens_ + tokens - target) / static_cast<double>(tokens_);
    const uint64_t below = share >= 1.0 ? 0 : static_cast<uint64_t>(std::ldexp(share, 64));
    ++rounds_of_forgetting_;
    for (auto* held : {&kept_, &inherited_}) {
      for (auto it = held->begin(); it != held->end();) {
        const uint64_t draw =
            Scrambled(static_cast<uint64_t>(it->first) ^ (rounds_of_forgetting_ << 48));
        if (share >= 1.0 || draw < below) {
          tokens_ -= std::min(tokens_, it->second->tokens.size());
          it = held->erase(it);
        } else {
          ++it;
        }
      }
    }
  }
}

size_t PassageLayouts::held_tokens() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return tokens_;
}

void PassageLayouts::Inherit(const PassageLayouts& earlier) {
  if (&earlier == this) return;
  std::scoped_lock lock(mutex_, earlier.mutex_);
  // Replaces whatever this one holds: it is for a version no question has read yet.
  kept_.clear();
  inherited_.clear();
  lines_.clear();
  tokens_ = 0;
  if (earlier.tokens_ > max_tokens_) return;  // a smaller budget than the earlier one's
  inherited_ = earlier.kept_;
  inherited_.insert(earlier.inherited_.begin(), earlier.inherited_.end());
  lines_ = earlier.lines_;
  tokens_ = earlier.tokens_;
}

void PassageLayouts::DropInherited() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [passage_id, layout] : inherited_) {
    tokens_ -= std::min(tokens_, layout->tokens.size());
  }
  inherited_.clear();
}

void PassageLayouts::Forget() {
  std::lock_guard<std::mutex> lock(mutex_);
  kept_.clear();
  inherited_.clear();
  lines_.clear();
  tokens_ = 0;
}

}  // namespace citeqa::retriever
