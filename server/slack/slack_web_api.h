// MessagePoster over Slack's Web API: chat.postMessage with a JSON body and the bot token,
// conversations.replies for a thread's earlier questions, and replies to interactions
// through their response_url. The only httplib client in citeqa
// (routes.cc is the server side). The base URL is configurable so tests and staging can
// point it at a fake on 127.0.0.1.
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

// One page of conversations.replies: its messages, and the cursor of the next page ("" at
// the end).
struct ThreadPage {
  std::vector<ThreadMessage> messages;
  std::string next_cursor;
};

// The messages of a conversations.replies reply. Errors: kInvalidArgument when it is not
// {"ok": true, "messages": [...]} (Slack's error, e.g. "thread_not_found", in the message),
// kUnauthenticated for missing_scope or a bad token, kUnavailable for rate limits and
// Slack's faults, kInvalidArgument for the rest.
Result<ThreadPage> ParseThreadMessages(std::string_view reply);

// Where an interaction's response_url points, split for the HTTP client.
struct ResponseUrlTarget {
  std::string scheme_host_port;  // "https://hooks.slack.com"
  std::string path;              // "/actions/T1/2/abc"
};

// Accepts only Slack's own hooks host (https://hooks.slack.com/...) or, for tests and
// staging, the scheme, host and port of `api_base`: a signed payload must not be able to
// send citeqa anywhere else. kInvalidArgument otherwise, and for a URL with white space or
// bytes outside printable ASCII.
Result<ResponseUrlTarget> ParseResponseUrl(std::string_view response_url,
                                           std::string_view api_base);

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
  // One HTTP request to ParseResponseUrl(response_url, api_base): any 2xx whose body is not
  // {"ok": false, ...} is OK; kUnavailable for network failures, 429 and 5xx;
  // kInvalidArgument for a refused URL and other statuses. No bot token is needed.
  Status Respond(const std::string& response_url, const nlohmann::json& message) override;
  // GET conversations.replies (channel, ts, latest = before_ts, exclusive), following the
  // cursor for up to kMaxThreadMessages / kThreadPageSize pages (the thread's latest
  // questions are on its last page): needs the
  // channels:history, groups:history, im:history and mpim:history scopes for the kinds of
  // conversation the app answers in (missing_scope: kUnauthenticated).
  Result<std::vector<ThreadMessage>> ThreadMessages(const std::string& channel,
                                                    const std::string& thread_ts,
                                                    const std::string& before_ts) override;

 private:
  SlackWebApiOptions options_;
};

inline constexpr int kThreadPageSize = 200;

}  // namespace citeqa::server::slack
