#include "server/slack/slack_service.h"

#include <gtest/gtest.h>

#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "server/slack/slack_web_api.h"
#include "tests/server/slack/fake_engine.h"
#include "tests/server/slack/fake_slack_api.h"
#include "tests/server/slack/recording_poster.h"
#include "tests/server/slack/signed_request.h"

namespace citeqa::server::slack {
namespace {

using nlohmann::json;
using testing::FakeEngine;
using testing::FakeSlackApi;
using testing::kTestNow;
using testing::kTestSecret;
using testing::RecordingPoster;
using testing::SignedRequest;

constexpr char kForm[] = "application/x-www-form-urlencoded";
constexpr char kJson[] = "application/json";

SlackConfig TestConfig() {
  SlackConfig config;
  config.signing_secret = kTestSecret;
  config.bot_token = "xoxb-test";
  config.webhook_token = "hook-secret";
  config.public_base_url = "https://qa.example.com";
  return config;
}

Clock FixedClock() {
  return [] { return kTestNow; };
}

std::string CommandBody(const std::string& text_encoded) {
  return "token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=example&channel_id=C2147483705"
         "&channel_name=test&user_id=U2147483697&user_name=Steve&command=%2Fask&text=" +
         text_encoded +
         "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678"
         "&trigger_id=13345224609.738474920.8088930838d88f008e0";
}

std::string MentionBody(const std::string& event_id, const std::string& text,
                        const std::string& extra_event_fields = "") {
  return R"({"token":"x","team_id":"T061EG9R6","type":"event_callback","event_id":")" + event_id +
         R"(","event":{"type":"app_mention","user":"U061F7AUR","text":")" + text +
         R"(","ts":"1515449522.000016","channel":"C0LAN2Q65")" + extra_event_fields +
         R"(},"authorizations":[{"user_id":"U0LAN0Z89","is_bot":true}]})";
}

class SlackServiceTest : public ::testing::Test {
 protected:
  SlackService& Service(SlackConfig config = TestConfig()) {
    auto poster = std::make_unique<RecordingPoster>();
    poster_ = poster.get();
    service_ = std::make_unique<SlackService>(config, engine_, FixedClock(), std::move(poster));
    return *service_;
  }

  FakeEngine engine_;
  RecordingPoster* poster_ = nullptr;
  std::unique_ptr<SlackService> service_;
};

// ---- /slack/command

TEST_F(SlackServiceTest, CommandAnswersWithNumberedLinkedSources) {
  const SlackHttpResponse r =
      Service().HandleCommand(SignedRequest(CommandBody("how+long+is+notice%3F"), kForm));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  const json body = json::parse(r.body);
  EXPECT_EQ(body["response_type"], "in_channel");
  EXPECT_EQ(body["text"], "The notice period is one month [1]. Managers give three months [2].");
  ASSERT_EQ(body["blocks"].size(), 2u);
  const std::string sources = body["blocks"][1]["text"]["text"];
  EXPECT_NE(sources.find("*[1]* <https://qa.example.com/#passage-12|Notice periods>"),
            std::string::npos)
      << sources;
  EXPECT_NE(sources.find("&lt;!channel&gt;"), std::string::npos) << "article text is escaped";
  const auto asked = engine_.asked();
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].question, "how long is notice?");
  EXPECT_EQ(asked[0].conversation_id, "slack:T0001:C2147483705:U2147483697");
  EXPECT_EQ(service_->Stats().commands_answered, 1u);
}

TEST_F(SlackServiceTest, CommandResponseTypeIsConfigurable) {
  SlackConfig config = TestConfig();
  config.response_type = "ephemeral";
  const SlackHttpResponse r =
      Service(config).HandleCommand(SignedRequest(CommandBody("notice"), kForm));
  EXPECT_EQ(json::parse(r.body)["response_type"], "ephemeral");
}

TEST_F(SlackServiceTest, CommandWithoutAQuestionShowsUsage) {
  for (const char* text : {"", "+++", "help", "HELP", "+help+"}) {
    const SlackHttpResponse r = Service().HandleCommand(SignedRequest(CommandBody(text), kForm));
    ASSERT_EQ(r.status, 200) << text;
    const json body = json::parse(r.body);
    EXPECT_EQ(body["response_type"], "ephemeral") << text;
    EXPECT_NE(body["text"].get<std::string>().find("`/ask help`"), std::string::npos) << text;
  }
  EXPECT_TRUE(engine_.asked().empty());
}

