// What the pipeline needs of one version (generation) of the index besides its rows: the
// word statistics, the synonyms, and the phrase counts and word-pair checks made so far; and
// the PipelineContext of one question over it. The engine keeps one IndexStatistics per
// generation; the benchmarks and fuzzers build theirs the same way.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "indexer/index_reader.h"
#include "indexer/status.h"
#include "retriever/analysis/synonyms.h"
#include "retriever/analysis/typo_corrector.h"
#include "retriever/defaults.h"
#include "retriever/models.h"
#include "retriever/pipeline.h"
#include "retriever/scoring/passage_layout.h"
#include "retriever/vocabulary.h"

namespace citeqa::retriever {

class IndexStatistics final : public indexer::TermCounts {
 public:
  // Reads the statistics of the index version `index` sees (inside its read transaction).
  // The synonyms come from `synonyms_path` when it is not empty, else from the index; a
  // broken synonyms text is left out (answers still work, a little less well), and why is
  // in synonyms_ignored for the caller to report. `earlier` (may be null) are statistics of an
  // earlier version of the same index file: the passage lengths they hold are kept, not read
  // again, their word statistics are updated rather than read whole when the index keeps
  // the changes since (UpdateVocabulary), and the passage layouts they keep are taken over
  // (PassageLayouts::Inherit).
  // Errors: kIoError / kCorruption reading the index, kNotFound for a missing synonyms file.
  static Result<std::shared_ptr<const IndexStatistics>> Load(indexer::IndexReader* index,
                                                             const std::string& synonyms_path,
                                                             const IndexStatistics* earlier);

  int64_t generation = -1;
  // The token of this version's vocabulary changes in the index (IndexReader::
  // FrequencyToken; 0 when it keeps none): a later version's statistics may be these
  // updated (UpdateVocabulary) while the index still holds this token for this version.
  int64_t frequency_token = 0;
  int64_t documents = 0;  // (vocab.passages counts the passages)
  double load_seconds = 0;  // how long Load took to build these (read whole or updated)
  Vocabulary vocab;
  SynonymTable synonyms;
  std::string synonyms_ignored;  // why the synonyms text was left out; empty when it was not
  // Every passage's length, to rank with (with the term counts below: RankingStatistics).
  indexer::PassageLengths passage_lengths;
  // Passages laid out and typos corrected by earlier questions of this version. Thread-safe.
  mutable PassageLayouts layouts{defaults::kKeptLayoutTokens};
  mutable CorrectionMemo corrections;

  // A phrase's passage count (exact up to defaults::kPhraseCountSample) and whether two
  // words stand side by side somewhere, remembered for later questions: questions repeat
  // their phrases, and each count walks posting lists. Failed lookups are not remembered:
  // a count is then 0, a pair nullopt. Thread-safe.
  int64_t PhraseFrequency(indexer::IndexReader* index, const Phrase& phrase) const;
  std::optional<bool> BigramExists(indexer::IndexReader* index, const std::string& left,
                                   const std::string& right) const;
  // indexer::TermCounts, for ranking: a term's count from vocab, a phrase's as FTS5 counted
  // it ranking an earlier question's candidates. Thread-safe.
  int64_t version() const override { return generation; }
  int64_t Passages(std::string_view terms) const override;
  void Remember(std::string_view terms, int64_t passages) const override;
  // About how many tokens this version's passages hold: the mean of the lengths held (which
  // may include removed passages', see Load) times the passages this version has; the
  // largest value when it has passages but no length could be read.
  uint64_t PassageTokens() const;
  // What ranking takes from these statistics.
  indexer::RankingStatistics Ranking() const { return {&passage_lengths, this}; }
  // Forgets what was remembered, passage layouts and corrections included: benchmarks
  // measure a question's first-time cost.
  void ForgetCounts() const;

 private:
  template <typename Count>
  std::optional<int64_t> Remembered(std::string key, Count count) const;
  mutable std::mutex counts_mutex_;
  mutable std::unordered_map<std::string, int64_t> counts_;  // emptied when full
};

// Reads a whole file. Errors: kNotFound naming the file.
Result<std::string> ReadWholeFile(const std::string& path);

// The PipelineContext of one question: analysis over `statistics` (typo correction with
// its word-pair checks, phrase counts) reading `index`, the models, and the plan's limits
// for the index's size. Everything passed must outlive it; not copyable (the context points
// into it).
class QuestionContext {
 public:
  QuestionContext(indexer::IndexReader* index, const IndexStatistics& statistics,
                  const Models& models);
  QuestionContext(const QuestionContext&) = delete;
  QuestionContext& operator=(const QuestionContext&) = delete;

  const PipelineContext& get() const { return context_; }
  PipelineContext* mutable_context() { return &context_; }  // e.g. to change the limits

 private:
  TypoCorrector corrector_;
  PipelineContext context_;
};

}  // namespace citeqa::retriever
