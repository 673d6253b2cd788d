// MessagePoster over Slack's Web API: chat.postMessage with a JSON body and the bot token.
// The only httplib client in citeqa (routes.cc is the server side). The base URL is
// configurable so tests and staging can point it at a fake on 127.0.0.1.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "indexer/status.h"
#include "server/slack/message_poster.h"

namespace citeqa::server::slack {

struct SlackApiEndpoint {
  std::string scheme_host_port;  // "https://slack.com" or "http://127.0.0.1:4567"
  std::string path_prefix;       // "/api", or "" when the base URL has no path
};

// Splits "https://slack.com/api" into its parts. kInvalidArgument unless http(s)://host...
Result<SlackApiEndpoint> ParseApiBase(std::string_view api_base);

// The chat.postMessage body: channel, text, thread_ts (when set), blocks (when any), and no
// link unfurling (the source links would otherwise expand under every answer).
std::string PostMessageBody(const SlackPost& post);

struct SlackWebApiOptions {
  std::string api_base = "https://slack.com/api";
  std::string bot_token;
  int connect_timeout_seconds = 5;
  int read_timeout_seconds = 10;
};

class SlackWebApiPoster : public MessagePoster {
 public:
  explicit SlackWebApiPoster(SlackWebApiOptions options);
  // One HTTP request per call; Slack's {"ok": false, "error": ...} is an error with that text.
  // kUnauthenticated without a token or for invalid_auth/not_authed/token_revoked,
  // kUnavailable for network failures, HTTP 429 and 5xx, kInvalidArgument otherwise.
  Status Post(const SlackPost& post) override;

 private:
  SlackWebApiOptions options_;
};

}  // namespace citeqa::server::slack
