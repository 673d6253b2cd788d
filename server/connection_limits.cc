#include "server/connection_limits.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <utility>

namespace citeqa::server {
namespace {

HeadVerdict Refuse(int status, std::string_view code, std::string message) {
  HeadVerdict verdict;
  verdict.state = HeadState::kRefused;
  verdict.status = status;
  verdict.code = code;
  verdict.message = std::move(message);
  return verdict;
}

HeadVerdict LineTooLong(bool request_line) {
  if (request_line) return Refuse(414, "uri_too_long", "request line is too long");
  return Refuse(431, "header_too_large", "a header line is too long");
}

HeadVerdict HeadTooLarge() {
  return Refuse(431, "header_too_large", "request header is too large");
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::string_view TrimWhitespace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// RFC 9110 5.6.2: a field name is a token.
bool IsToken(std::string_view text) {
  constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           kSymbols.find(c) != std::string_view::npos;
  });
}

// Digits only; a value beyond uint64 is clamped (it is over any body limit anyway).
std::optional<uint64_t> ParseContentLength(std::string_view value) {
  if (value.empty()) return std::nullopt;
  uint64_t length = 0;
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<uint64_t>(c - '0');
    length = length > (kMax - digit) / 10 ? kMax : length * 10 + digit;
  }
  return length;
}

std::string WithCrlfLineEnds(std::string_view head) {
  std::string out;
  out.reserve(head.size() + 64);
  for (size_t i = 0; i < head.size(); ++i) {
    if (head[i] == '\n' && (i == 0 || head[i - 1] != '\r')) out += '\r';
    out += head[i];
  }
  return out;
}

// Applies one field line to `verdict`; returns a refusal, or nullopt when it is fine.
std::optional<HeadVerdict> ReadField(std::string_view line, HeadVerdict* verdict) {
  if (line.front() == ' ' || line.front() == '\t') {
    return Refuse(400, "bad_request", "folded header lines are not accepted");
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || !IsToken(line.substr(0, colon))) {
    return Refuse(400, "bad_request", "malformed header line");
  }
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = TrimWhitespace(line.substr(colon + 1));
  if (EqualsIgnoringCase(name, "Content-Length")) {
    if (verdict->content_length.has_value()) {
      return Refuse(400, "bad_request", "more than one Content-Length");
    }
    verdict->content_length = ParseContentLength(value);
    if (!verdict->content_length.has_value()) {
      return Refuse(400, "bad_request", "Content-Length must be a single number");
    }
  } else if (EqualsIgnoringCase(name, "Transfer-Encoding")) {
    verdict->has_transfer_encoding = true;
  } else if (EqualsIgnoringCase(name, "Expect")) {
    verdict->expects_continue = EqualsIgnoringCase(value, "100-continue");
  }
  return std::nullopt;
}

}  // namespace

HeadVerdict CheckRequestHead(std::string_view bytes, const HeadLimits& limits) {
  HeadVerdict verdict;
  size_t pos = 0;
  while (pos < bytes.size() && (bytes[pos] == '\n' || bytes.substr(pos, 2) == "\r\n")) {
    pos += bytes[pos] == '\n' ? 1 : 2;
  }
  verdict.head_begin = pos;
  bool request_line = true;
  bool bare_lf = false;
  size_t fields = 0;
  for (;;) {
    if (pos > limits.max_head_bytes) return HeadTooLarge();
    const size_t lf = bytes.find('\n', pos);
    if (lf == std::string_view::npos) {
      if (bytes.size() - pos > limits.max_line_bytes) return LineTooLong(request_line);
      if (bytes.size() > limits.max_head_bytes) return HeadTooLarge();
      return verdict;  // kIncomplete
    }
    if (lf + 1 - pos > limits.max_line_bytes) return LineTooLong(request_line);
    if (lf + 1 > limits.max_head_bytes) return HeadTooLarge();
    const bool crlf = lf > pos && bytes[lf - 1] == '\r';
    bare_lf = bare_lf || !crlf;
    const std::string_view line = bytes.substr(pos, (crlf ? lf - 1 : lf) - pos);
    pos = lf + 1;
    if (line.empty()) break;  // the blank line that ends the head
    if (line.find('\r') != std::string_view::npos || line.find('\0') != std::string_view::npos) {
      return Refuse(400, "bad_request", "stray CR or NUL in the request head");
    }
    if (request_line) {
      request_line = false;
      continue;
    }
    if (++fields > limits.max_fields) {
      return Refuse(431, "header_too_large", "too many header fields");
    }
    if (auto refusal = ReadField(line, &verdict)) return *refusal;
  }
  if (verdict.content_length.has_value() && verdict.has_transfer_encoding) {
    return Refuse(400, "bad_request", "Content-Length together with Transfer-Encoding");
  }
  if (verdict.content_length.value_or(0) > limits.max_body_bytes) {
    return Refuse(
        413, "payload_too_large",
        "request body is larger than " + std::to_string(limits.max_body_bytes) + " bytes");
  }
  verdict.state = HeadState::kComplete;
  verdict.head_end = pos;
  if (bare_lf) {
    verdict.normalised =
        WithCrlfLineEnds(bytes.substr(verdict.head_begin, pos - verdict.head_begin));
  }
  return verdict;
}

}  // namespace citeqa::server
