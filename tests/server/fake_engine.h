// A scripted Engine for handler and route tests: answers from fixed data, records what it
// was asked, and can be told to fail. Thread-safe like the real one.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "retriever/engine.h"

namespace citeqa::server::testing {

class FakeEngine : public retriever::Engine {
 public:
  FakeEngine() {
    retriever::PassageContext passage;
    passage.passage_id = 7;
    passage.doc = "001_owner.txt";
    passage.title = "Product Owner vs. Product Manager";
    passage.heading = "Roles";
    passage.passage = "The product owner manages the backlog.";
    passage.before = {"An earlier passage."};
    passage.after = {"A later passage.", "Another later passage."};
    passages_[7] = passage;
    documents_ = {
        {1, "001_owner.txt", "Product Owner vs. Product Manager", 3, 1234, "2024-01-02T03:04:05Z"}};
  }

  // The question "backlog ..." is answered with one citation (and, when asked, a small
  // explanation); anything else abstains.
  Result<retriever::AskResponse> Ask(const retriever::AskRequest& request) override {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
    if (fail_with_.has_value()) return *fail_with_;
    retriever::AskResponse response;
    response.conversation_id = request.conversation_id.empty() ? "c-1" : request.conversation_id;
    response.took_ms = 0.25;
    if (request.question.find("backlog") == std::string::npos) {
      response.answer = "The articles do not answer this.";
      return response;
    }
    response.found = true;
    response.answer = "The product owner manages the backlog [1].";
    retriever::Citation citation;
    citation.n = 1;
    citation.cited = true;
    citation.doc = passages_[7].doc;
    citation.title = passages_[7].title;
    citation.passage_id = 7;
    citation.passage = passages_[7].passage;
    citation.score = 7.5;
    citation.quotes = {{0, 38}};
    citation.highlights = {{30, 37}};
    response.citations.push_back(citation);
    if (request.explain) {
      retriever::Explanation explanation;
      explanation.question.text = request.question;
      explanation.decision.found = true;
      explanation.decision.probability = 0.9;
      explanation.decision.threshold = 0.5;
      response.explanation = explanation;
    }
    return response;
  }

  Result<retriever::PassageContext> GetPassage(int64_t passage_id, int context) override {
    std::lock_guard<std::mutex> lock(mu_);
    last_context_ = context;
    if (fail_with_.has_value()) return *fail_with_;
    const auto it = passages_.find(passage_id);
    if (it == passages_.end()) return Status::NotFound("no passage " + std::to_string(passage_id));
    return it->second;
  }

  Result<std::vector<retriever::DocumentInfo>> ListDocuments() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (fail_with_.has_value()) return *fail_with_;
    return documents_;
  }

  Result<retriever::IndexStats> Stats() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (fail_with_.has_value()) return *fail_with_;
    return retriever::IndexStats{1, 3, 7};
  }

  // Every later call returns `status`.
  void FailWith(Status status) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_with_ = std::move(status);
  }
  std::vector<retriever::AskRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  int last_context() const {
    std::lock_guard<std::mutex> lock(mu_);
    return last_context_;
  }

 private:
  mutable std::mutex mu_;
  std::map<int64_t, retriever::PassageContext> passages_;
  std::vector<retriever::DocumentInfo> documents_;
  std::optional<Status> fail_with_;
  std::vector<retriever::AskRequest> requests_;
  int last_context_ = -1;
};

}  // namespace citeqa::server::testing
