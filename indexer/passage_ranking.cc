#include "indexer/passage_ranking.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <new>
#include <vector>

#include "indexer/sqlite_db.h"

namespace citeqa::indexer {
namespace {

// What bm25() works out once per query: the table's average length and each phrase's IDF.
struct QueryStatistics {
  double average_length = 0;
  std::vector<double> idf;
  std::vector<double> frequency;  // per phrase, refilled for each row
};

int CountRow(const Fts5ExtensionApi* /*api*/, Fts5Context* /*fts*/, void* count) {
  ++*static_cast<int64_t*>(count);
  return SQLITE_OK;
}

// Whether `input` describes the phrases of the query being ranked.
bool CountsFitTheQuery(const Fts5ExtensionApi* api, Fts5Context* fts, const RankingInput* input) {
  if (input == nullptr || input->phrase_passages.empty()) return false;
  const auto phrases = static_cast<size_t>(api->xPhraseCount(fts));
  if (input->phrase_terms.size() != phrases || input->phrase_passages.size() != phrases) {
    return false;
  }
  for (size_t i = 0; i < phrases; ++i) {
    if (api->xPhraseSize(fts, static_cast<int>(i)) != input->phrase_terms[i]) return false;
  }
  return true;
}

// As fts5Bm25GetData in SQLite's fts5_aux.c: the same values by the same operations, a
// phrase's count taken from `input` when it has it.
int GetQueryStatistics(const Fts5ExtensionApi* api, Fts5Context* fts, RankingInput* input,
                       QueryStatistics** out) {
  if (auto* kept = static_cast<QueryStatistics*>(api->xGetAuxdata(fts, 0))) {
    *out = kept;
    return SQLITE_OK;
  }
  auto stats = std::make_unique<QueryStatistics>();
  const int phrases = api->xPhraseCount(fts);
  stats->idf.resize(static_cast<size_t>(phrases));
  stats->frequency.resize(static_cast<size_t>(phrases));
  sqlite3_int64 rows = 0;
  sqlite3_int64 tokens = 0;
  int rc = api->xRowCount(fts, &rows);
  if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
  if (rc == SQLITE_OK) {
    stats->average_length = static_cast<double>(tokens) / static_cast<double>(rows);
  }
  const bool given_counts = CountsFitTheQuery(api, fts, input);
  if (given_counts) input->counted.assign(static_cast<size_t>(phrases), -1);
  for (int i = 0; rc == SQLITE_OK && i < phrases; ++i) {
    int64_t hits = given_counts ? input->phrase_passages[static_cast<size_t>(i)] : -1;
    if (hits < 0) {
      hits = 0;
      rc = api->xQueryPhrase(fts, i, &hits, CountRow);
      if (rc == SQLITE_OK && given_counts) input->counted[static_cast<size_t>(i)] = hits;
    }
    if (rc == SQLITE_OK) {
      double idf =
          std::log((static_cast<double>(rows - hits) + 0.5) / (static_cast<double>(hits) + 0.5));
      if (idf <= 0.0) idf = 1e-6;
      stats->idf[static_cast<size_t>(i)] = idf;
    }
  }
  if (rc != SQLITE_OK) return rc;
  QueryStatistics* kept = stats.release();  // xSetAuxdata frees it, also when it fails
  rc = api->xSetAuxdata(fts, kept, [](void* p) { delete static_cast<QueryStatistics*>(p); });
  if (rc == SQLITE_OK) *out = kept;
  return rc;
}

// citeqa_bm25(table, weights..., input): fts5Bm25Function of SQLite's fts5_aux.c, with
// the row's length from the input's lengths when they hold it.
void RankPassage(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* result, int argc,
                 sqlite3_value** argv) {
  constexpr double k1 = 1.2;
  constexpr double b = 0.75;
  if (argc < 1) {
    sqlite3_result_error(result, "citeqa_bm25: the ranking input argument is missing", -1);
    return;
  }
  const int weights = argc - 1;
  auto* input =
      static_cast<RankingInput*>(sqlite3_value_pointer(argv[weights], kRankingInputPointer));
  const PassageLengths* lengths = input != nullptr ? input->lengths : nullptr;
  QueryStatistics* stats = nullptr;
  int rc = SQLITE_OK;
  try {  // no C++ exception may cross back into SQLite's C
    rc = GetQueryStatistics(api, fts, input, &stats);
  } catch (const std::bad_alloc&) {
    rc = SQLITE_NOMEM;
  }
  int instances = 0;
  if (rc == SQLITE_OK) {
    std::fill(stats->frequency.begin(), stats->frequency.end(), 0.0);
    rc = api->xInstCount(fts, &instances);
  }
  for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
    int phrase = 0;
    int column = 0;
    int offset = 0;
    rc = api->xInst(fts, i, &phrase, &column, &offset);
    if (rc == SQLITE_OK) {
      const double w = weights > column ? sqlite3_value_double(argv[column]) : 1.0;
      stats->frequency[static_cast<size_t>(phrase)] += w;
    }
  }
  double length = 0.0;
  if (rc == SQLITE_OK) {
    const uint32_t held =
        lengths != nullptr ? lengths->Of(api->xRowid(fts)) : PassageLengths::kUnknown;
    int tokens = 0;
    if (held != PassageLengths::kUnknown) {
      tokens = static_cast<int>(held);
    } else {
      rc = api->xColumnSize(fts, -1, &tokens);
    }
    length = static_cast<double>(tokens);
  }
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(result, rc);
    return;
  }
  double score = 0.0;
  for (size_t i = 0; i < stats->idf.size(); ++i) {
    const double f = stats->frequency[i];
    score += stats->idf[i] *
             ((f * (k1 + 1.0)) / (f + k1 * (1 - b + b * length / stats->average_length)));
  }
  sqlite3_result_double(result, -1.0 * score);
}

}  // namespace

Status RegisterPassageRanking(sqlite3* db) {
  fts5_api* api = Fts5Api(db);
  if (api == nullptr) return Status::IoError("this SQLite has no FTS5");
  if (api->xCreateFunction(api, "citeqa_bm25", nullptr, RankPassage, nullptr) != SQLITE_OK) {
    return Status::IoError("cannot register citeqa_bm25");
  }
  return Status::Ok();
}

}  // namespace citeqa::indexer
