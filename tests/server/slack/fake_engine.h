// Test doubles for the Slack tests: an Engine that returns a fixed answer and records the
// questions it was asked.
#pragma once

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "retriever/engine.h"

namespace citeqa::server::slack::testing {

// A found answer with two citations, the second with text that needs mrkdwn escaping.
inline retriever::AskResponse TwoCitationAnswer() {
  retriever::AskResponse r;
  r.found = true;
  r.answer = "The notice period is one month [1]. Managers give three months [2].";
  r.conversation_id = "c1";
  retriever::Citation a;
  a.n = 1;
  a.cited = true;
  a.quotes = {{0, 62}};
  a.doc = "001_notice.txt";
  a.title = "Notice periods";
  a.passage_id = 12;
  a.passage = "Employees give one month of notice before leaving the company.";
  retriever::Citation b;
  b.n = 2;
  b.cited = true;
  b.quotes = {{0, 55}};  // the whole sentence, markup included: it must be escaped
  b.doc = "002_managers.txt";
  b.title = "Managers & <Leads>";
  b.passage_id = 40;
  b.passage = "Managers give three months of notice <!channel> & more.";
  r.citations = {a, b};
  return r;
}

inline retriever::AskResponse NotFoundAnswer() {
  retriever::AskResponse r;
  r.found = false;
  r.answer = "The articles do not say.";
  return r;
}

class FakeEngine : public retriever::Engine {
 public:
  explicit FakeEngine(Result<retriever::AskResponse> reply = TwoCitationAnswer())
      : reply_(std::move(reply)) {}

  Result<retriever::AskResponse> Ask(const retriever::AskRequest& request) override {
    std::lock_guard<std::mutex> lock(mu_);
    asked_.push_back(request);
    return reply_;
  }
  Result<retriever::PassageContext> GetPassage(int64_t, int) override {
    return Status::NotFound("fake");
  }
  Result<std::vector<retriever::DocumentInfo>> ListDocuments() override {
    return std::vector<retriever::DocumentInfo>{};
  }
  Result<retriever::IndexStats> Stats() override { return retriever::IndexStats{}; }

  std::vector<retriever::AskRequest> asked() const {
    std::lock_guard<std::mutex> lock(mu_);
    return asked_;
  }

 private:
  mutable std::mutex mu_;
  Result<retriever::AskResponse> reply_;
  std::vector<retriever::AskRequest> asked_;
};

}  // namespace citeqa::server::slack::testing
