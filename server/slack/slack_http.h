// The plain request/response structs the Slack adapter works on, so that nothing in
// server/slack/ except the Web API client depends on httplib. routes.cc converts to and from
// httplib's types.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace citeqa::server::slack {

struct SlackHttpRequest {
  std::string body;  // the raw body, exactly as received (signatures are computed over it)
  // Header names lower-cased; every value a header was sent with, in order.
  std::map<std::string, std::vector<std::string>> headers;
};

struct SlackHttpResponse {
  int status = 200;
  std::string content_type;  // empty when body is empty
  std::string body;
};

// Seconds since the Unix epoch. Injected so that tests can pin time.
using Clock = std::function<int64_t()>;
int64_t SystemUnixSeconds();

// All values of header `lower_name` (empty when absent).
const std::vector<std::string>& HeaderValues(const SlackHttpRequest& request,
                                             std::string_view lower_name);

// Responses shared by the handlers.
SlackHttpResponse JsonResponse(int status, std::string json_body);
SlackHttpResponse EmptyResponse(int status);

}  // namespace citeqa::server::slack
