#include "retriever/answer_type.h"

#include <gtest/gtest.h>

namespace citeqa::retriever {
namespace {

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
  for (const auto& c : cases) EXPECT_EQ(AnswerTypeFit(c.type, c.sentence) > 0, c.fits) << c.sentence;
}

TEST(AnswerTypeTest, StatesQuantity) {
  EXPECT_TRUE(StatesQuantity("about 20 people"));
  EXPECT_TRUE(StatesQuantity("three sprints"));
  EXPECT_FALSE(StatesQuantity("many sprints, often"));
}

}  // namespace
}  // namespace citeqa::retriever
