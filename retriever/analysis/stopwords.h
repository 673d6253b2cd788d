// English stopwords: function words and the words that frame a question ("what", "tell me")
// but carry no topic.
#pragma once

#include <string_view>

namespace citeqa::retriever {

// True for a lower-case function word or question-frame word.
bool IsStopword(std::string_view lower_word);

// True for pronouns that refer back to an earlier subject ("they", "their", "it").
bool IsAnaphor(std::string_view lower_word);

// True for a lower-case English preposition ("for", "into", "with").
bool IsPreposition(std::string_view lower_word);

}  // namespace citeqa::retriever
