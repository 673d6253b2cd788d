#include "retriever/decision/answerability_features.h"

#include <algorithm>
#include <cctype>
#include <span>

#include "retriever/analysis/answer_type.h"
#include "retriever/defaults.h"
#include "retriever/scoring/concept_matcher.h"
#include "retriever/scoring/sentence_cues.h"

namespace citeqa::retriever {
namespace {

float Flag(bool b) { return b ? 1.0F : 0.0F; }

size_t Leaders(const ScoredCandidates& scored) {
  return std::min(scored.ranked, defaults::kEvidencePassages);
}

// Whether concept `k`, a word no article uses, is only put in other words: a leading
// passage holds one of its related wordings (WordNet: "competitors" for "competition").
// Not for names, nor for a word that, next to another of the question's words, names a
// thing ("business analyst"): such a compound is a constraint, not a paraphrase.
bool Paraphrased(const AnalyzedQuestion& question, size_t k, const ScoredCandidates& scored) {
  const Concept& c = question.concepts[k];
  if (c.df > 0 || c.proper || c.entity || c.related.empty() || c.first_token < 0) return false;
  for (const Concept& other : question.concepts) {
    if (&other == &c || other.carried || other.verb || c.verb) continue;
    if (other.last_token + 1 == c.first_token || c.last_token + 1 == other.first_token) {
      return false;
    }
  }
  for (size_t i = 0; i < Leaders(scored); ++i) {
    if (scored.passages[i].evidence.reading.match.concept_match[k] > 0) return true;
  }
  return false;
}

// Share of the question's own concepts that no article has, and how many of them are names.
void Unknowns(const AnalyzedQuestion& question, const ScoredCandidates& scored, float* share,
              float* names) {
  int own = 0;
  int unknown = 0;
  int unknown_names = 0;
  for (size_t k = 0; k < question.concepts.size(); ++k) {
    const Concept& c = question.concepts[k];
    if (c.carried) continue;  // the earlier turn's words were judged with it
    if (Paraphrased(question, k, scored)) {
      ++own;
      continue;
    }
    // A phrasal verb the articles never use ("looks after") is a paraphrase of words they
    // may well use; a single unknown word, verb or not, may be the whole point.
    if (c.verb && c.df == 0 && c.alternatives.front().size() > 1) continue;
    ++own;
    if (c.df == 0) ++unknown;
    if (c.df == 0 && (c.proper || c.entity)) ++unknown_names;
  }
  *share = own > 0 ? static_cast<float>(unknown) / static_cast<float>(own) : 1.0F;
  *names = static_cast<float>(unknown_names);
}

// "Who is the CEO of BMC?": when a question names two or more things (capitalised words,
// acronyms), some leading passage must name them all. A comparison is answered from both
// sides' passages, so it does not count. 1 when there are fewer than two names.
float NamesTogether(const AnalyzedQuestion& question, const ScoredCandidates& scored) {
  if (question.is_comparison) return 1.0F;
  std::vector<size_t> names;
  for (size_t c = 0; c < question.concepts.size(); ++c) {
    const Concept& k = question.concepts[c];
    if (k.proper && !k.carried && k.df > 0) names.push_back(c);
  }
  if (names.size() < 2) return 1.0F;
  for (size_t i = 0; i < Leaders(scored); ++i) {
    const auto& match = scored.passages[i].evidence.reading.match.concept_match;
    if (std::all_of(names.begin(), names.end(), [&](size_t c) { return match[c] > 0; })) {
      return 1.0F;
    }
  }
  return 0.0F;
}

// "How much does a marketing director earn?": a role the question names by two words
// (Concept::role_head) must be named so in some leading passage; passages about another
// role answer a different question. 1 when the question names no such role.
float RoleNamed(const AnalyzedQuestion& question, const ScoredCandidates& scored) {
  float result = 1.0F;
  for (const Concept& head : question.concepts) {
    if (!head.role_head || head.df == 0) continue;
    const auto kind = std::find_if(
        question.concepts.begin(), question.concepts.end(),
        [&](const Concept& c) { return !c.carried && c.last_token + 1 == head.first_token; });
    if (kind == question.concepts.end()) continue;
    // The role as one phrase, in every pairing of the two words' own wordings.
    Concept role;
    for (size_t k = 0; k < kind->alternatives.size(); ++k) {
      for (size_t h = 0; h < head.alternatives.size(); ++h) {
        role.alternatives.push_back(kind->alternatives[k]);
        role.alternatives.back().insert(role.alternatives.back().end(),
                                        head.alternatives[h].begin(), head.alternatives[h].end());
        role.stems.push_back(kind->stems[k]);
        role.stems.back().insert(role.stems.back().end(), head.stems[h].begin(),
                                 head.stems[h].end());
      }
    }
    const std::vector<Concept> just_the_role{std::move(role)};
    const ConceptMatcher matcher(just_the_role);
    bool named = false;
    for (size_t i = 0; i < Leaders(scored) && !named; ++i) {
      named = matcher.Match(scored.passages[i].evidence.reading.tokens).concept_match[0] >= 1.0;
    }
    if (!named) return 0.0F;
    result = 1.0F;
  }
  return result;
}

float EventStatedInLeaders(const AnalyzedQuestion& question, const ScoredCandidates& scored) {
  if (question.event_verb < 0) return 1.0F;
  for (size_t i = 0; i < Leaders(scored); ++i) {
    for (const TextMatch& m : scored.passages[i].evidence.reading.sentence_matches) {
      if (StatesEvent(question, m)) return 1.0F;
    }
  }
  return 0.0F;
}

// The words of the best sentence option (its first quoted range).
std::span<const indexer::Token> SentenceWords(const ScoredCandidates& scored,
                                              const ScoredSentence& s) {
  const PassageReading& r = scored.passages[s.option.passage].evidence.reading;
  const SentenceSpan& span = r.sentences[s.option.sentence];
  return std::span(r.tokens).subspan(span.first_token, span.end_token - span.first_token);
}

// Words of degree and order that WordNet leaves to grammar (most of them are stopwords and
// never become concepts), with their opposites.
constexpr std::pair<std::string_view, std::string_view> kPolarWords[] = {
    {"most", "least"},  {"more", "less"},       {"first", "last"},     {"before", "after"},
    {"above", "below"}, {"earliest", "latest"}, {"highest", "lowest"}, {"always", "never"}};

bool Holds(std::span<const indexer::Token> words, std::string_view w) {
  return std::any_of(words.begin(), words.end(),
                     [&](const indexer::Token& t) { return t.text == w; });
}

// A question word whose opposite the sentence says instead ("largest" asked, "smallest"
// written): the sentence answers another question.
bool AntonymClash(const AnalyzedQuestion& question, const ScoredSentence& s,
                  std::span<const indexer::Token> question_words,
                  std::span<const indexer::Token> words) {
  for (const auto& [a, b] : kPolarWords) {
    for (const auto& [asked, opposite] : {std::pair{a, b}, std::pair{b, a}}) {
      if (Holds(question_words, asked) && !Holds(words, asked) && Holds(words, opposite)) {
        return true;
      }
    }
  }
  for (size_t c = 0; c < question.concepts.size(); ++c) {
    const Concept& k = question.concepts[c];
    if (k.antonym_stems.empty() || s.option.match.concept_match[c] > 0) continue;
    for (const indexer::Token& w : words) {
      const std::string stem = indexer::Stem(w.text);
      if (std::find(k.antonym_stems.begin(), k.antonym_stems.end(), stem) !=
          k.antonym_stems.end()) {
        return true;
      }
    }
  }
  return false;
}

// The question's names (proper nouns, acronyms, phrases) that some passage has but `match`
// lacks: a question about another person, place or thing than the passage's.
float MissingNames(const AnalyzedQuestion& question, const TextMatch& match) {
  int missing = 0;
  for (size_t c = 0; c < question.concepts.size(); ++c) {
    const Concept& k = question.concepts[c];
    if ((k.proper || k.entity) && !k.carried && k.df > 0 && match.concept_match[c] == 0) {
      ++missing;
    }
  }
  return static_cast<float>(missing);
}

// Numbers the question names ("in 1998", "the 3 rivers") that the passage does not.
float MissingNumbers(const std::vector<indexer::Token>& question_words,
                     std::span<const indexer::Token> passage_words) {
  int missing = 0;
  for (const indexer::Token& q : question_words) {
    if (q.text.empty() || std::isdigit(static_cast<unsigned char>(q.text[0])) == 0) continue;
    const bool held = std::any_of(passage_words.begin(), passage_words.end(),
                                  [&](const indexer::Token& p) { return p.text == q.text; });
    if (!held) ++missing;
  }
  return static_cast<float>(missing);
}

}  // namespace

AnswerabilityFeatureRow AnswerabilityFeatures(const AnalyzedQuestion& question,
                                              const ScoredCandidates& scored) {
  AnswerabilityFeatureRow f{};
  const std::vector<indexer::Token> question_words = indexer::Tokenize(question.text);
  const auto& passages = scored.passages;
  const auto& sentences = scored.sentences;
  if (!passages.empty()) {
    const ScoredPassage& top = passages.front();
    f[kTopPassageScore] = static_cast<float>(top.score);
    f[kPassageScoreGap] =
        scored.ranked > 1 ? static_cast<float>(top.score - passages[1].score) : 0.0F;
    f[kTopPassageCoverage] = static_cast<float>(top.evidence.measures.coverage);
    f[kTopPassageExactCoverage] = static_cast<float>(top.evidence.measures.exact_coverage);
    f[kTopPassageMissingMax] = static_cast<float>(top.evidence.measures.missing_max);
    f[kTopTitleFocus] = top.evidence.features[kTitleFocus];
    f[kMissingNamesPassage] = MissingNames(question, top.evidence.reading.match);
    f[kMissingNumbers] = MissingNumbers(question_words, top.evidence.reading.tokens);
    f[kTopPassageMissing] = static_cast<float>(top.evidence.measures.missing);
    double best = 0;
    for (size_t i = 0; i < scored.ranked; ++i) {
      best = std::max(best, passages[i].evidence.measures.coverage);
    }
    f[kBestPassageCoverage] = static_cast<float>(best);
  }
  f[kQuantityMissing] = 0.0F;
  f[kTopSentenceAskedThing] = -1.0F;
  if (!sentences.empty()) {
    const ScoredSentence& top = sentences.front();
    f[kTopSentenceScore] = static_cast<float>(top.score);
    f[kSentenceScoreGap] =
        sentences.size() > 1 ? static_cast<float>(top.score - sentences[1].score) : 0.0F;
    f[kTopSentenceCoverage] = top.features[kSentenceCoverage];
    f[kTopSentenceExactCoverage] = top.features[kSentenceExactCoverage];
    f[kTopSentenceMissingMax] = top.features[kSentenceMissingMax];
    f[kTopSentenceAskedThing] = top.features[kSentenceAskedThing];
    if (question.asks_quantity) f[kQuantityMissing] = Flag(!StatesQuantity(top.option.text));
    f[kMissingNamesSentence] = MissingNames(question, top.option.match);
    const auto words = SentenceWords(scored, top);
    f[kNegationMismatch] = Flag(IsNegated(question_words) != IsNegated(words));
    f[kAntonymClash] = Flag(AntonymClash(question, top, question_words, words));
    f[kTopSentenceMissing] =
        top.features[kSentenceMissingMax] > 0
            ? static_cast<float>(
                  Measure(top.option.match, question.concepts, scored.traits).missing)
            : 0.0F;
  }
  Unknowns(question, scored, &f[kUnknownShare], &f[kUnknownNames]);
  f[kNamesTogether] = NamesTogether(question, scored);
  f[kRoleNamed] = RoleNamed(question, scored);
  f[kEventStatedLeading] = EventStatedInLeaders(question, scored);
  f[kAnswerQuestionConcepts] = static_cast<float>(question.concepts.size());
  f[kAnswerQuestionCorrections] = static_cast<float>(question.corrections.size());
  f[kAnswerQuestionCarries] = Flag(scored.traits.has_carried);
  f[kAnswerQuestionWord] = static_cast<float>(question.question_word);
  f[kAnswerAnswerType] = static_cast<float>(question.answer_type);
  f[kAnswerQuestionCompares] = Flag(question.is_comparison);
  double total = 0;
  double heaviest = 0;
  for (const Concept& c : question.concepts) {
    total += c.weight;
    heaviest = std::max(heaviest, c.weight);
  }
  f[kHeaviestConceptShare] = total > 0 ? static_cast<float>(heaviest / total) : 0.0F;
  return f;
}

}  // namespace citeqa::retriever
