#include "server/slack/slack_web_api.h"

#include <httplib.h>

#include <memory>
#include <utility>

#include "server/slack/message_format.h"

namespace citeqa::server::slack {
namespace {

// Slack's {"ok": false, "error": ...} of a Web API `method` as a Status.
Status ApiError(const std::string& method, const std::string& error) {
  const std::string message = method + ": " + error;
  if (error == "invalid_auth" || error == "not_authed" || error == "token_revoked" ||
      error == "account_inactive" || error == "token_expired") {
    return Status::Unauthenticated(message);
  }
  if (error == "ratelimited" || error == "service_unavailable" || error == "fatal_error" ||
      error == "internal_error" || error == "request_timeout") {
    return Status::Unavailable(message);
  }
  if (error == "missing_scope") return Status::Unauthenticated(message);
  return Status::InvalidArgument(message);
}

// A client for the Web API's host with the configured timeouts, and the bot token's header.
struct ApiConnection {
  std::unique_ptr<httplib::Client> client;
  std::string path_prefix;
  httplib::Headers headers;
};

// Errors: kUnauthenticated without a bot token; ParseApiBase's.
Result<ApiConnection> Connect(const SlackWebApiOptions& options) {
  if (options.bot_token.empty()) {
    return Status::Unauthenticated("CITEQA_SLACK_BOT_TOKEN is not set");
  }
  Result<SlackApiEndpoint> endpoint = ParseApiBase(options.api_base);
  if (!endpoint.ok()) return endpoint.status();
  ApiConnection connection;
  connection.client = std::make_unique<httplib::Client>(endpoint->scheme_host_port);
  connection.client->set_connection_timeout(options.connect_timeout_seconds);
  connection.client->set_read_timeout(options.read_timeout_seconds);
  connection.client->set_write_timeout(options.read_timeout_seconds);
  connection.path_prefix = endpoint->path_prefix;
  connection.headers = {{"Authorization", "Bearer " + options.bot_token}};
  return connection;
}

// What an HTTP exchange with `method` says before its body is read: OK for 200;
// kUnavailable for a network failure, 429 and 5xx; kInvalidArgument for other statuses.
Status ExchangeStatus(const char* method, const httplib::Result& result) {
  if (!result) {
    return Status::Unavailable(std::string(method) + ": " + httplib::to_string(result.error()));
  }
  if (result->status == 429 || result->status >= 500) {
    return Status::Unavailable(std::string(method) + ": HTTP " + std::to_string(result->status));
  }
  if (result->status != 200) {
    return Status::InvalidArgument(std::string(method) + ": HTTP " +
                                   std::to_string(result->status));
  }
  return Status::Ok();
}

std::string StringField(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Result<SlackApiEndpoint> ParseApiBase(std::string_view api_base) {
  const size_t scheme_end = api_base.find("://");
  if (scheme_end == std::string_view::npos ||
      (api_base.substr(0, scheme_end) != "http" && api_base.substr(0, scheme_end) != "https")) {
    return Status::InvalidArgument("Slack API base must be an http(s) URL");
  }
  const size_t path = api_base.find('/', scheme_end + 3);
  SlackApiEndpoint endpoint;
  endpoint.scheme_host_port = std::string(api_base.substr(0, path));
  if (endpoint.scheme_host_port.size() == scheme_end + 3) {
    return Status::InvalidArgument("Slack API base has no host");
  }
  if (path != std::string_view::npos) endpoint.path_prefix = std::string(api_base.substr(path));
  while (!endpoint.path_prefix.empty() && endpoint.path_prefix.back() == '/') {
    endpoint.path_prefix.pop_back();
  }
  return endpoint;
}

std::string PostMessageBody(const SlackPost& post) {
  nlohmann::json body = {{"channel", post.channel},
                         {"text", post.text},
                         {"unfurl_links", false},
                         {"unfurl_media", false}};
  if (!post.thread_ts.empty()) body["thread_ts"] = post.thread_ts;
  if (!post.blocks.empty()) body["blocks"] = post.blocks;
  return DumpJson(body);
}

Result<ResponseUrlTarget> ParseResponseUrl(std::string_view response_url,
                                           std::string_view api_base) {
  for (const char c : response_url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F) {
      return Status::InvalidArgument("response_url has white space or non-ASCII bytes");
    }
  }
  constexpr std::string_view kSlackHooks = "https://hooks.slack.com";
  std::string allowed;
  if (response_url.starts_with(std::string(kSlackHooks) + "/")) {
    allowed = kSlackHooks;
  } else if (Result<SlackApiEndpoint> api = ParseApiBase(api_base);
             api.ok() && response_url.starts_with(api->scheme_host_port + "/")) {
    allowed = api->scheme_host_port;
  } else {
    return Status::InvalidArgument("response_url is not Slack's");
  }
  return ResponseUrlTarget{allowed, std::string(response_url.substr(allowed.size()))};
}

SlackWebApiPoster::SlackWebApiPoster(SlackWebApiOptions options) : options_(std::move(options)) {}

Status SlackWebApiPoster::Post(const SlackPost& post) {
  try {
    auto api = Connect(options_);
    if (!api.ok()) return api.status();
    const httplib::Result result =
        api->client->Post(api->path_prefix + "/chat.postMessage", api->headers,
                          PostMessageBody(post), "application/json; charset=utf-8");
    CITEQA_RETURN_IF_ERROR(ExchangeStatus("chat.postMessage", result));
    const nlohmann::json reply = nlohmann::json::parse(result->body, nullptr, false);
    if (!reply.is_object()) return Status::InvalidArgument("chat.postMessage: not JSON");
    const auto ok = reply.find("ok");
    if (ok != reply.end() && *ok == true) return Status::Ok();
    const std::string error = StringField(reply, "error");
    return ApiError("chat.postMessage", error.empty() ? "unknown error" : error);
  } catch (const std::exception& e) {
    return Status::Unavailable(std::string("chat.postMessage: ") + e.what());
  }
}

Result<ThreadPage> ParseThreadMessages(std::string_view reply_text) {
  const nlohmann::json reply = nlohmann::json::parse(reply_text, nullptr, false);
  if (!reply.is_object()) return Status::InvalidArgument("conversations.replies: not JSON");
  const auto ok = reply.find("ok");
  if (ok == reply.end() || *ok != true) {
    const std::string error = StringField(reply, "error");
    return ApiError("conversations.replies", error.empty() ? "unknown error" : error);
  }
  const auto messages = reply.find("messages");
  if (messages == reply.end() || !messages->is_array()) {
    return Status::InvalidArgument("conversations.replies: no messages");
  }
  ThreadPage page;
  for (const auto& message : *messages) {
    if (!message.is_object()) continue;
    page.messages.push_back({StringField(message, "ts"), StringField(message, "user"),
                             StringField(message, "bot_id"), StringField(message, "subtype"),
                             StringField(message, "text")});
  }
  const auto metadata = reply.find("response_metadata");
  if (reply.value("has_more", false) == true && metadata != reply.end() && metadata->is_object()) {
    page.next_cursor = StringField(*metadata, "next_cursor");
  }
  return page;
}

Result<std::vector<ThreadMessage>> SlackWebApiPoster::ThreadMessages(const std::string& channel,
                                                                     const std::string& thread_ts,
                                                                     const std::string& before_ts) {
  try {
    auto api = Connect(options_);
    if (!api.ok()) return api.status();
    std::vector<ThreadMessage> thread;
    std::string cursor;
    for (int page = 0; page * kThreadPageSize < kMaxThreadMessages; ++page) {
      httplib::Params params = {{"channel", channel},
                                {"ts", thread_ts},
                                {"latest", before_ts},
                                {"inclusive", "false"},
                                {"limit", std::to_string(kThreadPageSize)}};
      if (!cursor.empty()) params.emplace("cursor", cursor);
      const httplib::Result result =
          api->client->Get(api->path_prefix + "/conversations.replies", params, api->headers);
      CITEQA_RETURN_IF_ERROR(ExchangeStatus("conversations.replies", result));
      auto parsed = ParseThreadMessages(result->body);
      if (!parsed.ok()) return parsed.status();
      for (ThreadMessage& message : parsed->messages) thread.push_back(std::move(message));
      cursor = std::move(parsed->next_cursor);
      if (cursor.empty()) break;
    }
    return thread;
  } catch (const std::exception& e) {
    return Status::Unavailable(std::string("conversations.replies: ") + e.what());
  }
}

Status SlackWebApiPoster::Respond(const std::string& response_url, const nlohmann::json& message) {
  Result<ResponseUrlTarget> target = ParseResponseUrl(response_url, options_.api_base);
  if (!target.ok()) return target.status();
  try {
    httplib::Client client(target->scheme_host_port);
    client.set_connection_timeout(options_.connect_timeout_seconds);
    client.set_read_timeout(options_.read_timeout_seconds);
    client.set_write_timeout(options_.read_timeout_seconds);
    const httplib::Result result =
        client.Post(target->path, DumpJson(message), "application/json; charset=utf-8");
    if (!result) {
      return Status::Unavailable("response_url: " + httplib::to_string(result.error()));
    }
    if (result->status == 429 || result->status >= 500) {
      return Status::Unavailable("response_url: HTTP " + std::to_string(result->status));
    }
    if (result->status < 200 || result->status >= 300) {
      return Status::InvalidArgument("response_url: HTTP " + std::to_string(result->status) + " " +
                                     result->body.substr(0, 200));
    }
    const nlohmann::json reply = nlohmann::json::parse(result->body, nullptr, false);
    if (reply.is_object() && reply.contains("ok") && reply["ok"] == false) {
      const auto error = reply.find("error");
      return Status::InvalidArgument("response_url: " + (error != reply.end() && error->is_string()
                                                             ? error->get<std::string>()
                                                             : "refused"));
    }
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::Unavailable(std::string("response_url: ") + e.what());
  }
}

}  // namespace citeqa::server::slack
