// The unanswered-questions report as JSON (GET /api/reports/unanswered and `citeqa report
// unanswered --json` print the same) and as a text table, and the report's times.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "indexer/question_log.h"
#include "indexer/status.h"

namespace citeqa::server {

// Seconds since the Unix epoch of "YYYY-MM-DD" (midnight UTC) or an RFC 3339 time
// ("2026-12-04T10:00:00Z", "...T10:00:00.5+02:00"; fractions are dropped). Errors:
// kInvalidArgument saying which forms are accepted.
Result<int64_t> ParseReportTime(std::string_view text);

// "2026-12-04T10:00:00Z".
std::string FormatUtcTime(int64_t seconds);

// {"since", "retention_days", "total_groups", "groups": [{"question", "asked_as", "count",
// "abstained", "down_votes", "up_votes", "first_seen", "last_seen", "top_passage":
// {"passage_id", "doc", "title"} | null, "comments"}]}
std::string SerializeUnansweredReport(const indexer::UnansweredReport& report, int64_t since,
                                      int retention_days);

// For people: a header line, then one line per group (count, abstained, down votes, last
// seen, question, the top passage's title), or a line saying nothing went unanswered.
std::string FormatUnansweredTable(const indexer::UnansweredReport& report, int64_t since);

// {"deleted": N}
std::string SerializeForgotten(int64_t deleted);

}  // namespace citeqa::server
