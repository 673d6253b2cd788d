// Slack request signing (https://api.slack.com/authentication/verifying-requests-from-slack):
// X-Slack-Signature = "v0=" + hex(HMAC-SHA256(signing secret, "v0:" + timestamp + ":" + body)),
// with X-Slack-Request-Timestamp no further than five minutes from now. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "indexer/status.h"
#include "server/slack/slack_http.h"

namespace citeqa::server::slack {

inline constexpr int64_t kMaxSignatureSkewSeconds = 300;

// "v0=" followed by 64 lower-case hex digits; "" if the digest cannot be computed.
std::string ComputeSlackSignature(std::string_view signing_secret, std::string_view timestamp,
                                  std::string_view body);

// OK when `request` carries exactly one X-Slack-Request-Timestamp (decimal seconds) within
// kMaxSignatureSkewSeconds of `now_unix`, either way, and exactly one X-Slack-Signature equal
// to ComputeSlackSignature over the raw body (compared in constant time). Otherwise
// kUnauthenticated with a reason meant for logs, never for the caller: an empty secret, a
// missing, repeated or malformed header, a stale or future timestamp, a wrong signature.
Status VerifySlackRequest(const SlackHttpRequest& request, std::string_view signing_secret,
                          int64_t now_unix);

// Equality of two secrets in time independent of where they differ and of their lengths
// (both are hashed first, then compared with CRYPTO_memcmp). Empty never equals anything.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace citeqa::server::slack
