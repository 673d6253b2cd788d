// Why an answer was given or withheld, as data: how the question was understood, and for the
// leading passages, the chosen sentences and the decision, each model's score with every
// feature's value and contribution. Contributions and the bias add up to the score (the
// models' own attribution, see TreeModel::Explain). Printed as text by `citeqa ask
// --explain`, and as JSON in the API's "explanation".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace citeqa::retriever {

struct FeatureContribution {
  std::string_view name;  // static storage (the feature lists)
  double value = 0;
  double contribution = 0;
};

struct ScoreExplanation {
  double score = 0;  // the model's output (log-odds for a probability)
  double bias = 0;   // what any input scores before its features are looked at
  std::vector<FeatureContribution> features;  // bias + sum of contributions == score
};

struct ConceptExplanation {
  std::string label;
  std::vector<std::string> wordings;  // its own and equivalent wordings
  std::vector<std::string> related;   // looser wordings (partial credit)
  double weight = 0;
  int64_t passages = 0;  // passages holding it (df)
  bool carried = false;
  bool name = false;
  bool verb = false;
};

struct QuestionExplanation {
  std::string text;
  std::string question_word;  // "who", "how many", ...
  std::string answer_type;    // "amount", "definition", ...
  bool compares = false;
  std::vector<std::pair<std::string, std::string>> corrections;  // (typed, corrected)
  std::vector<ConceptExplanation> concepts;
};

struct PassageExplanation {
  int rank = 0;  // from 1
  int64_t passage_id = 0;
  std::string doc;
  ScoreExplanation score;
};

struct SentenceExplanation {
  int64_t passage_id = 0;
  std::string text;
  double probability = 0;
  ScoreExplanation score;
};

struct DecisionExplanation {
  bool found = false;
  double probability = 0;  // that the articles answer the question
  double threshold = 0;
  std::string reason;  // why not found; empty when found
  ScoreExplanation answerability;
};

struct StageTimes {
  double analysis_ms = 0;
  double retrieval_ms = 0;
  double scoring_ms = 0;
  double decision_ms = 0;
  double composition_ms = 0;
};

struct Explanation {
  QuestionExplanation question;
  std::vector<PassageExplanation> passages;    // the leading ones, best first
  std::vector<SentenceExplanation> sentences;  // the answer's, in the answer's order
  DecisionExplanation decision;
  StageTimes stages;
};

// A readable rendering: one block per part, features by the size of their contribution.
std::string ExplanationText(const Explanation& explanation);

}  // namespace citeqa::retriever
