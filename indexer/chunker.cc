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
    // Close the passage at a natural boundary once it is big enough, and always before it
    // would overflow.
    // A lead-in ("skills include:") stays with the list it introduces.
    const bool boundary = (unit.starts_paragraph || unit.starts_list_item) &&
                          !(body_.size() > 0 && body_.back() == ':');
    if (words_ + unit.words > options_.max_words ||
        (boundary && words_ >= options_.target_words)) {
      Flush(/*force=*/false);
    }
    if (!body_.empty()) body_ += unit.starts_list_item || unit.starts_paragraph ? "\n" : " ";
    if (unit.starts_list_item) body_ += "- ";
    body_ += unit.text;
    words_ += unit.words;
  }

  void Finish() { Flush(/*force=*/true); }

 private:
  void Flush(bool force) {
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
  for (const Block& block : doc.blocks) {
    if (block.kind == BlockKind::kHeading) {
      packer.StartSection(block.text);
      continue;
    }
    std::vector<Unit> units;
    AppendSentenceUnits(block, &units);
    for (const Unit& u : units) packer.Add(u);
  }
  packer.Finish();
  for (size_t i = 0; i < passages.size(); ++i) passages[i].ordinal = static_cast<int>(i);
  return passages;
}

}  // namespace citeqa::indexer
