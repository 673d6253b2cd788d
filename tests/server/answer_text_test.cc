#include "server/answer_text.h"

#include <gtest/gtest.h>

namespace citeqa::server {
namespace {

TEST(ExcerptTest, Cases) {
  const std::string long_text =
      "Product owners manage the backlog and write user stories for the team. Product "
      "managers own the vision, talk to customers and decide what to build next quarter.";
  struct Case {
    std::string passage;
    std::vector<std::pair<int, int>> highlights;
    size_t max_bytes;
    std::string expected;
  } cases[] = {
      {"Short  passage\nwith   spaces.", {}, 100, "Short passage with spaces."},
      {long_text, {}, 40, "Product owners manage the backlog and..."},
      // Starts shortly before the first highlight ("customers" at byte 112), at a word.
      {long_text, {{112, 121}}, 60, "...vision, talk to customers and decide what to build next..."},
      {long_text, {{112, 121}}, 30, "...talk to customers and decide..."},
      // Never splits a UTF-8 character: "é" is two bytes at 3..4.
      {"caf\xc3\xa9", {}, 4, "caf..."},
      {"", {}, 10, ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Excerpt(c.passage, c.highlights, c.max_bytes), c.expected)
        << c.passage.substr(0, 30) << " max " << c.max_bytes;
  }
}

TEST(ExcerptTest, HighlightsOutOfRangeAreHarmless) {
  EXPECT_EQ(Excerpt("tiny", {{500, 600}}, 10), "tiny");
}

TEST(FormatAnswerTextTest, AnswerBlankLineThenNumberedCitations) {
  retriever::AskResponse response;
  response.found = true;
  response.answer = "Owners manage the backlog [1]. Managers own the vision [2].";
  retriever::Citation first;
  first.n = 1;
  first.doc = "001_a.txt";
  first.title = "Owners";
  first.passage = "Owners manage the backlog.";
  retriever::Citation second = first;
  second.n = 2;
  second.doc = "002_b.txt";
  second.title = "Managers";
  second.passage = "Managers own the vision.";
  response.citations = {first, second};
  EXPECT_EQ(FormatAnswerText(response),
            "Owners manage the backlog [1]. Managers own the vision [2].\n"
            "\n"
            "[1] Owners (001_a.txt)\n"
            "    Owners manage the backlog.\n"
            "[2] Managers (002_b.txt)\n"
            "    Managers own the vision.\n");
}

TEST(FormatAnswerTextTest, AbstentionIsJustTheAnswer) {
  retriever::AskResponse response;
  response.answer = "The articles do not answer this.";
  EXPECT_EQ(FormatAnswerText(response), "The articles do not answer this.\n");
}

}  // namespace
}  // namespace citeqa::server
