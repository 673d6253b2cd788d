// The HTTP edge in process: a real HttpServer on a free port with a FakeEngine behind it,
// called over the loopback with httplib::Client and raw sockets.
#include "server/routes.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "tests/server/fake_engine.h"
#include "tests/server/raw_http.h"

namespace citeqa::server {
namespace {

using nlohmann::json;

class RoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.engine = &engine_;
    context_.metrics = &metrics_;
    ServerConfig config;
    config.db_path = "unused-by-the-fake";
    config.port = 0;
    config.threads = 2;
    std::vector<StaticAsset> assets = {
        {"/", "text/html; charset=utf-8", kPage},
        {"/index.html", "text/html; charset=utf-8", kPage},
        {"/app.js", "text/javascript; charset=utf-8", "console.log('chat');"},
    };
    server_ = std::make_unique<HttpServer>(config, context_, assets);
    server_->AddRoute("POST", "/extra/echo", "/extra/echo", [](const HttpRequest& r) {
      HttpResponse response;
      response.content_type = "text/plain";
      const auto values = r.headers.find("x-test");
      response.body = std::to_string(values == r.headers.end() ? 0 : values->second.size()) +
                      " " + r.Header("x-test") + ":" + r.body;
      return response;
    });
    auto port = server_->Bind();
    ASSERT_TRUE(port.ok()) << port.status().ToString();
    port_ = *port;
    runner_ = std::thread([this] { run_status_ = server_->Run(); });
  }

  void TearDown() override {
    server_->Stop();
    if (runner_.joinable()) runner_.join();
    EXPECT_TRUE(run_status_.ok()) << run_status_.ToString();
  }

  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(10, 0);
    return client;
  }

  httplib::Result Send(const std::string& method, const std::string& path,
                       const std::string& body = "",
                       const std::string& content_type = "application/json") const {
    httplib::Request request;
    request.method = method;
    request.path = path;
    request.body = body;
    if (!body.empty() && !content_type.empty()) request.set_header("Content-Type", content_type);
    return Client().send(request);
  }

  static constexpr const char* kPage = "<!doctype html><title>citeqa</title>";
  testing::FakeEngine engine_;
  ServerMetrics metrics_;
  HandlerContext context_;
  std::unique_ptr<HttpServer> server_;
  std::thread runner_;
  Status run_status_;
  int port_ = 0;
};

