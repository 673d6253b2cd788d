// Test helper: a ParsedDocument's blocks as one readable line each ("H2 Kinds of tides",
// "LI Neap tides", "P Text"), so that expected structure reads like the page.
#pragma once

#include <string>
#include <vector>

#include "indexer/document.h"

namespace citeqa::indexer {

inline std::vector<std::string> BlockLines(const std::vector<Block>& blocks) {
  std::vector<std::string> lines;
  for (const Block& b : blocks) {
    switch (b.kind) {
      case BlockKind::kHeading:
        lines.push_back("H" + std::to_string(b.level) + " " + b.text);
        break;
      case BlockKind::kListItem:
        lines.push_back("LI " + b.text);
        break;
      case BlockKind::kParagraph:
        lines.push_back("P " + b.text);
        break;
    }
  }
  return lines;
}

}  // namespace citeqa::indexer
