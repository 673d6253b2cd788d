#include "server/slack/slack_web_api.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/server/slack/fake_slack_api.h"

namespace citeqa::server::slack {
namespace {

using testing::FakeSlackApi;

TEST(SlackWebApiTest, ParsesApiBases) {
  struct Case {
    const char* base;
    const char* scheme_host_port;
    const char* prefix;
  };
  const Case cases[] = {
      {"https://slack.com/api", "https://slack.com", "/api"},
      {"http://127.0.0.1:4567/api/", "http://127.0.0.1:4567", "/api"},
      {"http://127.0.0.1:4567", "http://127.0.0.1:4567", ""},
      {"https://proxy.example.com/slack/api", "https://proxy.example.com", "/slack/api"},
  };
  for (const auto& c : cases) {
    const Result<SlackApiEndpoint> e = ParseApiBase(c.base);
    ASSERT_TRUE(e.ok()) << c.base;
    EXPECT_EQ(e->scheme_host_port, c.scheme_host_port) << c.base;
    EXPECT_EQ(e->path_prefix, c.prefix) << c.base;
  }
  for (const char* bad : {"", "slack.com/api", "ftp://slack.com", "https://", "https:///api"}) {
    EXPECT_EQ(ParseApiBase(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(SlackWebApiTest, PostMessageBody) {
  SlackPost post;
  post.channel = "C1";
  post.thread_ts = "1.2";
  post.text = "hi";
  post.blocks = nlohmann::json::array({{{"type", "section"}}});
  EXPECT_EQ(nlohmann::json::parse(PostMessageBody(post)),
            nlohmann::json({{"channel", "C1"},
                            {"thread_ts", "1.2"},
                            {"text", "hi"},
                            {"blocks", post.blocks},
                            {"unfurl_links", false},
                            {"unfurl_media", false}}));
  post.thread_ts.clear();
  post.blocks = nlohmann::json::array();
  const nlohmann::json top_level = nlohmann::json::parse(PostMessageBody(post));
  EXPECT_FALSE(top_level.contains("thread_ts"));
  EXPECT_FALSE(top_level.contains("blocks"));
}

TEST(SlackWebApiTest, PostsWithTheBotToken) {
  FakeSlackApi api;
  SlackWebApiPoster poster({api.ApiBase(), "xoxb-test-token"});
  SlackPost post;
  post.channel = "C1";
  post.thread_ts = "1.2";
  post.text = "answer";
  const Status status = poster.Post(post);
  ASSERT_TRUE(status.ok()) << status.ToString();
  const auto calls = api.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].path, "/api/chat.postMessage");
  EXPECT_EQ(calls[0].authorization, "Bearer xoxb-test-token");
  EXPECT_EQ(calls[0].content_type, "application/json; charset=utf-8");
  EXPECT_EQ(nlohmann::json::parse(calls[0].body)["text"], "answer");
}

TEST(SlackWebApiTest, MapsSlackErrors) {
  struct Case {
    int status;
    const char* body;
    StatusCode expected;
  };
  const Case cases[] = {
      {200, R"({"ok":false,"error":"invalid_auth"})", StatusCode::kUnauthenticated},
      {200, R"({"ok":false,"error":"channel_not_found"})", StatusCode::kInvalidArgument},
      {200, R"({"ok":false,"error":"ratelimited"})", StatusCode::kUnavailable},
      {200, R"({"ok":false})", StatusCode::kInvalidArgument},
      {200, "not json", StatusCode::kInvalidArgument},
      {429, R"({"ok":false,"error":"ratelimited"})", StatusCode::kUnavailable},
      {503, "", StatusCode::kUnavailable},
      {404, "", StatusCode::kInvalidArgument},
  };
  for (const auto& c : cases) {
    FakeSlackApi api(c.status, c.body);
    SlackWebApiPoster poster({api.ApiBase(), "xoxb-test-token"});
    EXPECT_EQ(poster.Post(SlackPost{"C1", "", "hi"}).code(), c.expected)
        << c.status << " " << c.body;
    EXPECT_EQ(api.calls().size(), 1u);
  }
}

TEST(SlackWebApiTest, NoTokenSendsNothing) {
  FakeSlackApi api;
  SlackWebApiPoster poster({api.ApiBase(), ""});
  EXPECT_EQ(poster.Post(SlackPost{"C1", "", "hi"}).code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(api.calls().empty());
}

TEST(SlackWebApiTest, AcceptsOnlySlacksResponseUrls) {
  const std::string api_base = "http://127.0.0.1:4567/api";
  struct Case {
    const char* url;
    const char* scheme_host_port;  // null: refused
    const char* path;
  };
  const Case cases[] = {
      {"https://hooks.slack.com/actions/T1/123/abc", "https://hooks.slack.com",
       "/actions/T1/123/abc"},
      {"http://127.0.0.1:4567/actions/x", "http://127.0.0.1:4567", "/actions/x"},
      {"https://hooks.slack.com.evil.example/actions/x", nullptr, ""},
      {"http://hooks.slack.com/actions/x", nullptr, ""},
      {"https://hooks.slack.com", nullptr, ""},
      {"http://127.0.0.1:45678/actions/x", nullptr, ""},
      {"http://127.0.0.1:4567@evil.example/x", nullptr, ""},
      {"https://hooks.slack.com/actions/x\r\nHost: evil", nullptr, ""},
      {"https://hooks.slack.com/actions/x y", nullptr, ""},
      {"https://evil.example/actions/x", nullptr, ""},
      {"", nullptr, ""},
  };
  for (const auto& c : cases) {
    const Result<ResponseUrlTarget> target = ParseResponseUrl(c.url, api_base);
    if (c.scheme_host_port == nullptr) {
      EXPECT_EQ(target.status().code(), StatusCode::kInvalidArgument) << c.url;
      continue;
    }
    ASSERT_TRUE(target.ok()) << c.url << ": " << target.status().ToString();
    EXPECT_EQ(target->scheme_host_port, c.scheme_host_port) << c.url;
    EXPECT_EQ(target->path, c.path) << c.url;
  }
}

TEST(SlackWebApiTest, RespondsThroughTheResponseUrlWithoutAToken) {
  FakeSlackApi api;
  SlackWebApiPoster poster({api.ApiBase(), ""});
  const nlohmann::json message = {{"replace_original", false}, {"text", "Thanks"}};
  const Status status = poster.Respond(api.ResponseUrl("T1/9/xyz"), message);
  ASSERT_TRUE(status.ok()) << status.ToString();
  const auto calls = api.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].path, "/actions/T1/9/xyz");
  EXPECT_EQ(calls[0].authorization, "");
  EXPECT_EQ(calls[0].content_type, "application/json; charset=utf-8");
  EXPECT_EQ(nlohmann::json::parse(calls[0].body), message);
}

TEST(SlackWebApiTest, MapsResponseUrlErrors) {
  struct Case {
    int status;
    const char* body;
    StatusCode expected;
  };
  const Case cases[] = {
      {200, "ok", StatusCode::kOk},
      {200, R"({"ok":true})", StatusCode::kOk},
      {200, R"({"ok":false,"error":"invalid_blocks"})", StatusCode::kInvalidArgument},
      {404, "expired_url", StatusCode::kInvalidArgument},
      {429, "", StatusCode::kUnavailable},
      {500, "", StatusCode::kUnavailable},
  };
  for (const auto& c : cases) {
    FakeSlackApi api(c.status, c.body);
    SlackWebApiPoster poster({api.ApiBase(), ""});
    EXPECT_EQ(poster.Respond(api.ResponseUrl(), {{"text", "x"}}).code(), c.expected)
        << c.status << " " << c.body;
    EXPECT_EQ(api.calls().size(), 1u);
  }
  FakeSlackApi api;
  SlackWebApiPoster poster({api.ApiBase(), ""});
  EXPECT_EQ(poster.Respond("https://evil.example/actions/x", {{"text", "x"}}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(api.calls().empty());
}

TEST(SlackWebApiTest, UnreachableApiIsUnavailable) {
  // A port that was bound a moment ago and has nothing listening now.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int port = ntohs(addr.sin_port);
  close(fd);
  SlackWebApiPoster poster({"http://127.0.0.1:" + std::to_string(port) + "/api", "xoxb"});
  EXPECT_EQ(poster.Post(SlackPost{"C1", "", "hi"}).code(), StatusCode::kUnavailable);
}

TEST(SlackWebApiTest, ReadsAThreadWithTheBotToken) {
  FakeSlackApi api(200, R"({"ok": true, "has_more": false, "messages": [
      {"type": "message", "user": "U1", "text": "<@B1> what is scrum?", "ts": "100.000001",
       "thread_ts": "100.000001"},
      {"type": "message", "bot_id": "BX", "subtype": "bot_message", "text": "Scrum is...",
       "ts": "100.000002"},
      "not an object",
      {"type": "message", "user": 42, "text": "typed wrong", "ts": "100.000003"}]})");
  SlackWebApiPoster poster({api.ApiBase(), "xoxb-test-token"});
  auto thread = poster.ThreadMessages("C1", "100.000001", "100.000009");
  ASSERT_TRUE(thread.ok()) << thread.status().ToString();
  ASSERT_EQ(thread->size(), 3u);
  EXPECT_EQ((*thread)[0].user, "U1");
  EXPECT_EQ((*thread)[0].text, "<@B1> what is scrum?");
  EXPECT_EQ((*thread)[1].bot_id, "BX");
  EXPECT_EQ((*thread)[1].subtype, "bot_message");
  EXPECT_EQ((*thread)[2].user, "") << "a field of the wrong type reads as absent";
  const auto calls = api.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].path, "/api/conversations.replies");
  EXPECT_EQ(calls[0].authorization, "Bearer xoxb-test-token");
  EXPECT_EQ(calls[0].body, "channel=C1&inclusive=false&latest=100.000009&limit=200&ts=100.000001");
}

TEST(SlackWebApiTest, FollowsTheCursorOfALongThreadToABound) {
  // Every page says there is more: the reader stops after its bound.
  FakeSlackApi api(200, R"({"ok": true, "has_more": true,
      "messages": [{"user": "U1", "text": "q", "ts": "1.1"}],
      "response_metadata": {"next_cursor": "dXNlcjpVMDYxTkZUVDI="}})");
  SlackWebApiPoster poster({api.ApiBase(), "xoxb-test-token"});
  auto thread = poster.ThreadMessages("C1", "1.1", "9.9");
  ASSERT_TRUE(thread.ok()) << thread.status().ToString();
  const size_t pages = MessagePoster::kMaxThreadMessages / kThreadPageSize;
  EXPECT_EQ(thread->size(), pages);
  const auto calls = api.calls();
  ASSERT_EQ(calls.size(), pages);
  EXPECT_EQ(calls[0].body.find("cursor="), std::string::npos);
  EXPECT_NE(calls[1].body.find("cursor=dXNlcjpVMDYxTkZUVDI="), std::string::npos) << calls[1].body;
}