TEST_F(RoutesTest, EveryRouteAnswersGoodAndBadInput) {
  const std::string huge_question = json{{"question", std::string(10000, 'q')}}.dump();
  const std::string over_limit = json{{"question", std::string(2001, 'q')}}.dump();
  struct Case {
    std::string method;
    std::string path;
    std::string body;
    std::string content_type;
    int status;
    std::string error_code;  // empty: a success body
  } cases[] = {
      {"POST", "/api/ask", R"({"question": "Who owns the backlog?"})", "application/json", 200,
       ""},
      {"POST", "/api/ask", R"({"question": "What is the weather?"})",
       "application/json; charset=utf-8", 200, ""},
      {"POST", "/api/ask", "{oops", "application/json", 400, "invalid_argument"},
      {"POST", "/api/ask", R"({"question": 5})", "application/json", 400, "invalid_argument"},
      {"POST", "/api/ask", R"({"question": "q", "top_k": "x"})", "application/json", 400,
       "invalid_argument"},
      {"POST", "/api/ask", R"({"history": []})", "application/json", 400, "invalid_argument"},
      {"POST", "/api/ask", R"({"question": ""})", "application/json", 400, "invalid_argument"},
      {"POST", "/api/ask", huge_question, "application/json", 400, "invalid_argument"},
      {"POST", "/api/ask", over_limit, "application/json", 400, "invalid_argument"},
      {"POST", "/api/ask", R"({"question": "a\u0000\u0001"})", "application/json", 400,
       "invalid_argument"},
      {"POST", "/api/ask", "", "", 400, "invalid_argument"},
      {"POST", "/api/ask", R"({"question": "q"})", "text/plain", 415, "unsupported_media_type"},
      {"POST", "/api/ask", "question=q", "application/x-www-form-urlencoded", 415,
       "unsupported_media_type"},
      {"GET", "/api/ask", "", "", 405, "method_not_allowed"},
      {"PUT", "/api/ask", R"({"question": "q"})", "application/json", 405, "method_not_allowed"},
      {"DELETE", "/api/ask", "", "", 405, "method_not_allowed"},
      {"OPTIONS", "/api/ask", "", "", 405, "method_not_allowed"},
      {"GET", "/api/passages/7", "", "", 200, ""},
      {"GET", "/api/passages/8", "", "", 404, "not_found"},
      {"GET", "/api/passages/0", "", "", 400, "invalid_argument"},
      {"GET", "/api/passages/abc", "", "", 400, "invalid_argument"},
      {"GET", "/api/passages/-4", "", "", 400, "invalid_argument"},
      {"GET", "/api/passages/99999999999999999999", "", "", 400, "invalid_argument"},
      {"GET", "/api/passages/%37", "", "", 200, ""},  // percent-decoded "7"
      {"GET", "/api/passages/", "", "", 404, "not_found"},
      {"GET", "/api/passages/7/extra", "", "", 404, "not_found"},
      {"POST", "/api/passages/7", "{}", "application/json", 405, "method_not_allowed"},
      {"GET", "/api/documents", "", "", 200, ""},
      {"PATCH", "/api/documents", "{}", "application/json", 405, "method_not_allowed"},
      {"GET", "/healthz", "", "", 200, ""},
      {"POST", "/healthz", "", "", 405, "method_not_allowed"},
      {"GET", "/nope", "", "", 404, "not_found"},
      {"POST", "/nope", "{}", "application/json", 404, "not_found"},
      {"GET", "/api", "", "", 404, "not_found"},
      {"GET", "/app.js/", "", "", 404, "not_found"},
      {"GET", "/../../etc/passwd", "", "", 404, "not_found"},
      {"DELETE", "/", "", "", 405, "method_not_allowed"},
  };
  for (const Case& c : cases) {
    const std::string label = c.method + " " + c.path + " " + c.body.substr(0, 40);
    auto result = Send(c.method, c.path, c.body, c.content_type);
    ASSERT_TRUE(result) << label << ": " << httplib::to_string(result.error());
    EXPECT_EQ(result->status, c.status) << label << ": " << result->body;
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json") << label;
    const json body = json::parse(result->body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << label << ": " << result->body;
    if (c.error_code.empty()) {
      EXPECT_FALSE(body.contains("error")) << label;
    } else {
      EXPECT_EQ(body["error"]["code"], c.error_code) << label << ": " << result->body;
      EXPECT_TRUE(body["error"]["message"].is_string()) << label;
    }
  }
}

TEST_F(RoutesTest, MethodNotAllowedNamesTheAllowedMethods) {
  struct Case {
    std::string method;
    std::string path;
    std::string allow;
  } cases[] = {
      {"GET", "/api/ask", "POST"},
      {"POST", "/healthz", "GET, HEAD"},
      {"PUT", "/metrics", "GET, HEAD"},
      {"DELETE", "/api/passages/12", "GET, HEAD"},
      {"POST", "/app.js", "GET, HEAD"},
  };
  for (const Case& c : cases) {
    auto result = Send(c.method, c.path, "{}", "application/json");
    ASSERT_TRUE(result) << c.method << " " << c.path;
    EXPECT_EQ(result->status, 405) << c.method << " " << c.path;
    EXPECT_EQ(result->get_header_value("Allow"), c.allow) << c.method << " " << c.path;
  }
}

TEST_F(RoutesTest, SecurityHeadersOnEveryResponse) {
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/"}, {"GET", "/healthz"}, {"GET", "/nope"}, {"GET", "/api/ask"},
           {"POST", "/api/ask"}, {"GET", "/metrics"}, {"GET", "/api/passages/x"}}) {
    auto result = Send(method, path);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->get_header_value("Content-Security-Policy"), kContentSecurityPolicy) << path;
    EXPECT_EQ(result->get_header_value("X-Frame-Options"), "DENY") << path;
    EXPECT_EQ(result->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(result->get_header_value("Referrer-Policy"), "no-referrer") << path;
  }
}

