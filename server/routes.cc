#include "server/routes.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "server/access_log.h"
#include "server/guarded_server.h"
#include "server/json_codec.h"
#include "server/request_identity.h"
#include "server/route_table.h"

namespace citeqa::server {
namespace {

using Clock = std::chrono::steady_clock;
using HandlerResult = httplib::Server::HandlerResponse;

// After this many requests a connection is closed (the client opens a new one).
constexpr int kMaxRequestsPerConnection = 100;

// Per-request state for the access log and metrics. A worker runs one request's routing,
// handler and logger on its thread (guarded_server.h), so a thread_local is enough.
struct RequestState {
  Clock::time_point start;
  std::chrono::system_clock::time_point wall_start;  // for the log's time stamp
  bool started = false;
  std::string request_id;  // also sent back as X-Request-Id
  std::string note;
};
thread_local RequestState t_request;

double ElapsedMs() {
  if (!t_request.started) return 0.0;
  return std::chrono::duration<double, std::milli>(Clock::now() - t_request.start).count();
}

HttpRequest ToHttpRequest(const httplib::Request& req, std::string body) {
  HttpRequest request;
  request.method = req.method;
  request.path = req.path;
  for (const auto& [name, value] : req.headers) {
    // ASCII only, as field names are (RFC 9110 5.1); std::tolower is a call per byte.
    std::string lower = name;
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    request.headers[std::move(lower)].push_back(value);
  }
  for (size_t i = 1; i < req.matches.size(); ++i) request.path_params.push_back(req.matches[i]);
  request.query_params.insert(req.params.begin(), req.params.end());
  request.body = std::move(body);
  return request;
}

void WriteResponse(const HttpResponse& from, httplib::Response* to) {
  to->status = from.status;
  for (const auto& [name, value] : from.headers) to->set_header(name, value);
  to->set_content(from.body, from.content_type.c_str());
  if (!from.log_note.empty()) t_request.note = from.log_note;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// kTooLarge: refused by its Content-Length and skipped, so the connection is still usable.
// kTooLargeAbandoned / kMalformed: reading stopped inside the body, so the response closes
// the connection (GuardedServer then never reads the rest as a request).
enum class BodyRead { kOk, kTooLarge, kTooLargeAbandoned, kMalformed };

// Reads the body through `reader`, keeping at most `max_bytes` whatever the framing (httplib
// 0.11 enforces its payload limit only for Content-Length bodies, not chunked ones). A
// Content-Length body over the limit is read to its end and dropped, as httplib does over
// its own (server-wide) limit, so the connection stays usable; a chunked one could be
// endless, so reading stops.
// Multipart bodies are read part by part and dropped: no route accepts them, and reading
// them as one piece would make httplib call a missing callback.
BodyRead ReadBody(const httplib::Request& req, const httplib::ContentReader& reader,
                  size_t max_bytes, std::string* body, const httplib::Response& res) {
  // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112
  // 6.3); httplib 0.11 would instead wait for the connection to close.
  if (!req.has_header("Transfer-Encoding")) {
    if (!req.has_header("Content-Length")) return BodyRead::kOk;
  } else if (!EqualsIgnoringCase(req.get_header_value("Transfer-Encoding"), "chunked")) {
    return BodyRead::kMalformed;
  }
  const bool sized = !req.has_header("Transfer-Encoding");
  bool too_large = false;
  const auto receive = [&](const char* data, size_t length) {
    if (too_large || body->size() + length > max_bytes) {
      too_large = true;
      body->clear();
      return sized;
    }
    body->append(data, length);
    return true;
  };
  bool ok = false;
  if (req.is_multipart_form_data()) {
    ok = reader([](const httplib::MultipartFormData&) { return true; }, receive);
    body->clear();
  } else {
    ok = reader(receive);
  }
  if (too_large) return ok && sized ? BodyRead::kTooLarge : BodyRead::kTooLargeAbandoned;
  if (res.status == 413) return BodyRead::kTooLarge;
  return ok ? BodyRead::kOk : BodyRead::kMalformed;
}

}  // namespace

struct HttpServer::Impl {
  ServerConfig config;
  HandlerContext context;
  RouteTable table;
  GuardedServer server;

