// The vote buttons end to end inside the Slack service: buttons on answers, POST
// /slack/interactivity under Slack's signature scheme, the vote handed to the
// FeedbackRecorder and the voter told through the response_url.
#include <gtest/gtest.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <vector>

#include "server/slack/feedback_buttons.h"
#include "server/slack/slack_service.h"
#include "tests/server/slack/fake_engine.h"
#include "tests/server/slack/interaction_payload.h"
#include "tests/server/slack/recording_poster.h"
#include "tests/server/slack/signed_request.h"

namespace citeqa::server::slack {
namespace {

using nlohmann::json;
using testing::FakeEngine;
using testing::InteractionBody;
using testing::kTestNow;
using testing::kTestSecret;
using testing::RecordingPoster;
using testing::SignedRequest;
using testing::VotePayload;

constexpr char kForm[] = "application/x-www-form-urlencoded";
constexpr char kUrl[] = "https://hooks.slack.com/actions/T1/1/abc";
const VoteSubject kSubject{"how long is notice?", "slack:T1:C1:U1",
                           "The notice period is one month [1]."};

class FakeRecorder : public FeedbackRecorder {
 public:
  explicit FakeRecorder(Status reply = Status::Ok()) : reply_(std::move(reply)) {}
  Status Record(const Feedback& feedback) override {
    std::lock_guard<std::mutex> lock(mu_);
    recorded_.push_back(feedback);
    return reply_;
  }
  std::vector<Feedback> recorded() const {
    std::lock_guard<std::mutex> lock(mu_);
    return recorded_;
  }

 private:
  mutable std::mutex mu_;
  const Status reply_;
  std::vector<Feedback> recorded_;
};

SlackConfig TestConfig() {
  SlackConfig config;
  config.signing_secret = kTestSecret;
  config.bot_token = "xoxb-test";
  config.public_base_url = "https://qa.example.com";
  return config;
}

class SlackInteractivityTest : public ::testing::Test {
 protected:
  SlackService& Service(FeedbackRecorder* recorder, SlackServiceHooks hooks = {}) {
    auto poster = std::make_unique<RecordingPoster>();
    poster_ = poster.get();
    hooks.feedback = recorder;
    service_ = std::make_unique<SlackService>(
        TestConfig(), engine_, [] { return kTestNow; }, std::move(poster), std::move(hooks));
    return *service_;
  }

  static SlackHttpRequest Vote(std::string_view action_id, const json& payload_changes = {}) {
    json payload = VotePayload(action_id, kSubject, kUrl, "The notice period is one month [1].");
    if (!payload_changes.is_null()) payload.merge_patch(payload_changes);
    return SignedRequest(InteractionBody(payload), kForm);
  }

