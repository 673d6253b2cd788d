// A Slack thread's earlier questions to citeqa, read from the thread itself: what lets any
// replica understand a follow-up in a thread (Slack is the one place every replica sees),
// where the engine's memory of the thread belongs to one process.
#pragma once

#include <string>
#include <vector>

#include "server/slack/events.h"
#include "server/slack/message_poster.h"

namespace citeqa::server::slack {

// The questions people asked citeqa in `thread` before `mention`, oldest first, at most
// `max_questions` (the latest): messages from a person (no bot_id, no subtype other than a
// thread broadcast) that mention the bot (any person's message when the bot's user id is
// unknown), without the mention, and not asking for help. `thread` as ThreadMessages gives
// it (messages at or after the mention's own ts are left out as well).
std::vector<std::string> EarlierThreadQuestions(const std::vector<ThreadMessage>& thread,
                                                const AppMention& mention, size_t max_questions);

}  // namespace citeqa::server::slack
