#include "server/feedback_handler.h"

#include <string>

#include "server/answer_observer.h"
#include "server/feedback_codec.h"

namespace citeqa::server {

HttpResponse HandleFeedback(const FeedbackContext& context, const HttpRequest& request) {
  if (auto refused = RefuseUnlessJsonBody(request, context.max_body_bytes)) return *refused;
  if (context.recorder == nullptr) {
    return ErrorResponse(503, "unavailable",
                         "feedback is off (citeqa serve --question-log-days 0)");
  }
  auto feedback = ParseFeedbackRequest(request.body);
  if (!feedback.ok()) return StatusErrorResponse(feedback.status());
  if (Status valid = ValidateFeedback(*feedback); !valid.ok()) return StatusErrorResponse(valid);
  feedback->source = std::string(AnswerSourceFor(request.Header("sec-fetch-site")));
  const Status recorded = context.recorder->Record(*feedback);
  if (recorded.code() == StatusCode::kResourceExhausted) {
    HttpResponse response =
        ErrorResponse(503, "unavailable", "too many votes are waiting to be written; try again");
    response.headers.emplace_back("Retry-After", "1");
    return response;
  }
  if (!recorded.ok()) return StatusErrorResponse(recorded);
  HttpResponse response;
  response.status = 201;
  response.body = SerializeFeedbackRecorded();
  return response;
}

}  // namespace citeqa::server
