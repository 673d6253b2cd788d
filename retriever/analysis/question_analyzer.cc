#include "retriever/analysis/question_analyzer.h"

#include <algorithm>
#include <cctype>

#include "indexer/text.h"
#include "retriever/analysis/paraphrases.h"
#include "retriever/analysis/question_syntax.h"
#include "retriever/analysis/stopwords.h"
#include "retriever/engine.h"

namespace citeqa::retriever {
namespace {

struct Word {
  std::string text;  // lower-case, possibly corrected
  bool stop = false;
  bool acronym = false;
  bool capitalised = false;  // not the question's first word
};

// "PO", "PM", "US", "KPIs": written in capitals in the question.
bool IsAcronym(std::string_view original) {
  if (original.size() < 2 || original.size() > 6) return false;
  int upper = 0;
  for (char c : original) {
    if (std::isupper(static_cast<unsigned char>(c)) != 0) ++upper;
  }
  return upper >= 2 && upper + 1 >= static_cast<int>(original.size());
}

bool IsComparisonCue(const std::string& w) {
  return w == "vs" || w == "versus" || w == "difference" || w == "differences" || w == "differ" ||
         w == "compare" || w == "compared" || w == "comparison" || w == "contrast";
}

// "who earns more", "which is better": a choice between two things.
bool IsChoiceCue(const std::string& w) {
  return w == "more" || w == "less" || w == "better" || w == "higher" || w == "lower" ||
         w == "bigger" || w == "best";
}

// Verbs of telling that usually only frame a question ("explain X").
bool IsTellingVerb(const std::string& w) {
  return w == "explain" || w == "explains" || w == "describe" || w == "describes";
}

// Whether the telling verb at `i` addresses the reader: first word, after "you", "please",
// "me", "and", or "to" after a wish ("I want you to explain", "would like to describe").
bool FramesQuestion(const std::vector<Word>& words, size_t i) {
  if (i == 0) return true;
  const std::string& prev = words[i - 1].text;
  if (prev == "you" || prev == "please" || prev == "me" || prev == "and" || prev == "i") {
    return true;
  }
  if (prev != "to" || i < 2) return false;
  const std::string& wish = words[i - 2].text;
  return wish == "you" || wish == "want" || wish == "like" || wish == "wants" || wish == "love" ||
         wish == "someone";
}

// "it", "that" or "this" standing alone for a thing said before: the object of a
// preposition or of "do" ("for that", "the risks of doing it", "do they do that"), and
// not a determiner ("for that role", "does that role") or a relative "that".
bool StandsForATopic(const std::vector<Word>& words, size_t i) {
  const std::string& w = words[i].text;
  if ((w != "it" && w != "that" && w != "this") || i == 0) return false;
  const std::string& prev = words[i - 1].text;
  // "does" and "did" are mostly auxiliaries ("does that role need"); these are the verb.
  const bool object = IsPreposition(prev) || prev == "do" || prev == "doing" || prev == "done";
  return object && (i + 1 == words.size() || words[i + 1].stop);
}

Concept MakeConcept(std::string label, std::vector<Phrase> alternatives, int first, int last) {
  Concept c;
  c.label = std::move(label);
  c.alternatives = std::move(alternatives);
  for (const Phrase& alt : c.alternatives) {
    Phrase stems;
    for (const std::string& w : alt) stems.push_back(indexer::Stem(w));
    c.stems.push_back(std::move(stems));
  }
  c.first_token = first;
  c.last_token = last;
  return c;
}

std::string Join(const Phrase& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// The concept closest before (direction -1) or after (+1) token `pos`, or -1.
int NearestConcept(const std::vector<Concept>& concepts, int pos, int direction) {
  int best = -1;
  for (size_t i = 0; i < concepts.size(); ++i) {
    const Concept& c = concepts[i];
    if (direction < 0 && c.last_token < pos) best = static_cast<int>(i);
    if (direction > 0 && c.first_token > pos) return static_cast<int>(i);
  }
  return best;
}

void DetectComparison(const std::vector<Word>& words, AnalyzedQuestion* q) {
  bool cue = false;
  bool choice = false;
  for (const Word& w : words) {
    cue = cue || IsComparisonCue(w.text);
    choice = choice || IsChoiceCue(w.text);
  }
  // The conjunction that joins the two sides: "X vs Y", "between X and Y", "X or Y".
  int joint = -1;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i].text;
    if (w == "vs" || w == "versus") {
      joint = static_cast<int>(i);
      break;
    }
    if ((w == "or" && (cue || choice)) || (w == "and" && cue)) joint = static_cast<int>(i);
  }
  if (joint < 0 || !(cue || choice)) return;
  const int a = NearestConcept(q->concepts, joint, -1);
  const int b = NearestConcept(q->concepts, joint, +1);
  if (a < 0 || b < 0 || a == b) return;
  q->is_comparison = true;
  q->side_a = a;
  q->side_b = b;
  q->asks_choice = choice && !cue;
  // "Which role ..., A or B?": the noun after "which" names the kind of thing A and B are,
  // which every answer shares.
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i].text != "which" && words[i].text != "what") continue;
    for (size_t c = 0; c < q->concepts.size(); ++c) {
      Concept& k = q->concepts[c];
      if (k.first_token == static_cast<int>(i) + 1 && static_cast<int>(c) != a &&
          static_cast<int>(c) != b &&
          k.first_token < q->concepts[static_cast<size_t>(a)].first_token) {
        k.frame = true;
      }
    }
    break;
  }
}

}  // namespace

