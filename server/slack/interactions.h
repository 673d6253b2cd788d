// Reading Slack's interactivity requests (POST /slack/interactivity): a form body with one
// field, `payload`, holding the interaction as JSON. Of those, citeqa acts only on a
// block_actions click of its own vote buttons (feedback_buttons.h); every other kind is
// recognised as ignorable. Pure and thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "indexer/status.h"

namespace citeqa::server::slack {

// A click on one of citeqa's vote buttons.
struct VoteClick {
  bool helpful = false;         // citeqa_vote_up: true; citeqa_vote_down: false
  std::string question;         // from the button's value, as asked
  std::string conversation_id;  // from the button's value, may be empty
  // The answer voted on: the message's own text (mrkdwn escaping undone, "• " list lines back
  // to "- ") when the payload carries the message, else the answer in the button's value.
  // Never empty; at most kMaxFeedbackAnswerBytes (cut at a UTF-8 boundary).
  std::string answer;
  std::string response_url;                          // may be empty
  bool ephemeral = false;                            // only the voter sees the message
  std::string message_text;                          // the message's text, as sent
  nlohmann::json message_blocks = nlohmann::json();  // the message's blocks, or null
  std::string user_id;                               // who clicked, may be empty
};

enum class InteractionKind {
  kVote,     // `vote` is set
  kIgnored,  // another payload type, or a block_actions without our buttons: acknowledge
};

struct Interaction {
  InteractionKind kind = InteractionKind::kIgnored;
  VoteClick vote;
};

// Parses the form-encoded interactivity body. kInvalidArgument (a message meant for logs)
// when the form is malformed, `payload` is missing or repeated, the payload is not a JSON
// object with a string "type", a block_actions payload has no "actions" array, or a click on
// our buttons has a value DecodeButtonValue refuses or no answer anywhere. The first of our
// actions in "actions" is the one taken.
Result<Interaction> ParseInteraction(std::string_view form_body);

// Undoes EscapeMrkdwn (&lt; &gt; &amp;) and turns "• " at the start of a line back into
// "- ": the answer as the engine wrote it, from the text of an answer message.
std::string AnswerFromMessageText(std::string_view mrkdwn);

}  // namespace citeqa::server::slack
