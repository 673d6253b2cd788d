// What the retriever understands of a question: its concepts (content words and phrases,
// each with the alternative wordings it may appear as), whether it compares two things,
// and whether it leans on an earlier question.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "retriever/answer_type.h"
#include "retriever/synonyms.h"

namespace citeqa::retriever {

struct Concept {
  std::string label;                 // the words as understood, e.g. "product owner"
  std::vector<Phrase> alternatives;  // lower-case wordings; the first is the question's own
  std::vector<Phrase> stems;         // Porter stems of each alternative, same order
  int first_token = 0;               // token span in the question; -1 if carried over
  int last_token = 0;
  bool entity = false;   // names a thing (a phrase or an acronym): a subject, not a detail
  bool carried = false;  // taken from an earlier question of the conversation
  bool proper = false;   // capitalised inside the question: a name ("Germany", "Glassdoor")
  bool frame = false;    // frames a comparison ("difference", "vs"): answered by contrast,
                         // not by the word itself
  double weight = 1.0;   // importance (IDF-based), set by the ranker
  int64_t df = 0;        // passages containing one of its wordings (estimate), set by the ranker
};

struct AnalyzedQuestion {
  std::string text;  // the question, sanitised
  std::vector<Concept> concepts;
  AnswerType answer_type = AnswerType::kAny;
  bool asks_quantity = false;  // "how much/many": an answer without a quantity is no answer
  bool is_comparison = false;
  int side_a = -1;  // indexes into concepts of the two things compared, or -1
  int side_b = -1;
  bool has_anaphor = false;  // "they", "it", ... refer to something said before
  bool opens_follow_up = false;  // starts like "and ...", "what about ..."
  std::vector<std::pair<std::string, std::string>> corrections;  // (typed, corrected)
};

}  // namespace citeqa::retriever
