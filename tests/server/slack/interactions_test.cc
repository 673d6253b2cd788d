#include "server/slack/interactions.h"

#include <gtest/gtest.h>

#include <string>

#include "server/feedback_recorder.h"
#include "tests/server/slack/interaction_payload.h"

namespace citeqa::server::slack {
namespace {

using nlohmann::json;
using testing::FormEncode;
using testing::InteractionBody;
using testing::VotePayload;

const VoteSubject kSubject{"What is the notice period?", "slack:T1:C1:U1", "One month [1] & more."};
constexpr char kUrl[] = "https://hooks.slack.com/actions/T1/1/abc";

json Without(json payload, const char* key) {
  payload.erase(key);
  return payload;
}

json With(json payload, const json::json_pointer& at, json value) {
  payload[at] = std::move(value);
  return payload;
}

TEST(InteractionsTest, ReadsVoteClicks) {
  const json up = VotePayload(kVoteUpActionId, kSubject, kUrl, "One month [1] &amp; more.");
  const json down = VotePayload(kVoteDownActionId, kSubject, kUrl, "One month [1] &amp; more.");
  json other_action_first = up;
  other_action_first["actions"].insert(
      other_action_first["actions"].begin(),
      json({{"type", "button"}, {"action_id", "someone_else"}, {"value", "x"}}));
  json ephemeral = up;
  ephemeral["container"]["is_ephemeral"] = true;
  ephemeral.erase("message");
  struct Case {
    const char* name;
    json payload;
    bool helpful;
    std::string answer;
    bool ephemeral;
    bool has_blocks;
  };
  const Case cases[] = {
      {"thumbs up, answer from the message", up, true, "One month [1] & more.", false, true},
      {"thumbs down", down, false, "One month [1] & more.", false, true},
      {"ours after another action", other_action_first, true, "One month [1] & more.", false, true},
      {"ephemeral without the message: answer from the value", ephemeral, true, kSubject.answer,
       true, false},
      {"a list answer",
       VotePayload(kVoteUpActionId, kSubject, kUrl,
                   "Steps:\n\xE2\x80\xA2 one [1]\n\xE2\x80\xA2 two [2]"),
       true, "Steps:\n- one [1]\n- two [2]", false, true},
  };
  for (const auto& c : cases) {
    const Result<Interaction> parsed = ParseInteraction(InteractionBody(c.payload));
    ASSERT_TRUE(parsed.ok()) << c.name << ": " << parsed.status().ToString();
    ASSERT_EQ(parsed->kind, InteractionKind::kVote) << c.name;
    const VoteClick& vote = parsed->vote;
    EXPECT_EQ(vote.helpful, c.helpful) << c.name;
    EXPECT_EQ(vote.question, kSubject.question) << c.name;
    EXPECT_EQ(vote.conversation_id, kSubject.conversation_id) << c.name;
    EXPECT_EQ(vote.answer, c.answer) << c.name;
    EXPECT_EQ(vote.response_url, kUrl) << c.name;
    EXPECT_EQ(vote.ephemeral, c.ephemeral) << c.name;
    EXPECT_EQ(vote.message_blocks.is_array(), c.has_blocks) << c.name;
    EXPECT_EQ(vote.user_id, "U1") << c.name;
  }
}

TEST(InteractionsTest, IgnoresWhatIsNotAVote) {
  json no_vote = VotePayload(kVoteUpActionId, kSubject, kUrl);
  no_vote["actions"][0]["action_id"] = "approve";
  const json cases[] = {
      no_vote,
      With(no_vote, json::json_pointer("/actions"), json::array()),
      {{"type", "view_submission"}, {"view", json::object()}},
      {{"type", "message_action"}, {"callback_id", "x"}},
      {{"type", "shortcut"}},
  };
  for (const json& payload : cases) {
    const Result<Interaction> parsed = ParseInteraction(InteractionBody(payload));
    ASSERT_TRUE(parsed.ok()) << payload.dump() << ": " << parsed.status().ToString();
    EXPECT_EQ(parsed->kind, InteractionKind::kIgnored) << payload.dump();
  }
}

TEST(InteractionsTest, RefusesMalformedPayloads) {
  const json vote = VotePayload(kVoteUpActionId, kSubject, kUrl);
  const json no_answer = Without(VotePayload(kVoteUpActionId, {"q?", "", ""}, kUrl), "message");
  json no_value = vote;
  no_value["actions"][0].erase("value");
  const struct {
    const char* name;
    std::string body;
  } cases[] = {
      {"empty body", ""},
      {"no payload field", "foo=bar"},
      {"payload twice", InteractionBody(vote) + "&" + InteractionBody(vote)},
      {"bad escape", "payload=%7"},
      {"not UTF-8", "payload=%FF"},
      {"not JSON", "payload=" + FormEncode("{not json")},
      {"JSON but not an object", "payload=" + FormEncode("[1,2]")},
      {"no type", InteractionBody(Without(vote, "type"))},
      {"type not a string", InteractionBody(With(vote, json::json_pointer("/type"), 7))},
      {"block_actions without actions", InteractionBody(Without(vote, "actions"))},
      {"actions not an array",
       InteractionBody(With(vote, json::json_pointer("/actions"), json::object()))},
      {"our button with a foreign value",
       InteractionBody(With(vote, json::json_pointer("/actions/0/value"), "up"))},
      {"our button without a value", InteractionBody(no_value)},
      {"no answer anywhere", InteractionBody(no_answer)},
  };
  for (const auto& c : cases) {
    const Result<Interaction> parsed = ParseInteraction(c.body);
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << c.name;
  }
}

TEST(InteractionsTest, CutsAnOverlongAnswerAtACharacter) {
  std::string text;
  while (text.size() <= kMaxFeedbackAnswerBytes) text += "\xE2\x82\xAC";  // €
  const Result<Interaction> parsed =
      ParseInteraction(InteractionBody(VotePayload(kVoteDownActionId, kSubject, kUrl, text)));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_LE(parsed->vote.answer.size(), kMaxFeedbackAnswerBytes);
  EXPECT_EQ(parsed->vote.answer.size() % 3, 0u) << "whole characters only";
  EXPECT_EQ(text.rfind(parsed->vote.answer, 0), 0u);
}

TEST(InteractionsTest, AnswerFromMessageTextUndoesOurEscaping) {
  const struct {
    const char* mrkdwn;
    const char* expected;
  } cases[] = {
      {"plain", "plain"},
      {"a &lt;b&gt; &amp;amp; c", "a <b> &amp; c"},
      {"\xE2\x80\xA2 first\n\xE2\x80\xA2 second", "- first\n- second"},
      {"not \xE2\x80\xA2 a list", "not \xE2\x80\xA2 a list"},
      {"&amp", "&amp"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(AnswerFromMessageText(c.mrkdwn), c.expected) << c.mrkdwn;
  }
}

}  // namespace
}  // namespace citeqa::server::slack
