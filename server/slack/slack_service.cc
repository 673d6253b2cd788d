#include "server/slack/slack_service.h"

#include <iostream>
#include <utility>

#include "indexer/text.h"
#include "server/slack/events.h"
#include "server/slack/feedback_buttons.h"
#include "server/slack/form_decoding.h"
#include "server/slack/interactions.h"
#include "server/slack/message_format.h"
#include "server/slack/outgoing_webhook.h"
#include "server/slack/signature.h"
#include "server/slack/slack_web_api.h"
#include "server/slack/thread_history.h"

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

SlackHttpResponse BadRequest(const std::string& message) {
  return JsonResponse(400,
                      DumpJson({{"error", {{"code", "invalid_argument"}, {"message", message}}}}));
}

// What to tell a voter whose vote was not kept.
std::string NotKeptText(const Status& status) {
  switch (status.code()) {
    case StatusCode::kUnavailable:
      return "Thanks, but feedback is not being kept on this server, so your vote was not "
             "recorded.";
    case StatusCode::kResourceExhausted:
      return "Sorry, I could not take your vote just now. Please try again in a moment.";
    default:
      return "Sorry, I could not record that vote.";
  }
}

}  // namespace

SlackService::SlackService(const SlackConfig& config, retriever::Engine& engine, Clock clock,
                           std::unique_ptr<MessagePoster> poster, SlackServiceHooks hooks)
    : config_(config),
      engine_(engine),
      clock_(std::move(clock)),
      poster_(std::move(poster)),
      hooks_(std::move(hooks)),
      dedup_(config.dedup_capacity, config.dedup_ttl_seconds),
      queue_(config.queue_capacity) {}

SlackService::~SlackService() {
  if (const size_t dropped = queue_.Shutdown(); dropped > 0) {
    Log("shutting down: " + std::to_string(dropped) + " app mention(s) left unanswered");
  }
}

std::string SlackService::Usage(std::string_view invocation) const {
  return UsageText(invocation,
                   hooks_.suggestions ? hooks_.suggestions() : std::vector<std::string>{});
}

void SlackService::AddVoteButtons(const retriever::AskRequest& ask,
                                  const retriever::AskResponse& answer,
                                  nlohmann::json* blocks) const {
  if (hooks_.feedback == nullptr || !answer.found || !blocks->is_array()) return;
  VoteSubject subject;
  subject.question = ask.question;
  subject.conversation_id =
      answer.conversation_id.empty() ? ask.conversation_id : answer.conversation_id;
  subject.answer = answer.answer;
  blocks->push_back(FeedbackActionsBlock(subject));
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
  nlohmann::json message =
      SlashCommandMessage(*answer, config_.public_base_url, config_.response_type);
  AddVoteButtons(ask, *answer, &message["blocks"]);
  return JsonResponse(200, DumpJson(message));
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
    ask.history = ThreadHistory(mention);
    Result<retriever::AskResponse> answer = engine_.Ask(ask);
    if (answer.ok()) {
      post.text = AnswerFallbackText(*answer);
      post.blocks = AnswerBlocks(*answer, config_.public_base_url);
      AddVoteButtons(ask, *answer, &post.blocks);
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

std::vector<std::string> SlackService::ThreadHistory(const AppMention& mention) {
  // A mention that starts a thread has no earlier questions.
  if (mention.thread_ts.empty() || mention.thread_ts == mention.ts) return {};
  auto thread = poster_->ThreadMessages(mention.channel, mention.thread_ts, mention.ts);
  if (!thread.ok()) {
    // Answered without the thread's earlier questions, unless this server remembers them:
    // the engine's memory holds the questions of the thread it answered without history.
    ++counters_.thread_reads_failed;
    Log("reading thread " + mention.thread_ts + " in " + mention.channel + ": " +
        thread.status().ToString());
    return {};
  }
  ++counters_.thread_reads_ok;
  return EarlierThreadQuestions(*thread, mention, kThreadQuestionsUsed);
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

SlackHttpResponse SlackService::HandleInteraction(const SlackHttpRequest& request) {
  if (Status verified = VerifySlackRequest(request, config_.signing_secret, clock_());
      !verified.ok()) {
    return Refuse(verified);
  }
  Result<Interaction> interaction = ParseInteraction(request.body);
  if (!interaction.ok()) {
    Log("interactivity: " + interaction.status().message());
    return BadRequest(interaction.status().message());
  }
  if (interaction->kind != InteractionKind::kVote) return EmptyResponse(200);
  VoteClick& vote = interaction->vote;
  Feedback feedback;
  feedback.question = vote.question;
  feedback.answer = vote.answer;
  feedback.helpful = vote.helpful;
  feedback.conversation_id = vote.conversation_id;
  feedback.source = "slack";
  const Status kept = hooks_.feedback != nullptr ? hooks_.feedback->Record(feedback)
                                                 : Status::Unavailable("no feedback recorder");
  if (kept.ok()) {
    ++counters_.votes_recorded;
  } else {
    ++counters_.votes_not_kept;
    Log("vote not kept: " + kept.ToString());
  }
  if (vote.response_url.empty()) return EmptyResponse(200);
  Reply(vote.response_url, kept.ok() ? VoteReceipt(vote.helpful, vote.message_blocks,
                                                   vote.message_text, vote.ephemeral)
                                     : VoteNotKept(NotKeptText(kept)));
  return EmptyResponse(200);
}

void SlackService::Reply(const std::string& response_url, nlohmann::json message) {
  const bool queued = queue_.TryPush([this, response_url, message = std::move(message)] {
    if (Status sent = poster_->Respond(response_url, message); sent.ok()) {
      ++counters_.replies_ok;
    } else {
      ++counters_.replies_failed;
      Log("replying to a vote: " + sent.ToString());
    }
  });
  if (!queued) {
    ++counters_.replies_failed;
    Log("reply to a vote dropped: queue full (" + std::to_string(queue_.capacity()) + " waiting)");
  }
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
  s.votes_recorded = counters_.votes_recorded;
  s.votes_not_kept = counters_.votes_not_kept;
  s.replies_ok = counters_.replies_ok;
  s.replies_failed = counters_.replies_failed;
  s.thread_reads_ok = counters_.thread_reads_ok;
  s.thread_reads_failed = counters_.thread_reads_failed;
  return s;
}

std::unique_ptr<SlackService> MakeSlackService(const SlackConfig& config, retriever::Engine& engine,
                                               SlackServiceHooks hooks) {
  SlackWebApiOptions options;
  options.api_base = config.api_base;
  options.bot_token = config.bot_token;
  return std::make_unique<SlackService>(config, engine, SystemUnixSeconds,
                                        std::make_unique<SlackWebApiPoster>(std::move(options)),
                                        std::move(hooks));
}

}  // namespace citeqa::server::slack
