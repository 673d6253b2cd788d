#include "retriever/analysis/typo_corrector.h"

#include <gtest/gtest.h>

#include <set>

namespace citeqa::retriever {
namespace {

TEST(EditDistanceTest, CountsOptimalStringAlignment) {
  struct Case {
    const char* a;
    const char* b;
    int max;
    int expected;
  } cases[] = {
      {"product", "product", 2, 0}, {"prodct", "product", 2, 1},
      {"dose", "does", 2, 1},       {"manger", "manager", 2, 1},
      {"abc", "xyz", 1, 2},         {"stakeholdres", "stakeholders", 2, 1},
      {"a", "abcdef", 2, 3},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(EditDistance(c.a, c.b, c.max), c.expected) << c.a << " " << c.b;
  }
}

class TypoCorrectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (auto [word, df] :
         std::initializer_list<std::pair<const char*, int64_t>>{{"product", 60},
                                                                {"manager", 50},
                                                                {"owner", 40},
                                                                {"what", 30},
                                                                {"does", 20},
                                                                {"a", 60},
                                                                {"backlog", 9},
                                                                {"stakeholders", 7},
                                                                {"list", 3},
                                                                {"the", 60},
                                                                {"long", 4},
                                                                {"sprint", 4}}) {
      vocab_.word_df.Set(word, df);
    }
    vocab_.IndexWords();
    vocab_.passages = 60;
    english_ = {"manger", "dose", "last", "the", "what", "pasta", "past", "long", "list", "slit"};
    bigrams_ = {{"product", "manager"}, {"what", "does"}, {"does", "a"}, {"the", "list"}};
  }

  std::vector<std::string> Correct(std::vector<std::string> words, CorrectionMemo* memo = nullptr) {
    TypoCorrector corrector(
        vocab_, english_,
        [this](const std::string& a, const std::string& b) {
          return bigrams_.count({a, b}) > 0;
        },
        memo);
    corrector.Correct(&words, std::vector<bool>(words.size(), false));
    return words;
  }

  Vocabulary vocab_;
  std::unordered_set<std::string> english_;
  std::set<std::pair<std::string, std::string>> bigrams_;
};

TEST_F(TypoCorrectorTest, CorrectsNonWordsAndContextualRealWords) {
  struct Case {
    std::vector<std::string> input;
    std::vector<std::string> expected;
  } cases[] = {
      // non-words within the edit budget
      {{"prodct", "owner"}, {"product", "owner"}},
      {{"stakeholdres"}, {"stakeholders"}},
      {{"backlgo"}, {"backlog"}},
      // real words, corrected only when a neighbour supports the correction
      {{"what", "dose", "a", "prodct", "manger", "do"},
       {"what", "does", "a", "product", "manager", "do"}},
      {{"the", "last", "word"}, {"the", "last", "word"}},  // "the list" is no content support
      {{"cook", "pasta"}, {"cook", "pasta"}},
      // too short for any edit, unknown and not fixable
      {{"prd"}, {"prd"}},
      {{"zzzzzzzz"}, {"zzzzzzzz"}},
      // numbers are never touched
      {{"2018"}, {"2018"}},
  };
  for (const auto& c : cases) EXPECT_EQ(Correct(c.input), c.expected) << c.input.front();
}

// A memo gives the corrections worked out without it, and later questions its remembered
// ones: a word the vocabulary has meanwhile lost is still corrected to it (which shows the
// memo answered, and why one memo serves one vocabulary only).
TEST_F(TypoCorrectorTest, RememberedCorrectionsAreTheOnesWorkedOut) {
  CorrectionMemo memo;
  const std::vector<std::string> question = {"what", "dose", "a", "prodct", "manger", "do"};
  const std::vector<std::string> corrected = Correct(question);
  EXPECT_EQ(Correct(question, &memo), corrected);
  EXPECT_EQ(Correct(question, &memo), corrected);
  EXPECT_EQ(Correct({"backlgo"}, &memo), (std::vector<std::string>{"backlog"}));

  vocab_ = Vocabulary();
  vocab_.word_df.Set("product", 60);
  vocab_.IndexWords();
  EXPECT_EQ(Correct({"backlgo"}), (std::vector<std::string>{"backlgo"}));
  EXPECT_EQ(Correct({"backlgo"}, &memo), (std::vector<std::string>{"backlog"}));
  memo.Forget();
  EXPECT_EQ(Correct({"backlgo"}, &memo), (std::vector<std::string>{"backlgo"}));
}

// A correction worked out while the index could not tell whether two words stand together
// is used once and not remembered: the next question looks again.
TEST_F(TypoCorrectorTest, CorrectionsFromAnUnansweredLookupAreNotRemembered) {
  CorrectionMemo memo;
  bool index_readable = false;
  const auto correct = [&](std::vector<std::string> words) {
    TypoCorrector corrector(
        vocab_, english_,
        [&](const std::string& a, const std::string& b) -> std::optional<bool> {
          if (!index_readable) return std::nullopt;
          return bigrams_.count({a, b}) > 0;
        },
        &memo);
    corrector.Correct(&words, std::vector<bool>(words.size(), false));
    return words;
  };
  const std::vector<std::string> question = {"what", "dose", "a", "prodct", "manger", "do"};
  EXPECT_EQ(correct(question),
            (std::vector<std::string>{"what", "dose", "a", "product", "manger", "do"}))
      << "without the index's word pairs, real-word errors stay";
  index_readable = true;
  EXPECT_EQ(correct(question),
            (std::vector<std::string>{"what", "does", "a", "product", "manager", "do"}));
}

TEST_F(TypoCorrectorTest, RestoresMistypedFunctionWords) {
  struct Case {
    std::vector<std::string> input;
    std::vector<std::string> expected;
  } cases[] = {
      {{"wat", "is", "scrum"}, {"what", "is", "scrum"}},
      {{"hwo", "does", "a", "backlog", "work"}, {"how", "does", "a", "backlog", "work"}},
      {{"teh", "backlog"}, {"the", "backlog"}},
      // words the index or the dictionary knows, and short names, stay
      {{"dose", "list"}, {"dose", "list"}},
      {{"kpi", "list"}, {"kpi", "list"}},
      {{"ux"}, {"ux"}},
  };
  for (const auto& c : cases) EXPECT_EQ(Correct(c.input), c.expected) << c.input.front();
}

TEST_F(TypoCorrectorTest, SwapsBackTwoLettersOfAShortWord) {
  struct Case {
    std::vector<std::string> input;
    std::vector<std::string> expected;
  } cases[] = {
      {{"how", "lnog", "is", "a", "sprnit"}, {"how", "long", "is", "a", "sprint"}},
      {{"lsit"}, {"list"}},
      {{"ltsi"}, {"ltsi"}},  // two swaps away: left alone
      {{"slit"}, {"slit"}},  // an English word, though its swap "list" is indexed
      {{"olng"}, {"long"}},
      {{"gnol"}, {"gnol"}},
  };
  for (const auto& c : cases)
    EXPECT_EQ(Correct(c.input), c.expected) << c.input[0] << c.input.size();
}

}  // namespace
}  // namespace citeqa::retriever
