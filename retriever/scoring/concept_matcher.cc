#include "retriever/scoring/concept_matcher.h"

#include <algorithm>

#include "indexer/text.h"
#include "retriever/defaults.h"

namespace citeqa::retriever {
namespace {

// True if `phrase` occurs in `ids` starting at `pos`.
bool PhraseAt(std::span<const int> ids, size_t pos, const std::vector<int>& phrase) {
  if (pos + phrase.size() > ids.size()) return false;
  for (size_t k = 0; k < phrase.size(); ++k) {
    if (ids[pos + k] != phrase[k]) return false;
  }
  return true;
}

// A stem id as one bit of a set of ids; ids from 63 on share the last bit, so that the set
// may say "perhaps" wrongly but never "no".
uint64_t IdBit(int id) { return uint64_t{1} << std::min(id, 63); }

// Where each stem id occurs in a text: positions grouped by id (a counting sort), so that
// a wording is tried only where its first word stands. Its storage is the matcher's, kept
// between texts: a passage's sentences are matched one after another, and allocating
// afresh for each was a third of matching them.
class Occurrences {
 public:
  Occurrences(std::span<const int> ids, size_t distinct, ConceptMatcher::Scratch* scratch)
      : start_(scratch->occurrence_start), positions_(scratch->occurrence_positions) {
    start_.assign(distinct + 1, 0);
    for (int id : ids) {
      if (id >= 0) ++start_[static_cast<size_t>(id) + 1];
    }
    for (size_t i = 1; i < start_.size(); ++i) start_[i] += start_[i - 1];
    positions_.resize(start_.back());
    std::vector<uint32_t>& next = scratch->occurrence_next;
    next.assign(start_.begin(), start_.end() - 1);
    for (size_t pos = 0; pos < ids.size(); ++pos) {
      if (ids[pos] >= 0) positions_[next[static_cast<size_t>(ids[pos])]++] = pos;
    }
  }

  // Positions of `id`, in text order; none for -1.
  std::pair<const size_t*, const size_t*> Of(int id) const {
    if (id < 0) return {nullptr, nullptr};
    const size_t* base = positions_.data();
    return {base + start_[static_cast<size_t>(id)], base + start_[static_cast<size_t>(id) + 1]};
  }

 private:
  std::vector<uint32_t>& start_;
  std::vector<size_t>& positions_;
};

}  // namespace

ConceptMatcher::ConceptMatcher(const std::vector<Concept>& concepts) : concepts_(concepts) {
  auto number = [this](const std::vector<Phrase>& phrases) {
    std::vector<IdPhrase> out;
    for (const Phrase& phrase : phrases) {
      IdPhrase ids;
      for (const std::string& stem : phrase) {
        const auto [it, fresh] = stem_ids_.try_emplace(stem, static_cast<int>(stem_ids_.size()));
        if (fresh) prefilter_.Add(stem);
        ids.push_back(it->second);
      }
      out.push_back(std::move(ids));
    }
    return out;
  };
  for (const Concept& c : concepts) {
    wordings_.push_back(number(c.stems));
    related_.push_back(number(c.related_stems));
    uint64_t bits = 0;
    for (const auto* phrases : {&wordings_.back(), &related_.back()}) {
      for (const IdPhrase& phrase : *phrases) {
        for (const int id : phrase) bits |= IdBit(id);
      }
    }
    concept_bits_.push_back(bits);
    const IdPhrase* own = wordings_.back().empty() ? nullptr : &wordings_.back().front();
    ends_.emplace_back(own == nullptr || own->empty() ? -1 : own->back(),
                       own == nullptr || own->empty() ? -1 : own->front());
  }
  prefilter_.Seal();

  size_t slots = 16;
  while (slots < 2 * stem_ids_.size()) slots *= 2;
  stem_slots_.assign(slots, {0, -1});
  stem_of_id_.assign(stem_ids_.size(), nullptr);
  for (const auto& [stem, id] : stem_ids_) {
    stem_of_id_[static_cast<size_t>(id)] = &stem;
    const uint64_t hash = StemHash(stem);
    size_t slot = hash & (slots - 1);
    while (stem_slots_[slot].second >= 0) slot = (slot + 1) & (slots - 1);
    stem_slots_[slot] = {hash, id};
  }
}

int ConceptMatcher::IdOf(const std::string& stem) const {
  const auto it = stem_ids_.find(stem);
  return it == stem_ids_.end() ? -1 : it->second;
}

int ConceptMatcher::WordId(const std::string& word) const {
  const auto [it, fresh] = word_ids_.try_emplace(word, -1);
  if (fresh) it->second = IdOf(indexer::Stem(word));
  return it->second;
}

TextMatch ConceptMatcher::Match(std::string_view text) const {
  return Match(indexer::Tokenize(text));
}

TextMatch ConceptMatcher::Match(std::span<const indexer::Token> tokens) const {
  const std::vector<int> ids = StemIds(tokens);
  return MatchIds(tokens, ids);
}

std::vector<int> ConceptMatcher::StemIds(std::span<const indexer::Token> tokens) const {
  // Words that cannot stem to any of the question's stems are never stemmed: id -1.
  std::vector<int> ids(tokens.size(), -1);
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (prefilter_.MayMatch(tokens[i].text)) ids[i] = WordId(tokens[i].text);
  }
  return ids;
}

