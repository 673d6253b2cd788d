// Reading Slack Events API payloads (https://api.slack.com/apis/events-api): the
// url_verification handshake and app_mention events. Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "indexer/status.h"

namespace citeqa::server::slack {

struct AppMention {
  std::string event_id;  // the envelope's event_id: the same on Slack's retries
  std::string team_id;
  std::string channel;
  std::string user;         // who mentioned us
  std::string text;         // as sent, mentions included ("<@U123> what is ...")
  std::string ts;           // the mention's own timestamp
  std::string thread_ts;    // set when the mention is inside a thread
  std::string bot_id;       // set when a bot wrote the message
  std::string subtype;      // e.g. "bot_message"
  std::string bot_user_id;  // our own user id (authorizations[0].user_id), may be empty

  // Where the answer goes: the thread the mention is in, else a new thread under it.
  const std::string& ReplyThread() const { return thread_ts.empty() ? ts : thread_ts; }
};

enum class EventsPayloadKind {
  kUrlVerification,  // `challenge` is set
  kAppMention,       // `mention` is set
  kIgnored,          // any other event or envelope type: acknowledge and do nothing
};

struct EventsPayload {
  EventsPayloadKind kind = EventsPayloadKind::kIgnored;
  std::string challenge;
  AppMention mention;
};

// kInvalidArgument when `body` is not a JSON object, when a url_verification has no string
// challenge, or when an app_mention lacks channel or ts. Fields of the wrong type are read as
// absent.
Result<EventsPayload> ParseEventsPayload(std::string_view body);

// True for messages we must not answer: written by a bot (bot_id or subtype bot_message) or
// by ourselves (user == bot_user_id).
bool IsFromBot(const AppMention& mention);

// Removes mentions of `bot_user_id` (<@U123> or <@U123|name>) anywhere in `text`; when
// `bot_user_id` is empty, removes the user mentions at the start instead. White space is
// collapsed and trimmed.
std::string StripBotMention(std::string_view text, std::string_view bot_user_id);

}  // namespace citeqa::server::slack
