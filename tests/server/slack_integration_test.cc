// Slack through the real binary: `citeqa serve` as a child process with the Slack secrets in
// its environment, a signed slash command over HTTP, verification failures, the Events
// handshake, an app mention answered through a fake Slack Web API on loopback, once even
// when Slack retries, and a click on an answer's vote button that is thanked through the
// response_url and shows in the unanswered-questions report. Skipped only when the binary
// has not been built.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "server/slack/message_format.h"
#include "server/slack/signature.h"
#include "tests/server/admin_test_process.h"

namespace citeqa::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kBinary = CITEQA_BINARY;
constexpr const char* kSecret = "integration-signing-secret";
constexpr const char* kBotToken = "xoxb-integration";
constexpr const char* kWebhookToken = "webhook-token";
constexpr const char* kAdminToken = "integration-admin-token-0123456789";

// Records chat.postMessage calls, as Slack's Web API would receive them, and replies sent to
// response_urls under /actions/; lists a thread's messages (people's, added by the test, and
// the posted answers) for conversations.replies.
class FakeSlackApi {
 public:
  FakeSlackApi() {
    server_.Post(
        "/api/chat.postMessage", [this](const httplib::Request& req, httplib::Response& res) {
          std::lock_guard<std::mutex> lock(mu_);
          json post = json::parse(req.body, nullptr, false);
          if (post.is_object() && post.contains("thread_ts")) {
            const std::string ts = "1800000000." + std::to_string(100000 + posts_.size());
            thread_messages_.push_back({post["thread_ts"].get<std::string>(),
                                        {{"type", "message"}, {"subtype", "bot_message"},
                                         {"bot_id", "BBOT"}, {"ts", ts},
                                         {"text", post.value("text", "")}}});
          }
          posts_.push_back({req.get_header_value("Authorization"), std::move(post)});
          res.set_content(R"({"ok":true})", "application/json");
        });
    server_.Get("/api/conversations.replies",
                [this](const httplib::Request& req, httplib::Response& res) {
                  std::lock_guard<std::mutex> lock(mu_);
                  json messages = json::array();
                  for (const auto& [thread, message] : thread_messages_) {
                    if (thread == req.get_param_value("ts")) messages.push_back(message);
                  }
                  thread_reads_.push_back(req.get_header_value("Authorization"));
                  res.set_content(json{{"ok", true}, {"messages", messages}}.dump(),
                                  "application/json");
                });
    server_.Post("/actions/.*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      replies_.push_back({req.path, json::parse(req.body, nullptr, false)});
      res.set_content("ok", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeSlackApi() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  // A person's message in thread `thread_ts` (the thread's first message has ts == thread_ts).
  void AddPersonMessage(const std::string& thread_ts, const std::string& ts,
                        const std::string& user, const std::string& text) {
    std::lock_guard<std::mutex> lock(mu_);
    thread_messages_.push_back(
        {thread_ts, {{"type", "message"}, {"user", user}, {"ts", ts}, {"text", text}}});
  }
  // The Authorization header of each conversations.replies call.
  std::vector<std::string> thread_reads() {
    std::lock_guard<std::mutex> lock(mu_);
    return thread_reads_;
  }
  std::vector<std::pair<std::string, json>> posts() {
    std::lock_guard<std::mutex> lock(mu_);
    return posts_;
  }
  // (path, body) of each response_url call.
  std::vector<std::pair<std::string, json>> replies() {
    std::lock_guard<std::mutex> lock(mu_);
    return replies_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::pair<std::string, json>> posts_;
  std::vector<std::pair<std::string, json>> replies_;
  std::vector<std::pair<std::string, json>> thread_messages_;  // (thread_ts, message), in order
  std::vector<std::string> thread_reads_;
};

class SlackIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (kBinary.empty() || !fs::exists(kBinary)) GTEST_SKIP() << "citeqa is not built";
    root_ = fs::temp_directory_path() / ("citeqa_slack_it_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    const auto indexed = testing::RunProcess(
        kBinary, {"index", "--corpus", CITEQA_CORPUS_DIR, "--db", (root_ / "index.db").string()},
        root_);
    ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
    const testing::EnvChanges env = {
        {"CITEQA_SLACK_SIGNING_SECRET", kSecret},
        {"CITEQA_SLACK_BOT_TOKEN", kBotToken},
        {"CITEQA_WEBHOOK_TOKEN", kWebhookToken},
        {"CITEQA_SLACK_API_BASE", "http://127.0.0.1:" + std::to_string(api_.port()) + "/api"},
        {"CITEQA_PUBLIC_BASE_URL", "https://qa.example.com"},
        {"CITEQA_ADMIN_TOKEN", kAdminToken}};
    const std::string error =
        server_.Start(kBinary, {"serve", "--db", (root_ / "index.db").string(), "--port", "0"}, env,
                      root_ / "serve.err");
    ASSERT_EQ(error, "");
  }
  void TearDown() override {
    if (!root_.empty()) testing::RemoveTestRoot(root_);
  }

  httplib::Result PostSigned(const std::string& path, const std::string& body,
                             const std::string& content_type, httplib::Headers extra = {}) {
    const std::string ts = std::to_string(std::time(nullptr));
    httplib::Headers headers = {
        {"X-Slack-Request-Timestamp", ts},
        {"X-Slack-Signature", slack::ComputeSlackSignature(kSecret, ts, body)}};
    headers.insert(extra.begin(), extra.end());
    httplib::Client client("127.0.0.1", server_.port());
    return client.Post(path.c_str(), headers, body, content_type.c_str());
  }

  fs::path root_;
  FakeSlackApi api_;
  testing::ServeProcess server_;
};

TEST_F(SlackIntegrationTest, SignedSlashCommandGetsACitedAnswer) {
  const std::string body =
      "token=x&team_id=T1&channel_id=C1&user_id=U1&command=%2Fask&"
      "text=How+much+does+a+product+owner+earn+in+India%3F";
  auto res = PostSigned("/slack/command", body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json message = json::parse(res->body);
  EXPECT_EQ(message["response_type"], "in_channel");
  EXPECT_NE(message["text"].get<std::string>().find("lakhs"), std::string::npos) << res->body;
  ASSERT_TRUE(message["blocks"].is_array());
  EXPECT_NE(res->body.find("https://qa.example.com/#passage-"), std::string::npos) << res->body;
}

TEST_F(SlackIntegrationTest, RefusesWhatDoesNotVerify) {
  const std::string body = "command=%2Fask&text=salary";
  // A second signature header, even a correct one, is refused rather than resolved.
  const std::string ts = std::to_string(std::time(nullptr));
  auto duplicated =
      PostSigned("/slack/command", body, "application/x-www-form-urlencoded",
                 {{"X-Slack-Signature", slack::ComputeSlackSignature(kSecret, ts, body)}});
  ASSERT_TRUE(duplicated);
  EXPECT_EQ(duplicated->status, 401);
  httplib::Client client("127.0.0.1", server_.port());
  auto unsigned_request = client.Post("/slack/command", body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(unsigned_request);
  EXPECT_EQ(unsigned_request->status, 401);
  auto stale = client.Post(
      "/slack/command",
      {{"X-Slack-Request-Timestamp", "1531420618"},
       {"X-Slack-Signature", slack::ComputeSlackSignature(kSecret, "1531420618", body)}},
      body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 401);
  EXPECT_EQ(client.Get("/healthz")->status, 200) << "the server keeps serving";
}

TEST_F(SlackIntegrationTest, EventsHandshakeAndMentionAnsweredOnceInThread) {
  auto handshake = PostSigned("/slack/events", R"({"type":"url_verification","challenge":"c-42"})",
                              "application/json");
  ASSERT_TRUE(handshake);
  ASSERT_EQ(handshake->status, 200);
  EXPECT_EQ(json::parse(handshake->body)["challenge"], "c-42");

  const std::string mention = R"({"type":"event_callback","event_id":"Ev1","team_id":"T1",
    "event":{"type":"app_mention","user":"U1","text":"<@UBOT> What does a product owner do?",
    "channel":"C1","ts":"1700000000.000100"}})";
  ASSERT_EQ(PostSigned("/slack/events", mention, "application/json")->status, 200);
  auto retry =
      PostSigned("/slack/events", mention, "application/json", {{"X-Slack-Retry-Num", "1"}});
  ASSERT_EQ(retry->status, 200);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (api_.posts().empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // a duplicate would come now
  const auto posts = api_.posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].first, std::string("Bearer ") + kBotToken);
  EXPECT_EQ(posts[0].second["channel"], "C1");
  EXPECT_EQ(posts[0].second["thread_ts"], "1700000000.000100");
  // It says what the engine answers the question, and starts its sources with the answer's.
  httplib::Client client("127.0.0.1", server_.port());
  auto asked = client.Post("/api/ask", R"({"question": "What does a product owner do?"})",
                           "application/json");
  ASSERT_TRUE(asked);
  ASSERT_EQ(asked->status, 200) << asked->body;
  const json answer = json::parse(asked->body);
  ASSERT_EQ(answer["found"], true) << asked->body;
  EXPECT_EQ(posts[0].second["text"], slack::EscapeMrkdwn(answer["answer"].get<std::string>()));
  const std::string first_source =
      "#passage-" + std::to_string(answer["citations"][0]["passage_id"].get<int64_t>()) + "|";
  EXPECT_NE(posts[0].second.dump().find(first_source), std::string::npos) << posts[0].second.dump();
}

// Two replicas of one index: a thread started on one and followed up on the other. The
// second reads the thread's earlier question from Slack and answers as the API does with
// that question as history.
TEST_F(SlackIntegrationTest, AThreadsFollowUpOnAnotherReplicaKeepsItsContext) {
  testing::ServeProcess other;
  const testing::EnvChanges env = {
      {"CITEQA_SLACK_SIGNING_SECRET", kSecret},
      {"CITEQA_SLACK_BOT_TOKEN", kBotToken},
      {"CITEQA_SLACK_API_BASE", "http://127.0.0.1:" + std::to_string(api_.port()) + "/api"}};
  ASSERT_EQ(other.Start(kBinary, {"serve", "--db", (root_ / "index.db").string(), "--port", "0"},
                        env, root_ / "other.err"),
            "");
  const auto mention = [](const std::string& id, const std::string& ts, const std::string& text,
                          const std::string& thread_fields) {
    return R"({"type":"event_callback","event_id":")" + id + R"(","team_id":"T1",
      "event":{"type":"app_mention","user":"U1","text":"<@UBOT> )" + text + R"(",
      "channel":"C1","ts":")" + ts + "\"" + thread_fields + R"(},
      "authorizations":[{"user_id":"UBOT","is_bot":true}]})";
  };
  const auto wait_for_posts = [this](size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (api_.posts().size() < n && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return api_.posts();
  };
  const std::string thread = "1700000100.000100";
  api_.AddPersonMessage(thread, thread, "U1", "<@UBOT> What is a product owner?");
  ASSERT_EQ(PostSigned("/slack/events",
                       mention("EvA", thread, "What is a product owner?", ""), "application/json")
                ->status,
            200);
  ASSERT_EQ(wait_for_posts(1).size(), 1u);

  const std::string follow_up_ts = "1700000200.000100";
  api_.AddPersonMessage(thread, follow_up_ts, "U1", "<@UBOT> What skills do they need?");
  const std::string body = mention("EvB", follow_up_ts, "What skills do they need?",
                                   R"(,"thread_ts":")" + thread + "\"");
  const std::string ts = std::to_string(std::time(nullptr));
  httplib::Client to_other("127.0.0.1", other.port());
  auto sent = to_other.Post("/slack/events",
                            {{"X-Slack-Request-Timestamp", ts},
                             {"X-Slack-Signature", slack::ComputeSlackSignature(kSecret, ts, body)}},
                            body, "application/json");
  ASSERT_TRUE(sent);
  ASSERT_EQ(sent->status, 200);
  const auto posts = wait_for_posts(2);
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[1].second["thread_ts"], thread);
  ASSERT_EQ(api_.thread_reads().size(), 1u) << "only the follow-up reads its thread";
  EXPECT_EQ(api_.thread_reads()[0], std::string("Bearer ") + kBotToken);

  httplib::Client client("127.0.0.1", server_.port());
  const auto text_of = [&client](const std::string& request) {
    auto asked = client.Post("/api/ask", request, "application/json");
    return asked && asked->status == 200
               ? slack::EscapeMrkdwn(json::parse(asked->body)["answer"].get<std::string>())
               : std::string("(failed)");
  };
  const std::string with_history = text_of(
      R"({"question": "What skills do they need?", "history": ["What is a product owner?"]})");
  const std::string alone = text_of(R"({"question": "What skills do they need?"})");
  ASSERT_NE(with_history, alone) << "the follow-up does not depend on its context";
  // Slack's text shows list items with bullets where the API's has "- ".
  std::string posted = posts[1].second["text"].get<std::string>();
  const std::string bullet = "\n\u2022 ";
  for (size_t at = posted.find(bullet); at != std::string::npos; at = posted.find(bullet, at)) {
    posted.replace(at, bullet.size(), "\n- ");
  }
  EXPECT_EQ(posted, with_history);
}

