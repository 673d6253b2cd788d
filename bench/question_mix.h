// The benchmark question mix (bench/questions.tsv) and the naive FTS5 baseline query
// the Ask benchmarks compare against: every content word OR-ed, ORDER BY rank.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "indexer/status.h"

namespace citeqa::bench {

struct BenchQuestion {
  std::string id;
  std::string kind;  // common, long, synonym, rare, mixed, typo, negative
  std::string text;
};

// Parses "id<TAB>kind<TAB>question" lines; '#' lines and blank lines are skipped.
// Errors: kNotFound for a missing file, kInvalidArgument naming a malformed line.
Result<std::vector<BenchQuestion>> LoadQuestionMix(const std::string& path);

// The question's words minus stopwords, once each, in byte order: the baselines' query.
// It stays fixed while the retriever's own query plan changes.
std::vector<std::string> NaiveWords(std::string_view question);

// NaiveWords, each quoted, joined by OR: "manager" OR "product". Empty if the question has
// no content words.
std::string NaiveMatchExpression(std::string_view question);

// The value below which `fraction` (0..1) of `samples` fall (nearest rank); 0 if empty.
double Percentile(std::vector<double> samples, double fraction);

}  // namespace citeqa::bench
