// The read API of a citeqa index: the one way the retriever reads the tables the indexer
// owns (candidate passages for a term query, term and phrase statistics, a passage with its
// neighbours, the documents). Each reader holds one read-only connection (and, once
// ranking is given term counts, an in-memory one for FTS5's tokenizer).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/frequency_changes.h"
#include "indexer/index_rows.h"
#include "indexer/passage_ranking.h"
#include "indexer/passage_tokenizer.h"
#include "indexer/ranking_statistics.h"
#include "indexer/sqlite_db.h"
#include "indexer/status.h"

namespace citeqa::indexer {

using Words = std::vector<std::string>;  // lower-case tokens, as indexer::Tokenize makes them

// Passages to fetch: those holding a wording of every group (kAll) or of any group (kAny).
// A group is the alternative wordings of one thing ("po" | "product owner"). Words are
// matched by Porter stem; a wording of several words must occur as a phrase.
struct TermQuery {
  enum class Combine { kAll, kAny };
  std::vector<std::vector<Words>> groups;
  Combine combine = Combine::kAll;
  // Ordered by FTS5's bm25 (headings weigh double), or the first `limit` matches in index
  // order, unscored, for a match too large to score.
  bool ranked = true;
  int limit = 100;
  // What ranking may take from the caller instead of reading it (scores stay bm25()'s):
  // lengths of this index file's passages (a passage they do not hold: FTS5 reads its
  // length), and its term counts, used inside a BeginRead of the version they are of (else
  // FTS5 counts each phrase by walking its postings). Neither: FTS5's own bm25().
  RankingStatistics ranking;
};

// FTS5 MATCH text for a query: every word quoted, so nothing a user typed can be read as
// FTS5 syntax. Empty when the query has no words. Pure.
std::string MatchExpression(const TermQuery& query);

// One distinct wording of a query's group as an FTS5 string literal, with its words (which
// point into the query's groups: the query must outlive it).
struct QuotedWording {
  std::string quoted;
  const Words* words = nullptr;
};
// Each group's distinct wordings in the order MatchExpression names them. Pure.
std::vector<std::vector<QuotedWording>> QuotedWordingsOf(const TermQuery& query);
// The MATCH text of those wordings (QuotedWordingsOf(query)), joined as `query` joins its
// groups. Pure.
std::string MatchExpression(const TermQuery& query,
                            const std::vector<std::vector<QuotedWording>>& wordings);

class IndexReader {
 public:
  // Opens an index read-only and checks its schema. Errors: kNotFound when the file does
  // not exist, kCorruption when it is not a citeqa index this build reads, kIoError.
  static Result<IndexReader> Open(const std::string& path);

  // Every read between BeginRead and EndRead sees one version of the index. EndRead fails
  // (and the reader should be discarded) if the read transaction cannot end.
  Status BeginRead();
  Status EndRead();

  // meta.generation: grows with every indexing run that changed the index. Read once per
  // BeginRead.
  Result<int64_t> Generation();
  // Documents and passages: as the indexer keeps them in meta, or counted in an index that
  // keeps none.
  Result<IndexCounts> Counts();
  // The synonyms file stored by `citeqa index` (Solr format), or "" when none was stored.
  Result<std::string> StoredSynonyms();
  // Passages holding each unstemmed word (as the indexer counted them), and each Porter stem
  // (the indexer's stem_frequency; FTS5's stem_vocab in an index older than version 5).
  Status ForEachWordFrequency(const std::function<void(std::string_view, int64_t)>& visit);
  Status ForEachStemFrequency(const std::function<void(std::string_view, int64_t)>& visit);
  // How many terms those two visit, to size what holds them beforehand (a b-tree count:
  // some 2 ms each at 100,000 passages, where growing the tables instead costs tens). The
  // stems of an index older than version 5 are not counted (FTS5 would walk its index).
  Result<FrequencyRows> CountFrequencyRows();
  // The token of version `generation`'s vocabulary changes (frequency_changes.h), or 0 when
  // the index keeps none for it (an older one, or an index older than version 7).
  Result<int64_t> FrequencyToken(int64_t generation);
  // The vocabulary changes of the versions after `generation` up to the one this read sees,
  // oldest first. Only meaningful when FrequencyToken(generation) is the token of the
  // counts they are applied to.
  // How many changes ForEachFrequencyChange(generation, ...) would visit.
  Result<int64_t> CountFrequencyChanges(int64_t generation);
  Status ForEachFrequencyChange(
      int64_t generation,
      const std::function<void(FrequencyKind, std::string_view, int64_t)>& visit);

