// The FTS5 side of retrieval: builds a MATCH expression from a question's concepts (always
// valid, whatever the user typed) and fetches candidate passages with their bm25 scores.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "indexer/sqlite_db.h"
#include "indexer/status.h"
#include "retriever/question.h"

namespace citeqa::retriever {

struct Candidate {
  int64_t passage_id = 0;
  int64_t doc_id = 0;
  int ordinal = 0;
  std::string doc;  // file name
  std::string title;
  std::string heading;
  std::string text;
  double bm25 = 0;  // FTS5 bm25: more negative is better
};

// A phrase as an FTS5 string literal: "w1 w2". Words are tokenizer output, which never
// holds '"', so no user text can break out of the quotes.
std::string QuotePhrase(const Phrase& words);

// An FTS5 query: every alternative wording of every concept as a quoted phrase, plus the
// single words of multi-word phrases, joined by OR. Words are token characters only, so
// no user text can inject FTS5 syntax. Empty when there are no concepts.
std::string BuildMatchExpression(const std::vector<Concept>& concepts);

// Up to `limit` best bm25 candidates for the expression. Errors: kIoError.
Result<std::vector<Candidate>> SearchPassages(indexer::Database* db, const std::string& match,
                                              int limit);

// Passages containing the phrase (stemmed match): counted exactly up to `sample` matches;
// beyond that, estimated from how far into the passage ids the first `sample` matches
// reach, as if the phrase were spread evenly over them. Counting every match of a common
// phrase would walk two long posting lists for a number that only sets a weight.
Result<int64_t> PhraseDocumentFrequency(indexer::Database* db, const Phrase& words,
                                        int64_t sample);

// Whether some passage's text has the two words (as Tokenize spells them) next to each
// other. Looks at no more than 64 passages in which the words' stems are adjacent.
Result<bool> BigramExists(indexer::Database* db, const std::string& left, const std::string& right);

}  // namespace citeqa::retriever
