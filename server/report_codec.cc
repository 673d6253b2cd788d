#include "server/report_codec.h"

#include <charconv>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <regex>

namespace citeqa::server {
namespace {

using nlohmann::json;

int Digits(std::string_view text) {
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

json PassageJson(const std::optional<indexer::LoggedPassage>& passage) {
  if (!passage.has_value()) return nullptr;
  return {{"passage_id", passage->passage_id}, {"doc", passage->doc}, {"title", passage->title}};
}

// `text` cut to `width` bytes at a UTF-8 boundary, with "..." when cut.
std::string Clip(const std::string& text, size_t width) {
  if (text.size() <= width) return text;
  size_t end = width - 3;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

}  // namespace

Result<int64_t> ParseReportTime(std::string_view text) {
  static const std::regex kTime(
      R"((\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?([Zz]|([+-])(\d{2}):(\d{2})))?)");
  std::match_results<std::string_view::const_iterator> m;
  const auto fail = [&] {
    return Status::InvalidArgument(
        "since must be a date (YYYY-MM-DD) or an RFC 3339 time "
        "(YYYY-MM-DDTHH:MM:SSZ), got '" +
        std::string(text.substr(0, 64)) + "'");
  };
  if (!std::regex_match(text.begin(), text.end(), m, kTime)) return fail();
  auto part = [&](int i) { return Digits(std::string_view(&*m[i].first, m[i].length())); };
  std::tm tm{};
  tm.tm_year = part(1) - 1900;
  tm.tm_mon = part(2) - 1;
  tm.tm_mday = part(3);
  if (m[4].matched) {
    tm.tm_hour = part(4);
    tm.tm_min = part(5);
    tm.tm_sec = part(6);
  }
  const int year = part(1);
  if (year < 1970 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
      tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) {
    return fail();
  }
  std::tm normalized = tm;
  const time_t seconds = timegm(&normalized);
  // timegm rolls 31 February into March: a date that changed was not a date.
  if (normalized.tm_mday != tm.tm_mday || normalized.tm_mon != tm.tm_mon) return fail();
  int64_t offset = 0;
  if (m[8].matched) {
    if (part(9) > 23 || part(10) > 59) return fail();
    offset = (part(9) * 3600 + part(10) * 60) * (*m[8].first == '-' ? -1 : 1);
  }
  return static_cast<int64_t>(seconds) - offset;
}

std::string FormatUtcTime(int64_t seconds) {
  const time_t t = static_cast<time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string SerializeUnansweredReport(const indexer::UnansweredReport& report, int64_t since,
                                      int retention_days) {
  json groups = json::array();
  for (const indexer::UnansweredGroup& g : report.groups) {
    groups.push_back({{"question", g.question},
                      {"asked_as", g.asked_as},
                      {"count", g.count},
                      {"abstained", g.abstained},
                      {"down_votes", g.down_votes},
                      {"up_votes", g.up_votes},
                      {"first_seen", FormatUtcTime(g.first_seen)},
                      {"last_seen", FormatUtcTime(g.last_seen)},
                      {"top_passage", PassageJson(g.top_passage)},
                      {"comments", g.comments}});
  }
  const json body = {{"since", FormatUtcTime(since)},
                     {"retention_days", retention_days},
                     {"total_groups", report.total_groups},
                     {"groups", std::move(groups)}};
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string FormatUnansweredTable(const indexer::UnansweredReport& report, int64_t since) {
  if (report.groups.empty()) {
    return "Nothing went unanswered since " + FormatUtcTime(since) + ".\n";
  }
  std::string out = "Unanswered or voted down since " + FormatUtcTime(since) + ": " +
                    std::to_string(report.total_groups) + " question(s)";
  if (static_cast<int64_t>(report.groups.size()) < report.total_groups) {
    out += ", the first " + std::to_string(report.groups.size()) + " shown";
  }
  out += "\n\n";
  char line[512];
  std::snprintf(line, sizeof line, "%5s %9s %4s  %-20s  %s\n", "count", "abstained", "down",
                "last seen", "question  [closest article]");
  out += line;
  for (const indexer::UnansweredGroup& g : report.groups) {
    std::string question = Clip(g.question, 70);
    if (g.top_passage.has_value()) question += "  [" + Clip(g.top_passage->title, 50) + "]";
    std::snprintf(line, sizeof line, "%5lld %9lld %4lld  %-20s  ", static_cast<long long>(g.count),
                  static_cast<long long>(g.abstained), static_cast<long long>(g.down_votes),
                  FormatUtcTime(g.last_seen).c_str());
    out += line + question + "\n";
  }
  return out;
}

std::string SerializeForgotten(int64_t deleted) { return json{{"deleted", deleted}}.dump(); }

}  // namespace citeqa::server
