// Boilerplate removal for scraped articles, the same for every input format. Judges blocks
// and sentences by features of the text (code-like, menu-like runs of short lines,
// link lists, lines repeated across documents, generic web chrome such as share bars,
// newsletter prompts and comment forms), not by phrases of particular articles.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "indexer/document.h"

namespace citeqa::indexer {

// Counts, across the documents of one indexing run, how many documents contain each short
// line and each sentence; one that recurs in several documents is site chrome (a menu
// entry, a licence footer, a newsletter prompt).
class RepeatedLineCounter {
 public:
  void AddDocument(const ParsedDocument& doc);
  // For a short line or a sentence (compared case-insensitively).
  int DocumentsContaining(std::string_view line) const;

 private:
  std::unordered_map<std::string, int> documents_by_line_;
};

struct CleanerOptions {
  int repeated_line_min_documents = 3;  // a short line in this many documents is chrome
};

// Removes noise blocks and noise sentences in place; returns how many blocks were dropped.
// `repeated` may be null (no cross-document evidence).
int CleanDocument(ParsedDocument* doc, const RepeatedLineCounter* repeated,
                  const CleanerOptions& options = {});

// Feature tests, exposed for unit tests.
bool IsCodeLike(std::string_view text);
bool IsWebChrome(std::string_view text);  // share/subscribe/cookie/copyright/comment-form
bool IsLinkList(std::string_view text);   // "Title One, Another Title, Third Title, ..."
// Removes embedded calls such as "hbspt.cta.load(1, 'x', {});" from running text.
std::string RemoveInlineCode(std::string_view text);

// A title for a parsed document (call it before cleaning): the longest heading among the
// first blocks, else the first heading, else the first sentence (shortened); empty if there
// is no text.
std::string ChooseTitle(const ParsedDocument& doc);

}  // namespace citeqa::indexer