TEST_F(RoutesTest, RequestIdsAreKeptOrMadeSentBackAndLogged) {
  ::testing::internal::CaptureStderr();
  std::vector<std::string> made;
  for (const std::string path : {"/healthz", "/nope", "/api/passages/x"}) {
    httplib::Headers headers = {{"X-Request-Id", "trace-" + path.substr(1, 3)}};
    auto kept = Client().Get(path, headers);
    ASSERT_TRUE(kept) << path;
    EXPECT_EQ(kept->get_header_value("X-Request-Id"), "trace-" + path.substr(1, 3)) << path;

    auto fresh = Client().Get(path, {{"X-Request-Id", "not a token\t"}});
    ASSERT_TRUE(fresh) << path;
    const std::string id = fresh->get_header_value("X-Request-Id");
    EXPECT_EQ(id.size(), 16u) << path << ": " << id;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    made.push_back(id);
  }
  EXPECT_NE(made[0], made[1]);
  // The logger runs after the response is sent: stop the server so every line is written.
  server_->Stop();
  runner_.join();
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(log.find(" 127.0.0.1 GET \"/healthz\" 200 "), std::string::npos) << log;
  EXPECT_NE(log.find(" id=trace-hea"), std::string::npos) << log;
  EXPECT_NE(log.find("GET \"/nope\" 404 "), std::string::npos) << log;
  for (const std::string& id : made) EXPECT_NE(log.find(" id=" + id), std::string::npos) << id;
}

TEST_F(RoutesTest, ServesTheChatPage) {
  struct Case {
    std::string path;
    std::string content_type;
    std::string body;
  } cases[] = {
      {"/", "text/html; charset=utf-8", kPage},
      {"/index.html", "text/html; charset=utf-8", kPage},
      {"/app.js", "text/javascript; charset=utf-8", "console.log('chat');"},
  };
  for (const Case& c : cases) {
    auto result = Client().Get(c.path.c_str());
    ASSERT_TRUE(result) << c.path;
    EXPECT_EQ(result->status, 200) << c.path;
    EXPECT_EQ(result->get_header_value("Content-Type"), c.content_type) << c.path;
    EXPECT_EQ(result->get_header_value("Cache-Control"), "no-cache") << c.path;
    EXPECT_EQ(result->body, c.body) << c.path;
  }
  auto head = Client().Head("/");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
}

TEST_F(RoutesTest, BodiesOverTheLimitGet413WhateverTheFraming) {
  const std::string megabyte = "{\"question\": \"" + std::string(1 << 20, 'a') + "\"}";
  auto sized = Client().Post("/api/ask", megabyte, "application/json");
  ASSERT_TRUE(sized);
  EXPECT_EQ(sized->status, 413);
  EXPECT_EQ(json::parse(sized->body)["error"]["code"], "payload_too_large");

  // Chunked, so no Content-Length for httplib to check up front.
  auto chunked = Client().Post(
      "/api/ask",
      [&](size_t offset, httplib::DataSink& sink) {
        if (offset >= megabyte.size()) {
          sink.done();
          return true;
        }
        const size_t n = std::min<size_t>(16384, megabyte.size() - offset);
        return sink.write(megabyte.data() + offset, n);
      },
      "application/json");
  if (chunked) {  // the server may close before reading everything; a 413 if it answered
    EXPECT_EQ(chunked->status, 413) << chunked->body;
  }

  auto elsewhere = Client().Post("/healthz", megabyte, "application/json");
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->status, 413);

  // Just under the limit is read, then refused for its content, not its size.
  const std::string under = "{\"question\": \"" + std::string(60000, 'a') + "\"}";
  auto fits = Client().Post("/api/ask", under, "application/json");
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->status, 400);

  auto still_up = Client().Get("/healthz");
  ASSERT_TRUE(still_up);
  EXPECT_EQ(still_up->status, 200);
}