TEST_F(SlackServiceTest, SlacksPublishedExampleRequestIsAcceptedAndGetsUsage) {
  // The documented example body (its text is empty) with its documented signature.
  SlackHttpRequest request;
  request.body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id="
      "G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-"
      "collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700"
      "885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c"
      "447fce8b6703c";
  request.headers["x-slack-request-timestamp"] = {"1531420618"};
  request.headers["x-slack-signature"] = {
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"};
  const SlackHttpResponse r = Service().HandleCommand(request);
  ASSERT_EQ(r.status, 200);
  const json body = json::parse(r.body);
  EXPECT_EQ(body["response_type"], "ephemeral");
  EXPECT_NE(body["text"].get<std::string>().find("`/webhook-collect help`"), std::string::npos);
}

TEST_F(SlackServiceTest, CommandSaysWhenTheArticlesDoNotAnswer) {
  FakeEngine engine(testing::NotFoundAnswer());
  SlackService service(TestConfig(), engine, FixedClock(), std::make_unique<RecordingPoster>());
  const json body =
      json::parse(service.HandleCommand(SignedRequest(CommandBody("moon+landing"), kForm)).body);
  EXPECT_EQ(body["text"], "The articles do not say.");
  EXPECT_EQ(body["blocks"].size(), 1u);
}

TEST_F(SlackServiceTest, CommandFailuresAfterVerificationAreEphemeral200s) {
  struct Case {
    const char* name;
    Result<retriever::AskResponse> engine_reply;
    std::string body;
    const char* expected_text_start;
  };
  const Case cases[] = {
      {"engine I/O error", Status::IoError("disk"), CommandBody("notice"),
       "Sorry, something went wrong"},
      {"question refused", Status::InvalidArgument("question is too long (max 2000 bytes)"),
       CommandBody("notice"), "Sorry, I can't use that question: question is too long"},
      {"malformed escape", testing::TwoCitationAnswer(), CommandBody("100%"),
       "Sorry, I could not read"},
      {"not UTF-8", testing::TwoCitationAnswer(), CommandBody("%FF"), "Sorry, I could not read"},
      {"text twice", testing::TwoCitationAnswer(), CommandBody("a") + "&text=b",
       "Sorry, I could not read"},
  };
  for (const auto& c : cases) {
    FakeEngine engine(c.engine_reply);
    SlackService service(TestConfig(), engine, FixedClock(), std::make_unique<RecordingPoster>());
    const SlackHttpResponse r = service.HandleCommand(SignedRequest(c.body, kForm));
    ASSERT_EQ(r.status, 200) << c.name;
    const json body = json::parse(r.body);
    EXPECT_EQ(body["response_type"], "ephemeral") << c.name;
    EXPECT_EQ(body["text"].get<std::string>().rfind(c.expected_text_start, 0), 0u)
        << c.name << ": " << body["text"];
  }
}

TEST_F(SlackServiceTest, CommandVerificationFailuresAre401sWithoutDetail) {
  SlackHttpRequest stale = SignedRequest(CommandBody("notice"), kForm, kTestNow - 301);
  SlackHttpRequest tampered = SignedRequest(CommandBody("notice"), kForm);
  tampered.body += "x";
  SlackHttpRequest unsigned_request = SignedRequest(CommandBody("notice"), kForm);
  unsigned_request.headers.erase("x-slack-signature");
  SlackHttpRequest wrong_secret = SignedRequest(CommandBody("notice"), kForm, kTestNow, "other");
  for (const SlackHttpRequest* request : {&stale, &tampered, &unsigned_request, &wrong_secret}) {
    const SlackHttpResponse r = Service().HandleCommand(*request);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body, "");
  }
  SlackConfig no_secret = TestConfig();
  no_secret.signing_secret.clear();
  const SlackHttpResponse r =
      Service(no_secret).HandleCommand(SignedRequest(CommandBody("notice"), kForm));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(service_->Stats().requests_refused, 1u);
  EXPECT_TRUE(engine_.asked().empty());
}

// ---- /slack/events

