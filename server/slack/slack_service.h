// The Slack adapter: the handlers behind POST /slack/command (slash commands), POST
// /slack/events (Events API: url_verification and app_mention), POST /slack/interactivity
// (clicks on the answers' vote buttons) and POST /hooks/outgoing (Slack-compatible outgoing
// webhooks). Each takes the raw request as plain structs and returns the response to send;
// routes.cc only converts. Thread-safe: handlers may run concurrently. App mentions and the
// replies to votes are acknowledged at once and sent by one background worker through the
// MessagePoster.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "retriever/engine.h"
#include "server/feedback_recorder.h"
#include "server/slack/event_dedup.h"
#include "server/slack/message_poster.h"
#include "server/slack/slack_config.h"
#include "server/slack/slack_http.h"
#include "server/slack/task_queue.h"

namespace citeqa::server::slack {

struct AppMention;

struct SlackServiceStats {
  uint64_t commands_answered = 0;  // slash commands answered with an engine response
  uint64_t requests_refused = 0;   // 401s: bad or missing signature / webhook token
  uint64_t mentions_queued = 0;
  uint64_t mentions_duplicate = 0;  // Slack retries of an event already taken
  uint64_t mentions_ignored = 0;    // from bots, or no bot token to answer with
  uint64_t mentions_dropped = 0;    // the background queue was full
  uint64_t posts_ok = 0;
  uint64_t posts_failed = 0;
  uint64_t votes_recorded = 0;  // button clicks the FeedbackRecorder accepted
  uint64_t votes_not_kept = 0;  // ...it refused, or no recorder
  uint64_t replies_ok = 0;      // vote receipts sent to a response_url
  uint64_t replies_failed = 0;  // ...that failed, or could not be queued
  uint64_t thread_reads_ok = 0;      // threads read for a follow-up's earlier questions
  uint64_t thread_reads_failed = 0;  // ...that could not be read (the engine's memory served)
};

// Example questions for the help text (the server's suggestion service); must be
// thread-safe. Null or an empty list: the help text stays general.
using SuggestionSource = std::function<std::vector<std::string>()>;

// What the adapter uses from the rest of the server; every part may be absent. (Abstentions
// reach the question log through the engine given to the service: see ObservingEngine.)
struct SlackServiceHooks {
  SuggestionSource suggestions;  // the help text's examples; null: general wording
  // Takes the votes of the answers' buttons (source "slack"); must outlive the service.
  // Null: answers carry no buttons, and clicks on older ones are told votes are not kept.
  FeedbackRecorder* feedback = nullptr;
};

class SlackService {
 public:
  // `engine` must outlive the service. `clock` gives Unix seconds (signature windows, event
  // dedup). `poster` delivers app-mention answers and vote receipts; it is used from the
  // worker thread only.
  SlackService(const SlackConfig& config, retriever::Engine& engine, Clock clock,
               std::unique_ptr<MessagePoster> poster, SlackServiceHooks hooks = {});
  // Stops the worker: an answer being posted is finished, waiting ones are dropped.
  ~SlackService();
  SlackService(const SlackService&) = delete;
  SlackService& operator=(const SlackService&) = delete;

  // Slash command. 401 (empty body) unless the Slack signature verifies. Otherwise always
  // 200 with Slack message JSON: usage for empty text or "help" (ephemeral), the answer with
  // numbered sources (config.response_type) and, when found and a recorder is set, the vote
  // buttons (feedback_buttons.h), or an ephemeral apology on any failure.
  SlackHttpResponse HandleCommand(const SlackHttpRequest& request);

  // Events API. 401 (empty body) unless the signature verifies. url_verification: 200
  // {"challenge": ...}. app_mention: 200 at once (empty body); the answer is posted in the
  // mention's thread later, once per event_id even when Slack retries. Bots' messages and
  // other events are acknowledged and ignored.
  SlackHttpResponse HandleEvents(const SlackHttpRequest& request);

  // Interactivity (a form with `payload`). 401 (empty body) unless the signature verifies;
  // 400 with {"error": {"code": "invalid_argument", "message"}} for a payload
  // ParseInteraction refuses. Otherwise 200 with an empty body, at once: a click on a vote
  // button is handed to the FeedbackRecorder (source "slack") and the voter is told the
  // outcome through the payload's response_url by the background worker (VoteReceipt, or
  // VoteNotKept); anything else is ignored.
  SlackHttpResponse HandleInteraction(const SlackHttpRequest& request);

  // Outgoing webhook. 401 (empty body) when CITEQA_WEBHOOK_TOKEN is unset or the request's
  // token differs. Otherwise 200 {"text": answer with numbered sources in Markdown}, or usage
  // / an apology in the same shape.
  SlackHttpResponse HandleOutgoingWebhook(const SlackHttpRequest& request);

  // Blocks until the background queue is empty and idle (tests; graceful shutdown).
  void WaitIdle();

  SlackServiceStats Stats() const;

 private:
  struct Counters {
    std::atomic<uint64_t> commands_answered{0}, requests_refused{0}, mentions_queued{0},
        mentions_duplicate{0}, mentions_ignored{0}, mentions_dropped{0}, posts_ok{0},
        posts_failed{0}, votes_recorded{0}, votes_not_kept{0}, replies_ok{0}, replies_failed{0},
        thread_reads_ok{0}, thread_reads_failed{0};
  };

  SlackHttpResponse Refuse(const Status& why);
  std::string Usage(std::string_view invocation) const;
  void AnswerMention(const AppMention& mention, const std::string& question);
  // A follow-up's earlier questions from its Slack thread (so any replica understands it);
  // empty for a mention that starts a thread or when the thread cannot be read.
  std::vector<std::string> ThreadHistory(const AppMention& mention);
  static constexpr size_t kThreadQuestionsUsed = retriever::kConversationTurnsUsed;
  // Appends the vote buttons to `blocks` when the answer was found and votes are kept.
  void AddVoteButtons(const retriever::AskRequest& ask, const retriever::AskResponse& answer,
                      nlohmann::json* blocks) const;
  void Reply(const std::string& response_url, nlohmann::json message);

  const SlackConfig config_;
  retriever::Engine& engine_;
  const Clock clock_;
  const std::unique_ptr<MessagePoster> poster_;
  const SlackServiceHooks hooks_;
  EventDeduplicator dedup_;
  Counters counters_;
  TaskQueue queue_;  // last: its worker uses everything above and is joined first
};

// A service on the system clock posting through SlackWebApiPoster(config.api_base,
// config.bot_token): what `citeqa serve` uses.
std::unique_ptr<SlackService> MakeSlackService(const SlackConfig& config, retriever::Engine& engine,
                                               SlackServiceHooks hooks = {});

}  // namespace citeqa::server::slack
