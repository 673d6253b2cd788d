// Where background answers and replies go, and where a thread's earlier messages come from:
// an interface so the service can be tested without Slack.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "indexer/status.h"

namespace citeqa::server::slack {

struct SlackPost {
  std::string channel;
  std::string thread_ts;                            // empty: a top-level message
  std::string text;                                 // mrkdwn, also the notification fallback
  nlohmann::json blocks = nlohmann::json::array();  // may be empty
};

// One message of a thread, as conversations.replies lists it.
struct ThreadMessage {
  std::string ts;       // "1515449522.000016"
  std::string user;     // who wrote it; empty for some bots' messages
  std::string bot_id;   // set when a bot wrote it
  std::string subtype;  // e.g. "bot_message"; empty for a person's message
  std::string text;
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

  // The messages of the thread `thread_ts` in `channel` written before `before_ts`, oldest
  // first, the thread's first message included (at most kMaxThreadMessages). Errors as
  // Post's (kUnauthenticated also when the app lacks the history scope for that kind of
  // conversation).
  // Called from one thread at a time.
  virtual Result<std::vector<ThreadMessage>> ThreadMessages(const std::string& channel,
                                                            const std::string& thread_ts,
                                                            const std::string& before_ts) = 0;

  static constexpr int kMaxThreadMessages = 1000;
};

}  // namespace citeqa::server::slack
