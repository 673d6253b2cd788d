// The access log: one line per request on stderr, as text or JSON, made safe from whatever
// the client sent. It never holds a question: only method, path (without its query),
// status, latency, client address and request id.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace citeqa::server {

// --log-format: `text` for people, `json` (one object a line) for log collectors.
enum class LogFormat { kText, kJson };

// What one access-log line says about a request.
struct AccessLogEntry {
  std::chrono::system_clock::time_point time;  // when the request started
  std::string_view client = "-";               // the client's address
  std::string_view method = "-";
  std::string_view path = "-";
  int status = 0;
  double milliseconds = 0;
  std::string_view request_id = "-";
  std::string_view note;  // why a request failed (e.g. the cause of a 500); may be empty
};

// `text` with control bytes, '"' and '\' written as \xNN, cut to `max_bytes` (then "...").
std::string SanitiseForLog(std::string_view text, size_t max_bytes = 200);

// RFC 3339 in UTC with milliseconds: "2026-12-04T13:40:01.123Z".
std::string Rfc3339(std::chrono::system_clock::time_point time);

// One line, without its newline. Text:
//   TIME CLIENT METHOD "PATH" STATUS 1.234ms id=REQUEST_ID[ NOTE]
// JSON: {"time","client","method","path","status","ms","request_id"[,"note"]}.
// Every field sanitised (text) or escaped (JSON) and cut to a bounded length.
std::string FormatAccessLog(const AccessLogEntry& entry, LogFormat format);

}  // namespace citeqa::server
