#include "server/feedback_codec.h"

#include <nlohmann/json.hpp>
#include <string>

#include "indexer/text.h"

namespace citeqa::server {
namespace {

using nlohmann::json;

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Reads the string field `name` into `out`. Absent or null is fine unless `required`.
Status ReadString(const json& body, const char* name, bool required, std::string* out) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return Status::InvalidArgument(std::string(name) + " is required");
    return Status::Ok();
  }
  if (!it->is_string()) return Status::InvalidArgument(std::string(name) + " must be a string");
  *out = it->get<std::string>();
  return Status::Ok();
}

Status CheckText(std::string_view text, const char* name, size_t limit, bool required) {
  if (required && IsBlank(text)) return Status::InvalidArgument(std::string(name) + " is empty");
  if (text.size() > limit) {
    return Status::InvalidArgument(std::string(name) + " is longer than " + std::to_string(limit) +
                                   " bytes");
  }
  if (!indexer::IsValidUtf8(text)) {
    return Status::InvalidArgument(std::string(name) + " is not valid UTF-8");
  }
  return Status::Ok();
}

}  // namespace

Result<Feedback> ParseFeedbackRequest(std::string_view body) {
  json parsed;
  try {
    parsed = json::parse(body);
  } catch (const json::exception&) {
    return Status::InvalidArgument("the body is not valid JSON");
  }
  if (!parsed.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  Feedback feedback;
  CITEQA_RETURN_IF_ERROR(ReadString(parsed, "question", true, &feedback.question));
  CITEQA_RETURN_IF_ERROR(ReadString(parsed, "answer", true, &feedback.answer));
  std::string vote;
  CITEQA_RETURN_IF_ERROR(ReadString(parsed, "vote", true, &vote));
  if (vote != "up" && vote != "down") {
    return Status::InvalidArgument("vote must be \"up\" or \"down\"");
  }
  feedback.helpful = vote == "up";
  CITEQA_RETURN_IF_ERROR(ReadString(parsed, "conversation_id", false, &feedback.conversation_id));
  CITEQA_RETURN_IF_ERROR(ReadString(parsed, "comment", false, &feedback.comment));
  return feedback;
}

Status ValidateFeedback(const Feedback& feedback) {
  CITEQA_RETURN_IF_ERROR(CheckText(feedback.question, "question", kMaxFeedbackQuestionBytes, true));
  CITEQA_RETURN_IF_ERROR(CheckText(feedback.answer, "answer", kMaxFeedbackAnswerBytes, true));
  CITEQA_RETURN_IF_ERROR(
      CheckText(feedback.conversation_id, "conversation_id",
                MaxConversationIdBytes(feedback.conversation_id), false));
  return CheckText(feedback.comment, "comment", kMaxFeedbackCommentBytes, false);
}

std::string SerializeFeedbackRecorded() { return R"({"recorded":true})"; }

}  // namespace citeqa::server
