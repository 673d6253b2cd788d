// Surface cues of a sentence that say what kind of sentence it is, whatever the question:
// whether it sells or navigates rather than informs ("Sign up for our newsletter"), whether
// it trails off or negates, and which kinds of thing it names (numbers, years, names).
// Whether it leans on the sentence before it is pointing_back.h's. General English, never
// tuned to one question or corpus. All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/text.h"
#include "retriever/analysis/answer_type.h"

namespace citeqa::retriever {

// True for a call to action, navigation or page furniture: an opening imperative of the web
// ("Sign up", "Subscribe", "Click", "Download", "Contact us", "Read more"), a link or e-mail
// address, or a phrase of page furniture ("privacy policy", "all rights reserved").
bool IsPromotional(std::string_view sentence);

// True when the sentence opens with an imperative addressed to the reader, as a product's
// pitch does ("Create beautiful roadmaps in minutes.", "Try it free.", "Subscribe"). Advice
// opens so too ("Create a backlog first."): alone it marks no sentence as a call to action.
bool OpensWithAnInvitation(std::string_view sentence);

// True when the sentence trails off ("...", "…"): a scraped page cut it short.
bool IsUnfinished(std::string_view sentence);

// True when the words hold a negation ("not", "never", "no", "n't", "without", "neither").
bool IsNegated(std::span<const indexer::Token> words);

// What kinds of thing a run of a sentence's words names, besides the question's own words.
struct NamedThings {
  bool number = false;           // digits or a number word
  bool year = false;             // a four-digit year (1000-2099) or "century"
  int new_names = 0;             // capitalised words, not opening the sentence, the question lacks
  double new_content_share = 0;  // content words the question lacks, as a share of all
};
// `text` is what the tokens were made from (for capitals); `concept_ids[i]` is >= 0 where
// word i stands for one of the question's concepts (ConceptMatcher::StemIds).
NamedThings NamesIn(std::string_view text, std::span<const indexer::Token> words,
                    std::span<const int> concept_ids);

// What NamesIn reads of a word that does not depend on the question, as bits: worked out
// once per word of a passage (PassageLayout::word_kinds), so that each question only adds
// up the bits.
enum WordKind : uint8_t {
  kWordHasDigit = 1,
  kWordIsYear = 2,
  kWordIsNumberWord = 4,
  kWordIsCentury = 8,  // "century", "centuries"
  kWordIsStopword = 16,
  kWordIsCapitalised = 32,
};
// The kinds of token `word`, made from `text`: KindsOfWordText of its (lower-case) word, and
// CapitalisedBit.
uint8_t KindsOfWord(std::string_view text, const indexer::Token& word);
// The kinds that depend on the lower-case word alone (all but kWordIsCapitalised).
uint8_t KindsOfWordText(std::string_view lower_word);
// kWordIsCapitalised when token `word` of `text` starts with a capital there, else 0.
uint8_t CapitalisedBit(std::string_view text, const indexer::Token& word);
// NamesIn over words' kinds (KindsOfWord of each).
NamedThings NamesIn(std::span<const uint8_t> kinds, std::span<const int> concept_ids);

// 1 when the sentence names the kind of thing the question word asks for (a number for "how
// many", a year or date for "when", a name for "who", "where" and "which"), 0 when it does
// not, -1 when the question word asks for no such thing ("what", "how", "why").
double AskedThingFit(QuestionWord word, const NamedThings& named);

}  // namespace citeqa::retriever
