#include "indexer/question_text.h"

#include <algorithm>

#include "indexer/text.h"

namespace citeqa::indexer {
namespace {

bool IsTrailingPunctuation(char c) {
  static constexpr std::string_view kPunctuation = " ?!.,;:";
  return kPunctuation.find(c) != std::string_view::npos;
}

}  // namespace

std::string NormalizeQuestion(std::string_view question, const WordCorrections& corrections) {
  std::string text = AsciiLower(CollapseWhitespace(SanitizeUtf8(question)));
  while (!text.empty() && IsTrailingPunctuation(text.back())) text.pop_back();
  if (corrections.empty()) return text;
  // Replaced from the last word back, so earlier offsets stay valid.
  std::vector<Token> tokens = Tokenize(text);
  std::reverse(tokens.begin(), tokens.end());
  for (const Token& token : tokens) {
    const std::string_view word(text.data() + token.begin,
                                static_cast<size_t>(token.end - token.begin));
    for (const auto& [typed, corrected] : corrections) {
      if (word == typed && typed != corrected) {
        text.replace(static_cast<size_t>(token.begin), word.size(), corrected);
        break;
      }
    }
  }
  return text;
}

}  // namespace citeqa::indexer
