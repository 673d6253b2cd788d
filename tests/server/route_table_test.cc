#include "server/route_table.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace citeqa::server {
namespace {

HttpResponse Ok(const HttpRequest&) { return HttpResponse(); }

RouteTable SampleTable() {
  RouteTable table;
  table.Add("POST", "/api/ask", "/api/ask", Ok);
  table.Add("GET", "/api/passages/([^/]+)", "/api/passages/{id}", Ok);
  table.Add("GET", "/healthz", "/healthz", Ok);
  table.Add("GET", EscapeRegex("/app.js"), "/app.js", Ok);
  table.Add("GET", "/both", "/both", Ok);
  table.Add("POST", "/both", "/both", Ok);
  return table;
}

TEST(RouteTableTest, LabelsAreRoutePatternsNotPaths) {
  const RouteTable table = SampleTable();
  struct Case {
    std::string path;
    std::string label;
  } cases[] = {
      {"/api/ask", "/api/ask"},
      {"/api/passages/12", "/api/passages/{id}"},
      {"/api/passages/anything", "/api/passages/{id}"},
      {"/api/passages/", "unmatched"},
      {"/api/passages/1/2", "unmatched"},
      {"/app.js", "/app.js"},
      {"/appXjs", "unmatched"},  // the dot is literal
      {"/api/ask/", "unmatched"},
      {"", "unmatched"},
  };
  for (const Case& c : cases) EXPECT_EQ(table.LabelFor(c.path), c.label) << c.path;
}

TEST(RouteTableTest, NoRouteResponses) {
  const RouteTable table = SampleTable();
  struct Case {
    std::string method;
    std::string path;
    int status;
    std::string allow;
  } cases[] = {
      {"GET", "/api/ask", 405, "POST"},
      {"DELETE", "/healthz", 405, "GET, HEAD"},
      {"PUT", "/api/passages/3", 405, "GET, HEAD"},
      {"PATCH", "/both", 405, "GET, HEAD, POST"},
      {"GET", "/nowhere", 404, ""},
      {"POST", "/api/asks", 404, ""},
  };
  for (const Case& c : cases) {
    const HttpResponse response = table.NoRouteResponse(c.method, c.path);
    EXPECT_EQ(response.status, c.status) << c.method << " " << c.path;
    const auto body = nlohmann::json::parse(response.body);
    EXPECT_EQ(body["error"]["code"], c.status == 405 ? "method_not_allowed" : "not_found");
    if (c.allow.empty()) {
      EXPECT_TRUE(response.headers.empty());
    } else {
      ASSERT_EQ(response.headers.size(), 1u);
      EXPECT_EQ(response.headers[0].first, "Allow");
      EXPECT_EQ(response.headers[0].second, c.allow) << c.method << " " << c.path;
    }
  }
}

TEST(RouteTableTest, EscapeRegex) {
  EXPECT_EQ(EscapeRegex("/style.css"), "/style\\.css");
  EXPECT_EQ(EscapeRegex("/a+b(c)[d]{e}|f^$*?\\"), "/a\\+b\\(c\\)\\[d\\]\\{e\\}\\|f\\^\\$\\*\\?\\\\");
  EXPECT_TRUE(std::regex_match("/a+b.css", std::regex(EscapeRegex("/a+b.css"))));
  EXPECT_FALSE(std::regex_match("/aab.css", std::regex(EscapeRegex("/a+b.css"))));
}

}  // namespace
}  // namespace citeqa::server
