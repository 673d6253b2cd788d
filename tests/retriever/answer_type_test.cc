#include "retriever/analysis/answer_type.h"

#include <gtest/gtest.h>

#include <sstream>

namespace citeqa::retriever {
namespace {

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

TEST(AnswerTypeTest, DetectsWhatKindOfAnswerIsWanted) {
  struct Case {
    std::vector<std::string> words;
    AnswerType expected;
    bool quantity;
  } cases[] = {
      {{"how", "much", "do", "they", "earn"}, AnswerType::kAmount, true},
      {{"what", "is", "the", "salary"}, AnswerType::kAmount, false},
      {{"why", "do", "they", "earn", "more"}, AnswerType::kReason, false},
      {{"what", "does", "a", "product", "owner", "do"}, AnswerType::kRole, false},
      {{"which", "skills", "matter"}, AnswerType::kSkill, false},
      {{"what", "is", "scrum"}, AnswerType::kDefinition, false},
      {{"how", "many", "sprints"}, AnswerType::kAmount, true},
      {{"how", "long", "is", "a", "sprint"}, AnswerType::kTime, false},
      {{"how", "often", "do", "they", "meet"}, AnswerType::kTime, false},
      {{"how", "does", "a", "po", "ship", "soon"}, AnswerType::kAny, false},
      {{"tell", "me", "about", "roadmaps"}, AnswerType::kAny, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(DetectAnswerType(c.words), c.expected) << c.words.back();
    EXPECT_EQ(AsksForQuantity(c.words), c.quantity) << c.words.back();
  }
}

TEST(AnswerTypeTest, TellsQuestionsAskingForSeveralThings) {
  struct Case {
    std::vector<std::string> words;
    bool list;
  } cases[] = {
      {{"what", "challenges", "come", "up"}, true},
      {{"which", "skills", "matter"}, true},
      {{"what", "are", "the", "main", "risks"}, true},
      {{"what", "is", "the", "process"}, false},
      {{"what", "does", "a", "po", "do"}, false},
      {{"what", "status", "does", "it", "have"}, false},
      // verbs right after "what", told by what they take
      {{"what", "makes", "a", "good", "po"}, false},
      {{"what", "happens", "when", "sprints", "fail"}, false},
      {{"what", "tools", "help", "a", "po"}, true},
      {{"how", "many", "sprints"}, false},
      {{"what", "is", "scrum"}, false},
  };
  for (const auto& c : cases) EXPECT_EQ(AsksForList(c.words), c.list) << c.words[1];
}

TEST(AnswerTypeTest, FitsSentencesOfTheRightKind) {
  struct Case {
    AnswerType type;
    const char* sentence;
    bool fits;
  } cases[] = {
      {AnswerType::kAmount, "They earn about $107,000 a year.", true},
      {AnswerType::kAmount, "In India they earn about ₹20 lakhs.", true},
      {AnswerType::kAmount, "They earn well.", false},
      {AnswerType::kReason, "The team was frustrated because they lacked access.", true},
      {AnswerType::kRole, "A product manager is responsible for the roadmap.", true},
      // the role name itself is no verb of duty
      {AnswerType::kRole, "The product manager role varies.", false},
      {AnswerType::kContrast, "Owners are tactical, whereas managers are strategic.", true},
      {AnswerType::kAny, "Anything at all.", false},
  };
  for (const auto& c : cases)
    EXPECT_EQ(AnswerTypeFit(c.type, c.sentence) > 0, c.fits) << c.sentence;
}

TEST(AnswerTypeTest, StatesQuantity) {
  EXPECT_TRUE(StatesQuantity("about 20 people"));
  EXPECT_TRUE(StatesQuantity("three sprints"));
  EXPECT_FALSE(StatesQuantity("many sprints, often"));
}

TEST(AnswerTypeTest, DetectsWhatTheQuestionWordAsksFor) {
  struct Case {
    std::string question;
    QuestionWord word;
  } cases[] = {
      {"what does a product owner do", QuestionWord::kWhat},
      {"which role earns more", QuestionWord::kWhich},
      {"who created scrum", QuestionWord::kWho},
      {"whose backlog is it", QuestionWord::kWho},
      {"when was scrum created", QuestionWord::kWhen},
      {"how long is a sprint", QuestionWord::kWhen},
      {"what year was scrum created", QuestionWord::kWhen},
      {"in which century did it start", QuestionWord::kWhen},
      {"where do product owners work", QuestionWord::kWhere},
      {"why do teams use scrum", QuestionWord::kWhy},
      {"how do teams plan", QuestionWord::kHow},
      {"how many sprints are there", QuestionWord::kHowMany},
      {"how much does a po earn", QuestionWord::kHowMany},
      {"what percentage of teams use scrum", QuestionWord::kHowMany},
      {"what is the cost of a sprint", QuestionWord::kHowMany},
      {"what is the usual average cost of a sprint", QuestionWord::kWhat},  // too far
      {"is a product owner a manager", QuestionWord::kYesNo},
      {"can one person hold both roles", QuestionWord::kYesNo},
      {"product owner salary", QuestionWord::kOther},
      {"", QuestionWord::kOther},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(DetectQuestionWord(Words(c.question)), c.word) << c.question;
  }
}

TEST(AnswerTypeTest, NamesForExplanations) {
  struct Case {
    QuestionWord word;
    std::string_view name;
  } words[] = {
      {QuestionWord::kWhat, "what"},       {QuestionWord::kWhich, "which"},
      {QuestionWord::kWho, "who"},         {QuestionWord::kWhen, "when"},
      {QuestionWord::kWhere, "where"},     {QuestionWord::kWhy, "why"},
      {QuestionWord::kHow, "how"},         {QuestionWord::kHowMany, "how many"},
      {QuestionWord::kYesNo, "yes or no"}, {QuestionWord::kOther, "other"},
  };
  for (const auto& c : words) EXPECT_EQ(QuestionWordName(c.word), c.name);
  struct TypeCase {
    AnswerType type;
    std::string_view name;
  } types[] = {
      {AnswerType::kAny, "any"},
      {AnswerType::kAmount, "amount"},
      {AnswerType::kReason, "reason"},
      {AnswerType::kRole, "role"},
      {AnswerType::kDefinition, "definition"},
      {AnswerType::kSkill, "skill"},
      {AnswerType::kTime, "time"},
      {AnswerType::kContrast, "contrast"},
  };
  for (const auto& c : types) EXPECT_EQ(AnswerTypeName(c.type), c.name);
}

}  // namespace
}  // namespace citeqa::retriever