TEST_F(SlackServiceTest, EventsAnswersTheUrlVerificationHandshake) {
  const std::string body =
      R"({"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})";
  const SlackHttpResponse r = Service().HandleEvents(SignedRequest(body, kJson));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(json::parse(r.body),
            json({{"challenge", "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}}));

  SlackHttpRequest forged = SignedRequest(body, kJson, kTestNow, "not-the-secret");
  const SlackHttpResponse refused = Service().HandleEvents(forged);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.body, "");
}

TEST_F(SlackServiceTest, AppMentionIsAnsweredOnceInItsThreadThroughTheWebApi) {
  FakeSlackApi api;
  SlackConfig config = TestConfig();
  config.api_base = api.ApiBase();
  SlackService service(
      config, engine_, FixedClock(),
      std::make_unique<SlackWebApiPoster>(SlackWebApiOptions{config.api_base, config.bot_token}));
  const std::string body = MentionBody("Ev0LAN670R", "<@U0LAN0Z89> how long is notice?");
  const SlackHttpResponse first = service.HandleEvents(SignedRequest(body, kJson));
  SlackHttpRequest retry = SignedRequest(body, kJson);
  retry.headers["x-slack-retry-num"] = {"1"};
  retry.headers["x-slack-retry-reason"] = {"http_timeout"};
  const SlackHttpResponse second = service.HandleEvents(retry);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "");
  EXPECT_EQ(second.status, 200);
  service.WaitIdle();

  const auto calls = api.calls();
  ASSERT_EQ(calls.size(), 1u) << "answered exactly once despite the retry";
  EXPECT_EQ(calls[0].authorization, "Bearer xoxb-test");
  const json posted = json::parse(calls[0].body);
  EXPECT_EQ(posted["channel"], "C0LAN2Q65");
  EXPECT_EQ(posted["thread_ts"], "1515449522.000016");
  EXPECT_EQ(posted["text"], "The notice period is one month [1]. Managers give three months [2].");
  EXPECT_EQ(posted["blocks"].size(), 2u);
  const auto asked = engine_.asked();
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].question, "how long is notice?") << "the bot mention is stripped";
  EXPECT_EQ(asked[0].conversation_id, "slack:T061EG9R6:C0LAN2Q65:1515449522.000016");
  const SlackServiceStats stats = service.Stats();
  EXPECT_EQ(stats.mentions_queued, 1u);
  EXPECT_EQ(stats.mentions_duplicate, 1u);
  EXPECT_EQ(stats.posts_ok, 1u);
}

TEST_F(SlackServiceTest, AppMentionInsideAThreadIsAnsweredInThatThread) {
  SlackService& service = Service();
  service.HandleEvents(SignedRequest(
      MentionBody("Ev1", "<@U0LAN0Z89> notice?", R"(,"thread_ts":"1515449000.000001")"), kJson));
  service.WaitIdle();
  const auto posts = poster_->posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].thread_ts, "1515449000.000001");
}

// A follow-up in a thread is asked with the thread's earlier questions, read from Slack, so
// a replica that never saw the thread understands it.
TEST_F(SlackServiceTest, AFollowUpInAThreadIsAskedWithTheThreadsEarlierQuestions) {
  SlackService& service = Service();
  poster_->SetThread(std::vector<ThreadMessage>{
      {"1515449000.000001", "U061F7AUR", "", "", "<@U0LAN0Z89> what is the notice period?"},
      {"1515449001.000001", "", "B1", "bot_message", "Four weeks [1]."}});
  service.HandleEvents(SignedRequest(
      MentionBody("Ev1", "<@U0LAN0Z89> and for managers?", R"(,"thread_ts":"1515449000.000001")"),
      kJson));
  service.WaitIdle();
  const auto reads = poster_->thread_reads();
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0], (std::vector<std::string>{"C0LAN2Q65", "1515449000.000001",
                                                "1515449522.000016"}));
  const auto asked = engine_.asked();
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].question, "and for managers?");
  EXPECT_EQ(asked[0].history, (std::vector<std::string>{"what is the notice period?"}));
  EXPECT_EQ(service.Stats().thread_reads_ok, 1u);

  // A thread that cannot be read: the mention is still answered, from the engine's memory.
  poster_->SetThread(Status::Unauthenticated("conversations.replies: missing_scope"));
  service.HandleEvents(SignedRequest(
      MentionBody("Ev2", "<@U0LAN0Z89> and for owners?", R"(,"thread_ts":"1515449000.000001")"),
      kJson));
  service.WaitIdle();
  ASSERT_EQ(engine_.asked().size(), 2u);
  EXPECT_TRUE(engine_.asked()[1].history.empty());
  EXPECT_EQ(poster_->posts().size(), 2u);
  EXPECT_EQ(service.Stats().thread_reads_failed, 1u);
}

TEST_F(SlackServiceTest, AMentionOutsideAThreadReadsNoThread) {
  SlackService& service = Service();
  service.HandleEvents(SignedRequest(MentionBody("Ev1", "<@U0LAN0Z89> notice?"), kJson));
  service.WaitIdle();
  EXPECT_TRUE(poster_->thread_reads().empty());
  ASSERT_EQ(engine_.asked().size(), 1u);
  EXPECT_TRUE(engine_.asked()[0].history.empty());
}

