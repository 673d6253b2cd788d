#include "server/observing_engine.h"

namespace citeqa::server {

Result<retriever::AskResponse> ObservingEngine::Ask(const retriever::AskRequest& request) {
  auto response = forwarded().Ask(request);
  if (response.ok() && observer_ != nullptr) observer_->OnAnswer(request, *response, source_);
  return response;
}

}  // namespace citeqa::server
