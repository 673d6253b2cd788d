// Reading outgoing-webhook requests of Slack-compatible tools (Mattermost, Rocket.Chat,
// Slack's legacy outgoing webhooks): form-encoded or JSON, with a shared `token`, the
// message `text` and the `trigger_word` that fired it. Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "indexer/status.h"
#include "server/slack/slack_http.h"

namespace citeqa::server::slack {

struct OutgoingWebhook {
  std::string token;
  std::string text;
  std::string trigger_word;
};

// JSON when Content-Type is application/json (or, without a Content-Type, when the body
// starts with '{'), form-encoded otherwise. kInvalidArgument for a body that does not decode
// or a field sent twice; absent or non-string fields read as "".
Result<OutgoingWebhook> ParseOutgoingWebhook(const SlackHttpRequest& request);

// `text` without a leading `trigger_word` (a whole word, compared ignoring ASCII case, and
// any ':' or ',' after it), trimmed and with white space collapsed.
std::string StripTriggerWord(std::string_view text, std::string_view trigger_word);

}  // namespace citeqa::server::slack
