// The access log: one line per request on stderr, made safe from whatever the client sent.
#pragma once

#include <string>
#include <string_view>

namespace citeqa::server {

// `text` with control bytes, '"' and '\' written as \xNN, cut to `max_bytes` (then "...").
std::string SanitiseForLog(std::string_view text, size_t max_bytes = 200);

// `METHOD "PATH" STATUS 1.234ms[ NOTE]` (no newline); every field sanitised.
std::string AccessLogLine(std::string_view method, std::string_view path, int status,
                          double milliseconds, std::string_view note);

}  // namespace citeqa::server
