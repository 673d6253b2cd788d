// Other wordings of a question's words, from WordNet: an article may say "final say" where
// the question says "last word", or "size" where it asks "how big". Irregular inflections
// ("build"/"built") and a short adjective's regular degrees ("easy"/"easier") are the same
// word and become full alternatives; its derived forms in other classes ("decide"/
// "decision"), words sharing one of its commonest senses, and the more general and more
// specific words of those senses ("contain" -> "include", "tire" -> "exhaust") become
// related wordings, which earn a concept only partial credit and never widen the
// candidate search. A light verb with its particle or its complement ("come up", "make
// sure") is one verb, and so is a verb parted from its particle by a pronoun ("wear you
// out").
#pragma once

#include <string>
#include <vector>

#include "retriever/analysis/question.h"
#include "retriever/analysis/wordnet.h"

namespace citeqa::retriever {

struct Vocabulary;

inline constexpr size_t kWordNetSenses = 3;  // most frequent senses looked at per class
// WordNet offers up to kMaxOfferedWordings related wordings per concept; of those the index
// holds, the first kMaxRelatedWordings are kept (KeepIndexedWordings).
inline constexpr size_t kMaxOfferedWordings = 40;
inline constexpr size_t kMaxRelatedWordings = 12;
inline constexpr size_t kMaxLinkedWordings = 6;  // broader, and narrower, wordings per class

// Adds wordings to the question's own single-word concepts (not to names, acronyms,
// synonym-file phrases or carried concepts). `words` are the question's lower-case tokens,
// stopwords included, so that a verb's particle is seen ("work out", "look after").
// With WordNet not loaded, does nothing. Thread-safe.
void AddWordNetWordings(const std::vector<std::string>& words, const WordNet& wordnet,
                        AnalyzedQuestion* question);

// Drops the related wordings that no passage of the index holds (any of their stems
// unknown to `vocab`): they can never match, yet cost every match a look. Keeps the first
// kMaxRelatedWordings of the rest, in WordNet's order. Changes only `question`.
void KeepIndexedWordings(const Vocabulary& vocab, AnalyzedQuestion* question);

}  // namespace citeqa::retriever