Result<AnalyzedQuestion> AnalyzeQuestion(std::string_view question, const SynonymTable& synonyms,
                                         const TypoCorrector* corrector, const WordNet* wordnet) {
  AnalyzedQuestion q;
  q.text = indexer::CollapseWhitespace(indexer::SanitizeUtf8(question));
  if (q.text.size() > kMaxQuestionBytes) {
    return Status::InvalidArgument("the question is too long (" + std::to_string(q.text.size()) +
                                   " bytes; the limit is " + std::to_string(kMaxQuestionBytes) +
                                   ")");
  }
  auto tokens = indexer::Tokenize(q.text);
  if (tokens.empty()) return Status::InvalidArgument("the question has no words");
  if (tokens.size() > kMaxQuestionWords) tokens.resize(kMaxQuestionWords);

  std::vector<Word> words;
  std::vector<std::string> texts;
  std::vector<bool> skip;
  for (const auto& t : tokens) {
    Word w;
    w.text = t.text;
    w.acronym = IsAcronym(std::string_view(q.text).substr(static_cast<size_t>(t.begin),
                                                          static_cast<size_t>(t.end - t.begin)));
    w.stop = !w.acronym && IsStopword(w.text);
    w.capitalised =
        !words.empty() &&
        std::isupper(static_cast<unsigned char>(q.text[static_cast<size_t>(t.begin)])) != 0;
    texts.push_back(w.text);
    skip.push_back(w.acronym || w.stop);
    words.push_back(std::move(w));
  }
  if (corrector != nullptr) {
    for (const auto& [index, original] : corrector->Correct(&texts, skip)) {
      words[index].text = texts[index];
      words[index].stop = IsStopword(texts[index]);
      q.corrections.emplace_back(original, texts[index]);
    }
  }
  // "want" frames a question only as "want to (know ...)"; "what they want from X" asks
  // about the wanting itself.
  for (size_t i = 0; i < words.size(); ++i) {
    const bool frames = i + 1 < words.size() && words[i + 1].text == "to";
    if (words[i].stop && !frames && (words[i].text == "want" || words[i].text == "wants")) {
      words[i].stop = false;
    }
  }
  // "Explain X", "can you describe X" frame a question; "able to explain things to ..." asks
  // about the explaining itself.
  for (size_t i = 0; i < words.size(); ++i) {
    if (!words[i].stop || !IsTellingVerb(words[i].text)) continue;
    if (!FramesQuestion(words, i)) words[i].stop = false;
  }
  // "How long", "how often": the word says what kind of answer is wanted (a duration, a
  // frequency), as "how much" does; the answer names weeks, not length.
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i].text == "how" && IsExtentWord(words[i + 1].text)) words[i + 1].stop = true;
  }
  for (size_t i = 0; i < words.size(); ++i) {
    if (i == 0 && (words[i].text == "and" || words[i].text == "also")) q.opens_follow_up = true;
    if (i + 1 < words.size() && (words[i].text == "what" || words[i].text == "how") &&
        words[i + 1].text == "about" && i == 0) {
      q.opens_follow_up = true;
    }
    if (IsAnaphor(words[i].text)) q.has_anaphor = true;
    if (StandsForATopic(words, i)) q.refers_to_topic = true;
  }

  for (size_t i = 0; i < words.size() && q.concepts.size() < kMaxConcepts;) {
    if (words[i].stop) {
      ++i;
      continue;
    }
    const int first = static_cast<int>(i);
    if (auto match = synonyms.LongestMatchAt(texts, i)) {
      const Phrase own(texts.begin() + first,
                       texts.begin() + first + static_cast<int>(match->length));
      // An explicit "a => b" rule replaces the question's own words.
      const bool replaced = match->replaces;
      std::vector<Phrase> alternatives;
      if (!replaced) alternatives.push_back(own);
      for (const Phrase& alt : match->alternatives) {
        if (alt != own) alternatives.push_back(alt);
      }
      if (alternatives.empty()) alternatives.push_back(own);  // a rule onto these very words
      std::string label = Join(replaced ? alternatives.front() : own);
      Concept c = MakeConcept(std::move(label), std::move(alternatives), first,
                              first + static_cast<int>(match->length) - 1);
      c.proper = words[i].capitalised || words[i].acronym;
      c.entity = words[i].acronym || std::any_of(c.alternatives.begin(), c.alternatives.end(),
                                                 [](const Phrase& p) { return p.size() > 1; });
      q.concepts.push_back(std::move(c));
      i += match->length;
      continue;
    }
    Concept c = MakeConcept(texts[i], {{texts[i]}}, first, first);
    c.entity = words[i].acronym;
    c.proper = words[i].capitalised || words[i].acronym;
    q.concepts.push_back(std::move(c));
    ++i;
  }
  // The same meaning asked twice ("PO ... product owner") counts once.
  std::vector<Concept> unique;
  for (Concept& c : q.concepts) {
    const bool duplicate = std::any_of(unique.begin(), unique.end(),
                                       [&](const Concept& u) { return u.stems == c.stems; });
    if (!duplicate) unique.push_back(std::move(c));
  }
  q.concepts = std::move(unique);
  if (wordnet != nullptr) {
    MarkVerbs(texts, *wordnet, &q);
    AddWordNetWordings(texts, *wordnet, &q);
    MarkRoleCompounds(*wordnet, &q);
  }
  DetectComparison(words, &q);
  if (q.is_comparison) {
    for (Concept& c : q.concepts) {
      const Phrase& own = c.alternatives.front();
      c.frame = c.frame || (own.size() == 1 && IsComparisonCue(own.front()));
    }
  }
  q.answer_type = DetectAnswerType(texts);
  q.question_word = DetectQuestionWord(texts);
  q.asks_quantity = AsksForQuantity(texts);
  q.asks_list = AsksForList(texts);
  if (q.is_comparison &&
      (q.answer_type == AnswerType::kAny || q.answer_type == AnswerType::kDefinition)) {
    q.answer_type = AnswerType::kContrast;
  }
  return q;
}

