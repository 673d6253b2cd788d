// Where background answers and replies go: an interface so the service can be tested without
// Slack.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "indexer/status.h"

namespace citeqa::server::slack {

struct SlackPost {
  std::string channel;
  std::string thread_ts;                            // empty: a top-level message
  std::string text;                                 // mrkdwn, also the notification fallback
  nlohmann::json blocks = nlohmann::json::array();  // may be empty
};

class MessagePoster {
 public:
  virtual ~MessagePoster() = default;
  // Posts the message. Errors: kUnauthenticated (no or bad token), kUnavailable (network,
  // rate limit, 5xx), kInvalidArgument (Slack refused the message). Called from one thread
  // at a time.
  virtual Status Post(const SlackPost& post) = 0;

  // POSTs `message` (JSON) to an interaction's `response_url`. Errors: kInvalidArgument (a
  // URL that is not Slack's, or Slack refused the message), kUnavailable (network, rate
  // limit, 5xx). Called from one thread at a time.
  virtual Status Respond(const std::string& response_url, const nlohmann::json& message) = 0;
};

}  // namespace citeqa::server::slack
