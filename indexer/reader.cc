#include "indexer/reader.h"

#include <string>

#include "indexer/text.h"
#include "indexer/text_reader.h"

namespace citeqa::indexer {
namespace {

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool LooksBinary(std::string_view bytes) {
  const size_t sample = std::min<size_t>(bytes.size(), 8192);
  size_t control = 0;
  for (size_t i = 0; i < sample; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == 0) return true;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++control;
  }
  return sample > 0 && control * 10 > sample;
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
  if (LooksBinary(bytes)) return Status::InvalidArgument("binary content, not text");
  if (bytes.rfind("\xEF\xBB\xBF", 0) == 0) bytes.remove_prefix(3);
  const std::string text = SanitizeUtf8(bytes);
  ParsedDocument doc;
  switch (format) {
    case DocumentFormat::kPlainText:
    case DocumentFormat::kMarkdown:
    case DocumentFormat::kHtml:
      doc = ReadPlainText(text);
      break;
  }
  if (doc.blocks.empty()) return Status::InvalidArgument("no text in the document");
  return doc;
}

}  // namespace citeqa::indexer
