// The server's routes as data: method, path pattern, metrics label and handler. Answers
// which route a path belongs to (for metrics) and builds the 404/405 responses, so
// routes.cc only adapts httplib to it. No httplib types here.
#pragma once

#include <functional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "server/handlers.h"

namespace citeqa::server {

using RouteHandler = std::function<HttpResponse(const HttpRequest&)>;

struct Route {
  std::string method;   // "GET", "POST" or "DELETE"
  std::string pattern;  // regular expression over the whole decoded path
  std::string label;    // bounded name for metrics, e.g. "/api/passages/{id}"
  RouteHandler handle;
  std::regex regex;     // compiled `pattern`
  size_t max_body_bytes = 0;  // request body limit; 0: the server's default
};

// Not thread-safe to modify; const methods may be called concurrently once built.
class RouteTable {
 public:
  // `pattern` must be a valid ECMAScript regular expression (a programming error
  // otherwise: std::regex throws). `max_body_bytes` 0 keeps the server's default limit.
  void Add(std::string method, std::string pattern, std::string label, RouteHandler handle,
           size_t max_body_bytes = 0);

  const std::vector<Route>& routes() const { return routes_; }

  // The label of the first route whose pattern matches `path`, or "unmatched".
  std::string LabelFor(const std::string& path) const;

  // For a request no route took: 405 with an Allow header (GET routes also allow HEAD)
  // when some route matches the path, else 404. Both with the JSON error body.
  HttpResponse NoRouteResponse(const std::string& method, const std::string& path) const;

 private:
  std::vector<Route> routes_;
};

// `literal` with the regular-expression metacharacters escaped.
std::string EscapeRegex(std::string_view literal);

}  // namespace citeqa::server
