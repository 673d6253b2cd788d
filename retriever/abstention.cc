#include "retriever/abstention.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "indexer/text.h"
#include "retriever/concept_matcher.h"

namespace citeqa::retriever {

namespace {

// Whether one sentence of the text states the asked-for event: it holds the event verb in one
// of the question's own wordings (a related sense is not the same event) and at least half,
// by weight, of the question's other known things.
bool StatesEvent(const std::string& text, const AnalyzedQuestion& question) {
  const auto event = static_cast<size_t>(question.event_verb);
  const ConceptMatcher matcher(question.concepts);
  for (const std::string_view sentence : indexer::SentencesByLine(text)) {
    const TextMatch match = matcher.Match(sentence);
    if (match.concept_match[event] < 1.0) continue;
    double total = 0;
    double covered = 0;
    for (size_t c = 0; c < question.concepts.size(); ++c) {
      const Concept& k = question.concepts[c];
      if (c == event || k.verb || k.df == 0) continue;
      total += k.weight;
      covered += k.weight * match.concept_match[c];
    }
    if (total == 0 || covered >= kEventEvidenceShare * total) return true;
  }
  return false;
}

// Whether concept `k`, a word no article uses, is only put in other words: a leading
// passage holds one of its related wordings (WordNet: "competitors" for "competition").
// Not for names, nor for a word that, next to another of the question's words, names a
// thing ("business analyst"): such a compound is a constraint, not a paraphrase.
bool Paraphrased(const AnalyzedQuestion& question, size_t k,
                 const std::vector<RankedPassage>& ranked, size_t leaders) {
  const Concept& c = question.concepts[k];
  if (c.df > 0 || c.proper || c.entity || c.related.empty() || c.first_token < 0) return false;
  for (const Concept& other : question.concepts) {
    if (&other == &c || other.carried || other.verb || c.verb) continue;
    if (other.last_token + 1 == c.first_token || c.last_token + 1 == other.first_token) {
      return false;
    }
  }
  for (size_t i = 0; i < ranked.size() && i < leaders; ++i) {
    if (ranked[i].match.concept_match[k] > 0) return true;
  }
  return false;
}

// "Who is the CEO of BMC?": when a question names two or more things (capitalised words,
// acronyms), some leading passage must name them all; passages that name only one are
// about something else. A comparison is answered from both sides' passages, so it is
// exempt.
bool NamesMeetInOnePassage(const AnalyzedQuestion& question,
                           const std::vector<RankedPassage>& ranked, size_t leaders) {
  if (question.is_comparison) return true;
  std::vector<size_t> names;
  for (size_t c = 0; c < question.concepts.size(); ++c) {
    const Concept& k = question.concepts[c];
    if (k.proper && !k.carried && k.df > 0) names.push_back(c);
  }
  if (names.size() < 2) return true;
  for (size_t i = 0; i < ranked.size() && i < leaders; ++i) {
    const auto& match = ranked[i].match.concept_match;
    if (std::all_of(names.begin(), names.end(), [&](size_t c) { return match[c] > 0; })) {
      return true;
    }
  }
  return false;
}

// "How much does a marketing director earn?": a role the question names by two words
// (Concept::role_head) must be named so in some leading passage; passages about another
// role ("product manager", "director of product") answer a different question.
bool RoleNamedInLeaders(const AnalyzedQuestion& question, const Concept& head,
                        const std::vector<RankedPassage>& ranked, size_t leaders) {
  const auto kind = std::find_if(
      question.concepts.begin(), question.concepts.end(),
      [&](const Concept& c) { return !c.carried && c.last_token + 1 == head.first_token; });
  if (kind == question.concepts.end()) return true;
  // The role as one phrase, in every pairing of the two words' own wordings.
  Concept role;
  for (size_t k = 0; k < kind->alternatives.size(); ++k) {
    for (size_t h = 0; h < head.alternatives.size(); ++h) {
      role.alternatives.push_back(kind->alternatives[k]);
      role.alternatives.back().insert(role.alternatives.back().end(), head.alternatives[h].begin(),
                                      head.alternatives[h].end());
      role.stems.push_back(kind->stems[k]);
      role.stems.back().insert(role.stems.back().end(), head.stems[h].begin(), head.stems[h].end());
    }
  }
  const std::vector<Concept> just_the_role{std::move(role)};
  for (size_t i = 0; i < ranked.size() && i < leaders; ++i) {
    if (MatchConcepts(ranked[i].candidate.text, just_the_role).concept_match[0] >= 1.0) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool ShouldAbstain(const AnalyzedQuestion& question, const std::vector<RankedPassage>& ranked,
                   const AbstentionPolicy& policy) {
  if (question.concepts.empty() || ranked.empty()) return true;
  int own = 0;
  int unknown = 0;
  for (size_t k = 0; k < question.concepts.size(); ++k) {
    const Concept& c = question.concepts[k];
    if (c.carried) continue;  // the earlier turn's words were judged with it
    if (Paraphrased(question, k, ranked, policy.event_passages_read)) {
      ++own;
      continue;
    }
    // A phrasal verb the articles never use ("looks after") is a paraphrase of words they
    // may well use; a single unknown word, verb or not, may be the whole point.
    if (c.verb && c.df == 0 && c.alternatives.front().size() > 1) continue;
    ++own;
    if (c.df == 0) ++unknown;
    if (c.df == 0 && (c.proper || c.entity)) return true;
  }
  if (own > 0 && static_cast<double>(unknown) >= policy.max_unknown_share * own) return true;
  if (!NamesMeetInOnePassage(question, ranked, policy.event_passages_read)) return true;
  for (const Concept& c : question.concepts) {
    // (A person word no article uses is judged with the other unknown words.)
    if (c.role_head && c.df > 0 &&
        !RoleNamedInLeaders(question, c, ranked, policy.event_passages_read)) {
      return true;
    }
  }
  // The best-covering passage among the leaders decides, whatever their order.
  double best = 0;
  for (const RankedPassage& r : ranked) {
    double total = 0;
    double covered = 0;
    for (size_t c = 0; c < question.concepts.size(); ++c) {
      if (question.concepts[c].df == 0) continue;
      total += question.concepts[c].weight;
      covered += question.concepts[c].weight * r.match.concept_match[c];
    }
    if (total > 0) best = std::max(best, covered / total);
  }
  // "Who created X?" asks for the doer of one event ("when was X invented?" for its time):
  // without a sentence that states it, passages about X answer a different question.
  if (question.event_verb >= 0 &&
      static_cast<size_t>(question.event_verb) < question.concepts.size()) {
    const size_t read = std::min(ranked.size(), policy.event_passages_read);
    bool stated = false;
    for (size_t i = 0; i < read && !stated; ++i) {
      stated = StatesEvent(ranked[i].candidate.text, question);
    }
    if (!stated) return true;
  }
  return best < policy.min_coverage;
}

}  // namespace citeqa::retriever
