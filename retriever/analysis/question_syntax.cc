#include "retriever/analysis/question_syntax.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "retriever/analysis/stopwords.h"

namespace citeqa::retriever {
namespace {

bool IsAuxiliary(std::string_view w) {
  static const std::unordered_set<std::string_view> kAuxiliaries = {
      "do",  "does",  "did",  "can",   "could", "should", "would", "will",
      "may", "might", "must", "shall", "has",   "have",   "had"};
  return kAuxiliaries.count(w) > 0;
}

bool IsSubjectPronoun(std::string_view w) {
  static const std::unordered_set<std::string_view> kPronouns = {
      "i", "you", "he", "she", "it", "we", "they", "one", "someone", "anyone", "that", "this"};
  return kPronouns.count(w) > 0;
}

bool IsDeterminer(std::string_view w) {
  static const std::unordered_set<std::string_view> kDeterminers = {
      "a",   "an",  "the",  "this", "that", "these", "those", "their", "its", "his",
      "her", "our", "your", "my",   "each", "every", "any",   "some",  "one"};
  return kDeterminers.count(w) > 0;
}

// The concept whose span starts at token `pos`, or -1.
int ConceptStartingAt(const AnalyzedQuestion& q, int pos) {
  for (size_t c = 0; c < q.concepts.size(); ++c) {
    if (!q.concepts[c].carried && q.concepts[c].first_token == pos) return static_cast<int>(c);
  }
  return -1;
}

// The single-word concept at token `pos`, if WordNet knows the word as a verb.
int VerbConceptAt(const AnalyzedQuestion& q, const std::vector<std::string>& words, int pos,
                  const WordNet& wordnet) {
  if (pos < 0 || pos >= static_cast<int>(words.size())) return -1;
  const int c = ConceptStartingAt(q, pos);
  if (c < 0 || q.concepts[static_cast<size_t>(c)].last_token != pos) return -1;
  if (q.concepts[static_cast<size_t>(c)].entity || q.concepts[static_cast<size_t>(c)].proper)
    return -1;
  return wordnet.Knows(words[static_cast<size_t>(pos)], WordClass::kVerb) ? c : -1;
}

// "created", "won": a past tense (regular, or one of WordNet's irregular forms).
bool IsPastTense(const std::string& w, const WordNet& wordnet) {
  if (w.size() > 3 && w.ends_with("ed")) return true;
  const auto bases = wordnet.BaseForms(w, WordClass::kVerb);
  return std::any_of(bases.begin(), bases.end(), [&](const std::string& b) {
    const auto forms = wordnet.IrregularForms(b, WordClass::kVerb);
    return b != w && std::find(forms.begin(), forms.end(), w) != forms.end();
  });
}

// "looks", "laid", "uses": a form only a finite verb takes.
bool IsFiniteForm(const std::string& w, const WordNet& wordnet) {
  return (w.size() > 3 && w.back() == 's' && !w.ends_with("ss")) || IsPastTense(w, wordnet);
}

void Mark(AnalyzedQuestion* q, int index) {
  if (index >= 0) q->concepts[static_cast<size_t>(index)].verb = true;
}

// Marks the verb at `pos` and one coordinated with it ("oversees and manages").
int MarkVerbRun(const std::vector<std::string>& words, const WordNet& wordnet, int pos,
                AnalyzedQuestion* q) {
  const int verb = VerbConceptAt(*q, words, pos, wordnet);
  Mark(q, verb);
  if (verb >= 0 && pos + 2 < static_cast<int>(words.size()) &&
      (words[static_cast<size_t>(pos) + 1] == "and" ||
       words[static_cast<size_t>(pos) + 1] == "or")) {
    Mark(q, VerbConceptAt(*q, words, pos + 2, wordnet));
  }
  return verb;
}

}  // namespace

void MarkRoleCompounds(const WordNet& wordnet, AnalyzedQuestion* question) {
  auto single_noun = [](const Concept& c) {
    return !c.carried && !c.verb && !c.entity && !c.proper && !c.frame && c.first_token >= 0 &&
           c.first_token == c.last_token;
  };
  for (Concept& head : question->concepts) {
    if (!single_noun(head) || !wordnet.NamesPerson(head.alternatives.front().front())) continue;
    for (const Concept& kind : question->concepts) {
      if (&kind == &head || !single_noun(kind) || kind.last_token + 1 != head.first_token) continue;
      const std::string& word = kind.alternatives.front().front();
      if (wordnet.Knows(word, WordClass::kNoun) && !wordnet.Knows(word, WordClass::kAdjective)) {
        head.role_head = true;
      }
    }
  }
}

void MarkVerbs(const std::vector<std::string>& words, const WordNet& wordnet,
               AnalyzedQuestion* question) {
  if (!wordnet.loaded()) return;
  const int n = static_cast<int>(words.size());
  // Auxiliary, subject, verb: "what do product managers turn ...", "can a PO take on ...".
  for (int i = 0; i + 2 < n; ++i) {
    if (!IsAuxiliary(words[static_cast<size_t>(i)])) continue;
    int pos = i + 1;
    if (IsSubjectPronoun(words[static_cast<size_t>(pos)]) &&
        ConceptStartingAt(*question, pos) < 0) {
      ++pos;
    } else {
      while (pos < n && IsDeterminer(words[static_cast<size_t>(pos)])) ++pos;
      const int subject = ConceptStartingAt(*question, pos);
      if (subject < 0) break;
      pos = question->concepts[static_cast<size_t>(subject)].last_token + 1;
    }
    // A noun followed by another possible verb ends the subject instead ("should a product
    // owner resume highlight?").
    if (pos + 1 < n && VerbConceptAt(*question, words, pos + 1, wordnet) >= 0 &&
        wordnet.Knows(words[static_cast<size_t>(pos)], WordClass::kNoun)) {
      ++pos;
    }
    const int verb = MarkVerbRun(words, wordnet, pos, question);
    // "When did X start?": the time of one event.
    if (verb >= 0 && words.front() == "when" && words[static_cast<size_t>(i)] == "did") {
      question->event_verb = verb;
    }
    break;  // the first auxiliary governs the question
  }
  // "When was X invented?": a passive past event.
  if (words.front() == "when" && n > 2 && (words[1] == "was" || words[1] == "were")) {
    for (int k = 2; k < n; ++k) {
      if (!IsPastTense(words[static_cast<size_t>(k)], wordnet)) continue;
      const int verb = VerbConceptAt(*question, words, k, wordnet);
      if (verb < 0) continue;
      Mark(question, verb);
      question->event_verb = verb;
      break;
    }
  }
  for (int i = 0; i + 1 < n; ++i) {
    const std::string& w = words[static_cast<size_t>(i)];
    // A personal pronoun is a subject, and what follows it its verb: "what they want".
    if (w == "i" || w == "you" || w == "he" || w == "she" || w == "we" || w == "they") {
      MarkVerbRun(words, wordnet, i + 1, question);
      continue;
    }
    // "Who oversees ...", "who created ...".
    if (w == "who") {
      const int verb = MarkVerbRun(words, wordnet, i + 1, question);
      if (verb >= 0 && IsPastTense(words[static_cast<size_t>(i) + 1], wordnet)) {
        question->event_verb = verb;
      }
      continue;
    }
    // "Which role looks after ...": the first finite verb after the asked-for noun.
    if ((w == "which" || w == "what") && i + 1 < n &&
        !IsStopword(words[static_cast<size_t>(i) + 1])) {
      for (int k = i + 2; k < n && k <= i + 5; ++k) {
        const std::string& v = words[static_cast<size_t>(k)];
        if (IsStopword(v) || IsAuxiliary(v)) break;
        if (IsFiniteForm(v, wordnet) && VerbConceptAt(*question, words, k, wordnet) >= 0) {
          MarkVerbRun(words, wordnet, k, question);
          break;
        }
      }
    }
  }
}

}  // namespace citeqa::retriever
