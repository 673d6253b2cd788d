// Boilerplate removal for scraped articles, the same for every input format. Judges blocks
// and sentences by features of the text (code-like, menu-like runs of short lines,
// link lists, lines repeated across documents, generic web chrome such as share bars,
// newsletter prompts and comment forms), not by phrases of particular articles.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/document.h"

namespace citeqa::indexer {

// Counts, across the documents of one indexing run, how many documents contain each short
// line and each sentence; one that recurs in several documents is site chrome (a menu
// entry, a licence footer, a newsletter prompt).
// Lines are kept as 128-bit hashes of their ASCII-lower-cased bytes, not as text: a
// million-passage corpus has tens of millions of them.
class RepeatedLineCounter {
 public:
  void AddDocument(const ParsedDocument& doc);
  // Adds the counts of `other` (documents counted there must not be counted here too):
  // counting disjoint parts of a corpus on several threads and merging gives the counts of
  // the whole.
  void Merge(const RepeatedLineCounter& other);
  // For a short line or a sentence (compared case-insensitively).
  int DocumentsContaining(std::string_view line) const;

  struct LineKey {
    uint64_t high = 0;
    uint64_t low = 0;
    friend bool operator==(const LineKey&, const LineKey&) = default;
    friend auto operator<=>(const LineKey&, const LineKey&) = default;
  };
  static LineKey KeyOf(std::string_view line);
  // The keys AddDocument counts for `doc`, sorted and unique; AddKeys(KeysOf(doc)) is
  // AddDocument(doc). An index stores them so that unchanged documents need not be parsed
  // again to be counted (a change to KeyOf must change the indexer's pipeline version).
  static std::vector<LineKey> KeysOf(const ParsedDocument& doc);
  void AddKeys(const std::vector<LineKey>& keys);

  // Every key CleanDocument may look up while cleaning `doc`: each block's text and each
  // sentence of each block, with and without inline code (a superset of KeysOf), sorted
  // and unique.
  static std::vector<LineKey> QueryKeysOf(const ParsedDocument& doc);
  // From now on counts only `keys` (sorted and unique; QueryKeysOf of the documents to be
  // cleaned): a re-index of a few changed documents then counts a large corpus's lines
  // into a table of a few thousand entries instead of one of every line. Lookups of other
  // keys return 0. Counts made before are kept.
  void CountOnly(std::vector<LineKey> keys);

 private:
  // Open addressing on the keys themselves (already uniformly distributed): a large
  // corpus has tens of millions of lines, and std::unordered_map's nodes cost a cache
  // miss each.
  struct Slot {
    LineKey key;
    int documents = 0;  // 0: empty slot
  };
  int& CountOf(const LineKey& key);  // inserts a zero count if missing
  void Grow();

  std::vector<Slot> slots_;
  size_t used_ = 0;
  bool counts_all_ = true;
  std::vector<LineKey> counted_;  // when !counts_all_: the only keys counted, sorted
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
