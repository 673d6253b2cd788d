#include "retriever/scoring/wording_overlap.h"

#include <algorithm>
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

double WordingOverlap(const std::vector<StemPair>& pairs, std::span<const std::string> stems,
                      std::span<const uint64_t> stem_hashes) {
  if (pairs.empty()) return 0.0;
  assert(stem_hashes.size() == stems.size());
  size_t found = 0;
  for (const auto& [a, b] : pairs) {
    const uint64_t hash_a = StemHash(a);
    const uint64_t hash_b = StemHash(b);
    for (size_t i = 0; i + 1 < stems.size(); ++i) {
      if (stem_hashes[i] == hash_a && stem_hashes[i + 1] == hash_b && stems[i] == a &&
          stems[i + 1] == b) {
        ++found;
        break;
      }
    }
  }
  return static_cast<double>(found) / static_cast<double>(pairs.size());
}

}  // namespace citeqa::retriever
