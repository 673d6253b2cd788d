#include "indexer/reader.h"

#include <string>

#include "indexer/encoding.h"
#include "indexer/html_reader.h"
#include "indexer/markdown_reader.h"
#include "indexer/text.h"
#include "indexer/text_reader.h"

namespace citeqa::indexer {
namespace {

// No block is longer than this, whatever the input: a one-line file with no sentence ends
// must not become one passage. Real paragraphs rarely reach it (about 300 words).
constexpr size_t kMaxBlockBytes = 2000;
// Titles longer than this (a whole paragraph marked up as <h1>) are shortened.
constexpr size_t kMaxTitleBytes = 160;

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Where to cut `text` (longer than kMaxBlockBytes) at or before kMaxBlockBytes: after the
// last sentence end in the second half of the window, else at the last space, else at a
// UTF-8 character boundary.
size_t CutPoint(std::string_view text) {
  const std::string_view window = text.substr(0, kMaxBlockBytes);
  for (size_t i = window.size() - 1; i > window.size() / 2; --i) {
    if (window[i] == ' ' &&
        (window[i - 1] == '.' || window[i - 1] == '?' || window[i - 1] == '!')) {
      return i;
    }
  }
  const size_t space = window.rfind(' ');
  if (space != std::string_view::npos && space > 0) return space;
  size_t cut = kMaxBlockBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}

// Splits blocks longer than kMaxBlockBytes into several; the pieces after the first are
// paragraphs (a heading that long is running text).
void BoundBlocks(ParsedDocument* doc) {
  std::vector<Block> bounded;
  bounded.reserve(doc->blocks.size());
  for (Block& block : doc->blocks) {
    if (block.text.size() <= kMaxBlockBytes) {
      bounded.push_back(std::move(block));
      continue;
    }
    std::string_view rest = block.text;
    BlockKind kind = block.kind == BlockKind::kHeading ? BlockKind::kParagraph : block.kind;
    while (!rest.empty()) {
      const size_t cut = rest.size() <= kMaxBlockBytes ? rest.size() : CutPoint(rest);
      Block piece;
      piece.kind = kind;
      piece.text = std::string(rest.substr(0, cut));
      bounded.push_back(std::move(piece));
      rest.remove_prefix(cut);
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      kind = BlockKind::kParagraph;
    }
  }
  doc->blocks = std::move(bounded);
}

// Shortens an overlong title at a word boundary and marks the cut with "…".
void BoundTitle(std::string* title) {
  if (title->size() <= kMaxTitleBytes) return;
  size_t cut = title->rfind(' ', kMaxTitleBytes);
  if (cut == std::string::npos || cut < kMaxTitleBytes / 2) {
    cut = kMaxTitleBytes;
    while (cut > 0 && (static_cast<unsigned char>((*title)[cut]) & 0xC0) == 0x80) --cut;
  }
  title->resize(cut);
  title->append("\xE2\x80\xA6");
}

}  // namespace

std::optional<DocumentFormat> FormatForPath(std::string_view path) {
  const std::string lower = AsciiLower(path);
  if (EndsWith(lower, ".txt")) return DocumentFormat::kPlainText;
  if (EndsWith(lower, ".md") || EndsWith(lower, ".markdown")) return DocumentFormat::kMarkdown;
  if (EndsWith(lower, ".html") || EndsWith(lower, ".htm")) return DocumentFormat::kHtml;
  return std::nullopt;
}

Result<ParsedDocument> ReadDocument(DocumentFormat format, std::string_view bytes) {
  std::optional<TextEncoding> declared;
  if (format == DocumentFormat::kHtml) declared = EncodingForLabel(FindMetaCharset(bytes));
  auto decoded = DecodeText(bytes, declared);
  if (!decoded.ok()) return decoded.status();
  const std::string& text = decoded->text;
  ParsedDocument doc;
  switch (format) {
    case DocumentFormat::kPlainText:
      doc = ReadPlainText(text);
      break;
    case DocumentFormat::kMarkdown:
      doc = ReadMarkdown(text);
      break;
    case DocumentFormat::kHtml: {
      auto html = ReadHtml(text);
      if (!html.ok()) return html.status();
      doc = std::move(*html);
      break;
    }
  }
  BoundBlocks(&doc);
  BoundTitle(&doc.title);
  if (doc.blocks.empty()) return Status::InvalidArgument("no text in the document");
  return doc;
}

}  // namespace citeqa::indexer
