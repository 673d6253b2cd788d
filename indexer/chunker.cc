#include "indexer/chunker.h"

#include <string_view>

#include "indexer/text.h"

namespace citeqa::indexer {
namespace {

// A unit the chunker never splits: one sentence, or one short list item.
struct Unit {
  std::string text;
  int words = 0;
  bool starts_list_item = false;
  bool starts_paragraph = false;
  int list_words = 0;  // on a list item's first unit: words of it and the items after it
};

// Accumulates units of one section into passages.
class SectionPacker {
 public:
  SectionPacker(const ChunkerOptions& options, std::vector<Passage>* out)
      : options_(options), out_(out) {}

  void StartSection(const std::string& heading) {
    Flush(/*force=*/true);
    heading_ = heading;
  }

  void Add(const Unit& unit) {
    // A lead-in ("skills include:") stays with the list it introduces.
    const bool after_lead_in = !body_.empty() && body_.back() == ':';
    if (unit.starts_list_item && after_lead_in) {
      StartLedList(unit.list_words);
    } else if (unit.starts_paragraph) {
      in_led_list_ = false;
    }
    // Close the passage at a natural boundary once it is big enough, and always before it
    // would overflow. A list under its lead-in is only cut when it overflows.
    const bool boundary = (unit.starts_paragraph || unit.starts_list_item) && !after_lead_in;
    const int limit = in_led_list_ ? options_.max_list_words : options_.max_words;
    const bool overflows = words_ + unit.words > limit;
    const bool continues_item = !unit.starts_list_item && !unit.starts_paragraph && item_start_ > 0;
    if (overflows && continues_item && words_ - item_start_words_ + unit.words <= limit) {
      // A list item's later sentence would overflow: the whole item moves on instead.
      CarryOn(item_start_, item_start_words_);
    } else if (overflows || (!in_led_list_ && boundary && words_ >= options_.target_words)) {
      Flush(/*force=*/false);
    }
    if (unit.starts_paragraph && !after_lead_in) {  // lead-ins in a row move as one
      paragraph_start_ = body_.size();
      paragraph_start_words_ = words_;
    } else if (unit.starts_list_item) {
      paragraph_start_ = 0;  // a lead-in inside a list stays where it is
    }
    if (unit.starts_list_item) {
      item_start_ = body_.size();
      item_start_words_ = words_;
    } else if (unit.starts_paragraph) {
      item_start_ = 0;
    }
    if (!body_.empty()) body_ += unit.starts_list_item || unit.starts_paragraph ? "\n" : " ";
    if (unit.starts_list_item) body_ += "- ";
    body_ += unit.text;
    words_ += unit.words;
  }

  void Finish() { Flush(/*force=*/true); }

 private:
  // At the first item of a list whose lead-in ends the passage so far. When the lead-in's
  // paragraph and the list cannot both join what came before, that paragraph starts the
  // next passage instead of being left behind without the list it announces.
  void StartLedList(int list_words) {
    const int before = paragraph_start_words_;
    if (paragraph_start_ > 0 && before >= options_.min_words &&
        words_ + list_words > options_.max_list_words) {
      CarryOn(paragraph_start_, before);
    }
    in_led_list_ = true;
  }

  // Closes the passage before `start`, a line break in body_ with `words_before` words
  // before it, and starts the next passage with what follows it.
  void CarryOn(size_t start, int words_before) {
    std::string tail = body_.substr(start + 1);  // after the "\n"
    const int tail_words = words_ - words_before;
    body_.resize(start);
    words_ = words_before;
    Flush(/*force=*/false);
    body_ = std::move(tail);
    words_ = tail_words;
  }

  void Flush(bool force) {
    in_led_list_ = false;
    paragraph_start_ = 0;
    paragraph_start_words_ = 0;
    item_start_ = 0;
    item_start_words_ = 0;
    if (body_.empty()) return;
    // A short tail is merged into the passage before it when that stays within max_words.
    if (force && words_ < options_.min_words && !out_->empty() &&
        out_->back().heading == heading_ && last_words_ + words_ <= options_.max_words) {
      out_->back().text += "\n" + body_;
      last_words_ += words_;
    } else {
      Passage p;
      p.heading = heading_;
      p.text = heading_.empty() ? body_ : heading_ + "\n" + body_;
      p.ordinal = static_cast<int>(out_->size());
      out_->push_back(std::move(p));
      last_words_ = words_;
    }
    body_.clear();
    words_ = 0;
  }

  const ChunkerOptions& options_;
  std::vector<Passage>* out_;
  std::string heading_;
  std::string body_;
  int words_ = 0;
  int last_words_ = 0;
  size_t paragraph_start_ = 0;     // where in body_ the latest paragraph begins; 0: none
                                   // that could move
  int paragraph_start_words_ = 0;  // words of body_ before it
  size_t item_start_ = 0;          // where in body_ the latest list item begins; 0: none
  int item_start_words_ = 0;       // words of body_ before it
  bool in_led_list_ = false;       // adding the items of a list whose lead-in is in body_
};

void AppendSentenceUnits(const Block& block, std::vector<Unit>* units) {
  const auto spans = SplitSentences(block.text);
  bool first = true;
  for (const auto& [b, e] : spans) {
    Unit u;
    u.text = block.text.substr(static_cast<size_t>(b), static_cast<size_t>(e - b));
    u.words = CountWords(u.text);
    if (u.words == 0) continue;
    u.starts_paragraph = first && block.kind == BlockKind::kParagraph;
    u.starts_list_item = first && block.kind == BlockKind::kListItem;
    first = false;
    units->push_back(std::move(u));
  }
}

}  // namespace

std::vector<Passage> ChunkDocument(const ParsedDocument& doc, const ChunkerOptions& options) {
  std::vector<Passage> passages;
  SectionPacker packer(options, &passages);
  // Words of each list item and the items right after it, for keeping lead-ins with lists.
  std::vector<int> list_words_from(doc.blocks.size() + 1, 0);
  for (size_t b = doc.blocks.size(); b-- > 0;) {
    if (doc.blocks[b].kind == BlockKind::kListItem) {
      list_words_from[b] = CountWords(doc.blocks[b].text) + list_words_from[b + 1];
    }
  }
  for (size_t b = 0; b < doc.blocks.size(); ++b) {
    const Block& block = doc.blocks[b];
    if (block.kind == BlockKind::kHeading) {
      packer.StartSection(block.text);
      continue;
    }
    std::vector<Unit> units;
    AppendSentenceUnits(block, &units);
    if (!units.empty()) units.front().list_words = list_words_from[b];
    for (const Unit& u : units) packer.Add(u);
  }
  packer.Finish();
  for (size_t i = 0; i < passages.size(); ++i) passages[i].ordinal = static_cast<int>(i);
  return passages;
}

}  // namespace citeqa::indexer