  // The passages matching the query, each once: best bm25 first when ranked, else the
  // lowest passage ids (FTS5's order), so that a larger limit only adds rows after them.
  Result<std::vector<PassageRow>> Candidates(const TermQuery& query);
  // Every passage's length for ranking (TermQuery::ranking): those `known` holds (lengths
  // read earlier from this same index file, or null) kept, and only passages added since
  // read, from FTS5's record of lengths. Read afresh instead when `known` cannot be of this
  // file: the length of the highest id it holds that the index still has disagrees (or it
  // holds no id the index still has).
  Result<PassageLengths> ReadPassageLengths(const PassageLengths* known);
  // Passages containing the phrase (stemmed match): counted exactly up to `sample` matches;
  // beyond that, estimated from how far into the passage ids the first `sample` matches
  // reach, as if the phrase were spread evenly over them. Counting every match of a common
  // phrase would walk two long posting lists for a number that only sets a weight.
  Result<int64_t> PhraseFrequency(const Words& phrase, int64_t sample);
  // Whether some passage's text has the two words (as Tokenize spells them) next to each
  // other. Looks at no more than 64 passages in which the words' stems are adjacent.
  Result<bool> BigramExists(std::string_view left, std::string_view right);

  // A passage with up to `context` passages of the same document on each side.
  // kNotFound for an unknown id.
  Result<PassageWithNeighbours> Passage(int64_t passage_id, int context);
  // The passage at `ordinal` in document `doc_id` (from 0), or none.
  Result<std::optional<PassageRow>> PassageAt(int64_t doc_id, int ordinal);
  Result<std::vector<DocumentRow>> Documents();
  // Every passage, in id order, to `visit` (bm25 0), until it returns false; inside
  // BeginRead/EndRead, all of one version. Errors: kIoError / kCorruption reading the index.
  Status ForEachPassage(const std::function<bool(const PassageRow&)>& visit);

  // The first passage of each section (a document's passages under one heading; the text
  // before a document's first heading is a section too), at most `limit` of them: every
  // document's first section before any document's second, documents in file-name order.
  // For drawing example questions from headings and from the sentences that open sections.
  Result<std::vector<PassageRow>> SectionOpenings(int limit);

 private:
  explicit IndexReader(Database db) : db_(std::move(db)) {}
  Status RunReused(std::string_view sql);  // a statement without rows, kept for reuse
  Result<bool> KeepsStemFrequencies();
  // What citeqa_bm25 can be given for `query` (its term counts only when they are of the
  // version this read sees), with each phrase's FTS5 terms (joined by spaces) in `phrases`.
  RankingInput RankingInputFor(const TermQuery& query,
                               const std::vector<std::vector<QuotedWording>>& wordings,
                               std::vector<std::string>* phrases);
  // Whether the highest id `known` holds that this index still has is as long as it holds.
  Result<bool> HoldsTheLastLength(const PassageLengths& known);
  Database db_;
  bool in_read_ = false;
  std::optional<int64_t> read_generation_;     // of the read in progress, once asked
  std::optional<PassageTokenizer> tokenizer_;  // opened by the first query given term counts
  bool tokenizer_failed_ = false;              // then FTS5 counts every phrase
};

}  // namespace citeqa::indexer
