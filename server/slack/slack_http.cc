#include "server/slack/slack_http.h"

#include <chrono>
#include <utility>

namespace citeqa::server::slack {

int64_t SystemUnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const std::vector<std::string>& HeaderValues(const SlackHttpRequest& request,
                                             std::string_view lower_name) {
  static const std::vector<std::string> kNone;
  const auto it = request.headers.find(std::string(lower_name));
  return it == request.headers.end() ? kNone : it->second;
}

SlackHttpResponse JsonResponse(int status, std::string json_body) {
  return {status, "application/json", std::move(json_body)};
}

SlackHttpResponse EmptyResponse(int status) { return {status, "", ""}; }

}  // namespace citeqa::server::slack
