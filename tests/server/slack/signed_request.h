// Builds requests signed the way Slack signs them, for the handler tests.
#pragma once

#include <cstdint>
#include <string>

#include "server/slack/signature.h"
#include "server/slack/slack_http.h"

namespace citeqa::server::slack::testing {

inline constexpr char kTestSecret[] = "8f742231b10e8888abcd99yyyzzz85a5";
inline constexpr int64_t kTestNow = 1531420618;

inline SlackHttpRequest SignedRequest(std::string body, std::string content_type,
                                      int64_t timestamp = kTestNow,
                                      const std::string& secret = kTestSecret) {
  SlackHttpRequest request;
  const std::string ts = std::to_string(timestamp);
  request.headers["x-slack-request-timestamp"] = {ts};
  request.headers["x-slack-signature"] = {ComputeSlackSignature(secret, ts, body)};
  request.headers["content-type"] = {std::move(content_type)};
  request.body = std::move(body);
  return request;
}

}  // namespace citeqa::server::slack::testing
