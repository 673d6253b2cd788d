// A little syntax for questions, enough to tell the main verb from the nouns: in "How do
// they handle the launch?" the topic is "launch", and "handle" only says what is asked about
// it. Also finds the event in an agent or time question ("Who created Scrum?", "When was
// Scrum invented?"), which only a sentence stating that event can answer.
#pragma once

#include <string>
#include <vector>

#include "retriever/analysis/question.h"
#include "retriever/analysis/wordnet.h"

namespace citeqa::retriever {

// Sets Concept::verb on the concepts that are the question's main verbs and
// AnalyzedQuestion::event_verb (past events asked about with "who" or "when"), from `words` (the
// question's lower-case tokens, stopwords included) and the concepts' token spans. Recognises verbs
// after a subject following an auxiliary ("what do product managers TURN", "can a PO TAKE on"),
// after "who" ("who OVERSEES and MANAGES"), and finite verbs after "which/what NOUN" ("which role
// LOOKS after"). A word counts as a verb only if WordNet knows it as one (with WordNet missing,
// nothing is marked). Pure apart from reading WordNet; thread-safe.
void MarkVerbs(const std::vector<std::string>& words, const WordNet& wordnet,
               AnalyzedQuestion* question);

// Sets Concept::role_head on a noun naming a person (WordNet) right after a noun that says
// which kind ("marketing director", "software engineers"): together they name a role, which
// a passage about another role ("product manager") does not answer. Single words only
// (phrases from the synonyms file are roles already); an adjective before it ("senior") is
// a detail, not a kind. Pure apart from reading WordNet; thread-safe.
void MarkRoleCompounds(const WordNet& wordnet, AnalyzedQuestion* question);

}  // namespace citeqa::retriever
