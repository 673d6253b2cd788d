// The Slack adapter: the handlers behind POST /slack/command (slash commands), POST
// /slack/events (Events API: url_verification and app_mention) and POST /hooks/outgoing
// (Slack-compatible outgoing webhooks). Each takes the raw request as plain structs and
// returns the response to send; routes.cc only converts. Thread-safe: handlers may run
// concurrently. App mentions are acknowledged at once and answered by one background worker
// through the MessagePoster.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "retriever/engine.h"
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
};

// Example questions for the help text (the server's suggestion service); must be
// thread-safe. Null or an empty list: the help text stays general.
using SuggestionSource = std::function<std::vector<std::string>()>;

class SlackService {
 public:
  // `engine` must outlive the service. `clock` gives Unix seconds (signature windows, event
  // dedup). `poster` delivers app-mention answers; it is used from the worker thread only.
  // `suggestions` feeds the help text's examples (may be null).
  SlackService(const SlackConfig& config, retriever::Engine& engine, Clock clock,
               std::unique_ptr<MessagePoster> poster, SuggestionSource suggestions = nullptr);
  // Stops the worker: an answer being posted is finished, waiting ones are dropped.
  ~SlackService();
  SlackService(const SlackService&) = delete;
  SlackService& operator=(const SlackService&) = delete;

  // Slash command. 401 (empty body) unless the Slack signature verifies. Otherwise always
  // 200 with Slack message JSON: usage for empty text or "help" (ephemeral), the answer with
  // numbered sources (config.response_type), or an ephemeral apology on any failure.
  SlackHttpResponse HandleCommand(const SlackHttpRequest& request);

  // Events API. 401 (empty body) unless the signature verifies. url_verification: 200
  // {"challenge": ...}. app_mention: 200 at once (empty body); the answer is posted in the
  // mention's thread later, once per event_id even when Slack retries. Bots' messages and
  // other events are acknowledged and ignored.
  SlackHttpResponse HandleEvents(const SlackHttpRequest& request);

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
        posts_failed{0};
  };

  SlackHttpResponse Refuse(const Status& why);
  std::string Usage(std::string_view invocation) const;
  void AnswerMention(const AppMention& mention, const std::string& question);

  const SlackConfig config_;
  retriever::Engine& engine_;
  const Clock clock_;
  const std::unique_ptr<MessagePoster> poster_;
  const SuggestionSource suggestions_;
  EventDeduplicator dedup_;
  Counters counters_;
  TaskQueue queue_;  // last: its worker uses everything above and is joined first
};

// A service on the system clock posting through SlackWebApiPoster(config.api_base,
// config.bot_token): what `citeqa serve` uses.
std::unique_ptr<SlackService> MakeSlackService(const SlackConfig& config, retriever::Engine& engine,
                                               SuggestionSource suggestions = nullptr);

}  // namespace citeqa::server::slack
