// The rows the index's read API returns (indexer/index_reader.h): plain values, without
// SQLite, so that layers that must not see SQLite (server/) can hold them too.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace citeqa::indexer {

struct PassageRow {
  int64_t passage_id = 0;
  int64_t doc_id = 0;
  int ordinal = 0;     // position of the passage in its document, from 0
  std::string doc;     // file name of the document
  std::string title;
  std::string heading;  // the section heading, may be empty; also the text's first line
  std::string text;
  double bm25 = 0;     // FTS5 bm25 of a ranked query (more negative is better), else 0
};

struct PassageWithNeighbours {
  PassageRow passage;
  std::vector<std::string> before;  // texts of the passages before it in its document, in order
  std::vector<std::string> after;
};

struct DocumentRow {
  int64_t id = 0;
  std::string file;
  std::string title;
  int passages = 0;
  int64_t bytes = 0;
  std::string indexed_at;  // ISO 8601 UTC
};

struct IndexCounts {
  int64_t documents = 0;
  int64_t passages = 0;
};

// How many rows the word and stem frequency tables have (0: not counted).
struct FrequencyRows {
  int64_t words = 0;
  int64_t stems = 0;
};

}  // namespace citeqa::indexer
