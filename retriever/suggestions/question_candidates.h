// Example questions drawn from an index's own text by general rules of English: a heading
// that is a question already, the term a section's opening sentence defines ("Oxygen is a
// chemical element" -> "What is oxygen?"), a heading naming a topic ("Career Path" -> "What
// is the career path?") and a short article title. Nothing here knows any corpus. Pure:
// whether citeqa answers a candidate is checked elsewhere (suggestions.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/index_rows.h"

namespace citeqa::retriever {

class WordNet;

// Where a candidate came from; earlier kinds make better questions.
enum class CandidateKind {
  kQuestionHeading = 0,  // the heading, as written
  kDefinedTerm = 1,      // "What is X?" from a sentence "X is a/an/the ..."
  kTopicHeading = 2,     // "What is/are the X?" from a noun-phrase heading
  kTitle = 3,            // "What is X?" from a short article title
};

struct QuestionCandidate {
  std::string question;
  CandidateKind kind = CandidateKind::kQuestionHeading;
  int64_t passage_id = 0;  // the section opening it was drawn from
  std::string doc;         // that passage's document (file name)
};

inline constexpr size_t kMaxSuggestionChars = 80;

// The heading itself when it reads as a question: it ends with '?', has 2..14 words and at
// most kMaxSuggestionChars characters; white space collapsed. nullopt otherwise.
std::optional<std::string> QuestionFromQuestionHeading(std::string_view heading);

// "What is X?" / "Who was X?" / "What are X?" when the first sentence of `text` (after
// `heading`, which a passage's text repeats on its first line; parenthesised asides left
// out) defines a term: "<X>[, ...] is|are|was|were a|an|the|one ...", X being one to six
// words that open with a capital and end with a noun (one `wordnet` knows, a number, or a
// word the text also capitalises mid-sentence). A leading "The"/"A"/"An" is kept in lower
// case. "Who" when the text speaks of a person (he/she/his/her more often than it/its).
// `wordnet` may be null (then only the last two kinds of ending noun count).
std::optional<std::string> QuestionFromDefinition(std::string_view heading, std::string_view text,
                                                  const WordNet* wordnet);

// "What is the X?" ("What are the X?" when its last word is a plural) for a heading of one to six
// words naming a topic: not a question, no ':' or digits-only, no first or second person
// ("Our", "You"), and opening with a word that is not mainly a verb or an adverb (an
// imperative such as "Explore ..." is a call to action, not a topic; judged by `wordnet`,
// skipped when null). Words are lower-cased unless `text` never writes them in lower case
// (names, acronyms). nullopt otherwise.
std::optional<std::string> QuestionFromTopicHeading(std::string_view heading, std::string_view text,
                                                    const WordNet* wordnet);

// "What is X?" for a title of one to four words without punctuation other than '-', ','
// and '.', cased as QuestionFromTopicHeading does. nullopt otherwise.
std::optional<std::string> QuestionFromTitle(std::string_view title, std::string_view text);

// Every candidate of every section opening, in the order to try them: first each document's
// best candidate, then each document's second best, and so on; within a round the best
// kind first, documents in an order fixed by their file names (a hash, so that the first
// few spread over the corpus). A question is listed once (case-insensitively).
// `sections` as IndexReader::SectionOpenings returns them; `wordnet` may be null.
std::vector<QuestionCandidate> CandidateQuestions(const std::vector<indexer::PassageRow>& sections,
                                                  const WordNet* wordnet);

}  // namespace citeqa::retriever
