#include "retriever/concept_matcher.h"

#include <algorithm>

#include "indexer/text.h"
#include "retriever/stem_prefilter.h"

namespace citeqa::retriever {
namespace {

// True if `stems` occurs in `text_stems` starting at `pos`.
bool PhraseAt(const std::vector<std::string>& text_stems, size_t pos, const Phrase& stems) {
  if (pos + stems.size() > text_stems.size()) return false;
  for (size_t k = 0; k < stems.size(); ++k) {
    if (text_stems[pos + k] != stems[k]) return false;
  }
  return true;
}

}  // namespace

TextMatch MatchConcepts(std::string_view text, const std::vector<Concept>& concepts) {
  return MatchConcepts(indexer::Tokenize(text), concepts);
}

TextMatch MatchConcepts(const std::vector<indexer::Token>& tokens,
                        const std::vector<Concept>& concepts) {
  // Words that cannot stem to any of the question's stems stay empty: never equal to one.
  StemPrefilter prefilter;
  for (const Concept& c : concepts) {
    for (const Phrase& alt : c.stems) {
      for (const std::string& s : alt) prefilter.Add(s);
    }
    for (const Phrase& rel : c.related_stems) {
      for (const std::string& s : rel) prefilter.Add(s);
    }
  }
  prefilter.Seal();
  std::vector<std::string> stems(tokens.size());
  std::vector<size_t> live;  // positions of the words that were stemmed: the only ones to try
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!prefilter.MayMatch(tokens[i].text)) continue;
    stems[i] = indexer::Stem(tokens[i].text);
    live.push_back(i);
  }

  // A word inside another concept's longer phrase ("product" in "product owner") stands for
  // that phrase, not also for a shorter concept ("products"): longest match first.
  // (Left empty, and never consulted, when no phrase of the question occurs here.)
  std::vector<std::pair<size_t, size_t>> claimed;
  for (size_t c = 0; c < concepts.size(); ++c) {
    for (const Phrase& alt : concepts[c].stems) {
      if (alt.size() < 2) continue;
      for (size_t pos : live) {
        if (!PhraseAt(stems, pos, alt)) continue;
        if (claimed.empty()) claimed.assign(tokens.size(), {0, concepts.size()});
        for (size_t k = 0; k < alt.size(); ++k) {
          if (claimed[pos + k].first < alt.size()) claimed[pos + k] = {alt.size(), c};
        }
      }
    }
  }
  auto free_for = [&](size_t c, size_t pos, size_t length) {
    if (claimed.empty()) return true;
    for (size_t k = 0; k < length; ++k) {
      if (claimed[pos + k].first > length && claimed[pos + k].second != c) return false;
    }
    return true;
  };

  TextMatch match;
  match.concept_match.assign(concepts.size(), 0.0);
  match.concept_count.assign(concepts.size(), 0);
  match.first_position.assign(concepts.size(), -1);
  match.words = static_cast<int>(tokens.size());
  std::vector<bool> highlighted(tokens.size(), false);
  for (size_t c = 0; c < concepts.size(); ++c) {
    for (const Phrase& alt : concepts[c].stems) {
      if (alt.empty()) continue;
      for (size_t pos : live) {
        if (!PhraseAt(stems, pos, alt) || !free_for(c, pos, alt.size())) continue;
        match.concept_match[c] = 1.0;
        ++match.concept_count[c];
        if (match.first_position[c] < 0 || static_cast<int>(pos) < match.first_position[c]) {
          match.first_position[c] = static_cast<int>(pos);
        }
        for (size_t k = 0; k < alt.size(); ++k) highlighted[pos + k] = true;
      }
      if (match.concept_match[c] < 1.0 && alt.size() > 1) {
        const bool all_present = std::all_of(alt.begin(), alt.end(), [&](const std::string& s) {
          return std::any_of(live.begin(), live.end(),
                             [&](size_t pos) { return stems[pos] == s && free_for(c, pos, 1); });
        });
        if (all_present) match.concept_match[c] = std::max(match.concept_match[c], 0.5);
      }
    }
    // Another wording of the same sense counts for part of the concept.
    if (match.concept_match[c] < kRelatedCredit) {
      for (const Phrase& rel : concepts[c].related_stems) {
        if (rel.empty()) continue;
        for (size_t pos : live) {
          if (!PhraseAt(stems, pos, rel) || !free_for(c, pos, rel.size())) continue;
          match.concept_match[c] = kRelatedCredit;
          if (match.first_position[c] < 0) match.first_position[c] = static_cast<int>(pos);
          break;
        }
        if (match.concept_match[c] >= kRelatedCredit) break;
      }
    }
  }
  // Adjacent concepts of the question ("average" "salary") found side by side.
  for (size_t c = 0; c + 1 < concepts.size(); ++c) {
    const Concept& a = concepts[c];
    const Concept& b = concepts[c + 1];
    if (a.carried || b.carried || b.first_token != a.last_token + 1) continue;
    const std::string& last_of_a = a.stems.front().back();
    const std::string& first_of_b = b.stems.front().front();
    for (size_t pos : live) {
      if (pos + 1 < stems.size() && stems[pos] == last_of_a && stems[pos + 1] == first_of_b) {
        ++match.adjacent_pairs;
        break;
      }
    }
  }
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (highlighted[i]) match.highlights.emplace_back(tokens[i].begin, tokens[i].end);
  }
  return match;
}

double WeightedCoverage(const TextMatch& match, const std::vector<Concept>& concepts) {
  double total = 0;
  double covered = 0;
  for (size_t c = 0; c < concepts.size(); ++c) {
    total += concepts[c].weight;
    covered += concepts[c].weight * match.concept_match[c];
  }
  return total > 0 ? covered / total : 0.0;
}

}  // namespace citeqa::retriever
