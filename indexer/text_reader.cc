#include "indexer/text_reader.h"

#include <cctype>
#include <string>

#include "indexer/text.h"

namespace citeqa::indexer {
namespace {

constexpr int kMaxHeadingWords = 14;

// Length of a list marker at the start of `line` ("- ", "• ", "12. ", "3) "), or 0.
size_t ListMarkerLength(std::string_view line) {
  if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') &&
      line[1] == ' ') {
    return 2;
  }
  if (line.rfind("\xE2\x80\xA2", 0) == 0 || line.rfind("\xE2\x80\x93 ", 0) == 0) {  // • –
    return 3;
  }
  size_t i = 0;
  while (i < line.size() && i < 3 && std::isdigit(static_cast<unsigned char>(line[i])) != 0) ++i;
  if (i > 0 && i + 1 < line.size() && (line[i] == '.' || line[i] == ')') && line[i + 1] == ' ') {
    return i + 2;
  }
  return 0;
}

}  // namespace

bool LooksLikeHeading(std::string_view line) {
  if (line.empty()) return false;
  const int words = CountWords(line);
  if (words == 0 || words > kMaxHeadingWords) return false;
  const char last = line.back();
  return last != '.' && last != ',' && last != ';' && last != ':';
}

ParsedDocument ReadPlainText(std::string_view utf8) {
  ParsedDocument doc;
  size_t pos = 0;
  while (pos <= utf8.size()) {
    size_t eol = utf8.find('\n', pos);
    if (eol == std::string_view::npos) eol = utf8.size();
    const std::string line = CollapseWhitespace(utf8.substr(pos, eol - pos));
    pos = eol + 1;
    if (line.empty()) continue;
    Block block;
    if (const size_t marker = ListMarkerLength(line); marker > 0) {
      block.kind = BlockKind::kListItem;
      block.text = CollapseWhitespace(std::string_view(line).substr(marker));
    } else if (LooksLikeHeading(line)) {
      block.kind = BlockKind::kHeading;
      block.level = 2;
      block.text = line;
    } else {
      block.kind = BlockKind::kParagraph;
      block.text = line;
    }
    if (!block.text.empty()) doc.blocks.push_back(std::move(block));
  }
  return doc;
}

}  // namespace citeqa::indexer
