// What kind of answer a question asks for ("how much" wants an amount, "why" a reason,
// "what does X do" a role), and how well a sentence looks like one. Used to prefer, among
// sentences that match the question equally, the one of the right kind.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace citeqa::retriever {

enum class AnswerType {
  kAny,
  kAmount,      // how much, salary, how many
  kReason,      // why
  kRole,        // what does X do, responsibilities
  kDefinition,  // what is X, who is X
  kSkill,       // which skills, what does it take
  kTime,        // when, how long
  kContrast,    // how do X and Y differ
};
inline constexpr size_t kAnswerTypeCount = static_cast<size_t>(AnswerType::kContrast) + 1;

// What the question's wh-word asks for: the kind of thing the answer names. "What year",
// "in which century" ask for a time like "when"; "what percentage" for a number like "how
// many". kYesNo for a question opening with an auxiliary ("Is ...", "Can ...").
enum class QuestionWord {
  kOther,
  kWhat,
  kWhich,
  kWho,
  kWhen,
  kWhere,
  kWhy,
  kHow,
  kHowMany,  // also how much, what percentage / number / amount
  kYesNo,
};

// Names for explanations: "how many", "definition", ...
std::string_view QuestionWordName(QuestionWord word);
std::string_view AnswerTypeName(AnswerType type);

// From the question's lower-case words (stopwords included). Pure.
QuestionWord DetectQuestionWord(const std::vector<std::string>& words);

// After "how", a word that asks for a duration or a frequency ("how long", "how often"):
// it names the kind of answer (kTime), not a topic.
bool IsExtentWord(std::string_view word);

// From the question's lower-case words (stopwords included).
AnswerType DetectAnswerType(const std::vector<std::string>& words);

// "how much ...", "how many ...": only an answer with a quantity in it answers these.
bool AsksForQuantity(const std::vector<std::string>& words);

// "What challenges ...", "which skills ...", "what are the main risks ...": the question
// asks for the several things a plural noun names, which a list answers best.
bool AsksForList(const std::vector<std::string>& words);

// True if the text states a quantity: digits or a number word ("three", "dozen").
bool StatesQuantity(std::string_view text);
// True for a number word ("three", "dozen", "twice"), lower-case.
bool IsNumberWord(std::string_view word);

// 0..1: how much `sentence` looks like an answer of `type` (money amounts, "because",
// "responsible for", "is a", "whereas", ...). Always 0 for kAny.
double AnswerTypeFit(AnswerType type, std::string_view sentence);

// 0..1 for a whole passage: how many of its sentences fit, saturating at two.
double PassageAnswerTypeFit(AnswerType type, std::string_view passage);

}  // namespace citeqa::retriever
