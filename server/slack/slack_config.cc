#include "server/slack/slack_config.h"

#include <string_view>

namespace citeqa::server::slack {
namespace {

std::string Trimmed(const char* value) {
  if (value == nullptr) return "";
  std::string_view s(value);
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return "";
  return std::string(s.substr(begin, s.find_last_not_of(kSpace) - begin + 1));
}

// Checks the scheme and drops trailing slashes so that callers can append "/path".
Status NormalizeUrl(const char* name, std::string* url) {
  if (url->empty()) return Status::Ok();
  if (url->rfind("http://", 0) != 0 && url->rfind("https://", 0) != 0) {
    return Status::InvalidArgument(std::string(name) + " must start with http:// or https://");
  }
  const size_t host = url->find("://") + 3;
  while (url->size() > host && url->back() == '/') url->pop_back();
  if (url->size() == host) return Status::InvalidArgument(std::string(name) + " has no host");
  return Status::Ok();
}

}  // namespace

Result<SlackConfig> LoadSlackConfig(const EnvLookup& getenv) {
  SlackConfig config;
  config.signing_secret = Trimmed(getenv("CITEQA_SLACK_SIGNING_SECRET"));
  config.bot_token = Trimmed(getenv("CITEQA_SLACK_BOT_TOKEN"));
  config.webhook_token = Trimmed(getenv("CITEQA_WEBHOOK_TOKEN"));
  config.public_base_url = Trimmed(getenv("CITEQA_PUBLIC_BASE_URL"));
  if (std::string api = Trimmed(getenv("CITEQA_SLACK_API_BASE")); !api.empty()) {
    config.api_base = std::move(api);
  }
  if (std::string type = Trimmed(getenv("CITEQA_SLACK_RESPONSE_TYPE")); !type.empty()) {
    if (type != "in_channel" && type != "ephemeral") {
      return Status::InvalidArgument(
          "CITEQA_SLACK_RESPONSE_TYPE must be in_channel or ephemeral, not '" + type + "'");
    }
    config.response_type = std::move(type);
  }
  CITEQA_RETURN_IF_ERROR(NormalizeUrl("CITEQA_PUBLIC_BASE_URL", &config.public_base_url));
  CITEQA_RETURN_IF_ERROR(NormalizeUrl("CITEQA_SLACK_API_BASE", &config.api_base));
  return config;
}

}  // namespace citeqa::server::slack
