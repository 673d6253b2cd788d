#include "retriever/index_statistics.h"

#include <algorithm>
#include <chrono>
#include <limits>

#include "retriever/analysis/wordnet.h"
#include "retriever/defaults.h"

namespace citeqa::retriever {
namespace {

constexpr size_t kMaxRememberedCounts = 100000;
// Word statistics updated this many times in a row are read whole instead: the words
// no passage has any more stay in updated ones (counted 0), and would pile up.
constexpr int kMaxVocabularyUpdates = 64;
// Nor are they updated by more changes than half the terms they hold (a copy and as many
// changes would then cost about as much as a read of every term), unless the changes are
// this few.
constexpr int64_t kChangesAlwaysApplied = 10000;

}  // namespace

Result<std::string> ReadWholeFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::NotFound("cannot open " + path);
  std::string text;
  char buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Status::IoError("cannot read " + path);
  return text;
}

Result<std::shared_ptr<const IndexStatistics>> IndexStatistics::Load(
    indexer::IndexReader* index, const std::string& synonyms_path, const IndexStatistics* earlier) {
  const auto started = std::chrono::steady_clock::now();
  auto out = std::make_shared<IndexStatistics>();
  auto generation = index->Generation();
  if (!generation.ok()) return generation.status();
  out->generation = *generation;
  auto counts = index->Counts();
  if (!counts.ok()) return counts.status();
  out->documents = counts->documents;
  // An older token for `earlier`'s version means another copy of the file went its own
  // way since (a restored backup re-indexed): its changes are not those of these counts.
  bool update = false;
  if (earlier != nullptr && earlier->frequency_token != 0 &&
      earlier->generation < out->generation && earlier->vocab.updates < kMaxVocabularyUpdates) {
    auto token = index->FrequencyToken(earlier->generation);
    if (!token.ok()) return token.status();
    update = *token == earlier->frequency_token;
  }
  if (update) {
    auto changes = index->CountFrequencyChanges(earlier->generation);
    if (!changes.ok()) return changes.status();
    const auto terms =
        static_cast<int64_t>(earlier->vocab.word_df.size() + earlier->vocab.stem_df.size());
    update = *changes <= std::max(terms / 2, kChangesAlwaysApplied);
  }
  auto vocab = update
                   ? UpdateVocabulary(earlier->vocab, earlier->generation, index, counts->passages)
                   : LoadVocabulary(index, counts->passages);
  if (!vocab.ok()) return vocab.status();
  out->vocab = std::move(*vocab);
  auto token = index->FrequencyToken(out->generation);
  if (!token.ok()) return token.status();
  out->frequency_token = *token;
  // Lengths carried over hold those of removed passages too: read afresh past twice the
  // passages the index has, they stay within that.
  const bool carried = earlier != nullptr && earlier->passage_lengths.held() <=
                                                 2 * static_cast<size_t>(counts->passages) + 1024;
  auto lengths = index->ReadPassageLengths(carried ? &earlier->passage_lengths : nullptr);
  if (!lengths.ok()) return lengths.status();
  out->passage_lengths = std::move(*lengths);
  if (earlier != nullptr) out->layouts.Inherit(earlier->layouts);
  auto synonyms_text =
      synonyms_path.empty() ? index->StoredSynonyms() : ReadWholeFile(synonyms_path);
  if (!synonyms_text.ok()) return synonyms_text.status();
  auto synonyms = SynonymTable::Parse(*synonyms_text);
  if (synonyms.ok()) {
    out->synonyms = std::move(*synonyms);
  } else {
    out->synonyms_ignored = synonyms.status().ToString();
  }
  out->load_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return std::shared_ptr<const IndexStatistics>(std::move(out));
}

template <typename Count>
std::optional<int64_t> IndexStatistics::Remembered(std::string key, Count count) const {
  {
    std::lock_guard<std::mutex> lock(counts_mutex_);
    if (const auto it = counts_.find(key); it != counts_.end()) return it->second;
  }
  auto value = count();
  if (!value.ok()) return std::nullopt;
  std::lock_guard<std::mutex> lock(counts_mutex_);
  if (counts_.size() >= kMaxRememberedCounts) counts_.clear();
  counts_.emplace(std::move(key), *value);
  return *value;
}

int64_t IndexStatistics::PhraseFrequency(indexer::IndexReader* index, const Phrase& phrase) const {
  std::string key = "phrase:";
  for (const std::string& word : phrase) (key += word) += ' ';
  return Remembered(std::move(key),
                    [&] { return index->PhraseFrequency(phrase, defaults::kPhraseCountSample); })
      .value_or(0);
}

std::optional<bool> IndexStatistics::BigramExists(indexer::IndexReader* index,
                                                  const std::string& left,
                                                  const std::string& right) const {
  const std::optional<int64_t> found =
      Remembered("bigram:" + left + " " + right, [&]() -> Result<int64_t> {
        auto exists = index->BigramExists(left, right);
        if (!exists.ok()) return exists.status();
        return *exists ? 1 : 0;
      });
  if (!found) return std::nullopt;
  return *found > 0;
}

uint64_t IndexStatistics::PassageTokens() const {
  const size_t held = passage_lengths.held();
  if (held == 0) {
    // No length could be read: not known to be small.
    return vocab.passages > 0 ? std::numeric_limits<uint64_t>::max() : 0;
  }
  return static_cast<uint64_t>(static_cast<double>(passage_lengths.tokens()) /
                               static_cast<double>(held) *
                               static_cast<double>(std::max<int64_t>(vocab.passages, 0)));
}

int64_t IndexStatistics::Passages(std::string_view terms) const {
  if (terms.find(' ') == std::string_view::npos) return vocab.StemDf(terms);
  std::lock_guard<std::mutex> lock(counts_mutex_);
  const auto it = counts_.find("fts:" + std::string(terms));
  return it == counts_.end() ? -1 : it->second;
}

void IndexStatistics::Remember(std::string_view terms, int64_t passages) const {
  std::lock_guard<std::mutex> lock(counts_mutex_);
  if (counts_.size() >= kMaxRememberedCounts) counts_.clear();
  counts_.emplace("fts:" + std::string(terms), passages);
}

void IndexStatistics::ForgetCounts() const {
  {
    std::lock_guard<std::mutex> lock(counts_mutex_);
    counts_.clear();
  }
  layouts.Forget();
  corrections.Forget();
}

QuestionContext::QuestionContext(indexer::IndexReader* index, const IndexStatistics& statistics,
                                 const Models& models)
    : corrector_(
          statistics.vocab, EnglishWords(),
          [index, &statistics](const std::string& a, const std::string& b) {
            return statistics.BigramExists(index, a, b);
          },
          &statistics.corrections) {
  context_.index = index;
  context_.analysis.synonyms = &statistics.synonyms;
  context_.analysis.vocab = &statistics.vocab;
  context_.analysis.corrector = &corrector_;
  context_.analysis.wordnet = &SharedWordNet();
  context_.analysis.phrase_frequency = [index, &statistics](const Phrase& phrase) {
    return statistics.PhraseFrequency(index, phrase);
  };
  context_.models = &models;
  context_.limits.passages = statistics.vocab.passages;
  context_.layouts = &statistics.layouts;
  context_.ranking = statistics.Ranking();
}

}  // namespace citeqa::retriever
