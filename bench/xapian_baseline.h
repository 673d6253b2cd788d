// The Xapian baseline of the Ask benchmarks (issue 14: "ask p50 at 100k vs Xapian BM25 on
// the same passages"): every passage of a citeqa index in a Xapian database on disk (Glass,
// what a Xapian deployment runs, in a temporary folder removed afterwards), searched with
// BM25 for the naive query's words, OR-ed, top 10. Passages and questions are cut into words
// by citeqa's own tokenizer (as its FTS5 table is: no accents, parted at punctuation) and
// stemmed by Xapian's English stemmer, so that both sides share one vocabulary; no word
// positions are kept (an OR query needs none). What a search library built for ranking
// costs per question, measured in the same process as `Ask`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

#include "indexer/sqlite_db.h"
#include "indexer/status.h"

namespace citeqa::bench {

class XapianBaseline {
 public:
  // Indexes every row of the passages table of `db` (heading and text) into a new database
  // in a temporary folder. Errors: those of reading `db`; kIoError with Xapian's message,
  // or the C++ exception's, when building fails.
  static Result<std::unique_ptr<XapianBaseline>> Build(indexer::Database* db);
  // Removes the database's folder.
  ~XapianBaseline();
  XapianBaseline(const XapianBaseline&) = delete;
  XapianBaseline& operator=(const XapianBaseline&) = delete;

  // Searches the best `limit` passages for `question`'s content words (NaiveWords), each
  // stem once; returns how many it found, or -1 when Xapian failed.
  int64_t Search(std::string_view question, int64_t limit) const;
  int64_t passages() const { return passages_; }

 private:
  struct State;
  XapianBaseline(std::unique_ptr<State> state, int64_t passages);
  std::unique_ptr<State> state_;
  int64_t passages_ = 0;
};

}  // namespace citeqa::bench
