#include "server/slack/feedback_buttons.h"

#include <functional>
#include <utility>

#include "indexer/text.h"
#include "server/feedback_recorder.h"
#include "server/slack/message_format.h"

namespace citeqa::server::slack {
namespace {

using nlohmann::json;

constexpr std::string_view kThanksHelpful = ":+1: Thanks for the feedback: glad this helped.";
constexpr std::string_view kThanksNotHelpful =
    ":-1: Thanks for the feedback: this question goes on the list of answers to improve.";

using indexer::CutUtf8;

json Button(std::string_view label, std::string_view action_id, const std::string& value) {
  return {{"type", "button"},
          {"text", {{"type", "plain_text"}, {"text", std::string(label)}, {"emoji", true}}},
          {"action_id", std::string(action_id)},
          {"value", value}};
}

std::string Serialise(const std::string& question, const std::string& conversation_id,
                      const std::string& answer) {
  json value = {{"q", question}};
  if (!conversation_id.empty()) value["c"] = conversation_id;
  if (!answer.empty()) value["a"] = answer;
  return DumpJson(value);
}

bool IsOurActionsBlock(const json& block) {
  if (!block.is_object()) return false;
  const auto id = block.find("block_id");
  return id != block.end() && id->is_string() && *id == kFeedbackBlockId;
}

bool OptionalString(const json& object, const char* key, std::string* out) {
  const auto it = object.find(key);
  if (it == object.end()) return true;
  if (!it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

}  // namespace

std::string EncodeButtonValue(const VoteSubject& subject) {
  const std::string question = CutUtf8(subject.question, kMaxValueQuestionBytes);
  const std::string conversation_id =
      subject.conversation_id.size() <= kMaxConversationIdBytes ? subject.conversation_id : "";
  const auto with_answer = [&](size_t bytes) {
    return Serialise(question, conversation_id, CutUtf8(subject.answer, bytes));
  };
  if (std::string whole = with_answer(subject.answer.size());
      whole.size() <= kMaxButtonValueBytes) {
    return whole;
  }
  // The longest answer prefix that fits (escaping makes bytes and length differ); then, if
  // even no answer does not fit, the longest question prefix.
  const auto longest_fitting = [](size_t high, const std::function<std::string(size_t)>& value) {
    size_t low = 0;
    while (low < high) {
      const size_t mid = low + (high - low + 1) / 2;
      if (value(mid).size() <= kMaxButtonValueBytes) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return value(low);
  };
  if (with_answer(0).size() <= kMaxButtonValueBytes) {
    return longest_fitting(subject.answer.size(), with_answer);
  }
  return longest_fitting(question.size(), [&](size_t bytes) {
    return Serialise(CutUtf8(question, bytes), conversation_id, "");
  });
}

Result<VoteSubject> DecodeButtonValue(std::string_view value) {
  const json object = json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (!object.is_object()) return Status::InvalidArgument("button value is not a JSON object");
  VoteSubject subject;
  if (!OptionalString(object, "q", &subject.question) || subject.question.empty()) {
    return Status::InvalidArgument("button value has no question");
  }
  if (!OptionalString(object, "c", &subject.conversation_id) ||
      !OptionalString(object, "a", &subject.answer)) {
    return Status::InvalidArgument("button value has a field that is not a string");
  }
  return subject;
}

json FeedbackActionsBlock(const VoteSubject& subject) {
  const std::string value = EncodeButtonValue(subject);
  return {{"type", "actions"},
          {"block_id", std::string(kFeedbackBlockId)},
          {"elements", json::array({Button(":+1: Helpful", kVoteUpActionId, value),
                                    Button(":-1: Not helpful", kVoteDownActionId, value)})}};
}

json VoteReceipt(bool helpful, const json& original_blocks, std::string_view original_text,
                 bool replace) {
  const std::string_view thanks = helpful ? kThanksHelpful : kThanksNotHelpful;
  if (!replace || !original_blocks.is_array()) {
    return {
        {"response_type", "ephemeral"}, {"replace_original", false}, {"text", std::string(thanks)}};
  }
  json blocks = json::array();
  for (const json& block : original_blocks) {
    if (IsOurActionsBlock(block)) {
      const json note = {{"type", "mrkdwn"}, {"text", std::string(thanks)}};
      blocks.push_back({{"type", "context"}, {"elements", json::array({note})}});
    } else {
      blocks.push_back(block);
    }
  }
  return {{"replace_original", true}, {"text", std::string(original_text)}, {"blocks", blocks}};
}

json VoteNotKept(std::string_view mrkdwn) {
  return {
      {"response_type", "ephemeral"}, {"replace_original", false}, {"text", std::string(mrkdwn)}};
}

}  // namespace citeqa::server::slack
