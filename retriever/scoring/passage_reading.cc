#include "retriever/scoring/passage_reading.h"

#include <span>

namespace citeqa::retriever {

PassageReading ReadPassage(std::string_view text, std::string_view heading,
                           const ConceptMatcher& matcher) {
  PassageReading reading;
  reading.tokens = indexer::Tokenize(text);
  reading.concept_ids = matcher.StemIds(reading.tokens);
  const std::vector<int>& ids = reading.concept_ids;
  reading.match = matcher.MatchIds(reading.tokens, ids);

  // Lines first (a heading or list item is never joined to the next), then sentences.
  size_t token = 0;
  int line = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line_text = text.substr(start, end - start);
    const bool is_heading = line == 0 && !heading.empty() && line_text == heading;
    if (!is_heading) {
      const bool item = line_text.starts_with("- ");
      for (const auto& [b, e] : indexer::SplitSentences(line_text)) {
        SentenceSpan s;
        s.begin = static_cast<int>(start) + b;
        s.end = static_cast<int>(start) + e;
        s.line = line;
        s.list_item = item;
        while (token < reading.tokens.size() && reading.tokens[token].begin < s.begin) ++token;
        s.first_token = token;
        while (token < reading.tokens.size() && reading.tokens[token].end <= s.end) ++token;
        s.end_token = token;
        reading.sentences.push_back(s);
      }
    }
    ++line;
    start = end + 1;
  }
  reading.sentence_matches.reserve(reading.sentences.size());
  const std::span<const indexer::Token> all(reading.tokens);
  const std::span<const int> all_ids(ids);
  for (const SentenceSpan& s : reading.sentences) {
    const size_t n = s.end_token - s.first_token;
    reading.sentence_matches.push_back(
        matcher.MatchIds(all.subspan(s.first_token, n), all_ids.subspan(s.first_token, n)));
  }
  return reading;
}

}  // namespace citeqa::retriever
