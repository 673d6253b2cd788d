// What the retriever understands of a question: its concepts (content words and phrases,
// each with the alternative wordings it may appear as), whether it compares two things,
// and whether it leans on an earlier question.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "retriever/analysis/answer_type.h"
#include "retriever/analysis/synonyms.h"

namespace citeqa::retriever {

struct Concept {
  std::string label;                 // the words as understood, e.g. "product owner"
  std::vector<Phrase> alternatives;  // lower-case wordings; the first is the question's own
  std::vector<Phrase> stems;         // Porter stems of each alternative, same order
  int first_token = 0;               // token span in the question; -1 if carried over
  int last_token = 0;
  bool entity = false;          // names a thing (a phrase or an acronym): a subject, not a detail
  bool carried = false;         // taken from an earlier question of the conversation
  bool proper = false;          // capitalised inside the question: a name ("Germany", "Glassdoor")
  bool frame = false;           // frames a comparison ("difference", "vs"): answered by contrast,
                                // not by the word itself
  bool verb = false;            // the question's main verb: it says what is asked of the topic,
                                // but nouns say what the topic is, so it weighs less
  bool role_head = false;       // names a person, after a noun that says which kind ("product
                                // DIRECTOR"): the concept just before it and this one name a role
  std::vector<Phrase> related;  // looser wordings (WordNet senses): partial credit only
  std::vector<Phrase> related_stems;  // their Porter stems, same order
  // Porter stems of the word's antonyms ("larg" for "small"): a sentence saying the opposite
  // of what was asked does not answer it.
  std::vector<std::string> antonym_stems;
  double weight = 1.0;  // importance (IDF-based), set by the ranker
  int64_t df = 0;       // passages containing one of its wordings (estimate), set by the ranker
  // Postings FTS5 walks to match it: the dfs of the words of its wordings, summed (a phrase
  // walks each of its words' lists). A rare phrase of common words ("product owner") is
  // cheap to score but costly to AND.
  int64_t match_cost = 0;  // set by the ranker
};

struct AnalyzedQuestion {
  std::string text;  // the question, sanitised
  std::vector<Concept> concepts;
  AnswerType answer_type = AnswerType::kAny;
  QuestionWord question_word = QuestionWord::kOther;
  bool asks_quantity = false;  // "how much/many": an answer without a quantity is no answer
  bool asks_list = false;      // "what challenges ...": several things, best said by a list
  bool is_comparison = false;
  bool asks_choice = false;  // "who earns more, A or B": which side is ahead, not how they differ
  int side_a = -1;           // indexes into concepts of the two things compared, or -1
  int side_b = -1;
  bool has_anaphor = false;      // "they", "it", ... refer to something said before
  bool opens_follow_up = false;  // starts like "and ...", "what about ..."
  // "... for that?", "the risks of doing it": a pronoun standing for what the earlier
  // question asked about, not only for its subject.
  bool refers_to_topic = false;
  // "Who created X?", "When was X invented?": the concept of the past-tense verb whose doer
  // or time is asked for, or -1. Such a question is answered only by a sentence that states
  // that very event.
  int event_verb = -1;
  std::vector<std::pair<std::string, std::string>> corrections;  // (typed, corrected)
};

}  // namespace citeqa::retriever
