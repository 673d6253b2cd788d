// Who is told of every answer the server gives (the question log keeps the unanswered
// ones). Handlers stay pure: they call an observer they were given, if any.
#pragma once

#include <string_view>

#include "retriever/engine.h"

namespace citeqa::server {

class AnswerObserver {
 public:
  virtual ~AnswerObserver() = default;
  // Called after the engine answered `request` with `response`; `source` is where the
  // question came from ("web", "api" or "slack"). Must return quickly without blocking on
  // I/O (it runs on the request path). Thread-safe.
  virtual void OnAnswer(const retriever::AskRequest& request,
                        const retriever::AskResponse& response, std::string_view source) = 0;
};

// "web" when the request came from a page of this server (a browser's
// `Sec-Fetch-Site: same-origin`), else "api". `sec_fetch_site` is that header's value.
inline std::string_view AnswerSourceFor(std::string_view sec_fetch_site) {
  return sec_fetch_site == "same-origin" ? "web" : "api";
}

}  // namespace citeqa::server
