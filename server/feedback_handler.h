// POST /api/feedback as a pure function: a reader's thumbs up or down on an answer, handed
// to a FeedbackRecorder (the question log) for the unanswered-questions report.
#pragma once

#include <cstddef>

#include "server/config.h"
#include "server/feedback_recorder.h"
#include "server/handlers.h"

namespace citeqa::server {

struct FeedbackContext {
  FeedbackRecorder* recorder = nullptr;  // null: feedback is off (503)
  size_t max_body_bytes = kMaxRequestBodyBytes;
};

// Body {"question", "answer", "vote": "up"|"down", "conversation_id"?, "comment"?}
// (feedback_codec.h). 201 {"recorded": true}; 400 naming the field for bad input; 413 for a
// body over max_body_bytes; 415 for a non-JSON Content-Type; 503 when feedback is off or
// too many votes wait to be written (with Retry-After). The source is "web" for the page
// (Sec-Fetch-Site: same-origin), else "api".
HttpResponse HandleFeedback(const FeedbackContext& context, const HttpRequest& request);

}  // namespace citeqa::server