  std::atomic<bool> stop_requested{false};
  std::atomic<bool> run_started{false};
  std::atomic<bool> run_returned{false};
  std::mutex stop_mu;
  bool stop_sent = false;

  Impl(const ServerConfig& server_config, const HandlerContext& handler_context,
       std::vector<StaticAsset> assets)
      : config(server_config), context(handler_context) {
    context.max_body_bytes = config.max_body_bytes;
    context.passage_context = config.passage_context;
    const HandlerContext& ctx = context;
    table.Add("POST", "/api/ask", "/api/ask",
              [&ctx](const HttpRequest& r) { return HandleAsk(ctx, r); });
    table.Add("GET", "/api/passages/([^/]+)", "/api/passages/{id}",
              [&ctx](const HttpRequest& r) { return HandleGetPassage(ctx, r); });
    table.Add("GET", "/api/documents", "/api/documents",
              [&ctx](const HttpRequest& r) { return HandleListDocuments(ctx, r); });
    table.Add("GET", "/healthz", "/healthz",
              [&ctx](const HttpRequest& r) { return HandleHealth(ctx, r); });
    table.Add("GET", "/metrics", "/metrics",
              [&ctx](const HttpRequest& r) { return HandleMetrics(ctx, r); });
    for (StaticAsset& asset : assets) {
      table.Add("GET", EscapeRegex(asset.url_path), asset.url_path,
                [asset](const HttpRequest&) { return StaticAssetResponse(asset); });
    }
  }

  // Counts the request in the metrics before its response is written (so a client that
  // reads /metrics next sees it): Serve() counts successes, and the error handler, which
  // httplib calls for every status >= 400, counts the rest.
  void RecordRequest(const httplib::Request& req, int status) const {
    context.metrics->RecordRequest(table.LabelFor(req.path), status, ElapsedMs() / 1000.0);
  }

  void Serve(const Route& route, const httplib::Request& req, std::string body,
             httplib::Response& res) const {
    WriteResponse(route.handle(ToHttpRequest(req, std::move(body))), &res);
    // httplib cuts the body to a requested Range; the status must then say so.
    if (res.status == 200 && !req.ranges.empty()) res.status = 206;
    if (res.status < 400) RecordRequest(req, res.status);
  }

  // Reads a body within `max_bytes`, then hands the request to `next`.
  void ServeWithBody(const httplib::Request& req, httplib::Response& res,
                     const httplib::ContentReader& reader, size_t max_bytes,
                     const std::function<void(std::string body)>& next) const {
    std::string body;
    const BodyRead read = ReadBody(req, reader, max_bytes, &body, res);
    if (read == BodyRead::kOk) {
      next(std::move(body));
      return;
    }
    WriteResponse(read == BodyRead::kMalformed
                      ? ErrorResponse(400, "bad_request", "request body could not be read")
                      : HttpFailureResponse(413, max_bytes),
                  &res);
    if (read != BodyRead::kTooLarge) res.set_header("Connection", "close");
  }

  // Starts the clock and names the request: the id goes back in X-Request-Id, so a client
  // (or nginx) can match its request to the access-log line.
  static HandlerResult BeforeRouting(const httplib::Request& req, httplib::Response& res) {
    t_request = RequestState{Clock::now(), std::chrono::system_clock::now(), true,
                             RequestIdFor(req.get_header_value("X-Request-Id")), ""};
    res.set_header("X-Request-Id", t_request.request_id);
    return HandlerResult::Unhandled;
  }

  void WriteAccessLog(AccessLogEntry entry) const {
    const std::string line = FormatAccessLog(entry, config.log_format);
    std::fprintf(stderr, "%s\n", line.c_str());
  }

