#include "server/conversation_token_engine.h"

#include <utility>

namespace citeqa::server {

Result<retriever::AskResponse> ConversationTokenEngine::Ask(const retriever::AskRequest& request) {
  const bool plain_id =
      !request.conversation_id.empty() && !LooksLikeConversationToken(request.conversation_id);
  if (plain_id && request.history.empty()) return engine_->Ask(request);

  retriever::AskRequest asked = request;
  if (asked.history.empty() && !plain_id && !asked.conversation_id.empty()) {
    auto questions = tokens_->Open(asked.conversation_id);
    if (!questions.ok()) return questions.status();
    asked.history = std::move(*questions);
  }
  // The conversation lives in the token, not in the engine's memory of an id.
  asked.conversation_id.clear();
  auto response = engine_->Ask(asked);
  if (!response.ok()) return response;
  std::vector<std::string> conversation = std::move(asked.history);
  conversation.push_back(asked.question);
  response->conversation_id = tokens_->Seal(conversation);
  return response;
}

}  // namespace citeqa::server
