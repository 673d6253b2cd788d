// Registers the Slack adapter's endpoints (slash commands, Events API, interactivity,
// Slack-style outgoing webhooks) on the HTTP server.
#pragma once

#include "server/routes.h"
#include "server/slack/slack_service.h"

namespace citeqa::server {

// `service` must outlive `server`'s handling of requests. Not thread-safe (call before Run).
void AddSlackRoutes(slack::SlackService* service, HttpServer* server);

}  // namespace citeqa::server
