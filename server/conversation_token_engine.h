// An Engine whose conversations travel in their ids (server/conversation_token.h): a
// follow-up that sends a token as conversation_id, without `history`, is asked with the
// token's questions as history, and every answer to a request that is not under a plain id
// returns a token of the conversation so far. Plain ids (Slack's, or a client's own) keep
// the engine's memory. Without a secret (no ConversationTokens), a token is refused with a
// message saying so instead of being taken for a plain id that no replica knows.
#pragma once

#include <string>
#include <vector>

#include "retriever/engine.h"
#include "server/conversation_token.h"
#include "server/forwarding_engine.h"

namespace citeqa::server {

class ConversationTokenEngine : public ForwardingEngine {
 public:
  // `engine` and `tokens` (null: this server has no CITEQA_CONVERSATION_SECRET) must
  // outlive this object.
  ConversationTokenEngine(retriever::Engine* engine, const ConversationTokens* tokens)
      : ForwardingEngine(engine), tokens_(tokens) {}

  // Errors: the engine's, and kInvalidArgument for a token that does not open (or, without
  // a secret, for any token sent without history).
  Result<retriever::AskResponse> Ask(const retriever::AskRequest& request) override;

 private:
  const ConversationTokens* tokens_;
};

}  // namespace citeqa::server
