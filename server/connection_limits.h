// The limits on a request head that `citeqa serve` checks itself, before httplib parses
// anything: how many header fields, how long a line and the whole head may be, and whether
// the body's framing is one that can be trusted. A pure function over the bytes received.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/config.h"

namespace citeqa::server {

inline constexpr size_t kMaxHeaderFields = 100;
inline constexpr size_t kMaxHeadBytes = 16 * 1024;
// Per line, its CRLF included (httplib's own line limits count it too).
inline constexpr size_t kMaxHeadLineBytes = 8 * 1024;

struct HeadLimits {
  size_t max_fields = kMaxHeaderFields;
  size_t max_head_bytes = kMaxHeadBytes;  // from the first byte to the blank line's end
  size_t max_line_bytes = kMaxHeadLineBytes;
  size_t max_body_bytes = kMaxRequestBodyBytes;  // a larger Content-Length: 413
};

enum class HeadState {
  kIncomplete,  // no blank line yet and no limit crossed: wait for more bytes
  kComplete,    // a whole head within the limits
  kRefused,     // answer `status` and close the connection
};

struct HeadVerdict {
  HeadState state = HeadState::kIncomplete;

  // kRefused: 400 (malformed or ambiguous framing), 413 (Content-Length over the body
  // limit), 414 (request line too long) or 431 (too many fields, a field line or the head
  // too long). `code` (a static string) and `message` go into the JSON error body.
  int status = 0;
  std::string_view code;
  std::string message;

  // kComplete: the head is bytes [head_begin, head_end); empty lines before the request
  // line (RFC 9112 2.2) are skipped. `normalised` is that head with every bare LF line end
  // written as CRLF, or empty when it had none (then use the bytes as they are).
  size_t head_begin = 0;
  size_t head_end = 0;
  std::string normalised;
  std::optional<uint64_t> content_length;
  bool has_transfer_encoding = false;  // the body's end is not known from the head
  bool expects_continue = false;       // "Expect: 100-continue": the body waits for an answer
};

// Checks the bytes received so far on a connection (the start of a request). Refuses as
// soon as a limit is crossed, even before the head is complete: more than
// `limits.max_fields` fields, a line longer than `max_line_bytes` (414 for the request line,
// 431 for a field), more than `max_head_bytes` in all (431); a field line without a name
// and colon, with white space before the colon, folded onto the next line, or holding a NUL
// or bare CR (400); a duplicate, list-valued or non-numeric Content-Length, or one together
// with Transfer-Encoding (400); a Content-Length above `max_body_bytes` (413). Thread-safe.
HeadVerdict CheckRequestHead(std::string_view bytes, const HeadLimits& limits);

}  // namespace citeqa::server
