// The format-neutral shape every reader produces and the cleaner and chunker consume.
#pragma once

#include <string>
#include <vector>

namespace citeqa::indexer {

enum class BlockKind {
  kHeading,    // a section heading; introduces the blocks after it
  kParagraph,  // running text, one or more sentences
  kListItem,   // one item of a bulleted or numbered list
};

struct Block {
  BlockKind kind = BlockKind::kParagraph;
  std::string text;  // valid UTF-8, white space collapsed, no markup
  int level = 0;     // heading level (1 = top) for kHeading; 0 otherwise
};

struct ParsedDocument {
  std::string title;  // may be empty: the indexer then derives one from the file name
  std::vector<Block> blocks;
};

}  // namespace citeqa::indexer
