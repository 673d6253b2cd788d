// Where a reader's vote on an answer goes: the page's POST /api/feedback and Slack's buttons
// both hand a Feedback to a FeedbackRecorder, which keeps it for the unanswered-questions
// report.
#pragma once

#include <string>

#include "indexer/status.h"
#include "server/conversation_token.h"  // conversation_id limits, shared with /api/ask

namespace citeqa::server {

// A reader's judgement of one answer.
struct Feedback {
  std::string question;         // as the reader asked it
  std::string answer;           // the answer text the vote is about
  bool helpful = false;         // thumbs up: true; thumbs down: false
  std::string conversation_id;  // may be empty; at most MaxConversationIdBytes() of itself
  std::string comment;          // optional free text, may be empty
  std::string source;           // where it came from: "web", "api" or "slack"
};

// Limits a Feedback must keep (bytes, UTF-8).
inline constexpr size_t kMaxFeedbackQuestionBytes = 2000;
inline constexpr size_t kMaxFeedbackAnswerBytes = 4000;
inline constexpr size_t kMaxFeedbackCommentBytes = 2000;

class FeedbackRecorder {
 public:
  virtual ~FeedbackRecorder() = default;
  // Checks and keeps one vote. Returns OK once it is accepted (it may be written to the
  // database a moment later); kInvalidArgument with a message naming the field for an empty
  // question or answer, a field over its limit or text that is not UTF-8;
  // kResourceExhausted when too many votes wait to be written; kUnavailable when feedback
  // is not kept (no writable index). Thread-safe.
  virtual Status Record(const Feedback& feedback) = 0;
};

}  // namespace citeqa::server
