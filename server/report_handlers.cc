#include "server/report_handlers.h"

#include <charconv>
#include <optional>

#include "server/admin_handlers.h"
#include "server/report_codec.h"

namespace citeqa::server {
namespace {

constexpr int64_t kSecondsPerDay = 24 * 60 * 60;

std::optional<HttpResponse> RefuseWhenOff(const ReportContext& context) {
  if (context.reports != nullptr) return std::nullopt;
  return ErrorResponse(503, "unavailable",
                       "the question log is off (citeqa serve --question-log-days 0)");
}

// The last value of query parameter `name`, or nullopt.
std::optional<std::string> QueryValue(const HttpRequest& request, const std::string& name) {
  const auto range = request.query_params.equal_range(name);
  if (range.first == range.second) return std::nullopt;
  return std::prev(range.second)->second;
}

Result<int> ParseLimit(const std::string& text) {
  int value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value < 1 || value > kMaxReportLimit) {
    return Status::InvalidArgument("limit must be an integer from 1 to " +
                                   std::to_string(kMaxReportLimit));
  }
  return value;
}

HttpResponse JsonResponse(std::string body) {
  HttpResponse response;
  response.body = std::move(body);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace

HttpResponse HandleUnansweredReport(const ReportContext& context, const HttpRequest& request) {
  // The report needs the token but no corpus folder.
  if (auto refused = RefuseUnlessAdminToken(context.admin_token, request)) return *refused;
  if (auto off = RefuseWhenOff(context)) return *off;
  indexer::UnansweredQuery query;
  query.limit = kDefaultReportLimit;
  query.since = context.reports->Now() - context.reports->retention_days() * kSecondsPerDay;
  if (auto since = QueryValue(request, "since")) {
    auto parsed = ParseReportTime(*since);
    if (!parsed.ok()) return StatusErrorResponse(parsed.status());
    query.since = *parsed;
  }
  if (auto limit = QueryValue(request, "limit")) {
    auto parsed = ParseLimit(*limit);
    if (!parsed.ok()) return StatusErrorResponse(parsed.status());
    query.limit = *parsed;
  }
  auto report = context.reports->Unanswered(query);
  if (!report.ok()) return StatusErrorResponse(report.status());
  return JsonResponse(
      SerializeUnansweredReport(*report, query.since, context.reports->retention_days()));
}

HttpResponse HandleForgetUnanswered(const ReportContext& context, const HttpRequest& request) {
  if (auto refused = RefuseUnlessAdminToken(context.admin_token, request)) return *refused;
  if (auto off = RefuseWhenOff(context)) return *off;
  std::string question;
  if (auto given = QueryValue(request, "question")) {
    if (given->empty()) {
      return ErrorResponse(400, "invalid_argument",
                           "question must not be empty (leave it out to forget everything)");
    }
    question = std::move(*given);
  }
  auto deleted = context.reports->Forget(question);
  if (!deleted.ok()) return StatusErrorResponse(deleted.status());
  return JsonResponse(SerializeForgotten(*deleted));
}

}  // namespace citeqa::server
