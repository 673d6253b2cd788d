#include "server/slack/thread_history.h"

#include <charconv>
#include <utility>

#include "indexer/text.h"

namespace citeqa::server::slack {
namespace {

// Slack's "1515449522.000016" as (seconds, microseconds) for ordering; (-1, -1) if malformed.
std::pair<long long, long long> TsKey(const std::string& ts) {
  const size_t dot = ts.find('.');
  long long seconds = -1;
  long long fraction = 0;
  const char* begin = ts.data();
  const char* dot_at = dot == std::string::npos ? ts.data() + ts.size() : ts.data() + dot;
  if (std::from_chars(begin, dot_at, seconds).ec != std::errc()) return {-1, -1};
  if (dot != std::string::npos &&
      std::from_chars(dot_at + 1, ts.data() + ts.size(), fraction).ec != std::errc()) {
    return {-1, -1};
  }
  return {seconds, fraction};
}

bool FromAPerson(const ThreadMessage& message) {
  return message.bot_id.empty() && !message.user.empty() &&
         (message.subtype.empty() || message.subtype == "thread_broadcast");
}

}  // namespace

std::vector<std::string> EarlierThreadQuestions(const std::vector<ThreadMessage>& thread,
                                                const AppMention& mention, size_t max_questions) {
  const auto mention_key = TsKey(mention.ts);
  const std::string tag = "<@" + mention.bot_user_id;
  std::vector<std::string> questions;
  for (const ThreadMessage& message : thread) {
    if (!FromAPerson(message) || message.ts == mention.ts) continue;
    if (mention_key.first >= 0 && TsKey(message.ts) >= mention_key) continue;
    if (!mention.bot_user_id.empty() && message.text.find(tag) == std::string::npos) continue;
    std::string question = StripBotMention(message.text, mention.bot_user_id);
    if (question.empty() || indexer::AsciiLower(question) == "help") continue;
    questions.push_back(std::move(question));
  }
  if (questions.size() > max_questions) {
    questions.erase(questions.begin(),
                    questions.end() - static_cast<std::ptrdiff_t>(max_questions));
  }
  return questions;
}

}  // namespace citeqa::server::slack
