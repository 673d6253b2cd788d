#include "retriever/scoring/wording_overlap.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>

#include "retriever/analysis/stopwords.h"
#include "retriever/scoring/concept_matcher.h"

namespace citeqa::retriever {

std::vector<StemPair> WordingPairs(const AnalyzedQuestion& question) {
  const auto tokens = indexer::Tokenize(question.text);
  std::vector<bool> framing(tokens.size(), false);
  for (const Concept& c : question.concepts) {
    if (!c.frame || c.first_token < 0) continue;
    for (int t = c.first_token; t <= c.last_token && t < static_cast<int>(tokens.size()); ++t) {
      framing[static_cast<size_t>(t)] = true;
    }
  }
  std::vector<StemPair> pairs;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (framing[i] || framing[i + 1]) continue;
    const std::string& a = tokens[i].text;
    const std::string& b = tokens[i + 1].text;
    const bool a_content = !IsStopword(a);
    const bool b_content = !IsStopword(b);
    if (!a_content && !b_content) continue;
    if ((!a_content && !IsPreposition(a)) || (!b_content && !IsPreposition(b))) continue;
    StemPair pair{indexer::Stem(a), indexer::Stem(b)};
    if (std::find(pairs.begin(), pairs.end(), pair) == pairs.end())
      pairs.push_back(std::move(pair));
  }
  return pairs;
}

double WordingOverlap(const std::vector<StemPair>& pairs, std::span<const indexer::Token> tokens) {
  if (pairs.empty()) return 0.0;
  std::vector<std::string> stems;
  std::vector<uint64_t> hashes;
  stems.reserve(tokens.size());
  hashes.reserve(tokens.size());
  for (const indexer::Token& t : tokens) {
    stems.push_back(indexer::Stem(t.text));
    hashes.push_back(StemHash(stems.back()));
  }
  return WordingOverlap(pairs, std::span<const std::string>(stems), hashes);
}

namespace {

// How many of `pairs` (at most 64) occur in the text, in one pass over it: a position is
// looked at further only when the low six bits of its hash are those of some pair's first
// stem, which few positions' are. (A pass per pair read every position once per pair.)
size_t PairsFoundInOnePass(std::span<const StemPair> pairs, std::span<const std::string> stems,
                           std::span<const uint64_t> stem_hashes) {
  constexpr size_t kMaxPairs = 64;  // one bit each
  assert(pairs.size() <= kMaxPairs);
  std::array<uint64_t, kMaxPairs> hash_a{};
  std::array<uint64_t, kMaxPairs> hash_b{};
  uint64_t first_bits = 0;
  for (size_t p = 0; p < pairs.size(); ++p) {
    hash_a[p] = StemHash(pairs[p].first);
    hash_b[p] = StemHash(pairs[p].second);
    first_bits |= uint64_t{1} << (hash_a[p] & 63);
  }
  uint64_t unfound = pairs.size() == kMaxPairs ? ~uint64_t{0} : (uint64_t{1} << pairs.size()) - 1;
  size_t found = 0;
  for (size_t i = 0; i + 1 < stems.size() && unfound != 0; ++i) {
    if (((first_bits >> (stem_hashes[i] & 63)) & 1) == 0) continue;
    for (uint64_t left = unfound; left != 0; left &= left - 1) {
      const auto p = static_cast<size_t>(std::countr_zero(left));
      if (stem_hashes[i] == hash_a[p] && stem_hashes[i + 1] == hash_b[p] &&
          stems[i] == pairs[p].first && stems[i + 1] == pairs[p].second) {
        unfound &= ~(uint64_t{1} << p);
        ++found;
      }
    }
  }
  return found;
}

}  // namespace

double WordingOverlap(const std::vector<StemPair>& pairs, std::span<const std::string> stems,
                      std::span<const uint64_t> stem_hashes) {
  if (pairs.empty()) return 0.0;
  assert(stem_hashes.size() == stems.size());
  constexpr size_t kPairsAPass = 64;
  size_t found = 0;
  for (size_t from = 0; from < pairs.size(); from += kPairsAPass) {
    const size_t count = std::min(kPairsAPass, pairs.size() - from);
    found += PairsFoundInOnePass(std::span(pairs).subspan(from, count), stems, stem_hashes);
  }
  return static_cast<double>(found) / static_cast<double>(pairs.size());
}

}  // namespace citeqa::retriever