  // An answer the connection guard wrote itself (408, 413 from the head, 414, 431, 400 for
  // ambiguous framing, 503 over the connection cap): logged and counted like the rest.
  void OnRefused(int status, std::string_view message) const {
    context.metrics->RecordRequest(table.LabelFor(""), status, 0.0);
    AccessLogEntry entry;
    entry.time = std::chrono::system_clock::now();
    const std::string request_id = RequestIdFor("");
    entry.request_id = request_id;
    entry.status = status;
    entry.note = message;
    WriteAccessLog(entry);
  }

  GuardSettings MakeGuardSettings(size_t payload_limit) {
    GuardSettings guard;
    guard.head.limits.max_body_bytes = payload_limit;
    guard.head.max_connections = config.max_connections;
    guard.head.header_timeout = std::chrono::seconds(config.header_timeout_seconds);
    guard.head.body_timeout = std::chrono::seconds(config.body_timeout_seconds);
    guard.head.keep_alive_timeout = std::chrono::seconds(config.keep_alive_timeout_seconds);
    guard.threads = EffectiveThreadCount(config);
    guard.max_requests_per_connection = kMaxRequestsPerConnection;
    guard.read_timeout = std::chrono::seconds(config.read_timeout_seconds);
    guard.write_timeout = std::chrono::seconds(config.write_timeout_seconds);
    guard.on_refused = [this](int status, std::string_view message) { OnRefused(status, message); };
    return guard;
  }

  // httplib's own failures (no route, unreadable request, body over the limit) arrive with
  // an empty body: give them the JSON error shape, and 405 for a known path.
  HandlerResult OnError(const httplib::Request& req, httplib::Response& res) const {
    HandlerResult result = HandlerResult::Unhandled;
    if (res.body.empty()) {
      const bool no_route = res.status == 404 || res.status == 400;
      HttpResponse response = no_route ? table.NoRouteResponse(req.method, req.path)
                                       : HttpFailureResponse(res.status, config.max_body_bytes);
      // A 400 from httplib is a route miss only for a method it has no handler list for.
      if (res.status == 400 && response.status != 405) {
        response = HttpFailureResponse(400, config.max_body_bytes);
      }
      WriteResponse(response, &res);
      result = HandlerResult::Handled;
    }
    RecordRequest(req, res.status);
    return result;
  }

  static void OnException(const httplib::Request&, httplib::Response& res,
                          std::exception_ptr exception) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(std::move(exception));
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    WriteResponse(ErrorResponse(500, "internal", "internal server error"), &res);
    t_request.note = "exception: " + what;
  }

  // Requests refused before routing (httplib's 400, 414) have no state yet: they get a time
  // and an id here.
  void LogRequest(const httplib::Request& req, const httplib::Response& res) const {
    if (!t_request.started) {
      t_request.wall_start = std::chrono::system_clock::now();
      t_request.request_id = RequestIdFor("");
    }
    const std::string client = ClientAddressFor(
        req.remote_addr, req.get_header_value("X-Forwarded-For"), config.trust_forwarded_for);
    AccessLogEntry entry;
    entry.time = t_request.wall_start;
    entry.client = client;
    entry.method = req.method;
    entry.path = req.path;
    entry.status = res.status;
    entry.milliseconds = ElapsedMs();
    entry.request_id = t_request.request_id;
    entry.note = t_request.note;
    WriteAccessLog(entry);
    t_request = RequestState();
  }