TEST_F(RoutesTest, MultipartBodyIsRefusedNotCrashed) {
  httplib::MultipartFormDataItems items = {{"question", "who owns the backlog?", "", ""}};
  auto result = Client().Post("/api/ask", items);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 415) << result->body;
  auto elsewhere = Client().Post("/nope", items);
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->status, 404) << elsewhere->body;
}

TEST_F(RoutesTest, RangeRequestsGetPartialContent) {
  auto result = Client().Get("/app.js", {{"Range", "bytes=0-6"}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 206);
  EXPECT_EQ(result->body, "console");
  EXPECT_EQ(result->get_header_value("Content-Range"), "bytes 0-6/20");
}

TEST_F(RoutesTest, LargeResponsesAreGzipped) {
  httplib::Client client = Client();
  client.set_decompress(false);
  const httplib::Headers gzip = {{"Accept-Encoding", "gzip"}};
  for (const char* path : {"/", "/api/documents", "/metrics"}) {
    auto result = client.Get(path, gzip);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->status, 200) << path;
    EXPECT_EQ(result->get_header_value("Content-Encoding"), "gzip") << path;
    ASSERT_GE(result->body.size(), 2u) << path;
    EXPECT_EQ(static_cast<unsigned char>(result->body[0]), 0x1f) << path;
    EXPECT_EQ(static_cast<unsigned char>(result->body[1]), 0x8b) << path;
  }
  // A client that decompresses gets the original JSON back.
  auto decoded = Client().Get("/api/documents", gzip);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(json::parse(decoded->body)["documents"][0]["file"], "001_owner.txt");
  // Without Accept-Encoding nothing is compressed.
  auto plain = client.Get("/api/documents");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->get_header_value("Content-Encoding"), "");
}