TEST(SlackWebApiTest, MapsThreadReadErrors) {
  struct Case {
    int status;
    const char* body;
    StatusCode expected;
  };
  const Case cases[] = {
      {200, R"({"ok":false,"error":"missing_scope","needed":"channels:history"})",
       StatusCode::kUnauthenticated},
      {200, R"({"ok":false,"error":"thread_not_found"})", StatusCode::kInvalidArgument},
      {200, R"({"ok":true})", StatusCode::kInvalidArgument},
      {200, "[]", StatusCode::kInvalidArgument},
      {429, "", StatusCode::kUnavailable},
      {500, "", StatusCode::kUnavailable},
      {403, "", StatusCode::kInvalidArgument},
  };
  for (const auto& c : cases) {
    FakeSlackApi api(c.status, c.body);
    SlackWebApiPoster poster({api.ApiBase(), "xoxb-test-token"});
    EXPECT_EQ(poster.ThreadMessages("C1", "1.1", "1.2").status().code(), c.expected)
        << c.status << " " << c.body;
  }
  FakeSlackApi api;
  SlackWebApiPoster without_token({api.ApiBase(), ""});
  EXPECT_EQ(without_token.ThreadMessages("C1", "1.1", "1.2").status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_TRUE(api.calls().empty());
}

}  // namespace
}  // namespace citeqa::server::slack