TEST_F(SlackServiceTest, DistinctEventsAreEachAnswered) {
  SlackService& service = Service();
  for (const char* id : {"Ev1", "Ev2", "Ev3"}) {
    service.HandleEvents(SignedRequest(MentionBody(id, "<@U0LAN0Z89> notice?"), kJson));
  }
  service.WaitIdle();
  EXPECT_EQ(poster_->posts().size(), 3u);
}

TEST_F(SlackServiceTest, AppMentionWithoutAQuestionGetsUsageInTheThread) {
  SlackService& service = Service();
  service.HandleEvents(SignedRequest(MentionBody("Ev1", "<@U0LAN0Z89>  "), kJson));
  service.WaitIdle();
  const auto posts = poster_->posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_NE(posts[0].text.find("`<@U0LAN0Z89> help`"), std::string::npos) << posts[0].text;
  EXPECT_TRUE(engine_.asked().empty());
}

TEST_F(SlackServiceTest, BotsAndOurselvesAreIgnored) {
  SlackService& service = Service();
  const std::string bodies[] = {
      MentionBody("Ev1", "<@U0LAN0Z89> hi", R"(,"bot_id":"B123")"),
      MentionBody("Ev2", "<@U0LAN0Z89> hi", R"(,"subtype":"bot_message")"),
      R"({"type":"event_callback","event_id":"Ev3","event":{"type":"app_mention","user":"U0LAN0Z89","text":"<@U0LAN0Z89> hi","ts":"1.2","channel":"C1"},"authorizations":[{"user_id":"U0LAN0Z89","is_bot":true}]})",
  };
  for (const auto& body : bodies) {
    EXPECT_EQ(service.HandleEvents(SignedRequest(body, kJson)).status, 200);
  }
  service.WaitIdle();
  EXPECT_TRUE(poster_->posts().empty());
  EXPECT_EQ(service.Stats().mentions_ignored, 3u);
}

TEST_F(SlackServiceTest, UnreadableOrOtherEventsAreAcknowledgedAndIgnored) {
  SlackService& service = Service();
  for (const char* body :
       {"not json", R"({"type":"event_callback","event":{"type":"reaction_added"}})"}) {
    const SlackHttpResponse r = service.HandleEvents(SignedRequest(body, kJson));
    EXPECT_EQ(r.status, 200) << body;
    EXPECT_EQ(r.body, "") << body;
  }
  service.WaitIdle();
  EXPECT_TRUE(poster_->posts().empty());
}

TEST_F(SlackServiceTest, WithoutABotTokenMentionsAreNotQueued) {
  SlackConfig config = TestConfig();
  config.bot_token.clear();
  SlackService& service = Service(config);
  EXPECT_EQ(
      service.HandleEvents(SignedRequest(MentionBody("Ev1", "<@U0LAN0Z89> hi"), kJson)).status,
      200);
  service.WaitIdle();
  EXPECT_TRUE(poster_->posts().empty());
  EXPECT_EQ(service.Stats().mentions_ignored, 1u);
}

TEST_F(SlackServiceTest, MentionsBeyondTheQueueBoundAreDroppedAndCounted) {
  SlackConfig config = TestConfig();
  config.queue_capacity = 2;
  SlackService& service = Service(config);
  std::future<void> posting = poster_->BlockNext();
  service.HandleEvents(SignedRequest(MentionBody("Ev0", "<@U0LAN0Z89> q0"), kJson));
  posting.wait();  // the worker is now busy with Ev0; the queue is empty
  for (const char* id : {"Ev1", "Ev2", "Ev3", "Ev4"}) {
    EXPECT_EQ(service.HandleEvents(SignedRequest(MentionBody(id, "<@U0LAN0Z89> q"), kJson)).status,
              200)
        << "acknowledged even when dropped: " << id;
  }
  EXPECT_EQ(service.Stats().mentions_dropped, 2u);
  EXPECT_EQ(service.Stats().mentions_queued, 3u);
  poster_->Release();
  service.WaitIdle();
  EXPECT_EQ(poster_->posts().size(), 3u);
  EXPECT_EQ(service.Stats().posts_ok, 3u);
}

// ---- /hooks/outgoing

SlackHttpRequest Hook(std::string body, const std::string& content_type) {
  SlackHttpRequest request;
  request.body = std::move(body);
  if (!content_type.empty()) request.headers["content-type"] = {content_type};
  return request;
}