TEST_F(RoutesTest, MalformedHttpIsAnsweredAndTheServerStaysUp) {
  struct Case {
    std::string request;
    std::string status_line;
  } cases[] = {
      {"GARBAGE\r\n\r\n", "HTTP/1.1 400"},
      {"GET /healthz HTTP/9.9\r\nConnection: close\r\n\r\n", "HTTP/1.1 "},
      {"BREW /api/ask HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "HTTP/1.1 400"},
      {"TRACE /api/ask HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "HTTP/1.1 405"},
      // No Content-Length and no Transfer-Encoding: an empty body, answered at once.
      {"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
       "Connection: close\r\n\r\n",
       "HTTP/1.1 400"},
      {"POST /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "HTTP/1.1 405"},
      {"POST /api/ask HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n"
       "Connection: close\r\n\r\n",
       "HTTP/1.1 400"},
      {"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
       "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n",
       "HTTP/1.1 400"},
  };
  for (const Case& c : cases) {
    const std::string response = testing::RawHttp(port_, c.request);
    EXPECT_EQ(response.rfind(c.status_line, 0), 0u) << c.request << "\ngot:\n" << response;
    EXPECT_EQ(response.find("HTTP/1.1 500"), std::string::npos) << c.request;
  }
  auto healthy = Client().Get("/healthz");
  ASSERT_TRUE(healthy);
  EXPECT_EQ(healthy->status, 200);
}

// A chunked body abandoned at the limit leaves its rest unread on the connection; whatever
// follows there (here a request hidden after the body) must never be served.
TEST_F(RoutesTest, NothingIsServedFromTheRestOfAnAbandonedBody) {
  const std::string request =
      "POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n11000\r\n" +
      std::string(0x11000, 'a') + "\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string response = testing::RawHttp(port_, request, /*until_close=*/true);
  EXPECT_EQ(response.rfind("HTTP/1.1 413", 0), 0u) << response.substr(0, 200);
  EXPECT_EQ(response.find("HTTP/1.1 200"), std::string::npos) << response;
  EXPECT_EQ(response.find("\"status\":\"ok\""), std::string::npos) << response;

  // An unsupported framing is not read at all and the answer closes the connection, so a
  // request that then arrives on it (the "rest of the body") is never served.
  testing::RawConnection connection(port_);
  ASSERT_TRUE(connection.connected());
  connection.Send("POST /api/ask HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n");
  const std::string first = connection.Read(/*until_close=*/false);
  EXPECT_EQ(first.rfind("HTTP/1.1 400", 0), 0u) << first;
  EXPECT_NE(first.find("Connection: close"), std::string::npos) << first;
  connection.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(connection.Read(/*until_close=*/true), "");

  // A fresh connection is served normally.
  auto healthy = Client().Get("/healthz");
  ASSERT_TRUE(healthy);
  EXPECT_EQ(healthy->status, 200);
}

TEST_F(RoutesTest, KeepAliveAndPipelinedRequestsAreAnsweredInOrder) {
  testing::RawConnection connection(port_);
  ASSERT_TRUE(connection.connected());
  const std::string ask_body = R"({"question": "Who owns the backlog?"})";
  // Three requests in one write, the second with a body, the third asking to close.
  connection.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                  "POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  "Content-Length: " +
                  std::to_string(ask_body.size()) + "\r\n\r\n" + ask_body +
                  "GET /api/passages/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string all = connection.Read(/*until_close=*/true);
  const size_t first = all.find("HTTP/1.1 200");
  const size_t second = all.find("HTTP/1.1 200", first + 1);
  const size_t third = all.find("HTTP/1.1 200", second + 1);
  ASSERT_NE(third, std::string::npos) << all;
  EXPECT_NE(all.find("\"status\":\"ok\"", first), std::string::npos) << all;
  EXPECT_NE(all.substr(second, third - second).find("\"answer\""), std::string::npos) << all;
  EXPECT_NE(all.substr(third).find("Connection: close"), std::string::npos) << all;

  // Bare LF line ends are read like CRLF.
  const std::string bare = testing::RawHttp(port_, "GET /healthz HTTP/1.1\nHost: x\n\n");
  EXPECT_EQ(bare.rfind("HTTP/1.1 200", 0), 0u) << bare;
}

TEST_F(RoutesTest, HeadLimitsAndAmbiguousFramingAreRefusedBeforeRouting) {
  std::string many_fields;
  for (int i = 0; i < 101; ++i) many_fields += "X-F" + std::to_string(i) + ": v\r\n";
  struct Case {
    std::string request;
    std::string status_line;
    std::string error_code;
  } cases[] = {
      {"GET /healthz HTTP/1.1\r\n" + many_fields + "\r\n", "HTTP/1.1 431", "header_too_large"},
      {"GET /healthz HTTP/1.1\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n",
       "HTTP/1.1 431", "header_too_large"},
      {"GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n", "HTTP/1.1 414", "uri_too_long"},
      {"POST /api/ask HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
       "HTTP/1.1 400", "bad_request"},
      {"POST /api/ask HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n",
       "HTTP/1.1 400", "bad_request"},
      {"POST /api/ask HTTP/1.1\r\nContent-Length: 1000000000000\r\n\r\n", "HTTP/1.1 413",
       "payload_too_large"},
  };
  for (const Case& c : cases) {
    const std::string response = testing::RawHttp(port_, c.request, /*until_close=*/true);
    const std::string label = c.request.substr(0, 60);
    EXPECT_EQ(response.rfind(c.status_line, 0), 0u) << label << "\ngot:\n" << response;
    EXPECT_NE(response.find("Connection: close"), std::string::npos) << label;
    EXPECT_NE(response.find("\"code\":\"" + c.error_code + "\""), std::string::npos) << label;
    EXPECT_NE(response.find("X-Frame-Options: DENY"), std::string::npos) << label;
    EXPECT_NE(response.find("Content-Security-Policy: "), std::string::npos) << label;
  }
  // Refused before routing, and counted.
  auto metrics = Client().Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("citeqa_http_requests_total{route=\"unmatched\",status=\"431\"} 2"),
            std::string::npos)
      << metrics->body;
}

TEST_F(RoutesTest, EngineFaultsAre500WithoutDetails) {
  engine_.FailWith(Status::IoError("disk /secret/path failed"));
  auto result = Client().Post("/api/ask", R"({"question": "backlog?"})", "application/json");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 500);
  EXPECT_EQ(result->body.find("/secret/path"), std::string::npos);
  auto health = Client().Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 503);
}