  FakeEngine engine_;
  RecordingPoster* poster_ = nullptr;
  std::unique_ptr<SlackService> service_;
};

const json* FindActionsBlock(const json& blocks) {
  for (const json& block : blocks) {
    if (block["type"] == "actions") return &block;
  }
  return nullptr;
}

TEST_F(SlackInteractivityTest, FoundAnswersCarryButtonsWhenVotesAreKept) {
  FakeRecorder recorder;
  struct Case {
    const char* name;
    Result<retriever::AskResponse> answer;
    bool with_recorder;
    bool expect_buttons;
  };
  const Case cases[] = {
      {"found, votes kept", testing::TwoCitationAnswer(), true, true},
      {"found, no recorder", testing::TwoCitationAnswer(), false, false},
      {"abstention", testing::NotFoundAnswer(), true, false},
  };
  for (const auto& c : cases) {
    FakeEngine engine(c.answer);
    SlackServiceHooks hooks;
    hooks.feedback = c.with_recorder ? &recorder : nullptr;
    SlackService service(
        TestConfig(), engine, [] { return kTestNow; }, std::make_unique<RecordingPoster>(),
        std::move(hooks));
    const SlackHttpResponse r = service.HandleCommand(SignedRequest(
        "command=%2Fask&team_id=T1&channel_id=C1&user_id=U1&text=how+long+is+notice%3F", kForm));
    ASSERT_EQ(r.status, 200) << c.name;
    const json message = json::parse(r.body);
    const json* actions = FindActionsBlock(message["blocks"]);
    ASSERT_EQ(actions != nullptr, c.expect_buttons) << c.name << ": " << r.body;
    if (actions == nullptr) continue;
    EXPECT_EQ(message["blocks"].back(), *actions) << c.name << ": the buttons come last";
    const auto value = DecodeButtonValue((*actions)["elements"][1]["value"].get<std::string>());
    ASSERT_TRUE(value.ok()) << c.name;
    EXPECT_EQ(value->question, "how long is notice?") << c.name;
    EXPECT_EQ(value->conversation_id, "c1") << c.name << ": the engine's conversation id";
    EXPECT_EQ(value->answer, testing::TwoCitationAnswer().answer) << c.name;
  }
}

TEST_F(SlackInteractivityTest, MentionAnswersCarryButtons) {
  FakeRecorder recorder;
  SlackService& service = Service(&recorder);
  service.HandleEvents(SignedRequest(
      R"({"type":"event_callback","event_id":"Ev1","team_id":"T1","event":{"type":"app_mention",)"
      R"("user":"U1","text":"<@UBOT> notice?","ts":"1.5","channel":"C1"}})",
      "application/json"));
  service.WaitIdle();
  const auto posts = poster_->posts();
  ASSERT_EQ(posts.size(), 1u);
  const json* actions = FindActionsBlock(posts[0].blocks);
  ASSERT_NE(actions, nullptr) << posts[0].blocks.dump();
  EXPECT_EQ((*actions)["elements"][0]["action_id"], kVoteUpActionId);
}

TEST_F(SlackInteractivityTest, OnlyRequestsSignedBySlackAreTaken) {
  const std::string body = InteractionBody(VotePayload(kVoteDownActionId, kSubject, kUrl));
  SlackHttpRequest no_headers;
  no_headers.body = body;
  SlackHttpRequest wrong = SignedRequest(body, kForm);
  wrong.headers["x-slack-signature"] = {"v0=" + std::string(64, '0')};
  struct Case {
    const char* name;
    SlackHttpRequest request;
    int expected_status;
  };
  const Case cases[] = {
      {"valid", SignedRequest(body, kForm), 200},
      {"missing signature and timestamp", no_headers, 401},
      {"wrong signature", wrong, 401},
      {"another secret", SignedRequest(body, kForm, kTestNow, "not-the-secret"), 401},
      {"stale timestamp", SignedRequest(body, kForm, kTestNow - kMaxSignatureSkewSeconds - 1), 401},
      {"future timestamp", SignedRequest(body, kForm, kTestNow + kMaxSignatureSkewSeconds + 1),
       401},
      {"body changed after signing",
       [&] {
         SlackHttpRequest r = SignedRequest(body, kForm);
         r.body += "&x=1";
         return r;
       }(),
       401},
  };
  for (const auto& c : cases) {
    FakeRecorder recorder;
    SlackService& service = Service(&recorder);
    const SlackHttpResponse r = service.HandleInteraction(c.request);
    EXPECT_EQ(r.status, c.expected_status) << c.name;
    EXPECT_EQ(r.body, "") << c.name;
    EXPECT_EQ(recorder.recorded().size(), c.expected_status == 200 ? 1u : 0u) << c.name;
    EXPECT_EQ(service.Stats().requests_refused, c.expected_status == 401 ? 1u : 0u) << c.name;
  }
}

TEST_F(SlackInteractivityTest, WithoutASigningSecretEverythingIsRefused) {
  FakeRecorder recorder;
  SlackConfig config = TestConfig();
  config.signing_secret.clear();
  SlackServiceHooks hooks;
  hooks.feedback = &recorder;
  SlackService service(
      config, engine_, [] { return kTestNow; }, std::make_unique<RecordingPoster>(),
      std::move(hooks));
  EXPECT_EQ(service.HandleInteraction(Vote(kVoteUpActionId)).status, 401);
  EXPECT_TRUE(recorder.recorded().empty());
}

TEST_F(SlackInteractivityTest, AVoteIsRecordedAndTheVoterThanked) {
  struct Case {
    const char* name;
    std::string_view action_id;
    json changes;
    bool helpful;
    bool expect_replaced;
  };
  const Case cases[] = {
      {"up, in channel", kVoteUpActionId, {}, true, false},
      {"down, in channel", kVoteDownActionId, {}, false, false},
      {"down, on an ephemeral answer",
       kVoteDownActionId,
       {{"container", {{"is_ephemeral", true}}}},
       false,
       true},
  };
  for (const auto& c : cases) {
    FakeRecorder recorder;
    SlackService& service = Service(&recorder);
    const SlackHttpResponse r = service.HandleInteraction(Vote(c.action_id, c.changes));
    EXPECT_EQ(r.status, 200) << c.name;
    EXPECT_EQ(r.body, "") << c.name << ": acknowledged at once, the reply goes to response_url";
    const auto recorded = recorder.recorded();
    ASSERT_EQ(recorded.size(), 1u) << c.name;
    EXPECT_EQ(recorded[0].question, kSubject.question) << c.name;
    EXPECT_EQ(recorded[0].answer, "The notice period is one month [1].") << c.name;
    EXPECT_EQ(recorded[0].helpful, c.helpful) << c.name;
    EXPECT_EQ(recorded[0].conversation_id, kSubject.conversation_id) << c.name;
    EXPECT_EQ(recorded[0].comment, "") << c.name;
    EXPECT_EQ(recorded[0].source, "slack") << c.name;
    service.WaitIdle();
    const auto replies = poster_->replies();
    ASSERT_EQ(replies.size(), 1u) << c.name;
    EXPECT_EQ(replies[0].response_url, kUrl) << c.name;
    EXPECT_EQ(replies[0].message["replace_original"], c.expect_replaced) << c.name;
    EXPECT_NE(replies[0].message.dump().find("Thanks for the feedback"), std::string::npos)
        << c.name << ": " << replies[0].message.dump();
    if (c.expect_replaced) {
      EXPECT_EQ(FindActionsBlock(replies[0].message["blocks"]), nullptr) << c.name;
      EXPECT_EQ(replies[0].message["blocks"][0]["text"]["text"],
                "The notice period is one month [1].")
          << c.name << ": the answer stays";
    }
    EXPECT_EQ(service.Stats().votes_recorded, 1u) << c.name;
    EXPECT_EQ(service.Stats().replies_ok, 1u) << c.name;
  }
}

TEST_F(SlackInteractivityTest, AVoteThatIsNotKeptIsSaidSo) {
  struct Case {
    const char* name;
    Status recorder_reply;
    bool with_recorder;
    const char* expected_text_start;
  };
  const Case cases[] = {
      {"log off", Status::Unavailable("off"), true, "Thanks, but feedback is not being kept"},
      {"no recorder", Status::Ok(), false, "Thanks, but feedback is not being kept"},
      {"queue full", Status::ResourceExhausted("full"), true, "Sorry, I could not take"},
      {"refused", Status::InvalidArgument("answer: too long"), true, "Sorry, I could not record"},
  };
  for (const auto& c : cases) {
    FakeRecorder recorder(c.recorder_reply);
    SlackService& service = Service(c.with_recorder ? &recorder : nullptr);
    const SlackHttpResponse r = service.HandleInteraction(Vote(kVoteDownActionId));
    EXPECT_EQ(r.status, 200) << c.name;
    service.WaitIdle();
    const auto replies = poster_->replies();
    ASSERT_EQ(replies.size(), 1u) << c.name;
    EXPECT_EQ(replies[0].message["response_type"], "ephemeral") << c.name;
    EXPECT_EQ(replies[0].message["replace_original"], false) << c.name;
    EXPECT_EQ(replies[0].message["text"].get<std::string>().rfind(c.expected_text_start, 0), 0u)
        << c.name << ": " << replies[0].message["text"];
    EXPECT_EQ(service.Stats().votes_not_kept, 1u) << c.name;
  }
}

TEST_F(SlackInteractivityTest, MalformedPayloadsAre400sAndOtherActionsAreIgnored) {
  json foreign_value = VotePayload(kVoteUpActionId, kSubject, kUrl);
  foreign_value["actions"][0]["value"] = "up";
  struct Case {
    const char* name;
    std::string body;
    int expected_status;
  };
  const Case cases[] = {
      {"no payload", "foo=bar", 400},
      {"not JSON", "payload=%7Bnope", 400},
      {"payload twice",
       InteractionBody(VotePayload(kVoteUpActionId, kSubject, kUrl)) + "&payload=x", 400},
      {"foreign value on our button", InteractionBody(foreign_value), 400},
      {"another app's button",
       InteractionBody(json(
           {{"type", "block_actions"}, {"actions", json::array({{{"action_id", "approve"}}})}})),
       200},
      {"a modal submission", InteractionBody(json({{"type", "view_submission"}})), 200},
  };
  for (const auto& c : cases) {
    FakeRecorder recorder;
    SlackService& service = Service(&recorder);
    const SlackHttpResponse r = service.HandleInteraction(SignedRequest(c.body, kForm));
    EXPECT_EQ(r.status, c.expected_status) << c.name;
    if (c.expected_status == 400) {
      EXPECT_EQ(r.content_type, "application/json") << c.name;
      EXPECT_EQ(json::parse(r.body)["error"]["code"], "invalid_argument") << c.name;
    } else {
      EXPECT_EQ(r.body, "") << c.name;
    }
    EXPECT_TRUE(recorder.recorded().empty()) << c.name;
    service.WaitIdle();
    EXPECT_TRUE(poster_->replies().empty()) << c.name;
  }
}

TEST_F(SlackInteractivityTest, AFailedReplyIsCountedNotFatal) {
  FakeRecorder recorder;
  SlackService& service = Service(&recorder);
  poster_->SetRespondStatus(Status::InvalidArgument("response_url is not Slack's"));
  EXPECT_EQ(service.HandleInteraction(Vote(kVoteUpActionId)).status, 200);
  service.WaitIdle();
  EXPECT_EQ(recorder.recorded().size(), 1u) << "the vote counts even if the thanks fails";
  EXPECT_EQ(service.Stats().replies_failed, 1u);
}

}  // namespace
}  // namespace citeqa::server::slack
