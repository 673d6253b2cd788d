#include "retriever/scoring/pointing_back.h"

#include <algorithm>
#include <optional>
#include <string>

#include "retriever/scoring/sentence_opening.h"

namespace citeqa::retriever {
namespace {

// Words that, opening a sentence, stand for something said before it.
constexpr std::string_view kReferringOpeners[] = {"he",    "she",   "it",    "they", "this",
                                                  "these", "those", "that",  "such", "his",
                                                  "her",   "its",   "their", "him",  "them"};
// Connectives that, opening a sentence, go on from what was said before it.
constexpr std::string_view kConnectiveOpeners[] = {
    "however",    "also",      "moreover",   "furthermore",  "additionally", "besides",
    "therefore",  "thus",      "hence",      "consequently", "nevertheless", "nonetheless",
    "instead",    "similarly", "likewise",   "meanwhile",    "otherwise",    "then",
    "still",      "yet",       "but",        "and",          "so",           "accordingly",
    "conversely", "finally",   "afterwards", "later"};
// Two-word openers of each kind ("As such, ...", "For example, ...", "As a result, ...").
constexpr std::string_view kReferringPairs[] = {"as such", "the latter", "the former", "the same"};
constexpr std::string_view kConnectivePairs[] = {"for example", "for instance", "in addition",
                                                 "as a",        "in contrast",  "on the",
                                                 "in turn",     "in fact"};

// Demonstratives that, inside a sentence's opening, point at something said before it
// ("By following these steps, ...", "Despite this, ...", "One of these is ...").
constexpr std::string_view kDemonstratives[] = {"this", "these", "those", "such"};
// Nouns that after a demonstrative name the text itself, not something said in it ("In this
// article, we ...", "By the end of this guide, ...").
constexpr std::string_view kTheTextItself[] = {
    "article", "post",     "guide",   "blog",    "page",    "section", "chapter", "book",
    "video",   "tutorial", "episode", "series",  "piece",   "course",  "website", "site",
    "paper",   "report",   "essay",   "podcast", "webinar", "ebook"};
// Words that open a phrase before a sentence's subject: prepositions, subordinators and
// quantifiers ("By following these steps, ...", "One of these is ...", "Despite this, ...").
// After them a demonstrative points back; in the subject's own clause ("Managers talk to
// these users, ...") it is read with the clause, which a reader follows alone.
constexpr std::string_view kPhraseOpeners[] = {
    "by",      "in",         "on",      "at",      "for",    "with",    "without", "despite",
    "after",   "before",     "during",  "under",   "among",  "from",    "through", "to",
    "because", "since",      "given",   "unlike",  "like",   "beyond",  "of",      "as",
    "when",    "while",      "whilst",  "if",      "once",   "until",   "upon",    "within",
    "against", "throughout", "between", "into",    "over",   "besides", "due",     "regardless",
    "all",     "one",        "most",    "many",    "each",   "both",    "some",    "none",
    "any",     "few",        "several", "neither", "either", "much",    "part"};
// A demonstrative is read from among a sentence's first this many words, every word before
// it a phrase opener ("Following these steps ...", "One of these is ..."), or from anywhere
// in an opening phrase of at most kOpeningPhraseWords words that a comma closes and a phrase
// opener opens ("In the midst of these plans, ...").
constexpr size_t kOpeningWords = 3;
constexpr size_t kOpeningPhraseWords = 8;

// Whether word `i` of a sentence opens a phrase before its subject: a phrase opener, or a
// participle first ("Following", "Balancing").
bool OpensAPhrase(const std::vector<indexer::Token>& words, size_t i) {
  const std::string& w = words[i].text;
  return IsOneOf(w, kPhraseOpeners) || (i == 0 && w.size() > 4 && w.ends_with("ing"));
}

// Whether word `i`, a demonstrative, names something said before: not "such as" (examples
// follow), "those who" (people described next) or "this article" (the text itself).
bool PointsAtSomethingSaid(const std::vector<indexer::Token>& words, size_t i) {
  const std::string& w = words[i].text;
  if (!IsOneOf(w, kDemonstratives)) return false;
  const std::string_view next =
      i + 1 < words.size() ? std::string_view(words[i + 1].text) : std::string_view();
  if (w == "such" && next == "as") return false;
  if (w == "those" && (next == "who" || next == "which" || next == "that" || next == "whose")) {
    return false;
  }
  return !IsOneOf(next, kTheTextItself);
}

// Whether a demonstrative in the opening points at something said before the sentence.
bool ADemonstrativePointsBack(const SentenceOpening& opening) {
  const auto& words = opening.words;
  if (words.empty()) return false;
  // In the first words, after phrase openers only.
  for (size_t i = 0; i < std::min(kOpeningWords, words.size()); ++i) {
    if (PointsAtSomethingSaid(words, i)) return true;
    if (!OpensAPhrase(words, i)) break;
  }
  // Anywhere in a short opening phrase the first comma closes (within the opening's bytes).
  const size_t comma = opening.text.find(',');
  if (comma == std::string_view::npos || !OpensAPhrase(words, 0)) return false;
  size_t phrase_words = 0;
  while (phrase_words < words.size() && static_cast<size_t>(words[phrase_words].begin) < comma) {
    ++phrase_words;
  }
  if (phrase_words > kOpeningPhraseWords) return false;
  for (size_t i = 0; i < phrase_words; ++i) {
    if (PointsAtSomethingSaid(words, i)) return true;
  }
  return false;
}

// An "it" that stands for nothing said before: a dummy subject, which a clause after it
// fills ("It is believed that ...", "It has been claimed that ...", "It seems that ...").
// Read as: "it", a form of "be" (or "seem", "appear", "remain"), words that go with the
// verb, perhaps an adverb in -ly, a predicate of saying, knowing or judging, then "that" or
// "whether", with nothing but spaces between. Only such predicates: after others "it" refers
// as often ("It was released that year", "It is a city that ...", "It is here that ...").
constexpr std::string_view kDummySubjectVerbs[] = {
    "is",       "was",  "has",   "had", "seems", "seemed", "appears", "appeared", "remains",
    "remained", "will", "would", "may", "might", "can",    "could",   "must",     "should"};
// Words that go with the verb before the predicate. "has"/"had" need "been" among them, a
// modal "be": "It has shown that ..." is someone's finding. No connective ("It is also
// believed that ..." goes on from what was said before).
constexpr std::string_view kVerbParts[] = {"been", "be", "not", "now", "often", "sometimes"};
// Predicates that take a clause for subject: participles of saying, thinking, showing and
// finding, and adjectives of likelihood and judgement.
constexpr std::string_view kClausePredicates[] = {
    "said",        "believed",    "claimed",      "known",        "thought",     "reported",
    "estimated",   "argued",      "suggested",    "shown",        "found",       "assumed",
    "expected",    "hoped",       "feared",       "alleged",      "rumoured",    "rumored",
    "noted",       "understood",  "recognised",   "recognized",   "accepted",    "agreed",
    "decided",     "proposed",    "hypothesized", "hypothesised", "speculated",  "stated",
    "recorded",    "documented",  "established",  "confirmed",    "announced",   "predicted",
    "calculated",  "determined",  "observed",     "asserted",     "presumed",    "supposed",
    "held",        "maintained",  "acknowledged", "considered",   "recommended", "demonstrated",
    "discovered",  "revealed",    "concluded",    "emphasized",   "emphasised",  "implied",
    "indicated",   "proved",      "proven",       "likely",       "unlikely",    "possible",
    "impossible",  "probable",    "improbable",   "clear",        "unclear",     "true",
    "untrue",      "evident",     "obvious",      "apparent",     "certain",     "uncertain",
    "doubtful",    "plausible",   "important",    "essential",    "necessary",   "crucial",
    "vital",       "notable",     "noteworthy",   "remarkable",   "surprising",  "interesting",
    "ironic",      "significant", "unknown",      "conceivable",  "inevitable",  "fortunate",
    "unfortunate", "striking",    "curious",      "strange",      "natural",     "arguable",
    "undeniable",  "questionable"};

bool IsAnAdverbInLy(const std::string& w) {
  return w.size() > 4 && w.ends_with("ly") && !IsOneOf(w, kClausePredicates) &&
         !IsOneOf(w, kConnectiveOpeners);  // "consequently", "similarly" go on from before
}

// Where the clause that a dummy "it" opening the sentence stands for begins (the byte past
// its "that" or "whether"), or npos when the sentence opens with no dummy "it".
size_t ClauseOfADummyIt(const SentenceOpening& opening) {
  const auto& words = opening.words;
  if (words.size() < 3 || words[0].text != "it" || !IsOneOf(words[1].text, kDummySubjectVerbs)) {
    return std::string_view::npos;
  }
  const std::string& verb = words[1].text;
  const bool seems = verb.starts_with("seem") || verb.starts_with("appear");
  const bool finite_be = verb == "is" || verb == "was" || verb.starts_with("remain");
  size_t i = 2;
  bool be = false;
  while (i < words.size() && IsOneOf(words[i].text, kVerbParts)) {
    be = be || words[i].text == "been" || words[i].text == "be";
    ++i;
  }
  if (!seems && !finite_be && !be) return std::string_view::npos;
  if (i < words.size() && IsAnAdverbInLy(words[i].text)) ++i;  // "widely believed"
  const bool predicate = i < words.size() && IsOneOf(words[i].text, kClausePredicates);
  const size_t clause = predicate ? i + 1 : i;  // "It seems that ..." has none
  if (!(predicate || seems) || clause >= words.size() || !opening.Whole(clause) ||
      (words[clause].text != "that" && words[clause].text != "whether")) {
    return std::string_view::npos;
  }
  for (size_t w = 0; w < clause; ++w) {
    if (!opening.SpacedFromNext(w)) return std::string_view::npos;
  }
  return static_cast<size_t>(words[clause].end);
}

// What follows the punctuation that opens `text`: a clause read as a sentence of its own.
std::string_view AfterLeadingPunctuation(std::string_view text) {
  const size_t first = text.find_first_not_of(" ,;:");
  return first == std::string_view::npos ? std::string_view() : text.substr(first);
}

// How a clause inside a sentence, read as a sentence of its own, points back.
PointingBack HowItPointsBackAfterItsOpening(std::string_view clause) {
  return ReadPointingBack(AfterLeadingPunctuation(clause)).how;
}

// A connective followed at once by "to", "of" or "with" takes what it goes on from as its
// object ("In addition to arguing that ..., sceptics ...", "In contrast to the Greeks, ...",
// "As a result of the war, ...", "Instead of waiting, ..."). Then the sentence points back
// by that object ("As a result of this, ...", "Instead of them, ...") or, past the comma
// that closes the phrase, as its main clause does ("..., it was abandoned"). Nothing when the
// opening is no such connective, or no comma closes the phrase (read as before: a
// connective).
std::optional<PointingBack> HowAConnectiveWithItsObjectPointsBack(const SentenceOpening& opening,
                                                                  std::string_view sentence) {
  const auto& words = opening.words;
  const auto pair_is = [&](std::string_view pair) {
    return words[0].text + " " + words[1].text == pair;
  };
  size_t after = 0;
  if (words.size() >= 3 && words[0].text == "instead") {
    after = 1;
  } else if (words.size() >= 4 && (pair_is("in addition") || pair_is("in contrast"))) {
    after = 2;
  } else if (words.size() >= 5 && pair_is("as a") && words[2].text == "result") {
    after = 3;
  } else {
    return std::nullopt;
  }
  const std::string& link = words[after].text;
  if ((link != "to" && link != "of" && link != "with") || !opening.Whole(after + 1)) {
    return std::nullopt;
  }
  for (size_t w = 0; w <= after; ++w) {
    if (!opening.SpacedFromNext(w)) return std::nullopt;
  }
  const std::string& object = words[after + 1].text;
  if (IsOneOf(object, kReferringOpeners) || IsOneOf(object, kDemonstratives)) {
    return PointingBack::kByReference;
  }
  const size_t comma = sentence.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  const PointingBack main = HowItPointsBackAfterItsOpening(sentence.substr(comma + 1));
  if (main != PointingBack::kNo) return main;
  return ADemonstrativePointsBack(SentenceOpening(sentence, kOpeningPhraseBytes))
             ? PointingBack::kByReference
             : PointingBack::kNo;
}

// How the opening words point back: a referring word or a connective first, or a pair of
// them ("The latter", "For example").
PointingBack HowTheFirstWordsPointBack(const SentenceOpening& opening) {
  const auto& words = opening.words;
  if (words.empty()) return PointingBack::kNo;
  if (IsOneOf(words[0].text, kReferringOpeners)) return PointingBack::kByReference;
  if (IsOneOf(words[0].text, kConnectiveOpeners)) return PointingBack::kByConnective;
  if (words.size() >= 2) {
    const std::string pair = words[0].text + " " + words[1].text;
    if (IsOneOf(pair, kReferringPairs)) return PointingBack::kByReference;
    if (IsOneOf(pair, kConnectivePairs)) {
      // "As a result", "On the other hand" point back; "As a product owner", "On the team"
      // do not: the pair must be followed by its pointing word.
      if (pair == "as a" && (words.size() < 3 || words[2].text != "result")) {
        return PointingBack::kNo;
      }
      if (pair == "on the" && (words.size() < 3 || words[2].text != "other")) {
        return PointingBack::kNo;
      }
      return PointingBack::kByConnective;
    }
  }
  return PointingBack::kNo;
}

}  // namespace

bool LeansBack(std::string_view sentence) {
  return HowTheFirstWordsPointBack(SentenceOpening(sentence, kFirstWordsBytes)) !=
         PointingBack::kNo;
}

PointingBackReadings ReadPointingBack(std::string_view sentence) {
  PointingBackReadings readings;
  const SentenceOpening first_words(sentence, kFirstWordsBytes);
  readings.how = HowTheFirstWordsPointBack(first_words);
  readings.leans_back = readings.how != PointingBack::kNo;
  // LeansBack keeps the opening word's plain reading (the models were trained on it);
  // composition reads on, past a dummy "it" (its clause is the sentence's real subject: "It
  // is believed that he ...") or a connective with its own object.
  if (readings.leans_back) {
    if (const size_t clause = ClauseOfADummyIt(first_words); clause != std::string_view::npos) {
      readings.how = HowItPointsBackAfterItsOpening(sentence.substr(clause));
      return readings;
    }
    if (const auto how = HowAConnectiveWithItsObjectPointsBack(first_words, sentence)) {
      readings.how = *how;
      return readings;
    }
  }
  if (readings.how == PointingBack::kNo &&
      ADemonstrativePointsBack(SentenceOpening(sentence, kOpeningPhraseBytes))) {
    readings.how = PointingBack::kByReference;
  }
  return readings;
}

PointingBack HowItPointsBack(std::string_view sentence) { return ReadPointingBack(sentence).how; }

bool OpensWithAPersonalPronoun(std::string_view sentence) {
  static constexpr std::string_view kPersonal[] = {"he", "she", "him", "his", "her"};
  const SentenceOpening opening(sentence, kFirstWordsBytes);
  return !opening.words.empty() && opening.words[0].begin == 0 &&
         IsOneOf(opening.words[0].text, kPersonal);
}

}  // namespace citeqa::retriever
