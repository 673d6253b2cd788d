#include "server/slack/slack_service.h"

#include <iostream>
#include <utility>

#include "indexer/text.h"
#include "server/slack/events.h"
#include "server/slack/form_decoding.h"
#include "server/slack/message_format.h"
#include "server/slack/outgoing_webhook.h"
#include "server/slack/signature.h"
#include "server/slack/slack_web_api.h"

namespace citeqa::server::slack {
namespace {

constexpr std::string_view kUnreadable = "Sorry, I could not read that request.";
constexpr std::string_view kEngineFailed =
    "Sorry, something went wrong while searching the articles. Please try again in a moment.";

void Log(const std::string& line) { std::cerr << "slack: " << line << "\n"; }

bool IsHelp(const std::string& question) {
  return question.empty() || indexer::AsciiLower(question) == "help";
}

// Follow-up questions ("and what about the second one?") resolve against earlier ones from the same
// person in the same place, or the same thread.
std::string ConversationId(const std::string& team, const std::string& channel,
                           const std::string& who) {
  return "slack:" + team + ":" + channel + ":" + who;
}

// What to tell the asker when the engine fails; kInvalidArgument is about their question.
std::string AskErrorText(const Status& status) {
  if (status.code() == StatusCode::kInvalidArgument) {
    return "Sorry, I can't use that question: " + EscapeMrkdwn(status.message());
  }
  Log("engine: " + status.ToString());
  return std::string(kEngineFailed);
}

std::string FieldOrEmpty(const FormFields& fields, const char* key) {
  Result<std::string> value = SingleValue(fields, key);
  return value.ok() ? std::move(value).value() : std::string();
}

SlackHttpResponse Ephemeral(std::string_view mrkdwn) {
  return JsonResponse(200, DumpJson(EphemeralMessage(mrkdwn)));
}

SlackHttpResponse WebhookText(const std::string& markdown) {
  return JsonResponse(200, DumpJson({{"text", markdown}}));
}

}  // namespace

SlackService::SlackService(const SlackConfig& config, retriever::Engine& engine, Clock clock,
                           std::unique_ptr<MessagePoster> poster, SuggestionSource suggestions)
    : config_(config),
      engine_(engine),
      clock_(std::move(clock)),
      poster_(std::move(poster)),
      suggestions_(std::move(suggestions)),
      dedup_(config.dedup_capacity, config.dedup_ttl_seconds),
      queue_(config.queue_capacity) {}

SlackService::~SlackService() {
  if (const size_t dropped = queue_.Shutdown(); dropped > 0) {
    Log("shutting down: " + std::to_string(dropped) + " app mention(s) left unanswered");
  }
}

std::string SlackService::Usage(std::string_view invocation) const {
  return UsageText(invocation, suggestions_ ? suggestions_() : std::vector<std::string>{});
}

SlackHttpResponse SlackService::Refuse(const Status& why) {
  ++counters_.requests_refused;
  Log("refused request: " + why.message());
  return EmptyResponse(401);
}

SlackHttpResponse SlackService::HandleCommand(const SlackHttpRequest& request) {
  if (Status verified = VerifySlackRequest(request, config_.signing_secret, clock_());
      !verified.ok()) {
    return Refuse(verified);
  }
  Result<FormFields> fields = DecodeForm(request.body);
  if (!fields.ok()) {
    Log("slash command: " + fields.status().message());
    return Ephemeral(kUnreadable);
  }
  if (fields->count("ssl_check") > 0 && fields->count("command") == 0) return EmptyResponse(200);
  Result<std::string> text = OptionalValue(*fields, "text");
  Result<std::string> command = OptionalValue(*fields, "command");
  if (!text.ok() || !command.ok()) {
    Log("slash command: " + (text.ok() ? command : text).status().message());
    return Ephemeral(kUnreadable);
  }
  const std::string question = indexer::CollapseWhitespace(*text);
  if (IsHelp(question)) {
    return Ephemeral(Usage(EscapeMrkdwn(command->empty() ? "/ask" : *command)));
  }
  retriever::AskRequest ask;
  ask.question = question;
  ask.conversation_id =
      ConversationId(FieldOrEmpty(*fields, "team_id"), FieldOrEmpty(*fields, "channel_id"),
                     FieldOrEmpty(*fields, "user_id"));
  Result<retriever::AskResponse> answer = engine_.Ask(ask);
  if (!answer.ok()) return Ephemeral(AskErrorText(answer.status()));
  ++counters_.commands_answered;
  return JsonResponse(
      200, DumpJson(SlashCommandMessage(*answer, config_.public_base_url, config_.response_type)));
}

SlackHttpResponse SlackService::HandleEvents(const SlackHttpRequest& request) {
  if (Status verified = VerifySlackRequest(request, config_.signing_secret, clock_());
      !verified.ok()) {
    return Refuse(verified);
  }
  Result<EventsPayload> payload = ParseEventsPayload(request.body);
  if (!payload.ok()) {
    // Acknowledged anyway: Slack would only resend the same unreadable payload.
    Log("events: " + payload.status().message());
    return EmptyResponse(200);
  }
  if (payload->kind == EventsPayloadKind::kUrlVerification) {
    return JsonResponse(200, DumpJson({{"challenge", payload->challenge}}));
  }
  if (payload->kind != EventsPayloadKind::kAppMention) return EmptyResponse(200);

  AppMention mention = std::move(payload->mention);
  if (IsFromBot(mention)) {
    ++counters_.mentions_ignored;
    return EmptyResponse(200);
  }
  const std::string dedup_key =
      mention.event_id.empty() ? mention.channel + "/" + mention.ts : mention.event_id;
  if (!dedup_.FirstSighting(dedup_key, clock_())) {
    ++counters_.mentions_duplicate;
    return EmptyResponse(200);
  }
  if (config_.bot_token.empty()) {
    ++counters_.mentions_ignored;
    Log("app_mention not answered: CITEQA_SLACK_BOT_TOKEN is not set");
    return EmptyResponse(200);
  }
  std::string question = StripBotMention(mention.text, mention.bot_user_id);
  const bool queued =
      queue_.TryPush([this, mention = std::move(mention), question = std::move(question)] {
        AnswerMention(mention, question);
      });
  if (queued) {
    ++counters_.mentions_queued;
  } else {
    ++counters_.mentions_dropped;
    Log("app_mention dropped: answer queue full (" + std::to_string(queue_.capacity()) +
        " waiting), event " + dedup_key);
  }
  return EmptyResponse(200);
}

void SlackService::AnswerMention(const AppMention& mention, const std::string& question) {
  SlackPost post;
  post.channel = mention.channel;
  post.thread_ts = mention.ReplyThread();
  if (IsHelp(question)) {
    post.text = Usage(mention.bot_user_id.empty() ? "@citeqa" : "<@" + mention.bot_user_id + ">");
  } else {
    retriever::AskRequest ask;
    ask.question = question;
    ask.conversation_id = ConversationId(mention.team_id, mention.channel, post.thread_ts);
    Result<retriever::AskResponse> answer = engine_.Ask(ask);
    if (answer.ok()) {
      post.text = AnswerFallbackText(*answer);
      post.blocks = AnswerBlocks(*answer, config_.public_base_url);
    } else {
      post.text = AskErrorText(answer.status());
    }
  }
  if (Status posted = poster_->Post(post); posted.ok()) {
    ++counters_.posts_ok;
  } else {
    ++counters_.posts_failed;
    Log("posting answer to " + mention.channel + ": " + posted.ToString());
  }
}

SlackHttpResponse SlackService::HandleOutgoingWebhook(const SlackHttpRequest& request) {
  if (config_.webhook_token.empty()) {
    return Refuse(Status::Unauthenticated("CITEQA_WEBHOOK_TOKEN is not set"));
  }
  Result<OutgoingWebhook> hook = ParseOutgoingWebhook(request);
  if (!hook.ok()) return Refuse(Status::Unauthenticated("webhook: " + hook.status().message()));
  if (!ConstantTimeEquals(hook->token, config_.webhook_token)) {
    return Refuse(Status::Unauthenticated("webhook token does not match"));
  }
  const std::string question = StripTriggerWord(hook->text, hook->trigger_word);
  if (IsHelp(question)) {
    return WebhookText(Usage(hook->trigger_word.empty() ? "@citeqa" : hook->trigger_word));
  }
  retriever::AskRequest ask;
  ask.question = question;
  Result<retriever::AskResponse> answer = engine_.Ask(ask);
  if (!answer.ok()) {
    const bool bad_question = answer.status().code() == StatusCode::kInvalidArgument;
    if (!bad_question) Log("engine: " + answer.status().ToString());
    return WebhookText(bad_question
                           ? "Sorry, I can't use that question: " + answer.status().message()
                           : std::string(kEngineFailed));
  }
  return WebhookText(PlainMarkdownAnswer(*answer, config_.public_base_url));
}

void SlackService::WaitIdle() { queue_.WaitIdle(); }

SlackServiceStats SlackService::Stats() const {
  SlackServiceStats s;
  s.commands_answered = counters_.commands_answered;
  s.requests_refused = counters_.requests_refused;
  s.mentions_queued = counters_.mentions_queued;
  s.mentions_duplicate = counters_.mentions_duplicate;
  s.mentions_ignored = counters_.mentions_ignored;
  s.mentions_dropped = counters_.mentions_dropped;
  s.posts_ok = counters_.posts_ok;
  s.posts_failed = counters_.posts_failed;
  return s;
}

std::unique_ptr<SlackService> MakeSlackService(const SlackConfig& config, retriever::Engine& engine,
                                               SuggestionSource suggestions) {
  SlackWebApiOptions options;
  options.api_base = config.api_base;
  options.bot_token = config.bot_token;
  return std::make_unique<SlackService>(config, engine, SystemUnixSeconds,
                                        std::make_unique<SlackWebApiPoster>(std::move(options)),
                                        std::move(suggestions));
}

}  // namespace citeqa::server::slack