  void Configure() {
    // httplib's own limit is server-wide: the largest of the routes'; each route then
    // holds its body to its own limit in ReadBody.
    size_t payload_limit = config.max_body_bytes;
    for (const Route& route : table.routes()) {
      if (route.method == "GET") {
        server.Get(route.pattern, [this, route](const httplib::Request& req,
                                                 httplib::Response& res) {
          Serve(route, req, "", res);
        });
        continue;
      }
      const size_t limit = route.max_body_bytes > 0 ? route.max_body_bytes : config.max_body_bytes;
      payload_limit = std::max(payload_limit, limit);
      const httplib::Server::HandlerWithContentReader handler =
          [this, route, limit](const httplib::Request& req, httplib::Response& res,
                               const httplib::ContentReader& reader) {
            ServeWithBody(req, res, reader, limit,
                          [&](std::string body) { Serve(route, req, std::move(body), res); });
          };
      if (route.method == "DELETE") {
        server.Delete(route.pattern, handler);
      } else {
        server.Post(route.pattern, handler);
      }
    }
    // Bodies sent anywhere else are read with the default limit, then refused.
    const auto refuse = [this](const httplib::Request& req, httplib::Response& res,
                               const httplib::ContentReader& reader) {
      ServeWithBody(req, res, reader, config.max_body_bytes, [&](const std::string&) {
        WriteResponse(table.NoRouteResponse(req.method, req.path), &res);
      });
    };
    server.Post(".*", refuse);
    server.Put(".*", refuse);
    server.Patch(".*", refuse);
    server.Delete(".*", refuse);

    server.set_pre_routing_handler(&Impl::BeforeRouting);
    server.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) { return OnError(req, res); }));
    server.set_exception_handler(&Impl::OnException);
    server.set_logger(
        [this](const httplib::Request& req, const httplib::Response& res) { LogRequest(req, res); });

    // frame-ancestors and X-Frame-Options (for browsers without CSP 2): no other site may
    // show the page in a frame, where it could be dressed up to trick a reader's clicks.
    server.set_default_headers({{"Content-Security-Policy", std::string(kContentSecurityPolicy)},
                                {"X-Frame-Options", "DENY"},
                                {"X-Content-Type-Options", "nosniff"},
                                {"Referrer-Policy", "no-referrer"}});
    server.set_payload_max_length(payload_limit);
    // Only advertised in the Keep-Alive header: GuardedServer applies these itself.
    server.set_keep_alive_timeout(config.keep_alive_timeout_seconds);
    server.set_keep_alive_max_count(static_cast<size_t>(kMaxRequestsPerConnection));
    server.set_tcp_nodelay(true);
    // httplib's default adds SO_REUSEPORT, which would let a second `citeqa serve` on the
    // same port silently share its traffic; SO_REUSEADDR alone still allows a quick restart.
    server.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    server.set_guard_settings(MakeGuardSettings(payload_limit));
  }
};

HttpServer::HttpServer(const ServerConfig& config, const HandlerContext& context,
                       std::vector<StaticAsset> assets)
    : impl_(std::make_unique<Impl>(config, context, std::move(assets))) {}

HttpServer::~HttpServer() = default;

void HttpServer::AddRoute(std::string method, std::string path_pattern, std::string label,
                          std::function<HttpResponse(const HttpRequest&)> handle,
                          size_t max_body_bytes) {
  impl_->table.Add(std::move(method), std::move(path_pattern), std::move(label), std::move(handle),
                   max_body_bytes);
}

Result<int> HttpServer::Bind() {
  const ServerConfig& config = impl_->config;
  // Registered here rather than in the constructor so that AddRoute() routes come before
  // the catch-all body readers.
  impl_->Configure();
  int port = -1;
  if (config.port == 0) {
    port = impl_->server.bind_to_any_port(config.host);
  } else if (impl_->server.bind_to_port(config.host, config.port)) {
    port = config.port;
  }
  if (port <= 0) {
    return Status::Unavailable("cannot listen on " + ServerUrl(config.host, config.port) +
                               " (address in use, not permitted, or unknown host)");
  }
  return port;
}

Status HttpServer::Run() {
  impl_->run_started = true;
  bool ok = true;
  if (!impl_->stop_requested) ok = impl_->server.ServeGuarded();
  impl_->run_returned = true;
  if (!ok && !impl_->stop_requested) return Status::IoError("the HTTP listener failed");
  return Status::Ok();
}

void HttpServer::Stop() {
  std::lock_guard<std::mutex> lock(impl_->stop_mu);
  impl_->stop_requested = true;
  // Run() sets run_started before it reads stop_requested: if it has not started, it will
  // see the request and return; if it has, wait until httplib runs so that stop() counts.
  if (!impl_->run_started || impl_->stop_sent) return;
  while (!impl_->server.is_running() && !impl_->run_returned) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (impl_->server.is_running()) impl_->server.stop();
  impl_->stop_sent = true;
}

}  // namespace citeqa::server