TEST_F(SlackIntegrationTest, OutgoingWebhookNeedsItsToken) {
  httplib::Client client("127.0.0.1", server_.port());
  auto ok = client.Post("/hooks/outgoing",
                        std::string("token=") + kWebhookToken + "&text=What+is+a+product+owner%3F",
                        "application/x-www-form-urlencoded");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 200) << ok->body;
  EXPECT_NE(json::parse(ok->body)["text"].get<std::string>().find("[1]"), std::string::npos);
  auto wrong =
      client.Post("/hooks/outgoing", "token=nope&text=hi", "application/x-www-form-urlencoded");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
}

std::string FormEncode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof(escaped), "%%%02X", byte);
      out += escaped;
    }
  }
  return out;
}

TEST_F(SlackIntegrationTest, AVoteFromAButtonIsThankedAndReported) {
  // An answer in the channel, with its buttons.
  const std::string question = "How much does a product owner earn in India?";
  const std::string command =
      "team_id=T1&channel_id=C1&user_id=U1&command=%2Fask&text=" + FormEncode(question) +
      "&response_url=x";
  auto answered = PostSigned("/slack/command", command, "application/x-www-form-urlencoded");
  ASSERT_TRUE(answered);
  ASSERT_EQ(answered->status, 200) << answered->body;
  const json message = json::parse(answered->body);
  const json& blocks = message["blocks"];
  ASSERT_FALSE(blocks.empty());
  const json& buttons = blocks.back();
  ASSERT_EQ(buttons["type"], "actions") << answered->body;
  ASSERT_EQ(buttons["elements"].size(), 2u);
  const json& down = buttons["elements"][1];
  ASSERT_EQ(down["action_id"], "citeqa_vote_down");
  EXPECT_LE(down["value"].get<std::string>().size(), 2000u);

  // Slack's block_actions payload for a click on "Not helpful".
  const std::string response_url =
      "http://127.0.0.1:" + std::to_string(api_.port()) + "/actions/T1/1/abc";
  const json payload = {
      {"type", "block_actions"},
      {"user", {{"id", "U2"}}},
      {"team", {{"id", "T1"}}},
      {"channel", {{"id", "C1"}}},
      {"container", {{"type", "message"}, {"message_ts", "1.2"}, {"is_ephemeral", false}}},
      {"message", {{"type", "message"}, {"text", message["text"]}, {"blocks", blocks}}},
      {"response_url", response_url},
      {"actions", json::array({{{"type", "button"},
                                {"block_id", buttons["block_id"]},
                                {"action_id", down["action_id"]},
                                {"value", down["value"]}}})}};
  const std::string body = "payload=" + FormEncode(payload.dump());
  auto clicked = PostSigned("/slack/interactivity", body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(clicked);
  EXPECT_EQ(clicked->status, 200) << clicked->body;
  EXPECT_EQ(clicked->body, "");

  // The voter is thanked through the response_url, where only they see it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (api_.replies().empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto replies = api_.replies();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].first, "/actions/T1/1/abc");
  EXPECT_EQ(replies[0].second["response_type"], "ephemeral") << replies[0].second.dump();
  EXPECT_NE(replies[0].second["text"].get<std::string>().find("Thanks for the feedback"),
            std::string::npos)
      << replies[0].second.dump();

  // The down vote is in the unanswered-questions report, for the question as grouped.
  httplib::Client client("127.0.0.1", server_.port());
  auto report = client.Get("/api/reports/unanswered",
                           {{"Authorization", std::string("Bearer ") + kAdminToken}});
  ASSERT_TRUE(report);
  ASSERT_EQ(report->status, 200) << report->body;
  const json groups = json::parse(report->body)["groups"];
  ASSERT_EQ(groups.size(), 1u) << report->body;
  EXPECT_EQ(groups[0]["down_votes"], 1) << report->body;
  EXPECT_EQ(groups[0]["asked_as"], json::array({question})) << report->body;
  EXPECT_EQ(groups[0]["question"], "how much does a product owner earn in india") << report->body;
}

TEST_F(SlackIntegrationTest, InteractivityRefusesWhatDoesNotVerifyOrRead) {
  const std::string body = "payload=" + FormEncode(R"({"type":"block_actions","actions":[]})");
  httplib::Client client("127.0.0.1", server_.port());
  auto unsigned_request =
      client.Post("/slack/interactivity", body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(unsigned_request);
  EXPECT_EQ(unsigned_request->status, 401);
  auto stale = client.Post(
      "/slack/interactivity",
      {{"X-Slack-Request-Timestamp", "1531420618"},
       {"X-Slack-Signature", slack::ComputeSlackSignature(kSecret, "1531420618", body)}},
      body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 401);
  auto ignored = PostSigned("/slack/interactivity", body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(ignored);
  EXPECT_EQ(ignored->status, 200) << "nothing of ours clicked: acknowledged";
  auto malformed =
      PostSigned("/slack/interactivity", "payload=%7Bnot", "application/x-www-form-urlencoded");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 400);
  EXPECT_EQ(json::parse(malformed->body)["error"]["code"], "invalid_argument") << malformed->body;
}

}  // namespace
}  // namespace citeqa::server