TEST_F(SlackServiceTest, OutgoingWebhookAnswersFormAndJson) {
  struct Case {
    const char* name;
    SlackHttpRequest request;
  };
  const Case cases[] = {
      {"mattermost form",
       Hook("token=hook-secret&team_id=t1&channel_name=town-square&user_name=alice"
            "&text=%21ask+how+long+is+notice%3F&trigger_word=%21ask",
            kForm)},
      {"json",
       Hook(R"({"token":"hook-secret","text":"!ask how long is notice?","trigger_word":"!ask"})",
            "application/json; charset=utf-8")},
      {"json without content type",
       Hook(R"( {"token":"hook-secret","text":"how long is notice?"})", "")},
  };
  for (const auto& c : cases) {
    FakeEngine engine;
    SlackService service(TestConfig(), engine, FixedClock(), std::make_unique<RecordingPoster>());
    const SlackHttpResponse r = service.HandleOutgoingWebhook(c.request);
    ASSERT_EQ(r.status, 200) << c.name;
    EXPECT_EQ(r.content_type, "application/json") << c.name;
    const std::string text = json::parse(r.body)["text"];
    EXPECT_EQ(text.rfind("The notice period is one month [1].", 0), 0u) << c.name << text;
    EXPECT_NE(text.find("\n\nSources:\n1. [Notice periods](https://qa.example.com/#passage-12)"),
              std::string::npos)
        << c.name << text;
    ASSERT_EQ(engine.asked().size(), 1u) << c.name;
    EXPECT_EQ(engine.asked()[0].question, "how long is notice?") << c.name;
  }
}

TEST_F(SlackServiceTest, OutgoingWebhookRefusesWrongOrMissingTokens) {
  const SlackHttpRequest requests[] = {
      Hook("token=wrong&text=notice", kForm),
      Hook("token=hook-secre&text=notice", kForm),
      Hook("text=notice", kForm),
      Hook("token=hook-secret&token=wrong&text=notice", kForm),
      Hook(R"({"token":42,"text":"notice"})", kJson),
      Hook("not json", kJson),
      Hook("token=hook-secret&text=%ZZ", kForm),
  };
  for (const auto& request : requests) {
    const SlackHttpResponse r = Service().HandleOutgoingWebhook(request);
    EXPECT_EQ(r.status, 401) << request.body;
    EXPECT_EQ(r.body, "") << request.body;
  }
  SlackConfig unset = TestConfig();
  unset.webhook_token.clear();
  EXPECT_EQ(Service(unset).HandleOutgoingWebhook(Hook("token=&text=notice", kForm)).status, 401);
  EXPECT_TRUE(engine_.asked().empty());
}

TEST_F(SlackServiceTest, HelpShowsTheSuggestedQuestions) {
  // The help text's examples come from the suggestion source, asked at each help request.
  std::vector<std::string> suggestions;
  SlackServiceHooks hooks;
  hooks.suggestions = [&suggestions] { return suggestions; };
  SlackService service(TestConfig(), engine_, FixedClock(), std::make_unique<RecordingPoster>(),
                       std::move(hooks));
  const struct {
    std::vector<std::string> suggestions;
    std::string expected;
  } cases[] = {
      {{}, "Type `/ask` followed by your question."},
      {{"Why do kites fly?"}, "`/ask Why do kites fly?`"},
  };
  for (const auto& c : cases) {
    suggestions = c.suggestions;
    const SlackHttpResponse r = service.HandleCommand(SignedRequest(CommandBody("help"), kForm));
    ASSERT_EQ(r.status, 200);
    const std::string text = json::parse(r.body)["text"].get<std::string>();
    EXPECT_NE(text.find(c.expected), std::string::npos) << text;
  }
  EXPECT_TRUE(engine_.asked().empty());
}

TEST_F(SlackServiceTest, OutgoingWebhookUsageAndErrors) {
  const SlackHttpResponse usage = Service().HandleOutgoingWebhook(
      Hook("token=hook-secret&text=%21ask&trigger_word=%21ask", kForm));
  ASSERT_EQ(usage.status, 200);
  EXPECT_NE(json::parse(usage.body)["text"].get<std::string>().find("`!ask help`"),
            std::string::npos);
  FakeEngine failing(Status::IoError("disk"));
  SlackService service(TestConfig(), failing, FixedClock(), std::make_unique<RecordingPoster>());
  const SlackHttpResponse r =
      service.HandleOutgoingWebhook(Hook("token=hook-secret&text=x", kForm));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["text"].get<std::string>().rfind("Sorry, something went wrong", 0),
            0u);
}

}  // namespace
}  // namespace citeqa::server::slack
