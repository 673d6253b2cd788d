#include "server/slack/events.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace citeqa::server::slack {
namespace {

// Shaped like Slack's documented app_mention envelope.
constexpr char kMention[] = R"({
  "token": "ZZZZZZWSxiZZZ2yIvs3peJ",
  "team_id": "T061EG9R6",
  "api_app_id": "A0MDYCDME",
  "event": {
    "type": "app_mention",
    "user": "U061F7AUR",
    "text": "<@U0LAN0Z89> how long is the notice period?",
    "ts": "1515449522.000016",
    "channel": "C0LAN2Q65",
    "event_ts": "1515449522000016"
  },
  "type": "event_callback",
  "event_id": "Ev0LAN670R",
  "event_time": 1515449522000016,
  "authorizations": [{"team_id": "T061EG9R6", "user_id": "U0LAN0Z89", "is_bot": true}]
})";

TEST(EventsTest, ParsesTheUrlVerificationHandshake) {
  const Result<EventsPayload> p = ParseEventsPayload(
      R"({"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->kind, EventsPayloadKind::kUrlVerification);
  EXPECT_EQ(p->challenge, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
}

TEST(EventsTest, ParsesAnAppMention) {
  const Result<EventsPayload> p = ParseEventsPayload(kMention);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->kind, EventsPayloadKind::kAppMention);
  const AppMention& m = p->mention;
  EXPECT_EQ(m.event_id, "Ev0LAN670R");
  EXPECT_EQ(m.team_id, "T061EG9R6");
  EXPECT_EQ(m.channel, "C0LAN2Q65");
  EXPECT_EQ(m.user, "U061F7AUR");
  EXPECT_EQ(m.text, "<@U0LAN0Z89> how long is the notice period?");
  EXPECT_EQ(m.ts, "1515449522.000016");
  EXPECT_EQ(m.thread_ts, "");
  EXPECT_EQ(m.bot_user_id, "U0LAN0Z89");
  EXPECT_EQ(m.ReplyThread(), "1515449522.000016") << "a new thread under the mention";
  EXPECT_FALSE(IsFromBot(m));
}

TEST(EventsTest, RepliesInTheThreadAMentionIsIn) {
  nlohmann::json envelope = nlohmann::json::parse(kMention);
  envelope["event"]["thread_ts"] = "1515449000.000001";
  const Result<EventsPayload> p = ParseEventsPayload(envelope.dump());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->mention.ReplyThread(), "1515449000.000001");
}

TEST(EventsTest, ReadsTheBotUserIdFromOlderPayloads) {
  nlohmann::json envelope = nlohmann::json::parse(kMention);
  envelope.erase("authorizations");
  envelope["authed_users"] = {"U0LAN0Z89"};
  EXPECT_EQ(ParseEventsPayload(envelope.dump())->mention.bot_user_id, "U0LAN0Z89");
  envelope.erase("authed_users");
  EXPECT_EQ(ParseEventsPayload(envelope.dump())->mention.bot_user_id, "");
}

TEST(EventsTest, IgnoresOtherEventsAndEnvelopes) {
  const char* bodies[] = {
      R"({"type":"event_callback","event_id":"Ev1","event":{"type":"message","text":"hi","channel":"C1","ts":"1.2"}})",
      R"({"type":"event_callback","event_id":"Ev1"})",
      R"({"type":"event_callback","event":"app_mention"})",
      R"({"type":"app_rate_limited","minute_rate_limited":1518467820})",
      R"({})",
  };
  for (const char* body : bodies) {
    const Result<EventsPayload> p = ParseEventsPayload(body);
    ASSERT_TRUE(p.ok()) << body;
    EXPECT_EQ(p->kind, EventsPayloadKind::kIgnored) << body;
  }
}

TEST(EventsTest, RefusesUnusablePayloads) {
  const char* bodies[] = {
      "",
      "not json",
      "[1,2]",
      "\"string\"",
      R"({"type":"url_verification"})",
      R"({"type":"url_verification","challenge":42})",
      R"({"type":"event_callback","event":{"type":"app_mention","text":"hi","ts":"1.2"}})",
      R"({"type":"event_callback","event":{"type":"app_mention","text":"hi","channel":"C1"}})",
      "{\"type\":\"url_verification\",\"challenge\":\"\xFF\"}",
  };
  for (const char* body : bodies) {
    EXPECT_EQ(ParseEventsPayload(body).status().code(), StatusCode::kInvalidArgument) << body;
  }
}

TEST(EventsTest, RecognisesBotsAndOurselves) {
  struct Case {
    const char* name;
    AppMention mention;
    bool from_bot;
  };
  AppMention person;
  person.user = "U1";
  person.bot_user_id = "UBOT";
  AppMention with_bot_id = person;
  with_bot_id.bot_id = "B123";
  AppMention bot_message = person;
  bot_message.subtype = "bot_message";
  AppMention ourselves = person;
  ourselves.user = "UBOT";
  AppMention unknown_bot_id = person;
  unknown_bot_id.bot_user_id = "";
  const Case cases[] = {
      {"a person", person, false},
      {"bot_id set", with_bot_id, true},
      {"subtype bot_message", bot_message, true},
      {"our own user", ourselves, true},
      {"a person, our id unknown", unknown_bot_id, false},
  };
  for (const auto& c : cases) EXPECT_EQ(IsFromBot(c.mention), c.from_bot) << c.name;
}

TEST(EventsTest, StripsTheBotMention) {
  struct Case {
    const char* text;
    const char* bot;
    const char* expected;
  };
  const Case cases[] = {
      {"<@U123> what is leave?", "U123", "what is leave?"},
      {"what is leave, <@U123>?", "U123", "what is leave, ?"},
      {"<@U123|citeqa>   what\n is   leave?", "U123", "what is leave?"},
      {"<@U123> ask <@U999> about leave", "U123", "ask <@U999> about leave"},
      {"<@U123>", "U123", ""},
      {"<@U123> <@U123> hi", "U123", "hi"},
      {"<@U123> hi", "", "hi"},
      {"<@U123> <@U456> hi <@U789>", "", "hi <@U789>"},
      {"hi <@U123>", "", "hi <@U123>"},
      {"<@> hi", "U123", "<@> hi"},
      {"<@U123 unterminated", "U123", "<@U123 unterminated"},
      {"no mention", "U123", "no mention"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(StripBotMention(c.text, c.bot), c.expected) << c.text << " / bot " << c.bot;
  }
}

}  // namespace
}  // namespace citeqa::server::slack