AnalyzedQuestion ResolveFollowUp(AnalyzedQuestion question, const AnalyzedQuestion& previous) {
  const bool has_subject = std::any_of(question.concepts.begin(), question.concepts.end(),
                                       [](const Concept& c) { return c.entity; });
  const bool leans_back = question.has_anaphor || question.opens_follow_up ||
                          question.refers_to_topic || question.concepts.empty();
  if (!leans_back || previous.concepts.empty()) return question;
  if (has_subject && !question.opens_follow_up && !question.refers_to_topic) return question;
  // What the earlier question was about: its subjects (phrases, acronyms), or all of its
  // own concepts when it named none. "For that" stands for all it asked about, including
  // what it carried over itself; a new subject of this question replaces the old one.
  const bool previous_has_subject = std::any_of(previous.concepts.begin(), previous.concepts.end(),
                                                [](const Concept& c) { return c.entity; });
  const bool opens_anew = question.opens_follow_up || question.refers_to_topic;
  auto inherits = [&](const Concept& c) {
    if (opens_anew) return has_subject ? !c.entity : true;
    return previous_has_subject ? c.entity : !c.carried;
  };
  AnalyzedQuestion resolved = std::move(question);
  if (resolved.answer_type == AnswerType::kAny) resolved.answer_type = previous.answer_type;
  for (const Concept& c : previous.concepts) {
    if (!inherits(c)) continue;
    const bool known = std::any_of(resolved.concepts.begin(), resolved.concepts.end(),
                                   [&](const Concept& r) { return r.stems == c.stems; });
    if (known) continue;
    Concept carried = c;
    carried.carried = true;
    carried.first_token = -1;
    carried.last_token = -1;
    resolved.concepts.push_back(std::move(carried));
  }
  // A comparison carried over keeps comparing the same sides.
  if (!resolved.is_comparison && previous.is_comparison && !has_subject) {
    for (size_t i = 0; i < resolved.concepts.size(); ++i) {
      if (resolved.concepts[i].stems ==
          previous.concepts[static_cast<size_t>(previous.side_a)].stems) {
        resolved.side_a = static_cast<int>(i);
      }
      if (resolved.concepts[i].stems ==
          previous.concepts[static_cast<size_t>(previous.side_b)].stems) {
        resolved.side_b = static_cast<int>(i);
      }
    }
    resolved.is_comparison = resolved.side_a >= 0 && resolved.side_b >= 0;
  }
  return resolved;
}

}  // namespace citeqa::retriever
