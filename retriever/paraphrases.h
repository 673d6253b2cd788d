// Other wordings of a question's words, from WordNet: an article may say "final say" where
// the question says "last word", or "size" where it asks "how big". Irregular inflections
// ("build"/"built") and a short adjective's regular degrees ("easy"/"easier") are the same
// word and become full alternatives; its derived forms in other classes ("decide"/
// "decision"), words sharing one of its commonest senses, and the more general words of
// those senses ("contain" -> "include", unless the general word has very many kinds)
// become related wordings, which earn a concept only partial credit and never widen the
// candidate search. A light verb with its particle or its complement ("come up", "make
// sure") is one verb.
#pragma once

#include <string>
#include <vector>

#include "retriever/question.h"
#include "retriever/wordnet.h"

namespace citeqa::retriever {

inline constexpr size_t kWordNetSenses = 3;        // most frequent senses looked at per class
inline constexpr size_t kMaxRelatedWordings = 12;  // per concept
inline constexpr size_t kMaxLinkedWordings = 6;    // more general wordings per class

// Adds wordings to the question's own single-word concepts (not to names, acronyms,
// synonym-file phrases or carried concepts). `words` are the question's lower-case tokens,
// stopwords included, so that a verb's particle is seen ("work out", "look after").
// With WordNet not loaded, does nothing. Thread-safe.
void AddWordNetWordings(const std::vector<std::string>& words, const WordNet& wordnet,
                        AnalyzedQuestion* question);

}  // namespace citeqa::retriever
