#include "server/conversation_token_engine.h"

#include <utility>

namespace citeqa::server {

Result<retriever::AskResponse> ConversationTokenEngine::Ask(const retriever::AskRequest& request) {
  const bool token = LooksLikeConversationToken(request.conversation_id);
  if (!request.conversation_id.empty() && !token) return forwarded().Ask(request);  // a plain id
  retriever::AskRequest asked = request;
  // The conversation lives in the token (or in `history`), never in the engine's memory.
  asked.conversation_id.clear();
  if (tokens_ == nullptr) {
    if (token && request.history.empty()) {
      return Status::InvalidArgument(
          "conversation_id is a conversation token, but this server has no "
          "CITEQA_CONVERSATION_SECRET (set the same one on every server); send 'history'");
    }
    return forwarded().Ask(asked);
  }
  std::string key;
  if (token) {
    auto state = tokens_->Open(request.conversation_id);
    if (state.ok()) {
      key = std::move(state->key);
      if (asked.history.empty()) asked.history = std::move(state->questions);
    } else if (asked.history.empty()) {
      return state.status();
    }
    // A token that does not open, sent with `history`: the history answers, a new key names it.
  }
  auto response = forwarded().Ask(asked);
  if (!response.ok()) return response;
  std::vector<std::string> conversation = std::move(asked.history);
  conversation.push_back(asked.question);
  auto sealed = tokens_->Seal(conversation, key);
  if (!sealed.ok()) return sealed.status();
  response->conversation_id = std::move(*sealed);
  return response;
}

}  // namespace citeqa::server
