#include "server/slack/events.h"

#include <nlohmann/json.hpp>

#include "indexer/text.h"

namespace citeqa::server::slack {
namespace {

using nlohmann::json;

std::string StringField(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Our bot's user id: in `authorizations` of current payloads, `authed_users` of older ones.
std::string BotUserId(const json& envelope) {
  const auto auth = envelope.find("authorizations");
  if (auth != envelope.end() && auth->is_array()) {
    for (const auto& entry : *auth) {
      if (!entry.is_object()) continue;
      const auto is_bot = entry.find("is_bot");
      if (is_bot != entry.end() && *is_bot == true) return StringField(entry, "user_id");
    }
  }
  const auto users = envelope.find("authed_users");
  if (users != envelope.end() && users->is_array() && users->size() == 1 &&
      users->front().is_string()) {
    return users->front().get<std::string>();
  }
  return "";
}

// Length of the user mention "<@U...>" or "<@U...|label>" at the start of `text`, or 0; its
// id is stored in `id`.
size_t MentionAt(std::string_view text, std::string* id) {
  if (text.substr(0, 2) != "<@") return 0;
  const size_t close = text.find('>');
  if (close == std::string_view::npos) return 0;
  const std::string_view inner = text.substr(2, close - 2);
  *id = std::string(inner.substr(0, inner.find('|')));
  return id->empty() ? 0 : close + 1;
}

}  // namespace

Result<EventsPayload> ParseEventsPayload(std::string_view body) {
  const json envelope = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!envelope.is_object()) return Status::InvalidArgument("events payload is not a JSON object");
  EventsPayload payload;
  const std::string type = StringField(envelope, "type");
  if (type == "url_verification") {
    const auto challenge = envelope.find("challenge");
    if (challenge == envelope.end() || !challenge->is_string()) {
      return Status::InvalidArgument("url_verification without a challenge");
    }
    payload.kind = EventsPayloadKind::kUrlVerification;
    payload.challenge = challenge->get<std::string>();
    return payload;
  }
  const auto event = envelope.find("event");
  if (type != "event_callback" || event == envelope.end() || !event->is_object() ||
      StringField(*event, "type") != "app_mention") {
    return payload;
  }
  AppMention& m = payload.mention;
  m.event_id = StringField(envelope, "event_id");
  m.team_id = StringField(envelope, "team_id");
  m.bot_user_id = BotUserId(envelope);
  m.channel = StringField(*event, "channel");
  m.user = StringField(*event, "user");
  m.text = StringField(*event, "text");
  m.ts = StringField(*event, "ts");
  m.thread_ts = StringField(*event, "thread_ts");
  m.bot_id = StringField(*event, "bot_id");
  m.subtype = StringField(*event, "subtype");
  if (m.channel.empty() || m.ts.empty()) {
    return Status::InvalidArgument("app_mention without channel or ts");
  }
  payload.kind = EventsPayloadKind::kAppMention;
  return payload;
}

bool IsFromBot(const AppMention& mention) {
  return !mention.bot_id.empty() || mention.subtype == "bot_message" ||
         (!mention.bot_user_id.empty() && mention.user == mention.bot_user_id);
}

std::string StripBotMention(std::string_view text, std::string_view bot_user_id) {
  std::string out;
  bool at_start = true;  // only white space and stripped mentions so far
  for (size_t i = 0; i < text.size();) {
    std::string id;
    const size_t len = MentionAt(text.substr(i), &id);
    if (len > 0 && (bot_user_id.empty() ? at_start : id == bot_user_id)) {
      out += ' ';
      i += len;
      continue;
    }
    if (text[i] != ' ' && text[i] != '\n' && text[i] != '\t') at_start = false;
    out += text[i++];
  }
  return indexer::CollapseWhitespace(out);
}

}  // namespace citeqa::server::slack
