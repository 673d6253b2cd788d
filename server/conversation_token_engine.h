// An Engine whose conversations travel in their ids (server/conversation_token.h): a
// follow-up that sends a token as conversation_id, without `history`, is asked with the
// token's questions as history, and every answer to the API's callers returns a token of
// the conversation so far. Plain ids (Slack's, or a client's own) keep the engine's memory.
#pragma once

#include <string>
#include <vector>

#include "retriever/engine.h"
#include "server/conversation_token.h"

namespace citeqa::server {

class ConversationTokenEngine : public retriever::Engine {
 public:
  // `engine` and `tokens` must outlive this object.
  ConversationTokenEngine(retriever::Engine* engine, const ConversationTokens* tokens)
      : engine_(engine), tokens_(tokens) {}

  // Errors: the engine's, and kInvalidArgument for a token that does not open.
  Result<retriever::AskResponse> Ask(const retriever::AskRequest& request) override;
  Result<retriever::PassageContext> GetPassage(int64_t passage_id, int context) override {
    return engine_->GetPassage(passage_id, context);
  }
  Result<std::vector<retriever::DocumentInfo>> ListDocuments() override {
    return engine_->ListDocuments();
  }
  Result<retriever::IndexStats> Stats() override { return engine_->Stats(); }

 private:
  retriever::Engine* engine_;
  const ConversationTokens* tokens_;
};

}  // namespace citeqa::server
