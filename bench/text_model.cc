#include "bench/text_model.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "indexer/reader.h"
#include "indexer/text.h"
#include "retriever/analysis/stopwords.h"

namespace citeqa::bench {
namespace {

namespace fs = std::filesystem;

bool IsPlainWord(const std::string& token) {
  if (token.size() < 2) return false;
  return std::all_of(token.begin(), token.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// Word statistics of the seed corpus.
struct SeedStats {
  std::map<std::string, int64_t> content;  // ordered: ties rank alphabetically
  std::map<std::string, int64_t> function;
  std::map<std::pair<std::string, std::string>, int64_t> bigrams;  // content word pairs
  std::vector<int> sentence_lengths;
  int64_t content_tokens = 0;
  int64_t function_tokens = 0;
  int64_t continued = 0;  // content tokens directly followed by a content token
};

void AddSentence(std::string_view sentence, SeedStats* stats) {
  const std::vector<indexer::Token> tokens = indexer::Tokenize(sentence);
  if (tokens.size() < 3) return;
  stats->sentence_lengths.push_back(std::clamp(static_cast<int>(tokens.size()), 4, 40));
  const std::string* previous_content = nullptr;
  for (const indexer::Token& t : tokens) {
    if (!IsPlainWord(t.text) && t.text != "a" && t.text != "i") {
      previous_content = nullptr;
      continue;
    }
    if (retriever::IsStopword(t.text)) {
      ++stats->function[t.text];
      ++stats->function_tokens;
      previous_content = nullptr;
      continue;
    }
    ++stats->content[t.text];
    ++stats->content_tokens;
    if (previous_content != nullptr) {
      ++stats->bigrams[{*previous_content, t.text}];
      ++stats->continued;
    }
    previous_content = &t.text;
  }
}

Result<SeedStats> ReadSeedCorpus(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound("seed corpus folder " + dir);
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && indexer::FormatForPath(entry.path().string())) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());  // directory order is not deterministic
  SeedStats stats;
  for (const fs::path& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    auto doc = indexer::ReadDocument(*indexer::FormatForPath(path.string()), bytes.str());
    if (!doc.ok()) continue;
    for (const indexer::Block& block : doc->blocks) {
      for (const auto& [begin, end] : indexer::SplitSentences(block.text)) {
        AddSentence(std::string_view(block.text)
                        .substr(static_cast<size_t>(begin), static_cast<size_t>(end - begin)),
                    &stats);
      }
    }
  }
  if (stats.sentence_lengths.empty() || stats.content.empty() || stats.function.empty()) {
    return Status::InvalidArgument("seed corpus " + dir + " has no usable sentences");
  }
  return stats;
}

std::vector<std::string> ReadDictionary(const std::string& path) {
  std::vector<std::string> words;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() <= 20 && IsPlainWord(line) && !retriever::IsStopword(line)) {
      words.push_back(line);
    }
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

// Pronounceable made-up words ("brelton", "quaistor"): product names, jargon, surnames.
std::string MadeUpWord(Rng& rng) {
  static const char* const kOnsets[] = {
      "b", "c", "d",  "f",  "g",  "h",  "j",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",  "v",
      "w", "z", "br", "cr", "dr", "fl", "gr", "pl", "pr", "st", "tr", "sh", "ch", "th", "qu", ""};
  static const char* const kVowels[] = {"a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y"};
  static const char* const kCodas[] = {"", "", "", "n", "r", "s", "l", "m", "x", "t", "nd"};
  std::string word;
  const int syllables = rng.Between(2, 3);
  for (int s = 0; s < syllables; ++s) {
    word += kOnsets[rng.Next() % std::size(kOnsets)];
    word += kVowels[rng.Next() % std::size(kVowels)];
    word += kCodas[rng.Next() % std::size(kCodas)];
  }
  return word;
}

}  // namespace

Result<TextModel> TextModel::Build(const TextModelOptions& options) {
  auto seed_stats = ReadSeedCorpus(options.seed_corpus_dir);
  if (!seed_stats.ok()) return seed_stats.status();
  const SeedStats& stats = *seed_stats;
  Rng rng(options.seed ^ 0x5EEDC0DE5EEDC0DEULL);

  std::unordered_set<std::string> anchors;
  for (const AnchorWord& a : kAnchorWords) anchors.insert(a.word);

  // Domain words first, most frequent first; then the dictionary shuffled; then made-up.
  std::vector<std::pair<std::string, int64_t>> by_count(stats.content.begin(), stats.content.end());
  std::stable_sort(by_count.begin(), by_count.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  TextModel model;
  std::unordered_set<std::string> used;
  for (const auto& [word, count] : by_count) {
    if (anchors.count(word) > 0) continue;
    model.content_words_.push_back(word);
    used.insert(word);
  }
  std::vector<std::string> dictionary = ReadDictionary(options.dictionary_path);
  for (size_t i = dictionary.size(); i > 1; --i) {
    std::swap(dictionary[i - 1], dictionary[static_cast<size_t>(rng.Next() % i)]);
  }
  for (const std::string& word : dictionary) {
    if (model.content_words_.size() >= options.vocabulary_size) break;
    if (anchors.count(word) > 0 || !used.insert(word).second) continue;
    model.content_words_.push_back(word);
  }
  while (model.content_words_.size() + anchors.size() < options.vocabulary_size) {
    std::string word = MadeUpWord(rng);
    if (anchors.count(word) > 0 || !used.insert(word).second) continue;
    model.content_words_.push_back(std::move(word));
  }
  for (const AnchorWord& a : kAnchorWords) {
    const size_t at = std::min(a.rank - 1, model.content_words_.size());
    model.content_words_.insert(model.content_words_.begin() + static_cast<std::ptrdiff_t>(at),
                                a.word);
  }
  model.content_zipf_ = WeightedSampler::Zipf(model.content_words_.size(), options.zipf_exponent);

  std::vector<double> weights;
  for (const auto& [word, count] : stats.function) {
    model.function_words_.push_back(word);
    weights.push_back(static_cast<double>(count));
  }
  model.function_sampler_ = WeightedSampler(weights);

  std::unordered_map<std::string, size_t> rank_of;
  for (size_t r = 0; r < model.content_words_.size(); ++r) {
    rank_of.emplace(model.content_words_[r], r);
  }
  model.successors_.resize(model.content_words_.size());
  std::vector<std::vector<double>> successor_weights(model.content_words_.size());
  for (const auto& [pair, count] : stats.bigrams) {
    const auto left = rank_of.find(pair.first);
    const auto right = rank_of.find(pair.second);
    if (left == rank_of.end() || right == rank_of.end()) continue;
    model.successors_[left->second].ranks.push_back(right->second);
    successor_weights[left->second].push_back(static_cast<double>(count));
  }
  for (size_t r = 0; r < model.successors_.size(); ++r) {
    if (!successor_weights[r].empty()) {
      model.successors_[r].sampler = WeightedSampler(successor_weights[r]);
    }
  }

  model.sentence_lengths_ = stats.sentence_lengths;
  const double tokens = static_cast<double>(stats.content_tokens + stats.function_tokens);
  model.function_share_ = static_cast<double>(stats.function_tokens) / tokens;
  model.continue_share_ = static_cast<double>(stats.continued) /
                          static_cast<double>(std::max<int64_t>(stats.content_tokens, 1));
  return model;
}

int64_t TextModel::SampleSuccessor(size_t rank, Rng& rng) const {
  const Successors& s = successors_[rank];
  if (s.ranks.empty()) return -1;
  return static_cast<int64_t>(s.ranks[s.sampler.Sample(rng)]);
}

size_t TextModel::RankOf(const std::string& word) const {
  const auto it = std::find(content_words_.begin(), content_words_.end(), word);
  return it == content_words_.end() ? 0 : static_cast<size_t>(it - content_words_.begin()) + 1;
}

}  // namespace citeqa::bench
