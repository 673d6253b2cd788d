#include "server/slack_routes.h"

#include <cstddef>

namespace citeqa::server {
namespace {

// The raw body (Slack signs its exact bytes) and every value of every header (a duplicated
// signature header must be refused, not resolved).
slack::SlackHttpRequest ToSlackRequest(const HttpRequest& request) {
  slack::SlackHttpRequest out;
  out.body = request.body;
  out.headers = request.headers;
  return out;
}

HttpResponse FromSlackResponse(const slack::SlackHttpResponse& response) {
  HttpResponse out;
  out.status = response.status;
  out.content_type = response.content_type.empty() ? "text/plain" : response.content_type;
  out.body = response.body;
  return out;
}

// An interaction payload carries the whole message clicked on (its blocks, percent-encoded
// JSON): more room than the default body limit leaves.
constexpr size_t kMaxInteractionBodyBytes = 256 * 1024;

}  // namespace

void AddSlackRoutes(slack::SlackService* service, HttpServer* server) {
  server->AddRoute("POST", "/slack/command", "/slack/command", [service](const HttpRequest& r) {
    return FromSlackResponse(service->HandleCommand(ToSlackRequest(r)));
  });
  server->AddRoute("POST", "/slack/events", "/slack/events", [service](const HttpRequest& r) {
    return FromSlackResponse(service->HandleEvents(ToSlackRequest(r)));
  });
  server->AddRoute(
      "POST", "/slack/interactivity", "/slack/interactivity",
      [service](const HttpRequest& r) {
        return FromSlackResponse(service->HandleInteraction(ToSlackRequest(r)));
      },
      kMaxInteractionBodyBytes);
  server->AddRoute("POST", "/hooks/outgoing", "/hooks/outgoing", [service](const HttpRequest& r) {
    return FromSlackResponse(service->HandleOutgoingWebhook(ToSlackRequest(r)));
  });
}

}  // namespace citeqa::server