std::vector<int> ConceptMatcher::StemIds(std::span<const std::string> stems,
                                         std::span<const uint64_t> stem_hashes) const {
  std::vector<int> ids(stems.size(), -1);
  const size_t mask = stem_slots_.size() - 1;
  for (size_t i = 0; i < stems.size(); ++i) {
    const uint64_t hash = stem_hashes[i];
    for (size_t slot = hash & mask; stem_slots_[slot].second >= 0; slot = (slot + 1) & mask) {
      const auto [slot_hash, id] = stem_slots_[slot];
      if (slot_hash == hash && *stem_of_id_[static_cast<size_t>(id)] == stems[i]) {
        ids[i] = id;
        break;
      }
    }
  }
  return ids;
}

TextMatch ConceptMatcher::MatchIds(std::span<const indexer::Token> tokens,
                                   std::span<const int> ids) const {
  TextMatch match;
  match.concept_match.assign(concepts_.size(), 0.0);
  match.concept_count.assign(concepts_.size(), 0);
  match.first_position.assign(concepts_.size(), -1);
  match.words = static_cast<int>(tokens.size());
  // The question's stems this text holds. A text without any (most sentences) matches
  // nothing; a concept none of whose stems it holds (most concepts) is not looked for.
  uint64_t present = 0;
  for (const int id : ids) {
    if (id >= 0) present |= IdBit(id);
  }
  if (present == 0) return match;
  auto absent = [&](size_t c) { return (present & concept_bits_[c]) == 0; };

  const Occurrences at(ids, stem_ids_.size(), &scratch_);

  // A word inside another concept's longer phrase ("product" in "product owner") stands for
  // that phrase, not also for a shorter concept ("products"): longest match first.
  // (Left empty, and never consulted, when no phrase of the question occurs here.)
  std::vector<std::pair<size_t, size_t>>& claimed = scratch_.claimed;
  claimed.clear();
  for (size_t c = 0; c < concepts_.size(); ++c) {
    if (absent(c)) continue;
    for (const IdPhrase& alt : wordings_[c]) {
      if (alt.size() < 2) continue;
      for (auto [pos, end] = at.Of(alt.front()); pos != end; ++pos) {
        if (!PhraseAt(ids, *pos, alt)) continue;
        if (claimed.empty()) claimed.assign(tokens.size(), {0, concepts_.size()});
        for (size_t k = 0; k < alt.size(); ++k) {
          if (claimed[*pos + k].first < alt.size()) claimed[*pos + k] = {alt.size(), c};
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

  // The matched words' positions, then put in text order once: far fewer than the words.
  std::vector<uint32_t>& highlighted = scratch_.highlighted;
  highlighted.clear();
  for (size_t c = 0; c < concepts_.size(); ++c) {
    if (absent(c)) continue;
    for (const IdPhrase& alt : wordings_[c]) {
      if (alt.empty()) continue;
      for (auto [pos, end] = at.Of(alt.front()); pos != end; ++pos) {
        if (!PhraseAt(ids, *pos, alt) || !free_for(c, *pos, alt.size())) continue;
        match.concept_match[c] = 1.0;
        ++match.concept_count[c];
        const int at_pos = static_cast<int>(*pos);
        if (match.first_position[c] < 0 || at_pos < match.first_position[c]) {
          match.first_position[c] = at_pos;
        }
        for (size_t k = 0; k < alt.size(); ++k) {
          highlighted.push_back(static_cast<uint32_t>(*pos + k));
        }
      }
      if (match.concept_match[c] < 1.0 && alt.size() > 1) {
        const bool all_present = std::all_of(alt.begin(), alt.end(), [&](int id) {
          const auto [first, last] = at.Of(id);
          return std::any_of(first, last, [&](size_t pos) { return free_for(c, pos, 1); });
        });
        if (all_present) {
          match.concept_match[c] = std::max(match.concept_match[c], defaults::kPartialMatchCredit);
        }
      }
    }
    // Another wording of the same sense counts for part of the concept.
    if (match.concept_match[c] < defaults::kPartialMatchCredit) {
      for (const IdPhrase& rel : related_[c]) {
        if (rel.empty()) continue;
        for (auto [pos, end] = at.Of(rel.front()); pos != end; ++pos) {
          if (!PhraseAt(ids, *pos, rel) || !free_for(c, *pos, rel.size())) continue;
          match.concept_match[c] = defaults::kPartialMatchCredit;
          if (match.first_position[c] < 0) match.first_position[c] = static_cast<int>(*pos);
          break;
        }
        if (match.concept_match[c] >= defaults::kPartialMatchCredit) break;
      }
    }
  }
  // Adjacent concepts of the question ("average" "salary") found side by side.
  for (size_t c = 0; c + 1 < concepts_.size(); ++c) {
    const Concept& a = concepts_[c];
    const Concept& b = concepts_[c + 1];
    if (a.carried || b.carried || b.first_token != a.last_token + 1) continue;
    const int last_of_a = ends_[c].first;
    const int first_of_b = ends_[c + 1].second;
    for (auto [pos, end] = at.Of(last_of_a); pos != end; ++pos) {
      if (*pos + 1 < ids.size() && ids[*pos + 1] == first_of_b) {
        ++match.adjacent_pairs;
        break;
      }
    }
  }
  std::sort(highlighted.begin(), highlighted.end());
  highlighted.erase(std::unique(highlighted.begin(), highlighted.end()), highlighted.end());
  match.highlights.reserve(highlighted.size());
  for (const uint32_t i : highlighted)
    match.highlights.emplace_back(tokens[i].begin, tokens[i].end);
  return match;
}

TextMatch MatchConcepts(std::string_view text, const std::vector<Concept>& concepts) {
  return ConceptMatcher(concepts).Match(text);
}

TextMatch MatchConcepts(const std::vector<indexer::Token>& tokens,
                        const std::vector<Concept>& concepts) {
  return ConceptMatcher(concepts).Match(tokens);
}

double WeightedCoverage(const TextMatch& match, const std::vector<Concept>& concepts) {
  return WeightedCoverage(match, match, concepts);  // max(x, x) is x, bit for bit
}

double WeightedCoverage(const TextMatch& a, const TextMatch& b,
                        const std::vector<Concept>& concepts) {
  double total = 0;
  double covered = 0;
  for (size_t c = 0; c < concepts.size(); ++c) {
    total += concepts[c].weight;
    covered += concepts[c].weight * std::max(a.concept_match[c], b.concept_match[c]);
  }
  return total > 0 ? covered / total : 0.0;
}

}  // namespace citeqa::retriever
