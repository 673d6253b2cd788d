#include "server/slack/thread_history.h"

#include <gtest/gtest.h>

namespace citeqa::server::slack {
namespace {

AppMention MentionAt(const std::string& ts, const std::string& bot = "B1") {
  AppMention mention;
  mention.channel = "C1";
  mention.ts = ts;
  mention.thread_ts = "100.000001";
  mention.bot_user_id = bot;
  return mention;
}

ThreadMessage Person(const std::string& ts, const std::string& text) {
  return {ts, "U1", "", "", text};
}

TEST(ThreadHistoryTest, PeoplesQuestionsToTheBotBeforeTheMentionOldestFirst) {
  const std::vector<ThreadMessage> thread = {
      Person("100.000001", "<@B1> What is a product owner?"),
      {"100.000002", "", "BX", "bot_message", "A product owner ... [1]"},
      {"100.000003", "B1", "BX", "", "our own answer, written as the bot user"},
      Person("100.000004", "nice, thanks"),  // not to the bot
      Person("100.000005", "<@B1>   what skills do   they need?"),
      Person("100.000006", "<@B1> help"),
      {"100.000007", "U2", "", "thread_broadcast", "<@B1> and their salary?"},
      {"100.000008", "U2", "", "message_changed", "<@B1> edited"},
      Person("100.000010", "<@B1> the mention itself"),
      Person("100.000011", "<@B1> written after the mention"),
  };
  EXPECT_EQ(EarlierThreadQuestions(thread, MentionAt("100.000010"), 4),
            (std::vector<std::string>{"What is a product owner?", "what skills do they need?",
                                      "and their salary?"}));
  EXPECT_EQ(EarlierThreadQuestions(thread, MentionAt("100.000010"), 2),
            (std::vector<std::string>{"what skills do they need?", "and their salary?"}))
      << "the latest ones";
}

TEST(ThreadHistoryTest, TimestampsCompareAsNumbers) {
  // "99.9" is before "100.1" although it sorts after it as text.
  const std::vector<ThreadMessage> thread = {Person("99.900000", "<@B1> first?"),
                                             Person("100.200000", "<@B1> later?")};
  EXPECT_EQ(EarlierThreadQuestions(thread, MentionAt("100.100000"), 4),
            (std::vector<std::string>{"first?"}));
}

TEST(ThreadHistoryTest, WithoutTheBotsIdEveryPersonsMessageCounts) {
  const std::vector<ThreadMessage> thread = {Person("1.1", "<@B9> what is scrum?"),
                                             Person("1.2", "how long are sprints?")};
  EXPECT_EQ(EarlierThreadQuestions(thread, MentionAt("1.3", ""), 4),
            (std::vector<std::string>{"what is scrum?", "how long are sprints?"}));
}

}  // namespace
}  // namespace citeqa::server::slack
