// The thumbs up / thumbs down buttons under an answer in Slack, and the messages that
// acknowledge a click. A button's value carries what a vote needs (the question, the
// conversation and as much of the answer as fits), so a click can be recorded without any
// state kept in citeqa. Pure and thread-safe.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "indexer/status.h"

namespace citeqa::server::slack {

// Slack refuses a button value over 2000 characters; values are kept to as many bytes.
inline constexpr size_t kMaxButtonValueBytes = 2000;
// The question takes at most this much of a value; the answer gets what is left.
inline constexpr size_t kMaxValueQuestionBytes = 1000;

inline constexpr std::string_view kVoteUpActionId = "citeqa_vote_up";
inline constexpr std::string_view kVoteDownActionId = "citeqa_vote_down";
inline constexpr std::string_view kFeedbackBlockId = "citeqa_feedback";

// What a vote is about, as carried by a button.
struct VoteSubject {
  std::string question;         // as asked
  std::string conversation_id;  // may be empty
  std::string answer;           // may be cut (see EncodeButtonValue), may be empty
};

// Compact JSON {"q": question, "c": conversation_id, "a": answer} of at most
// kMaxButtonValueBytes bytes: the question cut to kMaxValueQuestionBytes, a conversation id
// over 128 bytes (kMaxConversationIdBytes) left out rather than cut, the answer cut to what
// remains (possibly to nothing); every cut at a UTF-8 boundary.
std::string EncodeButtonValue(const VoteSubject& subject);

// The inverse of EncodeButtonValue. kInvalidArgument when `value` is not a JSON object with
// a non-empty string "q" (and string "c" / "a" when present).
Result<VoteSubject> DecodeButtonValue(std::string_view value);

// An actions block (block_id kFeedbackBlockId) with the buttons ":+1: Helpful"
// (kVoteUpActionId) and ":-1: Not helpful" (kVoteDownActionId), both carrying
// EncodeButtonValue(subject).
nlohmann::json FeedbackActionsBlock(const VoteSubject& subject);

// The reply that tells the voter the vote was taken, for the interaction's response_url.
// With the original message's `blocks` (an array) and `replace` true: {"replace_original":
// true, "text": original_text, "blocks": the same blocks with our actions block replaced by
// a context block thanking the voter}. Otherwise an ephemeral thank-you only the voter sees
// ({"response_type": "ephemeral", "replace_original": false, "text": ...}), which leaves the
// buttons for the others in the channel.
nlohmann::json VoteReceipt(bool helpful, const nlohmann::json& original_blocks,
                           std::string_view original_text, bool replace);

// An ephemeral note to the voter for a vote that could not be kept: {"response_type":
// "ephemeral", "replace_original": false, "text": mrkdwn}. `mrkdwn` must be escaped.
nlohmann::json VoteNotKept(std::string_view mrkdwn);

}  // namespace citeqa::server::slack
