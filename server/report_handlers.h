// The unanswered-questions report over HTTP as pure functions (request struct in, response
// out): GET and DELETE /api/reports/unanswered. Admin only (`Authorization: Bearer
// <CITEQA_ADMIN_TOKEN>`, checked as admin_handlers.h does: 403 when the server has no
// token, 401 for a missing or wrong one), but needs no --corpus.
#pragma once

#include <cstdint>
#include <string>

#include "indexer/question_log.h"
#include "indexer/status.h"
#include "server/handlers.h"

namespace citeqa::server {

// What the report handlers read and delete through (QuestionLogService; fakes in tests).
class QuestionReports {
 public:
  virtual ~QuestionReports() = default;
  virtual Result<indexer::UnansweredReport> Unanswered(const indexer::UnansweredQuery& query) = 0;
  // `normalized` empty: everything. Returns the rows deleted.
  virtual Result<int64_t> Forget(const std::string& normalized) = 0;
  virtual int retention_days() const = 0;
  virtual int64_t Now() const = 0;  // seconds since the Unix epoch
};

inline constexpr int kDefaultReportLimit = 100;
inline constexpr int kMaxReportLimit = 1000;

struct ReportContext {
  std::string admin_token;             // empty: 403 for everyone
  QuestionReports* reports = nullptr;  // null: the question log is off (503)
};

// GET /api/reports/unanswered[?since=YYYY-MM-DD|RFC3339][&limit=N]: 200 with the report
// (report_codec.h); `since` defaults to the start of the retention period, `limit` to
// kDefaultReportLimit (1..kMaxReportLimit). 400 for a malformed since or limit.
HttpResponse HandleUnansweredReport(const ReportContext& context, const HttpRequest& request);

// DELETE /api/reports/unanswered[?question=NORMALISED]: forgets one group's entries, or all.
// 200 {"deleted": N}; 400 for an empty question.
HttpResponse HandleForgetUnanswered(const ReportContext& context, const HttpRequest& request);

}  // namespace citeqa::server
