// Cuts a cleaned document into passages a reader can judge on their own: whole sentences,
// headings kept with what they introduce, list items kept with their lead-in line.
#pragma once

#include <string>
#include <vector>

#include "indexer/document.h"

namespace citeqa::indexer {

// A change of the defaults changes the passages of every document: kPipelineVersion
// (corpus_indexer.h) then moves on, so that `citeqa index` cuts unchanged files again.
struct ChunkerOptions {
  int min_words = 30;     // shorter pieces are merged with their neighbours in a section
  int target_words = 80;  // passages close at the first paragraph boundary past this size...
  // ...and a paragraph is cut only beyond this, between sentences (unless one sentence is
  // longer). A paragraph is its author's unit: a question about it is often answered by
  // another of its sentences than the ones naming the question's words, and cutting at
  // 120 words (pipeline-3) put those in different passages.
  int max_words = 200;
  // A lead-in ("Here are some considerations:") and its list are read together: they may
  // run to this size before the list is cut between items.
  int max_list_words = 240;
};

struct Passage {
  std::string heading;  // the section heading the passage belongs to; may be empty
  std::string text;     // starts with the heading line when there is one
  int ordinal = 0;      // position in the document, from 0
};

// Pure function of its input; thread-safe.
std::vector<Passage> ChunkDocument(const ParsedDocument& doc, const ChunkerOptions& options = {});

}  // namespace citeqa::indexer
