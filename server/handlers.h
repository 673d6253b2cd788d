// The HTTP API as pure functions: a plain request struct in, status/content type/body out.
// No httplib types here (routes.cc adapts), so every case is testable with a fake Engine.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "indexer/status.h"
#include "retriever/engine.h"
#include "server/answer_observer.h"
#include "server/config.h"
#include "server/metrics.h"

namespace citeqa::server {

struct HttpRequest {
  std::string method;
  std::string path;                            // decoded, without the query string
  // Names in lower case; every value in the order received (httplib adds REMOTE_ADDR and
  // REMOTE_PORT).
  std::map<std::string, std::vector<std::string>> headers;
  std::vector<std::string> path_params;        // captures of the route pattern, in order
  std::multimap<std::string, std::string> query_params;  // decoded, every value
  std::string body;

  // The header's first value, or "" when absent. `lower_name` must be lower case.
  std::string Header(const std::string& lower_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers to send
  std::string log_note;  // for the access log only (e.g. the cause of a 500), never sent
};

// What the handlers share. The pointees outlive every request; Engine and ServerMetrics
// are thread-safe, so handlers may run concurrently.
struct HandlerContext {
  retriever::Engine* engine = nullptr;
  ServerMetrics* metrics = nullptr;
  size_t max_body_bytes = kMaxRequestBodyBytes;
  int passage_context = 2;
  AnswerObserver* answers = nullptr;  // told of every answer of /api/ask; may be null
};

// kInvalidArgument 400, kNotFound 404, kAlreadyExists 409, kResourceExhausted 413,
// kUnauthenticated 401, kUnavailable 503; kIoError, kCorruption (server faults) 500.
int HttpStatusFor(StatusCode code);

// The "code" of an error body: "invalid_argument", "not_found", ... ("internal" for 500s).
std::string ErrorCodeFor(StatusCode code);

// {"error": {"code", "message"}} with the given HTTP status.
HttpResponse ErrorResponse(int http_status, std::string_view code, std::string_view message);

// The error response for a non-OK Status. Server faults (500) do not reveal their message
// to the client; it goes to log_note instead.
HttpResponse StatusErrorResponse(const Status& status);

// The JSON error for a failure httplib detected itself (malformed request, URI too long,
// body over `max_body_bytes` ...), by HTTP status.
HttpResponse HttpFailureResponse(int http_status, size_t max_body_bytes);

// True for "application/json" with optional parameters (any case), and for an empty value
// (a client that sends no Content-Type at all).
bool IsJsonContentType(std::string_view content_type);

// The refusal of a request whose body must be JSON of at most `max_body_bytes`: 415 for
// another Content-Type, 413 for a larger body; nullopt when the request may go on.
std::optional<HttpResponse> RefuseUnlessJsonBody(const HttpRequest& request,
                                                 size_t max_body_bytes);

// A passage id from a URL: decimal digits only, 1..INT64_MAX. Errors: kInvalidArgument.
Result<int64_t> ParsePassageId(std::string_view text);

// POST /api/ask: 415 for a non-JSON Content-Type, 413 for a body over max_body_bytes, 400
// for an invalid request, otherwise the engine's answer (and a question metric; the answer
// is shown to context.answers).
HttpResponse HandleAsk(const HandlerContext& context, const HttpRequest& request);

// GET /api/passages/{id}: path_params[0] is the id. 400 for a malformed id, 404 if unknown.
HttpResponse HandleGetPassage(const HandlerContext& context, const HttpRequest& request);

// GET /api/documents.
HttpResponse HandleListDocuments(const HandlerContext& context, const HttpRequest& request);

// GET /healthz: 200 {"status": "ok", ...}, 503 when the index cannot be read.
HttpResponse HandleHealth(const HandlerContext& context, const HttpRequest& request);

// GET /metrics: Prometheus text.
HttpResponse HandleMetrics(const HandlerContext& context, const HttpRequest& request);

}  // namespace citeqa::server
