#include "server/access_log.h"

#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

namespace citeqa::server {

std::string SanitiseForLog(std::string_view text, size_t max_bytes) {
  std::string out;
  for (const char c : text.substr(0, max_bytes)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == '"' || c == '\\') {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  if (text.size() > max_bytes) out += "...";
  return out;
}

std::string Rfc3339(std::chrono::system_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
  const std::time_t whole = static_cast<std::time_t>(seconds.count());
  std::tm utc{};
  gmtime_r(&whole, &utc);
  char text[40];
  const size_t length = std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + length, sizeof(text) - length, ".%03dZ", static_cast<int>(millis));
  return text;
}

namespace {

// Bytes of the client's text kept in a line: enough to recognise it, bounded so a hostile
// request cannot make the log grow by megabytes.
constexpr size_t kMaxPathBytes = 200;
constexpr size_t kMaxNoteBytes = 500;
constexpr size_t kMaxShortFieldBytes = 64;

std::string JsonLine(const AccessLogEntry& entry) {
  // SanitiseForLog also for JSON: it bounds the length and keeps bytes that are not UTF-8
  // (which nlohmann's dump would refuse) out of the line.
  nlohmann::ordered_json line = {
      {"time", Rfc3339(entry.time)},
      {"client", SanitiseForLog(entry.client, kMaxShortFieldBytes)},
      {"method", SanitiseForLog(entry.method, 20)},
      {"path", SanitiseForLog(entry.path, kMaxPathBytes)},
      {"status", entry.status},
      {"ms", static_cast<double>(static_cast<long long>(entry.milliseconds * 1000.0)) / 1000.0},
      {"request_id", SanitiseForLog(entry.request_id, kMaxShortFieldBytes)},
  };
  if (!entry.note.empty()) line["note"] = SanitiseForLog(entry.note, kMaxNoteBytes);
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string TextLine(const AccessLogEntry& entry) {
  char timing[32];
  std::snprintf(timing, sizeof(timing), "%.3fms", entry.milliseconds);
  std::string line = Rfc3339(entry.time) + " " + SanitiseForLog(entry.client, kMaxShortFieldBytes) +
                     " " + SanitiseForLog(entry.method, 20) + " \"" +
                     SanitiseForLog(entry.path, kMaxPathBytes) + "\" " +
                     std::to_string(entry.status) + " " + timing + " id=" +
                     SanitiseForLog(entry.request_id, kMaxShortFieldBytes);
  if (!entry.note.empty()) {
    line += ' ';
    line += SanitiseForLog(entry.note, kMaxNoteBytes);
  }
  return line;
}

}  // namespace

std::string FormatAccessLog(const AccessLogEntry& entry, LogFormat format) {
  return format == LogFormat::kJson ? JsonLine(entry) : TextLine(entry);
}

}  // namespace citeqa::server
