#include "server/route_table.h"

#include <algorithm>

#include "server/access_log.h"

namespace citeqa::server {

void RouteTable::Add(std::string method, std::string pattern, std::string label,
                     RouteHandler handle, size_t max_body_bytes) {
  std::regex regex(pattern);
  routes_.push_back({std::move(method), std::move(pattern), std::move(label), std::move(handle),
                     regex, max_body_bytes});
}

std::string RouteTable::LabelFor(const std::string& path) const {
  for (const Route& route : routes_) {
    if (std::regex_match(path, route.regex)) return route.label;
  }
  return "unmatched";
}

HttpResponse RouteTable::NoRouteResponse(const std::string& method,
                                         const std::string& path) const {
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    if (!std::regex_match(path, route.regex)) continue;
    std::vector<std::string> methods = {route.method};
    if (route.method == "GET") methods.emplace_back("HEAD");
    for (std::string& m : methods) {
      if (std::find(allowed.begin(), allowed.end(), m) == allowed.end()) {
        allowed.push_back(std::move(m));
      }
    }
  }
  if (allowed.empty()) {
    return ErrorResponse(404, "not_found",
                         "no such route: " + SanitiseForLog(method) + " " + SanitiseForLog(path));
  }
  std::string allow;
  for (const std::string& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
  HttpResponse response = ErrorResponse(
      405, "method_not_allowed", SanitiseForLog(method) + " is not allowed here; use " + allow);
  response.headers.emplace_back("Allow", allow);
  return response;
}

std::string EscapeRegex(std::string_view literal) {
  static constexpr std::string_view kSpecial = R"(\^$.|?*+()[]{})";
  std::string out;
  for (const char c : literal) {
    if (kSpecial.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace citeqa::server
