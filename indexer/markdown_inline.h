// Removes Markdown inline markup from the text of one block, leaving what a reader of the
// rendered page sees: emphasis, code-span backticks, link and image syntax, footnote
// references, inline HTML tags, backslash escapes and entities. Linear in the input (no
// construct rescans text), so one-line multi-megabyte files stay cheap. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

namespace citeqa::indexer {

// Markdown link reference labels, normalised by NormalizeLinkLabel.
using LinkLabels = std::unordered_set<std::string>;

// Lower-cased, white space collapsed: the form in which labels are compared.
std::string NormalizeLinkLabel(std::string_view label);

// Returns the visible text of `markdown` (one block, its lines already joined):
//   *em*, **strong**, _em_, ~~strike~~ -> their text (CommonMark flanking rules; snake_case
//   and "2 * 3" stay); `code` -> code; [text](url "t"), [text][ref], [text][] -> text;
//   [text] -> text only if `labels` defines it ("[sic]" stays); ![alt](src) and ![alt][ref]
//   -> nothing; [^1] -> nothing; <b>, </span>, <!-- c --> -> nothing; <br> -> a space;
//   <https://x.org> -> https://x.org; \* -> *; &amp; &#8212; &eacute;... -> characters.
// White space is not collapsed.
std::string StripInlineMarkdown(std::string_view markdown, const LinkLabels& labels);

// Decodes the HTML character reference starting at `text[0]` ('&'): appends the character
// to `out` and returns the reference's length, or returns 0 (not a known reference).
size_t DecodeCharacterReference(std::string_view text, std::string* out);

}  // namespace citeqa::indexer
