// Settings of the Slack adapter, read from the environment once at start-up.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "indexer/status.h"

namespace citeqa::server::slack {

struct SlackConfig {
  std::string signing_secret;   // CITEQA_SLACK_SIGNING_SECRET; empty: Slack endpoints refuse all
  std::string bot_token;        // CITEQA_SLACK_BOT_TOKEN; empty: app mentions are not answered
  std::string webhook_token;    // CITEQA_WEBHOOK_TOKEN; empty: /hooks/outgoing refuses all
  std::string public_base_url;  // CITEQA_PUBLIC_BASE_URL, no trailing '/'; empty: no links
  std::string api_base = "https://slack.com/api";  // CITEQA_SLACK_API_BASE, no trailing '/'
  std::string response_type = "in_channel";        // CITEQA_SLACK_RESPONSE_TYPE
  // Not from the environment: bounds of the background answering.
  size_t queue_capacity = 64;        // app mentions waiting to be answered
  size_t dedup_capacity = 10000;     // event ids remembered...
  int64_t dedup_ttl_seconds = 3600;  // ...for this long (Slack retries within minutes)
};

// Same shape as std::getenv: nullptr when unset.
using EnvLookup = std::function<const char*(const char*)>;

// Reads the CITEQA_* variables above (surrounding white space trimmed; unset and empty are
// the same). kInvalidArgument when CITEQA_SLACK_RESPONSE_TYPE is neither "in_channel" nor
// "ephemeral", or when CITEQA_PUBLIC_BASE_URL / CITEQA_SLACK_API_BASE is set but does not
// start with http:// or https://. Call as LoadSlackConfig(std::getenv).
Result<SlackConfig> LoadSlackConfig(const EnvLookup& getenv);

}  // namespace citeqa::server::slack
