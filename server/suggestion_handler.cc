#include "server/suggestion_handler.h"

#include <nlohmann/json.hpp>

namespace citeqa::server {

HttpResponse HandleSuggestions(SuggestionService& service, const HttpRequest& /*request*/) {
  Result<std::vector<std::string>> questions = service.Current();
  if (!questions.ok()) return StatusErrorResponse(questions.status());
  HttpResponse response;
  // Questions come from article text; replace rather than throw on invalid UTF-8.
  response.body = nlohmann::json{{"suggestions", *questions}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

}  // namespace citeqa::server
