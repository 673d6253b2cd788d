// Builds interactivity request bodies the way Slack sends them: `payload=` and the
// interaction's JSON, percent-encoded, for the interaction tests.
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "server/slack/feedback_buttons.h"

namespace citeqa::server::slack::testing {

inline std::string FormEncode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
        (byte >= '0' && byte <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof(escaped), "%%%02X", byte);
      out += escaped;
    }
  }
  return out;
}

inline std::string InteractionBody(const nlohmann::json& payload) {
  return "payload=" + FormEncode(payload.dump());
}

// A block_actions payload for a click on `action_id` of an answer message whose buttons carry
// `subject`, shaped like Slack's (trimmed to the fields citeqa reads, plus a few it ignores).
inline nlohmann::json VotePayload(std::string_view action_id, const VoteSubject& subject,
                                  const std::string& response_url,
                                  const std::string& message_text = "One month [1].") {
  const nlohmann::json buttons = FeedbackActionsBlock(subject);
  const std::string value = buttons["elements"][0]["value"];
  nlohmann::json blocks = nlohmann::json::array(
      {{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", message_text}}}}, buttons});
  return {
      {"type", "block_actions"},
      {"user", {{"id", "U1"}, {"username", "ann"}, {"team_id", "T1"}}},
      {"api_app_id", "A1"},
      {"token", "deprecated"},
      {"container",
       {{"type", "message"}, {"message_ts", "1.2"}, {"channel_id", "C1"}, {"is_ephemeral", false}}},
      {"trigger_id", "1.2.3"},
      {"team", {{"id", "T1"}, {"domain", "example"}}},
      {"channel", {{"id", "C1"}, {"name", "general"}}},
      {"message",
       {{"type", "message"},
        {"bot_id", "B1"},
        {"text", message_text},
        {"ts", "1.2"},
        {"blocks", blocks}}},
      {"response_url", response_url},
      {"actions", nlohmann::json::array({{{"type", "button"},
                                          {"block_id", std::string(kFeedbackBlockId)},
                                          {"action_id", std::string(action_id)},
                                          {"text", {{"type", "plain_text"}, {"text", "x"}}},
                                          {"value", value},
                                          {"action_ts", "1.3"}}})}};
}

}  // namespace citeqa::server::slack::testing
