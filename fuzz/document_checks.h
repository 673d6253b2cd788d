// Invariants every reader's ParsedDocument must hold (indexer/document.h), shared by the
// reader and chunker fuzz targets.
#pragma once

#include <string>

#include "fuzz/fuzz_check.h"
#include "indexer/document.h"
#include "indexer/text.h"

namespace citeqa::fuzz {

// Text is valid UTF-8 with white space collapsed; heading levels are 1..6 on headings only.
inline void CheckParsedDocument(const indexer::ParsedDocument& doc) {
  FUZZ_CHECK(indexer::IsValidUtf8(doc.title), "title is not UTF-8");
  for (const indexer::Block& b : doc.blocks) {
    FUZZ_CHECK(indexer::IsValidUtf8(b.text), "block text is not UTF-8");
    FUZZ_CHECK(indexer::CollapseWhitespace(b.text) == b.text,
               "block text has uncollapsed white space: [%s]", b.text.c_str());
    if (b.kind == indexer::BlockKind::kHeading) {
      FUZZ_CHECK(b.level >= 1 && b.level <= 6, "heading level %d", b.level);
    } else {
      FUZZ_CHECK(b.level == 0, "level %d on a non-heading block", b.level);
    }
  }
}

}  // namespace citeqa::fuzz
