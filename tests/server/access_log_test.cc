#include "server/access_log.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

namespace citeqa::server {
namespace {

using std::chrono::system_clock;

// 2026-12-04T13:40:01.123Z
system_clock::time_point SampleTime() {
  return system_clock::time_point(std::chrono::milliseconds(1796391601123LL));
}

TEST(AccessLogTest, Rfc3339IsUtcWithMilliseconds) {
  EXPECT_EQ(Rfc3339(SampleTime()), "2026-12-04T13:40:01.123Z");
  EXPECT_EQ(Rfc3339(system_clock::time_point()), "1970-01-01T00:00:00.000Z");
}

TEST(AccessLogTest, TextLinesAreSafeFromClientInput) {
  struct Case {
    std::string method;
    std::string path;
    int status;
    double ms;
    std::string note;
    std::string expected_tail;  // after "TIME CLIENT "
  } cases[] = {
      {"GET", "/healthz", 200, 0.1234, "", "GET \"/healthz\" 200 0.123ms id=r1"},
      {"POST", "/api/ask", 500, 12.5, "IoError: disk",
       "POST \"/api/ask\" 500 12.500ms id=r1 IoError: disk"},
      {"GET", "/a\nFAKE 200\r", 404, 1, "", "GET \"/a\\x0aFAKE 200\\x0d\" 404 1.000ms id=r1"},
      {"GET", "/q\"uote\\", 404, 1, "", "GET \"/q\\x22uote\\x5c\" 404 1.000ms id=r1"},
      {"", "", 400, 0, "", " \"\" 400 0.000ms id=r1"},
  };
  for (const Case& c : cases) {
    AccessLogEntry entry;
    entry.time = SampleTime();
    entry.client = "192.0.2.7";
    entry.method = c.method;
    entry.path = c.path;
    entry.status = c.status;
    entry.milliseconds = c.ms;
    entry.request_id = "r1";
    entry.note = c.note;
    EXPECT_EQ(FormatAccessLog(entry, LogFormat::kText),
              "2026-12-04T13:40:01.123Z 192.0.2.7 " + c.expected_tail)
        << c.path;
  }
}

TEST(AccessLogTest, LongClientTextIsCut) {
  const std::string long_path = "/" + std::string(100000, 'x');
  const std::string long_id(1000, 'i');
  AccessLogEntry entry;
  entry.path = long_path;
  entry.request_id = long_id;
  entry.status = 404;
  const std::string line = FormatAccessLog(entry, LogFormat::kText);
  EXPECT_LT(line.size(), 400u);
  EXPECT_NE(line.find("...\" 404"), std::string::npos) << line;
  EXPECT_LT(FormatAccessLog(entry, LogFormat::kJson).size(), 450u);
}

TEST(AccessLogTest, JsonLinesAreOneObjectWithEveryField) {
  AccessLogEntry entry;
  entry.time = SampleTime();
  entry.client = "2001:db8::1";
  entry.method = "POST";
  entry.path = "/api/ask\n\xff";
  entry.status = 201;
  entry.milliseconds = 1.23456;
  entry.request_id = "abc";
  const std::string line = FormatAccessLog(entry, LogFormat::kJson);
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  const nlohmann::json parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["time"], "2026-12-04T13:40:01.123Z");
  EXPECT_EQ(parsed["client"], "2001:db8::1");
  EXPECT_EQ(parsed["method"], "POST");
  // Control bytes escaped as in text lines; a byte that is not UTF-8 becomes U+FFFD.
  EXPECT_EQ(parsed["path"], "/api/ask\\x0a\xef\xbf\xbd");
  EXPECT_EQ(parsed["status"], 201);
  EXPECT_DOUBLE_EQ(parsed["ms"].get<double>(), 1.234);
  EXPECT_EQ(parsed["request_id"], "abc");
  EXPECT_FALSE(parsed.contains("note"));
  entry.note = "exception: boom";
  EXPECT_EQ(nlohmann::json::parse(FormatAccessLog(entry, LogFormat::kJson))["note"],
            "exception: boom");
}

}  // namespace
}  // namespace citeqa::server