TEST_F(RoutesTest, ExtraRoutesGetHeadersAndTheLimitedBody) {
  auto result = Client().Post("/extra/echo", {{"X-Test", "hi"}, {"x-test", "again"}}, "payload",
                              "text/plain");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "2 hi:payload");
  auto wrong = Client().Get("/extra/echo");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 405);
}

TEST_F(RoutesTest, MetricsCountRequestsByRouteNotByPath) {
  for (const char* path : {"/api/passages/7", "/api/passages/8", "/api/passages/9", "/x1", "/x2"}) {
    ASSERT_TRUE(Client().Get(path));
  }
  ASSERT_TRUE(Client().Post("/api/ask", R"({"question": "backlog?"})", "application/json"));
  ASSERT_TRUE(Client().Post("/api/ask", R"({"question": "weather?"})", "application/json"));
  auto result = Client().Get("/metrics");
  ASSERT_TRUE(result);
  const std::string& text = result->body;
  EXPECT_EQ(result->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  for (const char* line : {
           "citeqa_http_requests_total{route=\"/api/passages/{id}\",status=\"200\"} 1\n",
           "citeqa_http_requests_total{route=\"/api/passages/{id}\",status=\"404\"} 2\n",
           "citeqa_http_requests_total{route=\"unmatched\",status=\"404\"} 2\n",
           "citeqa_http_requests_total{route=\"/api/ask\",status=\"200\"} 2\n",
           "citeqa_questions_total{outcome=\"answered\"} 1\n",
           "citeqa_questions_total{outcome=\"abstained\"} 1\n",
           "citeqa_index_documents 1\n",
           "citeqa_index_passages 3\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\nin:\n" << text;
  }
  EXPECT_EQ(text.find("/api/passages/8"), std::string::npos) << "raw paths must not be labels";
}

TEST_F(RoutesTest, ConcurrentClientsAllGetAnswers) {
  constexpr int kClients = 6;
  std::vector<std::thread> clients;
  std::vector<int> ok_counts(kClients, 0);
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([this, i, &ok_counts] {
      httplib::Client client = Client();
      for (int j = 0; j < 20; ++j) {
        auto result = client.Post("/api/ask", R"({"question": "backlog?"})", "application/json");
        if (result && result->status == 200) ++ok_counts[static_cast<size_t>(i)];
      }
    });
  }
  for (std::thread& client : clients) client.join();
  for (int i = 0; i < kClients; ++i) EXPECT_EQ(ok_counts[static_cast<size_t>(i)], 20) << i;
  EXPECT_EQ(metrics_.QuestionCount(true), kClients * 20);
}

TEST(HttpServerTest, StopBeforeRunReturnsAtOnce) {
  testing::FakeEngine engine;
  ServerMetrics metrics;
  HandlerContext context{&engine, &metrics};
  ServerConfig config;
  config.db_path = "x";
  config.port = 0;
  HttpServer server(config, context, {});
  ASSERT_TRUE(server.Bind().ok());
  server.Stop();
  EXPECT_TRUE(server.Run().ok());
}

TEST(HttpServerTest, BindFailsOnAPortInUse) {
  testing::FakeEngine engine;
  ServerMetrics metrics;
  HandlerContext context{&engine, &metrics};
  ServerConfig config;
  config.db_path = "x";
  config.port = 0;
  HttpServer first(config, context, {});
  auto port = first.Bind();
  ASSERT_TRUE(port.ok());
  config.port = *port;
  HttpServer second(config, context, {});
  auto again = second.Bind();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace citeqa::server
