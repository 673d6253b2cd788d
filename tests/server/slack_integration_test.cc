// Slack through the real binary: `citeqa serve` as a child process with the Slack secrets in
// its environment, a signed slash command over HTTP, verification failures, the Events
// handshake, and an app mention answered through a fake Slack Web API on loopback, once
// even when Slack retries. Skipped only when the binary has not been built.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
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

// Records chat.postMessage calls, as Slack's Web API would receive them.
class FakeSlackApi {
 public:
  FakeSlackApi() {
    server_.Post(
        "/api/chat.postMessage", [this](const httplib::Request& req, httplib::Response& res) {
          std::lock_guard<std::mutex> lock(mu_);
          posts_.push_back(
              {req.get_header_value("Authorization"), json::parse(req.body, nullptr, false)});
          res.set_content(R"({"ok":true})", "application/json");
        });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeSlackApi() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  std::vector<std::pair<std::string, json>> posts() {
    std::lock_guard<std::mutex> lock(mu_);
    return posts_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::pair<std::string, json>> posts_;
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
        {"CITEQA_PUBLIC_BASE_URL", "https://qa.example.com"}};
    const std::string error =
        server_.Start(kBinary, {"serve", "--db", (root_ / "index.db").string(), "--port", "0"}, env,
                      root_ / "serve.err");
    ASSERT_EQ(error, "");
  }
  void TearDown() override {
    if (!root_.empty()) fs::remove_all(root_);
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

}  // namespace
}  // namespace citeqa::server
