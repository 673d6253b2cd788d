// What reading a passage finds before the question matters: its words (tokens and their
// Porter stems) and its sentences and list lines. It depends only on the passage's text,
// so each index version lays out a passage once and every question that reads it shares
// the layout: tokenising, stemming and splitting were a third of scoring a question.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "indexer/text.h"
#include "retriever/analysis/answer_type.h"

namespace citeqa::retriever {

struct SentenceSpan {
  int begin = 0;  // byte range [begin, end) in the passage text
  int end = 0;
  size_t first_token = 0;  // token run [first_token, end_token) of the passage's tokens
  size_t end_token = 0;
  int line = 0;            // line of the passage text it stands on (the heading line is 0)
  bool list_item = false;  // its line is a list item ("- ...")
};

// What a sentence's own words say about it, whatever the question.
struct SentenceCues {
  bool leans_back = false;   // LeansBack (the models' feature)
  bool points_back = false;  // HowItPointsBack is not kNo (what composition reads)
  bool signpost = false;     // IsSignpost
  bool promotional = false;  // IsPromotional
  bool unfinished = false;   // IsUnfinished
};

// The same cues of any text (a sentence the layout did not cut, such as a list's lines).
SentenceCues CuesOfText(std::string_view sentence);

// The byte range of `text` an answer quotes for a sentence: the sentence, or a list item
// without its marker ("- ") and its closing full stop. Pure.
std::pair<int, int> QuotedRange(std::string_view text, const SentenceSpan& span);

// The bytes [range.first, range.second) of `text`. Pure.
std::string_view Slice(std::string_view text, std::pair<int, int> range);

struct PassageLayout {
  std::string text;  // what was laid out, heading line included
  std::string heading;
  std::vector<indexer::Token> tokens;
  std::vector<std::string> stems;       // indexer::Stem of each token
  std::vector<uint64_t> stem_hashes;    // StemHash of each stem
  std::vector<uint8_t> word_kinds;      // KindsOfWord of each token
  std::vector<SentenceSpan> sentences;  // in order, without the heading line
  // The distinct words as sorted hashes: cheap to compare for near-duplicates.
  std::vector<size_t> word_set;

  // AnswerTypeFit of sentence `s`'s text for `type`, worked out when first asked and then
  // remembered. Thread-safe.
  double SentenceTypeFit(size_t s, AnswerType type) const;
  // The same of what an answer quotes for sentence `s` (QuotedRange: a list item without
  // its marker and full stop), and of the list option sentence `s` leads in. That option's
  // text (`list_text`) is made by SentenceOptions from this layout alone, so it is the same
  // every time; debug builds check that the remembered fit is the text's. List items and
  // lists were most of the fits the sentences' features still worked out.
  double QuotedTypeFit(size_t s, AnswerType type) const;
  double ListTypeFit(size_t s, AnswerType type, std::string_view list_text) const;

  // Per sentence, for its text, its quote and its list, and per answer type: the fit, or
  // NaN until asked. Two threads asking at once both work it out and store the same value.
  // (A float holds a fit exactly: AnswerTypeFit says 0 or 1.) About 100 bytes a sentence,
  // outside PassageLayouts' token budget, as the layout's other per-sentence data is.
  enum FitOf : size_t { kFitOfSentence, kFitOfQuote, kFitOfList, kFitKinds };
  using TypeFits = std::array<std::array<std::atomic<float>, kAnswerTypeCount>, kFitKinds>;
  mutable std::vector<TypeFits> type_fits;

  // The question-independent cues (sentence_cues.h, signposting.h) of sentence `s` as an
  // answer quotes it (QuotedRange), worked out when first asked and then remembered: they
  // were a tenth of scoring the sentences, asked again for the same sentences by every
  // question. Thread-safe.
  SentenceCues CuesOf(size_t s) const;

  // Per sentence: SentenceCues packed in bits, or kUnknownCues until asked (as type_fits).
  mutable std::vector<std::atomic<uint8_t>> cue_bits;
};

// Lays out `text`, whose first line is `heading` when that is not empty (that line is no
// sentence). Pure; thread-safe.
PassageLayout LayOutPassage(std::string_view text, std::string_view heading);

// The words of a heading or a title, laid out as a passage's are: a question's focus on it
// is then one integer probe per word. Candidates share a few dozen headings and titles, and
// tokenising and stemming them again for every question was a twentieth of answering one.
struct LineLayout {
  std::vector<indexer::Token> tokens;
  std::vector<std::string> stems;     // indexer::Stem of each token
  std::vector<uint64_t> stem_hashes;  // StemHash of each stem
  int content_words = 0;              // tokens that are not stopwords
};

// Pure; thread-safe.
LineLayout LayOutLine(std::string_view line);

// The layouts of one index version's passages, and of their headings and titles, made on
// first use and kept while `max_tokens` tokens hold them; when one more would not fit, the
// headings and titles are forgotten, and passages, each with the same chance, until half
// the budget is free. A passage id whose text differs from the kept layout's (a question
// reading rows newer than this version) is laid out afresh and not kept. Layouts handed
// out are shared and never change. Thread-safe.
//
// A new version takes over the layouts of the version before it (Inherit): most passages are
// unchanged by a re-index, and laying them out again made every question after a swap pay
// its first-ask cost again. (A re-indexed document's passages get new ids: only unchanged
// documents' layouts are used again; DropInherited lets go of the others.)
class PassageLayouts {
 public:
  explicit PassageLayouts(size_t max_tokens) : max_tokens_(max_tokens) {}

  // `laid_out` (may be null) tells whether this call laid the passage out.
  std::shared_ptr<const PassageLayout> Get(int64_t passage_id, std::string_view text,
                                           std::string_view heading, bool* laid_out = nullptr);
  // The layout of a heading or title, kept in the same budget.
  std::shared_ptr<const LineLayout> GetLine(std::string_view line);
  // Takes over, shared, what `earlier` (the layouts of an earlier version of the same index)
  // keeps. An inherited passage layout is used while this version reads the same text and
  // heading under its id; a changed passage is laid out afresh and kept in its place. Lines
  // are keyed by their text and carry over as they are. Counts against this one's budget.
  void Inherit(const PassageLayouts& earlier);
  // Lets go of the inherited layouts this version has not read, and of their budget: once
  // every passage of the version has been read (a warm-up), they are of passages it no
  // longer has.
  void DropInherited();
  // Forgets every layout: benchmarks measure a question's first-time cost.
  void Forget();
  // The tokens of the layouts held, passages' and lines', counted against the budget.
  size_t held_tokens() const;

 private:
  // Room for `tokens` more: when they would not fit, forgets every heading and title and
  // passages drawn by a hash of their ids until they fit in half the budget. Under mutex_.
  void MakeRoom(size_t tokens);

  const size_t max_tokens_;
  mutable std::mutex mutex_;
  std::unordered_map<int64_t, std::shared_ptr<const PassageLayout>> kept_;
  // Taken over from the earlier version and not yet read by this one: moved to kept_ when
  // the text still matches, dropped when it does not.
  std::unordered_map<int64_t, std::shared_ptr<const PassageLayout>> inherited_;
  std::unordered_map<std::string, std::shared_ptr<const LineLayout>> lines_;
  size_t tokens_ = 0;
  uint64_t rounds_of_forgetting_ = 0;  // salts which half a round of MakeRoom forgets
};

}  // namespace citeqa::retriever
