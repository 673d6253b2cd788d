// The statistics the corpus generator draws words from: a content vocabulary ranked for a
// Zipf distribution (the seed corpus's domain words first, so "product" and "manager" are
// among the most common; then dictionary words; then made-up words for a long tail), the
// seed corpus's function words and sentence lengths, and its content-word bigrams
// ("product" -> "owner") so domain phrases stay common.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/random.h"
#include "indexer/status.h"

namespace citeqa::bench {

struct TextModelOptions {
  std::string seed_corpus_dir;  // articles (.txt/.md/.html) whose words are the domain
  std::string dictionary_path = "/usr/share/dict/words";  // one word a line; missing: none
  size_t vocabulary_size = 200000;  // content words in all; the rest are made up
  double zipf_exponent = 1.0;
  uint64_t seed = 42;
};

// Words placed at fixed Zipf ranks whatever the seed corpus holds, so that benchmark
// questions can name a word of known rarity (passages containing it grow linearly with the
// corpus; about 3.5 * passages / rank).
struct AnchorWord {
  const char* word;
  size_t rank;  // 1-based
};
inline constexpr AnchorWord kAnchorWords[] = {
    {"glacier", 1000},
    {"saxophone", 10000},
    {"zeppelin", 100000},
    {"origami", 190000},
};

class TextModel {
 public:
  // Errors: kNotFound if the seed corpus folder does not exist, kInvalidArgument if it
  // yields no sentences. Deterministic in its options.
  static Result<TextModel> Build(const TextModelOptions& options);

  // Draws a content word's rank (0-based) from the Zipf distribution. Thread-safe.
  size_t SampleContentRank(Rng& rng) const { return content_zipf_.Sample(rng); }
  const std::string& ContentWord(size_t rank) const { return content_words_[rank]; }
  size_t content_size() const { return content_words_.size(); }

  const std::string& SampleFunctionWord(Rng& rng) const {
    return function_words_[function_sampler_.Sample(rng)];
  }
  // A content word that followed `rank` in the seed corpus, as a rank; or -1 if none.
  int64_t SampleSuccessor(size_t rank, Rng& rng) const;
  int SampleSentenceLength(Rng& rng) const {
    return sentence_lengths_[static_cast<size_t>(rng.Next() % sentence_lengths_.size())];
  }
  // Share of seed tokens that are function words.
  double function_share() const { return function_share_; }
  // Share of seed content words followed by another content word.
  double continue_share() const { return continue_share_; }
  // 1-based rank of `word` in the content vocabulary; 0 if absent.
  size_t RankOf(const std::string& word) const;

 private:
  struct Successors {
    std::vector<size_t> ranks;
    WeightedSampler sampler;
  };

  std::vector<std::string> content_words_;  // by rank
  WeightedSampler content_zipf_;
  std::vector<std::string> function_words_;
  WeightedSampler function_sampler_;
  std::vector<Successors> successors_;  // indexed by rank; empty for most words
  std::vector<int> sentence_lengths_;
  double function_share_ = 0.5;
  double continue_share_ = 0.3;
};

}  // namespace citeqa::bench
