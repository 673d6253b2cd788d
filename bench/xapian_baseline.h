// The Xapian baseline of the Ask benchmarks (issue 14: "ask p50 at 100k vs Xapian BM25 on
// the same passages"): every passage of a citeqa index (heading and text, as FTS5 indexes
// them) in an in-memory Xapian database, searched with BM25 for the naive query's words,
// each stemmed as Xapian's English stemmer does, OR-ed, top 10. What a search library
// built for ranking costs per question, measured in the same process as `Ask`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "indexer/sqlite_db.h"
#include "indexer/status.h"

namespace citeqa::bench {

class XapianBaseline {
 public:
  // Indexes every row of the passages table of `db`. Errors: those of reading it, and
  // Xapian's (kIoError with its message).
  static Result<std::unique_ptr<XapianBaseline>> Build(indexer::Database* db);
  ~XapianBaseline();
  XapianBaseline(const XapianBaseline&) = delete;
  XapianBaseline& operator=(const XapianBaseline&) = delete;

  // The ids of the best `limit` passages for `question`'s content words (NaiveWords),
  // returned as how many there were; -1 on an error.
  int64_t Search(std::string_view question, int64_t limit) const;
  int64_t passages() const { return passages_; }

 private:
  struct State;
  explicit XapianBaseline(std::unique_ptr<State> state, int64_t passages);
  std::unique_ptr<State> state_;
  int64_t passages_ = 0;
};

}  // namespace citeqa::bench
