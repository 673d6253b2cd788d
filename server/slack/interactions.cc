#include "server/slack/interactions.h"

#include <utility>

#include "indexer/text.h"
#include "server/feedback_recorder.h"
#include "server/slack/feedback_buttons.h"
#include "server/slack/form_decoding.h"

namespace citeqa::server::slack {
namespace {

using nlohmann::json;

constexpr std::string_view kSlackBullet = "\xE2\x80\xA2 ";  // "• "

std::string StringField(const json& object, const char* key) {
  if (!object.is_object()) return "";
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json* ObjectField(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it != object.end() && it->is_object() ? &*it : nullptr;
}

// The first of our vote actions in `actions`, or null.
const json* FirstVoteAction(const json& actions) {
  for (const json& action : actions) {
    const std::string id = StringField(action, "action_id");
    if (id == kVoteUpActionId || id == kVoteDownActionId) return &action;
  }
  return nullptr;
}

Result<VoteClick> ReadVote(const json& payload, const json& action) {
  Result<VoteSubject> subject = DecodeButtonValue(StringField(action, "value"));
  if (!subject.ok()) return subject.status();
  VoteClick vote;
  vote.helpful = StringField(action, "action_id") == kVoteUpActionId;
  vote.question = indexer::CutUtf8(subject->question, kMaxFeedbackQuestionBytes);
  vote.conversation_id = std::move(subject->conversation_id);
  vote.response_url = StringField(payload, "response_url");
  if (const json* container = ObjectField(payload, "container")) {
    const auto is_ephemeral = container->find("is_ephemeral");
    vote.ephemeral = is_ephemeral != container->end() && *is_ephemeral == true;
  }
  if (const json* message = ObjectField(payload, "message")) {
    vote.message_text = StringField(*message, "text");
    const auto blocks = message->find("blocks");
    if (blocks != message->end() && blocks->is_array()) vote.message_blocks = *blocks;
  }
  if (const json* user = ObjectField(payload, "user")) vote.user_id = StringField(*user, "id");
  vote.answer = vote.message_text.empty() ? std::move(subject->answer)
                                          : AnswerFromMessageText(vote.message_text);
  vote.answer = indexer::CutUtf8(vote.answer, kMaxFeedbackAnswerBytes);
  if (vote.answer.empty()) return Status::InvalidArgument("vote without an answer");
  return vote;
}

}  // namespace

std::string AnswerFromMessageText(std::string_view mrkdwn) {
  std::string out;
  out.reserve(mrkdwn.size());
  bool line_start = true;
  for (size_t i = 0; i < mrkdwn.size();) {
    if (line_start && mrkdwn.substr(i).starts_with(kSlackBullet)) {
      out += "- ";
      i += kSlackBullet.size();
    } else if (mrkdwn.substr(i).starts_with("&lt;")) {
      out += '<';
      i += 4;
    } else if (mrkdwn.substr(i).starts_with("&gt;")) {
      out += '>';
      i += 4;
    } else if (mrkdwn.substr(i).starts_with("&amp;")) {
      out += '&';
      i += 5;
    } else {
      out += mrkdwn[i++];
    }
    line_start = !out.empty() && out.back() == '\n';
  }
  return out;
}

Result<Interaction> ParseInteraction(std::string_view form_body) {
  Result<FormFields> fields = DecodeForm(form_body);
  if (!fields.ok()) return fields.status();
  Result<std::string> text = SingleValue(*fields, "payload");
  if (!text.ok()) return Status::InvalidArgument("payload: " + text.status().message());
  const json payload = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!payload.is_object()) return Status::InvalidArgument("payload is not a JSON object");
  const auto type = payload.find("type");
  if (type == payload.end() || !type->is_string()) {
    return Status::InvalidArgument("payload has no type");
  }
  Interaction interaction;
  if (*type != "block_actions") return interaction;
  const auto actions = payload.find("actions");
  if (actions == payload.end() || !actions->is_array()) {
    return Status::InvalidArgument("block_actions without actions");
  }
  const json* action = FirstVoteAction(*actions);
  if (action == nullptr) return interaction;
  Result<VoteClick> vote = ReadVote(payload, *action);
  if (!vote.ok()) return vote.status();
  interaction.kind = InteractionKind::kVote;
  interaction.vote = std::move(vote).value();
  return interaction;
}

}  // namespace citeqa::server::slack
