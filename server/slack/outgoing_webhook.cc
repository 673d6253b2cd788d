#include "server/slack/outgoing_webhook.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "indexer/text.h"
#include "server/slack/form_decoding.h"

namespace citeqa::server::slack {
namespace {

bool IsJson(const SlackHttpRequest& request) {
  const auto& types = HeaderValues(request, "content-type");
  if (types.empty()) {
    const size_t first = request.body.find_first_not_of(" \t\r\n");
    return first != std::string::npos && request.body[first] == '{';
  }
  return indexer::AsciiLower(types.front()).rfind("application/json", 0) == 0;
}

Result<OutgoingWebhook> FromJson(std::string_view body) {
  const nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return Status::InvalidArgument("webhook body is not a JSON object");
  auto field = [&json](const char* key) {
    const auto it = json.find(key);
    return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  return OutgoingWebhook{field("token"), field("text"), field("trigger_word")};
}

Result<OutgoingWebhook> FromForm(std::string_view body) {
  Result<FormFields> fields = DecodeForm(body);
  if (!fields.ok()) return fields.status();
  OutgoingWebhook hook;
  for (auto [key, out] : {std::pair{"token", &hook.token}, std::pair{"text", &hook.text},
                          std::pair{"trigger_word", &hook.trigger_word}}) {
    Result<std::string> value = OptionalValue(*fields, key);
    if (!value.ok()) return value.status();
    *out = std::move(value).value();
  }
  return hook;
}

}  // namespace

Result<OutgoingWebhook> ParseOutgoingWebhook(const SlackHttpRequest& request) {
  return IsJson(request) ? FromJson(request.body) : FromForm(request.body);
}

std::string StripTriggerWord(std::string_view text, std::string_view trigger_word) {
  std::string collapsed = indexer::CollapseWhitespace(text);
  const std::string trigger = indexer::CollapseWhitespace(trigger_word);
  if (trigger.empty() || collapsed.size() < trigger.size() ||
      indexer::AsciiLower(collapsed.substr(0, trigger.size())) != indexer::AsciiLower(trigger)) {
    return collapsed;
  }
  // Only a whole word: trigger "ask" leaves "asking about leave" alone.
  std::string_view rest = std::string_view(collapsed).substr(trigger.size());
  if (!rest.empty() && std::isalnum(static_cast<unsigned char>(rest.front()))) return collapsed;
  while (!rest.empty() && (rest.front() == ':' || rest.front() == ',')) rest.remove_prefix(1);
  return indexer::CollapseWhitespace(rest);
}

}  // namespace citeqa::server::slack
