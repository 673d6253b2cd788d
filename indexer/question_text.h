// The normalised form of a question, the key the unanswered-questions report groups by: the
// same question typed with other capitals, spacing, end punctuation or a typo the engine
// corrected gets the same key.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace citeqa::indexer {

// (typed, corrected) word pairs, lower case, as the question analysis reports them.
using WordCorrections = std::vector<std::pair<std::string, std::string>>;

// `question` with invalid UTF-8 repaired, white space collapsed to single spaces, ASCII
// letters in lower case, trailing punctuation and spaces dropped, and every word equal to a
// `typed` of `corrections` replaced by its `corrected`. "" for a question of only
// punctuation. Pure and thread-safe.
std::string NormalizeQuestion(std::string_view question, const WordCorrections& corrections = {});

}  // namespace citeqa::indexer
