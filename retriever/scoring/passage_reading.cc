#include "retriever/scoring/passage_reading.h"

#include <utility>

namespace citeqa::retriever {

PassageReading ReadPassage(std::shared_ptr<const PassageLayout> layout,
                           const ConceptMatcher& matcher) {
  PassageReading reading;
  reading.layout = std::move(layout);
  reading.tokens = reading.layout->tokens;
  reading.stems = reading.layout->stems;
  reading.stem_hashes = reading.layout->stem_hashes;
  reading.sentences = reading.layout->sentences;
  reading.concept_ids = matcher.StemIds(reading.stems, reading.stem_hashes);
  const std::span<const int> ids(reading.concept_ids);
  reading.match = matcher.MatchIds(reading.tokens, ids);
  reading.sentence_matches.reserve(reading.sentences.size());
  for (const SentenceSpan& s : reading.sentences) {
    const size_t n = s.end_token - s.first_token;
    reading.sentence_matches.push_back(
        matcher.MatchIds(reading.tokens.subspan(s.first_token, n), ids.subspan(s.first_token, n)));
  }
  return reading;
}

PassageReading ReadPassage(std::string_view text, std::string_view heading,
                           const ConceptMatcher& matcher) {
  return ReadPassage(std::make_shared<const PassageLayout>(LayOutPassage(text, heading)), matcher);
}

}  // namespace citeqa::retriever
