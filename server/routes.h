// The HTTP server: registers the API routes and the embedded chat page on cpp-httplib and
// applies the limits, security headers, access log and request metrics. routes.cc is the
// only file that includes httplib.h besides the connection guard it runs on
// (guarded_server.h); handlers stay pure (handlers.h).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/status.h"
#include "server/config.h"
#include "server/handlers.h"
#include "server/static_assets.h"

namespace citeqa::server {

// Sent on every response: only this server's own scripts, styles and images, and no other
// site may frame the page.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; frame-ancestors 'none'";

class HttpServer {
 public:
  // `context`'s engine and metrics must outlive the server. `assets` are served with GET at
  // their url_path.
  HttpServer(const ServerConfig& config, const HandlerContext& context,
             std::vector<StaticAsset> assets);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Adds a route beside the built-in ones (for the Slack and admin adapters). `method` is
  // "GET", "POST" or "DELETE"; `path_pattern` is a regular expression over the decoded path
  // whose capture groups become HttpRequest::path_params; `label` names the route in
  // metrics (keep it bounded: "/api/passages/{id}", not the raw path). Bodies arrive
  // already limited to `max_body_bytes` (0: config.max_body_bytes); a larger one gets 413
  // without reaching `handle`. `handle` must be thread-safe. Call before Bind().
  void AddRoute(std::string method, std::string path_pattern, std::string label,
                std::function<HttpResponse(const HttpRequest&)> handle,
                size_t max_body_bytes = 0);

  // Registers the routes, binds config.host:config.port (port 0: a free port) and starts listening; connections
  // queue until Run(). Returns the bound port. Errors: kUnavailable when the address cannot
  // be bound (in use, not permitted, unknown host).
  Result<int> Bind();

  // Accepts connections until Stop(); requires a successful Bind(). One thread waits for
  // every connection's request head (config: header/body/keep-alive timeouts, connection
  // cap, head limits) and the worker pool serves complete requests. Returns OK after
  // Stop(), kIoError if the listener failed.
  Status Run();

  // Asks Run() to return once the requests in progress are answered. Thread-safe and
  // idempotent; may be called before Run() starts (Run() then returns at once). May block
  // briefly while Run() is starting.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace citeqa::server
