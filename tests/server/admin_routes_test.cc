// The HTTP edge of the admin API in process: DELETE routes, per-route body limits, query
// parameters reaching the handler, and the admin refusals (403/401/503) over real HTTP.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "server/admin_handlers.h"
#include "server/routes.h"
#include "tests/server/fake_engine.h"
#include "tests/server/raw_http.h"

namespace citeqa::server {
namespace {

using nlohmann::json;

constexpr size_t kLargeLimit = 256 * 1024;

class AdminRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.engine = &engine_;
    context_.metrics = &metrics_;
    ServerConfig config;
    config.db_path = "unused-by-the-fake";
    config.port = 0;
    config.threads = 2;
    server_ = std::make_unique<HttpServer>(config, context_, std::vector<StaticAsset>{});
    // Echoes what the handler saw.
    const auto echo = [](const HttpRequest& r) {
      json seen = {{"method", r.method}, {"params", r.path_params}, {"size", r.body.size()}};
      for (const auto& [name, value] : r.query_params) seen["query"][name].push_back(value);
      HttpResponse response;
      response.body = seen.dump();
      return response;
    };
    server_->AddRoute("DELETE", "/things/([^/]+)", "/things/{id}", echo);
    server_->AddRoute("POST", "/large", "/large", echo, kLargeLimit);
    server_->AddRoute("POST", "/small", "/small", echo);
    admin_.admin_token = "s3cret-token-0123456789";
    server_->AddRoute("POST", "/api/reindex", "/api/reindex",
                      [this](const HttpRequest& r) { return HandleReindex(admin_, r); });
    server_->AddRoute("DELETE", "/api/articles/([^/]+)", "/api/articles/{file}",
                      [this](const HttpRequest& r) { return HandleDeleteArticle(admin_, r); });
    // The same handlers on a server started without a token.
    server_->AddRoute("POST", "/off/reindex", "/off/reindex",
                      [this](const HttpRequest& r) { return HandleReindex(admin_off_, r); });
    server_->AddRoute("DELETE", "/off/articles/([^/]+)", "/off/articles/{file}",
                      [this](const HttpRequest& r) { return HandleDeleteArticle(admin_off_, r); });
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

  testing::FakeEngine engine_;
  ServerMetrics metrics_;
  HandlerContext context_;
  AdminContext admin_;      // no corpus: authorised requests get 503
  AdminContext admin_off_;  // no token: every request gets 403
  std::unique_ptr<HttpServer> server_;
  std::thread runner_;
  Status run_status_;
  int port_ = 0;
};

TEST_F(AdminRoutesTest, DeleteRoutesGetTheirCapturesAndQuery) {
  auto result = Client().Delete("/things/abc.txt?x=1&x=2&y=%2e%2e");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  const json seen = json::parse(result->body);
  EXPECT_EQ(seen["method"], "DELETE");
  EXPECT_EQ(seen["params"], json::array({"abc.txt"}));
  EXPECT_EQ(seen["query"]["x"], json::array({"1", "2"}));
  EXPECT_EQ(seen["query"]["y"], json::array({".."}));

  // An encoded slash decodes into the path, which then matches no DELETE route.
  auto slash = Client().Delete("/things/..%2F..%2Fetc%2Fpasswd");
  ASSERT_TRUE(slash);
  EXPECT_EQ(slash->status, 404) << slash->body;
  auto get = Client().Get("/things/abc.txt");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  EXPECT_EQ(get->get_header_value("Allow"), "DELETE");
}

TEST_F(AdminRoutesTest, EachRouteHasItsOwnBodyLimit) {
  const std::string between(100 * 1024, 'x');  // over the default 64 KiB, under kLargeLimit
  auto large = Client().Post("/large", between, "text/plain");
  ASSERT_TRUE(large);
  EXPECT_EQ(large->status, 200) << large->body;
  EXPECT_EQ(json::parse(large->body)["size"], between.size());

  // The same body elsewhere is refused, and the connection stays usable: it is read to its
  // end like httplib does past its own limit.
  testing::RawConnection connection(port_);
  ASSERT_TRUE(connection.connected());
  connection.Send(
      "POST /small HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
      "Content-Length: " +
      std::to_string(between.size()) + "\r\n\r\n" + between);
  const std::string refused = connection.Read(/*until_close=*/false);
  EXPECT_EQ(refused.rfind("HTTP/1.1 413", 0), 0u) << refused.substr(0, 200);
  EXPECT_NE(refused.find("65536 bytes"), std::string::npos) << refused;
  connection.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string next = connection.Read(/*until_close=*/false);
  EXPECT_EQ(next.rfind("HTTP/1.1 200", 0), 0u) << next.substr(0, 200);

  const std::string too_large(kLargeLimit + 1, 'x');
  auto over = Client().Post("/large", too_large, "text/plain");
  ASSERT_TRUE(over);
  EXPECT_EQ(over->status, 413);
  EXPECT_NE(over->body.find(std::to_string(kLargeLimit)), std::string::npos) << over->body;
  auto ask = Client().Post("/api/ask", between, "application/json");
  ASSERT_TRUE(ask);
  EXPECT_EQ(ask->status, 413);
}

TEST_F(AdminRoutesTest, AdminRefusalsOverHttp) {
  struct Case {
    std::string prefix;         // "/api": token set; "/off": admin API off
    std::string authorization;  // "" sends none
    int status;
    std::string code;
  } cases[] = {
      {"/off", "", 403, "forbidden"},
      {"/off", "Bearer anything", 403, "forbidden"},
      {"/off", "Bearer ", 403, "forbidden"},
      {"/api", "", 401, "unauthenticated"},
      {"/api", "Bearer wrong", 401, "unauthenticated"},
      {"/api", "Bearer s3cret-token-012345678", 401, "unauthenticated"},
      {"/api", "Bearer s3cret-token-01234567890", 401, "unauthenticated"},
      {"/api", "Basic czNjcmV0", 401, "unauthenticated"},
      {"/api", "s3cret-token-0123456789", 401, "unauthenticated"},
      {"/api", "Bearer", 401, "unauthenticated"},
      {"/api", "Bearers3cret-token-0123456789", 401, "unauthenticated"},
      // Authorised, but this server has no corpus folder.
      {"/api", "Bearer s3cret-token-0123456789", 503, "unavailable"},
      {"/api", "bearer   s3cret-token-0123456789 ", 503, "unavailable"},
  };
  for (const Case& c : cases) {
    httplib::Headers headers;
    if (!c.authorization.empty()) headers.emplace("Authorization", c.authorization);
    for (const bool reindex : {true, false}) {
      auto result = reindex ? Client().Post(c.prefix + "/reindex", headers, "", "application/json")
                            : Client().Delete(c.prefix + "/articles/a.txt", headers);
      ASSERT_TRUE(result) << c.authorization;
      EXPECT_EQ(result->status, c.status) << c.prefix << " / " << c.authorization;
      EXPECT_EQ(json::parse(result->body)["error"]["code"], c.code) << c.authorization;
      EXPECT_EQ(result->has_header("WWW-Authenticate"), c.status == 401) << c.authorization;
    }
  }
  EXPECT_EQ(metrics_.RequestCount("/api/reindex", 401), 8);
  EXPECT_EQ(metrics_.RequestCount("/off/articles/{file}", 403), 3);
}

}  // namespace
}  // namespace citeqa::server
