#include "retriever/analysis/paraphrases.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "indexer/text.h"
#include "retriever/analysis/stopwords.h"
#include "retriever/vocabulary.h"

namespace citeqa::retriever {
namespace {

// Delexical ("light") verbs: they share a sense with almost any verb and so would relate
// every question to every article.
bool IsLightVerb(std::string_view w) {
  static const std::unordered_set<std::string_view> kLight = {
      "be",  "have", "do",   "make", "get",   "go",   "take", "give", "come",   "put",  "set",
      "let", "keep", "hold", "run",  "bring", "find", "see",  "turn", "become", "work", "act"};
  return kLight.count(w) > 0;
}

bool IsParticle(std::string_view w) {
  static const std::unordered_set<std::string_view> kParticles = {
      "up",   "out",  "on",      "off",   "after", "over",   "down", "in",
      "into", "back", "through", "about", "away",  "around", "for"};
  return kParticles.count(w) > 0;
}

// The pronouns that sit between a verb and its particle ("wear you out", "figure it out").
bool IsObjectPronoun(std::string_view w) {
  return w == "me" || w == "you" || w == "him" || w == "her" || w == "it" || w == "us" ||
         w == "them";
}

bool IsArticle(std::string_view w) {
  return w == "a" || w == "an" || w == "the" || w == "this" || w == "that" || w == "their" ||
         w == "its" || w == "our" || w == "your" || w == "my" || w == "his" || w == "her";
}

Phrase Words(const std::string& text) {
  Phrase phrase;
  for (const auto& t : indexer::Tokenize(text)) phrase.push_back(t.text);
  return phrase;
}

Phrase Stems(const Phrase& words) {
  Phrase stems;
  for (const std::string& w : words) stems.push_back(indexer::Stem(w));
  return stems;
}

bool HasStems(const std::vector<Phrase>& list, const Phrase& stems) {
  return std::find(list.begin(), list.end(), stems) != list.end();
}

// The classes a word not known to be the question's verb is read in: the one it is most
// often used in (by WordNet's tagged senses; nouns win ties; never a verb when `not_verb`),
// and also as an adjective when it can be one, since "how big" asks about a size.
std::vector<WordClass> LikelyClasses(const std::string& word, const WordNet& wordnet,
                                     bool not_verb) {
  std::vector<WordClass> classes;
  WordClass best = WordClass::kNoun;
  size_t best_count = 0;
  bool known = false;
  for (WordClass cls : {WordClass::kNoun, WordClass::kAdjective, WordClass::kVerb}) {
    if (!wordnet.Knows(word, cls) || (not_verb && cls == WordClass::kVerb)) continue;
    const size_t count = wordnet.TaggedSenses(word, cls);
    if (!known || count > best_count) {
      best = cls;
      best_count = count;
      known = true;
    }
  }
  if (!known) return classes;
  classes.push_back(best);
  if (best != WordClass::kAdjective && wordnet.Knows(word, WordClass::kAdjective)) {
    classes.push_back(WordClass::kAdjective);
  }
  return classes;
}

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// Groups of vowels in a word: its syllables, near enough for short words.
int VowelGroups(const std::string& word) {
  int groups = 0;
  for (size_t i = 0; i < word.size(); ++i) {
    if (IsVowel(word[i]) && (i == 0 || !IsVowel(word[i - 1]))) ++groups;
  }
  return groups;
}

// The regular comparative and superlative of a short adjective ("easy" -> "easier",
// "easiest"; "big" -> "bigger"): the same word, which Porter stems apart. Longer adjectives
// and participles ("used", "tired") take "more"/"most" instead and get none.
std::vector<std::string> DegreeForms(const std::string& base) {
  constexpr size_t kMaxInflectedAdjective = 6;
  if (base.size() < 3 || base.size() > kMaxInflectedAdjective) return {};
  if (base.ends_with("ed")) return {};
  const char last = base.back();
  const char before = base[base.size() - 2];
  std::string stem = base;
  if (last == 'y' && !IsVowel(before)) {
    stem = base.substr(0, base.size() - 1) + "i";
  } else if (last == 'e') {
    stem = base.substr(0, base.size() - 1);
  } else if (base.size() <= 4 && VowelGroups(base) == 1 && !IsVowel(last) && last != 'w' &&
             last != 'x' && last != 'y' && IsVowel(before) && !IsVowel(base[base.size() - 3])) {
    stem = base + last;
  }
  return {stem + "er", stem + "est"};
}

// Adds to `c` the related wordings of `lemma` in each class: derived forms in other
// classes, synonyms, then broader and narrower words, up to kMaxOfferedWordings, leaving
// out function words, light verbs and wordings any concept already stands for (`known`
// stems).
void AddRelatedWordings(const std::string& lemma, const std::vector<WordClass>& classes,
                        const WordNet& wordnet, const std::vector<Phrase>& known, Concept* out) {
  Concept& c = *out;
  for (WordClass cls : classes) {
    // The same sense in another class first ("decide" -> "decision"), then synonyms.
    std::vector<std::string> others = wordnet.Derived(lemma, cls, kWordNetSenses);
    for (std::string& other : wordnet.Related(lemma, cls, kWordNetSenses)) {
      others.push_back(std::move(other));
    }
    // Then one step more general ("contain" -> "include"): the article may name the kind;
    // and one step more specific ("tire" -> "exhaust"): it may name an instance.
    for (const bool narrower : {false, true}) {
      for (std::string& other :
           wordnet.Linked(lemma, cls, kWordNetSenses, narrower, kMaxLinkedWordings)) {
        others.push_back(std::move(other));
      }
    }
    for (const std::string& other : others) {
      if (c.related.size() >= kMaxOfferedWordings) break;
      const Phrase phrase = Words(other);
      if (phrase.empty() || phrase.size() > 2) continue;
      if (std::any_of(phrase.begin(), phrase.end(),
                      [](const std::string& w) { return IsStopword(w) || IsLightVerb(w); })) {
        continue;
      }
      const Phrase stems = Stems(phrase);
      if (HasStems(known, stems) || HasStems(c.related_stems, stems)) continue;
      c.related.push_back(phrase);
      c.related_stems.push_back(stems);
    }
  }
}

// A light verb and the word after it that WordNet lists together as one verb ("make sure",
// "keep track", "take part") become one concept, a verb, with the related wordings of the
// whole: the light verb says nothing alone, and the word after it ("sure") is no topic.
// Keeps AnalyzedQuestion::event_verb pointing at the same concept.
void MergeCollocations(const WordNet& wordnet, const std::vector<Phrase>& known,
                       AnalyzedQuestion* question) {
  auto& concepts = question->concepts;
  auto plain = [](const Concept& c) {
    return !c.carried && !c.entity && !c.proper && c.first_token >= 0 &&
           c.alternatives.size() == 1 && c.alternatives.front().size() == 1;
  };
  for (size_t i = 0; i + 1 < concepts.size(); ++i) {
    Concept& a = concepts[i];
    const Concept& b = concepts[i + 1];
    if (!plain(a) || !plain(b) || b.first_token != a.last_token + 1) continue;
    const std::string& first = a.alternatives.front().front();
    const std::string& second = b.alternatives.front().front();
    std::string lemma;
    std::string base;
    for (const std::string& candidate : wordnet.BaseForms(first, WordClass::kVerb)) {
      if (IsLightVerb(candidate) && wordnet.Knows(candidate + " " + second, WordClass::kVerb)) {
        lemma = candidate + " " + second;
        base = candidate;
        break;
      }
    }
    if (lemma.empty()) continue;
    Concept merged;
    merged.label = lemma;
    merged.alternatives.push_back({first, second});
    if (base != first) merged.alternatives.push_back({base, second});
    for (const Phrase& alt : merged.alternatives) merged.stems.push_back(Stems(alt));
    merged.first_token = a.first_token;
    merged.last_token = b.last_token;
    merged.verb = true;
    AddRelatedWordings(lemma, {WordClass::kVerb}, wordnet, known, &merged);
    a = std::move(merged);
    concepts.erase(concepts.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    const int removed = static_cast<int>(i) + 1;
    if (question->event_verb == removed) question->event_verb = removed - 1;
    if (question->event_verb > removed) --question->event_verb;
  }
}

}  // namespace

void AddWordNetWordings(const std::vector<std::string>& words, const WordNet& wordnet,
                        AnalyzedQuestion* question) {
  if (!wordnet.loaded()) return;
  // Stems every concept already stands for: a related wording must add something new.
  std::vector<Phrase> known;
  for (const Concept& c : question->concepts) {
    known.insert(known.end(), c.stems.begin(), c.stems.end());
  }
  MergeCollocations(wordnet, known, question);
  for (Concept& c : question->concepts) {
    if (c.carried || c.entity || c.proper || c.alternatives.size() != 1 ||
        c.alternatives.front().size() != 1 || c.first_token < 0) {
      continue;
    }
    const std::string word = c.alternatives.front().front();  // a copy: they change below
    // After an article the word is a noun or an adjective ("a clear line", "the call").
    const bool after_article =
        c.first_token > 0 && IsArticle(words[static_cast<size_t>(c.first_token) - 1]);
    size_t next = static_cast<size_t>(c.last_token) + 1;
    // A pronoun object may part a verb from its particle ("wear you out"): only a verb takes
    // one there, so the word is the question's verb.
    const bool parted =
        next + 1 < words.size() && IsObjectPronoun(words[next]) && IsParticle(words[next + 1]);
    if (parted) ++next;
    const auto verb_bases = wordnet.BaseForms(word, WordClass::kVerb);
    const auto phrasal =
        std::find_if(verb_bases.begin(), verb_bases.end(), [&](const std::string& b) {
          return next < words.size() && IsParticle(words[next]) &&
                 wordnet.Knows(b + " " + words[next], WordClass::kVerb);
        });
    // A light verb and its particle that WordNet lists together ("come up", "set up") are
    // the question's verb even where the syntax rules did not see one: the bare light verb
    // means little. (A full verb keeps its meaning without the particle: "scaling up".)
    if (!c.verb && !after_article && phrasal != verb_bases.end() &&
        (IsLightVerb(*phrasal) || parted)) {
      c.verb = true;
    }
    std::string lemma = word;
    const std::vector<WordClass> classes = c.verb ? std::vector<WordClass>{WordClass::kVerb}
                                                  : LikelyClasses(word, wordnet, after_article);
    // Irregular forms are the word itself: full alternatives. (Not an adjective's: WordNet
    // lists "better" under "good".)
    // An adjective's regular degrees are the adjective itself ("easy", "easier").
    if (std::find(classes.begin(), classes.end(), WordClass::kAdjective) != classes.end()) {
      for (const std::string& base : wordnet.BaseForms(word, WordClass::kAdjective)) {
        std::vector<std::string> forms = DegreeForms(base);
        // "easier" -> "easy", but not "better" -> "good", a different word.
        if (base != word && std::find(forms.begin(), forms.end(), word) == forms.end()) continue;
        forms.push_back(base);
        for (const std::string& form : forms) {
          const Phrase phrase{form};
          const Phrase stems = Stems(phrase);
          if (HasStems(c.stems, stems)) continue;
          c.alternatives.push_back(phrase);
          c.stems.push_back(stems);
        }
      }
    }
    for (WordClass cls : classes) {
      if (cls == WordClass::kAdjective) continue;
      for (const std::string& base : wordnet.BaseForms(word, cls)) {
        std::vector<std::string> forms = wordnet.IrregularForms(base, cls);
        forms.push_back(base);
        for (const std::string& form : forms) {
          const Phrase phrase = Words(form);
          const Phrase stems = Stems(phrase);
          if (phrase.size() != 1 || HasStems(c.stems, stems)) continue;
          c.alternatives.push_back(phrase);
          c.stems.push_back(stems);
        }
      }
    }
    // A verb with its particle is one lexeme ("take on" work is not "take" work): the
    // phrase becomes the concept's wording, and the bare verb earns nothing ("look at" is
    // not "look after").
    if (c.verb && phrasal != verb_bases.end()) {
      lemma = *phrasal + " " + words[next];
      for (size_t a = 0; a < c.alternatives.size(); ++a) {
        c.alternatives[a].push_back(words[next]);
        c.stems[a].push_back(indexer::Stem(words[next]));
      }
      if (parted) {  // an article may part them as the question does ("can wear you out")
        c.alternatives.push_back({word, words[next - 1], words[next]});
        c.stems.push_back(Stems(c.alternatives.back()));
      }
      c.label = lemma;
      c.last_token = static_cast<int>(next);
    }
    AddRelatedWordings(lemma, classes, wordnet, known, &c);
    for (WordClass cls : classes) {
      for (const std::string& antonym : wordnet.Antonyms(word, cls, kWordNetSenses)) {
        const Phrase phrase = Words(antonym);
        if (phrase.size() == 1) c.antonym_stems.push_back(indexer::Stem(phrase.front()));
      }
    }
  }
}

void KeepIndexedWordings(const Vocabulary& vocab, AnalyzedQuestion* question) {
  for (Concept& c : question->concepts) {
    std::vector<Phrase> related;
    std::vector<Phrase> related_stems;
    for (size_t r = 0; r < c.related.size() && related.size() < kMaxRelatedWordings; ++r) {
      Phrase& stems = c.related_stems[r];
      if (!std::all_of(stems.begin(), stems.end(),
                       [&](const std::string& s) { return vocab.StemDf(s) > 0; })) {
        continue;
      }
      related.push_back(std::move(c.related[r]));
      related_stems.push_back(std::move(stems));
    }
    c.related = std::move(related);
    c.related_stems = std::move(related_stems);
  }
}

}  // namespace citeqa::retriever
