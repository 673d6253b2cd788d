// Who sent a request and how to find it again: the request id (returned as X-Request-Id and
// written to the access log) and the client address to log, behind a proxy or not.
#pragma once

#include <string>
#include <string_view>

namespace citeqa::server {

// The id a request is known by: the client's (or proxy's) X-Request-Id when it is a short
// token (1..64 bytes of letters, digits and "-_.:"), so one id follows a request through
// nginx and citeqa; otherwise a new one (16 hex digits, random). Thread-safe.
std::string RequestIdFor(std::string_view offered);

// The address to log for a request from `peer` (the socket's address). With
// `trust_forwarded_for`, citeqa sits behind a proxy that appends the client's address to
// X-Forwarded-For, so the last entry of `forwarded_for` is the one the proxy saw (earlier
// entries come from the client and prove nothing); it is used when it is a plausible
// address. Otherwise, or when the header is absent or malformed, `peer`.
std::string ClientAddressFor(std::string_view peer, std::string_view forwarded_for,
                             bool trust_forwarded_for);

}  // namespace citeqa::server
