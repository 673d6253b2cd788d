// Reader for plain-text articles (.txt): recovers headings, paragraphs and list items from
// line structure, as scraped web pages lay them out.
#pragma once

#include <string_view>

#include "indexer/document.h"

namespace citeqa::indexer {

// `utf8` must be valid UTF-8. Each non-empty line becomes a block: lines starting with a
// bullet ("-", "*", "•") or a number ("1.", "2)") are list items; short lines without
// closing punctuation are headings; the rest are paragraphs. The title is left empty: the
// indexer picks one after cleaning.
ParsedDocument ReadPlainText(std::string_view utf8);

// True if a line of text looks like a heading: short, not ending in '.', ',', ';' or ':'
// (a line ending in ':' is the lead-in of a list).
bool LooksLikeHeading(std::string_view line);

}  // namespace citeqa::indexer
