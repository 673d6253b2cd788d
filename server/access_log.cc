#include "server/access_log.h"

#include <cstdio>

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

std::string AccessLogLine(std::string_view method, std::string_view path, int status,
                          double milliseconds, std::string_view note) {
  char timing[32];
  std::snprintf(timing, sizeof(timing), "%.3fms", milliseconds);
  std::string line = SanitiseForLog(method, 20) + " \"" + SanitiseForLog(path) + "\" " +
                     std::to_string(status) + " " + timing;
  if (!note.empty()) {
    line += ' ';
    line += SanitiseForLog(note, 500);
  }
  return line;
}

}  // namespace citeqa::server
