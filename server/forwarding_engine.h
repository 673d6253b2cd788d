// An Engine that hands every call to another: the base of the server's decorators, which
// override only what they change (ObservingEngine, ConversationTokenEngine).
#pragma once

#include <cstdint>
#include <vector>

#include "retriever/engine.h"

namespace citeqa::server {

class ForwardingEngine : public retriever::Engine {
 public:
  // `engine` must outlive this object.
  explicit ForwardingEngine(retriever::Engine* engine) : engine_(engine) {}

  Result<retriever::AskResponse> Ask(const retriever::AskRequest& request) override {
    return engine_->Ask(request);
  }
  Result<retriever::PassageContext> GetPassage(int64_t passage_id, int context) override {
    return engine_->GetPassage(passage_id, context);
  }
  Result<std::vector<retriever::DocumentInfo>> ListDocuments() override {
    return engine_->ListDocuments();
  }
  Result<retriever::IndexStats> Stats() override { return engine_->Stats(); }
  Status AwaitStatistics() override { return engine_->AwaitStatistics(); }
  void AwaitWarmUp() override { engine_->AwaitWarmUp(); }

 protected:
  retriever::Engine& forwarded() const { return *engine_; }

 private:
  retriever::Engine* engine_;
};

}  // namespace citeqa::server
