// Reader for Markdown articles (.md/.markdown): CommonMark/GFM block structure (headings,
// lists, paragraphs, block quotes, tables) turned into blocks, with markup removed from the
// text (markdown_inline.h). One pass over the lines; linear in the input.
#pragma once

#include <string_view>

#include "indexer/document.h"

namespace citeqa::indexer {

// `utf8` must be valid UTF-8 with "\n" line ends (encoding.h decodes files). Thread-safe.
//
// - ATX ("## Title ##", "# Title {#id}") and setext (=== / --- underlined) headings become
//   kHeading with their level.
// - Bullet ("-", "*", "+") and numbered ("1.", "2)") list items, nested or not, become
//   kListItem, with task-list boxes ("[ ] ", "[x] ") removed; lines that continue an item
//   join it; a paragraph indented under an item after a blank line is a kParagraph.
// - Paragraph lines are joined with spaces; block quotes become paragraphs (their
//   headings and list items too); a GFM table row becomes a paragraph with its cells
//   joined by " | " (the delimiter row is dropped).
// - Dropped: fenced code blocks (``` and ~~~, unclosed ones to the end), indented code
//   blocks, thematic breaks, link reference definitions, HTML comments and <script>,
//   <style> and <pre> blocks.
// - Front matter ("---" YAML or "+++" TOML at the very start, closed by the same line) is
//   dropped; its `title` becomes the document title. Without one, the first level-1
//   heading is the title; else the title is empty (the indexer then chooses one).
ParsedDocument ReadMarkdown(std::string_view utf8);

}  // namespace citeqa::indexer
