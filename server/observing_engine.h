// An Engine that tells an AnswerObserver of every answer it gives, for callers that hold an
// Engine rather than a HandlerContext (the Slack adapter).
#pragma once

#include <string>

#include "retriever/engine.h"
#include "server/answer_observer.h"
#include "server/forwarding_engine.h"

namespace citeqa::server {

class ObservingEngine : public ForwardingEngine {
 public:
  // `engine` and `observer` (may be null: then this only forwards) must outlive this
  // object. `source` labels every answer ("slack").
  ObservingEngine(retriever::Engine* engine, AnswerObserver* observer, std::string source)
      : ForwardingEngine(engine), observer_(observer), source_(std::move(source)) {}

  // Forwards to the engine; a successful answer is then shown to the observer.
  Result<retriever::AskResponse> Ask(const retriever::AskRequest& request) override;

 private:
  AnswerObserver* observer_;
  const std::string source_;
};

}  // namespace citeqa::server
