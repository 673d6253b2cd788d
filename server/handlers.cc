#include "server/handlers.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "server/json_codec.h"

namespace citeqa::server {
namespace {

std::string Lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

HttpResponse JsonResponse(std::string body) {
  HttpResponse response;
  response.body = std::move(body);
  return response;
}

}  // namespace

std::string HttpRequest::Header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() || it->second.empty() ? std::string() : it->second.front();
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kResourceExhausted:
      return 413;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kIoError:
    case StatusCode::kCorruption:
      return 500;
  }
  return 500;
}

std::string ErrorCodeFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kAlreadyExists:
      return "already_exists";
    case StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kIoError:
    case StatusCode::kCorruption:
      return "internal";
  }
  return "internal";
}

HttpResponse ErrorResponse(int http_status, std::string_view code, std::string_view message) {
  HttpResponse response;
  response.status = http_status;
  response.body = SerializeError(code, message);
  return response;
}

HttpResponse StatusErrorResponse(const Status& status) {
  const int http_status = HttpStatusFor(status.code());
  if (http_status >= 500 && http_status != 503) {
    HttpResponse response = ErrorResponse(http_status, "internal", "internal server error");
    response.log_note = status.ToString();
    return response;
  }
  return ErrorResponse(http_status, ErrorCodeFor(status.code()), status.message());
}

HttpResponse HttpFailureResponse(int http_status, size_t max_body_bytes) {
  switch (http_status) {
    case 404:
      return ErrorResponse(404, "not_found", "not found");
    case 413:
      return ErrorResponse(
          413, "payload_too_large",
          "request body is larger than " + std::to_string(max_body_bytes) + " bytes");
    case 414:
      return ErrorResponse(414, "uri_too_long", "request URI is too long");
    case 415:
      return ErrorResponse(415, "unsupported_media_type", "unsupported media type");
    case 416:
      return ErrorResponse(416, "range_not_satisfiable", "range not satisfiable");
    case 503:
      return ErrorResponse(503, "unavailable", "service unavailable");
    default:
      if (http_status >= 500)
        return ErrorResponse(http_status, "internal", "internal server error");
      return ErrorResponse(http_status, "bad_request", "bad request");
  }
}

bool IsJsonContentType(std::string_view content_type) {
  const std::string_view media_type = Trim(content_type.substr(0, content_type.find(';')));
  return content_type.empty() || Lowercase(media_type) == "application/json";
}

Result<int64_t> ParsePassageId(std::string_view text) {
  int64_t id = 0;
  const bool digits_only = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
  const char* end = text.data() + text.size();
  if (!digits_only || std::from_chars(text.data(), end, id).ec != std::errc() || id <= 0) {
    return Status::InvalidArgument("passage id must be a positive integer");
  }
  return id;
}

std::optional<HttpResponse> RefuseUnlessJsonBody(const HttpRequest& request,
                                                 size_t max_body_bytes) {
  if (!IsJsonContentType(request.Header("content-type"))) {
    return ErrorResponse(415, "unsupported_media_type", "Content-Type must be application/json");
  }
  if (request.body.size() > max_body_bytes) {
    return ErrorResponse(413, "payload_too_large",
                         "request body is larger than " + std::to_string(max_body_bytes) +
                             " bytes");
  }
  return std::nullopt;
}

HttpResponse HandleAsk(const HandlerContext& context, const HttpRequest& request) {
  if (auto refused = RefuseUnlessJsonBody(request, context.max_body_bytes)) return *refused;
  auto ask = ParseAskRequest(request.body);
  if (!ask.ok()) return StatusErrorResponse(ask.status());
  auto answer = context.engine->Ask(*ask);
  if (!answer.ok()) return StatusErrorResponse(answer.status());
  context.metrics->RecordQuestion(answer->found);
  if (context.answers != nullptr) {
    context.answers->OnAnswer(*ask, *answer, AnswerSourceFor(request.Header("sec-fetch-site")));
  }
  return JsonResponse(SerializeAskResponse(*answer));
}

HttpResponse HandleGetPassage(const HandlerContext& context, const HttpRequest& request) {
  auto id = ParsePassageId(request.path_params.empty() ? "" : request.path_params[0]);
  if (!id.ok()) return StatusErrorResponse(id.status());
  auto passage = context.engine->GetPassage(*id, context.passage_context);
  if (!passage.ok()) return StatusErrorResponse(passage.status());
  return JsonResponse(SerializePassageContext(*passage));
}

HttpResponse HandleListDocuments(const HandlerContext& context, const HttpRequest&) {
  auto documents = context.engine->ListDocuments();
  if (!documents.ok()) return StatusErrorResponse(documents.status());
  return JsonResponse(SerializeDocuments(*documents));
}

HttpResponse HandleHealth(const HandlerContext& context, const HttpRequest&) {
  auto stats = context.engine->Stats();
  if (!stats.ok()) {
    // An unavailable index says why (its file is gone, say), for the operator looking at a
    // failing check; other errors may quote SQLite and are only logged.
    const bool explained = stats.status().code() == StatusCode::kUnavailable;
    HttpResponse response = ErrorResponse(
        503, "unavailable", explained ? stats.status().message() : "the index cannot be read");
    response.log_note = stats.status().ToString();
    return response;
  }
  return JsonResponse(SerializeHealth(*stats));
}

HttpResponse HandleMetrics(const HandlerContext& context, const HttpRequest&) {
  auto stats = context.engine->Stats();
  HttpResponse response;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  response.body = context.metrics->Render(stats.ok() ? std::optional<retriever::IndexStats>(*stats)
                                                     : std::nullopt);
  if (!stats.ok()) response.log_note = "index gauges left out: " + stats.status().ToString();
  return response;
}

}  // namespace citeqa::server
