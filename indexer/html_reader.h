// Reader for HTML articles (.html/.htm): parses with gumbo, a conforming HTML5 parser, and
// keeps the article's headings, paragraphs, list items and table rows, leaving out page
// chrome by element, ARIA role and the names authors give chrome (see html_chrome.h).
#pragma once

#include <string>
#include <string_view>

#include "indexer/document.h"
#include "indexer/status.h"

namespace citeqa::indexer {

// `utf8` must be valid UTF-8 (encoding.h decodes files). Thread-safe.
//
// Text comes from the <main> element (or role="main") when there is one, narrowed to its
// largest <article> when that holds at least a third of the text; else from the largest
// <article> of the page on the same terms; else from <body>. Left out: <head>, <script>,
// <style>, <noscript>, <template>, <nav>, <aside>, <footer>, page-level <header> (one
// inside an <article> or <main> is the article's own and stays), forms, buttons, embedded
// media, hidden elements (hidden, aria-hidden="true", display:none), landmarks of other
// roles (RoleSaysChrome), permalink markers ("¶"), and elements whose names say chrome
// (NamesSayChrome), unless such a form or named element holds more than half of the text
// (then it is the page's layout wrapper). <pre> blocks are left out, like Markdown code
// fences: they are code or ASCII art, which the cleaner would drop sentence by sentence.
//
// h1-h6 become kHeading with their level; <li> becomes kListItem (the item's own text;
// its nested lists give their own items); a table row becomes one paragraph with its cells
// joined by " | "; other block elements become paragraphs. Inline elements join without
// added spaces (as a browser renders them); one <br> is a space, two in a row end a
// paragraph. Entities are decoded. Blocks are not size-bounded here (reader.cc does that).
//
// Title: the first <h1> in the article root (or in <main>), else <title> without a site
// name suffix (StripTitleSiteSuffix), else the first <h1> of the page, else "".
//
// Errors: kInvalidArgument when the markup leaves more than kMaxUnclosedHtmlElements
// elements unclosed (HTML5 tree building is quadratic in such nesting; no article does it).
Result<ParsedDocument> ReadHtml(std::string_view utf8);

inline constexpr size_t kMaxUnclosedHtmlElements = 4000;

// Removes a trailing site name from a <title>: the part after the last " | " always; the
// part after the last " - ", " – ", " — ", " · ", " :: " or " » " when it has at most five
// words. The rest must stay non-empty. "Pricing | Acme" -> "Pricing".
std::string StripTitleSiteSuffix(std::string_view title);

// An upper bound of how many elements `html` leaves open at the end, counted by a lexical
// scan of start and end tags (skipping comments, <script> and <style> contents) that
// ignores void elements and those HTML closes implicitly (p, li, td, option, a, ...).
size_t CountUnclosedHtmlElements(std::string_view html);

}  // namespace citeqa::indexer
