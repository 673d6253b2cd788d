// POST /api/feedback's body as a Feedback, and the checks every Feedback must pass (the
// page's, the API's and Slack's alike).
#pragma once

#include <string_view>

#include "indexer/status.h"
#include "server/feedback_recorder.h"

namespace citeqa::server {

// Parses `{"question", "answer", "vote": "up"|"down", "conversation_id"?, "comment"?}`;
// unknown fields are ignored, a null optional field is absent. `source` is left empty.
// Errors: kInvalidArgument naming the field for malformed JSON, a missing or non-string
// field, or a vote other than "up"/"down"; the limits are ValidateFeedback's.
Result<Feedback> ParseFeedbackRequest(std::string_view body);

// OK, or kInvalidArgument naming the field: an empty (or all-space) question or answer, a
// field over its limit (feedback_recorder.h), or text that is not UTF-8.
Status ValidateFeedback(const Feedback& feedback);

// {"recorded": true}
std::string SerializeFeedbackRecorded();

}  // namespace citeqa::server
