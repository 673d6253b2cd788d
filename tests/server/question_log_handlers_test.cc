// POST /api/feedback and GET/DELETE /api/reports/unanswered as pure handlers (with a fake
// recorder and a fake report), the report's JSON and times, and `citeqa report` parsing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "server/cli_args.h"
#include "server/feedback_handler.h"
#include "server/report_codec.h"
#include "server/report_handlers.h"

namespace citeqa::server {
namespace {

using nlohmann::json;

constexpr const char* kToken = "report-test-admin-token-0123456789";

class FakeRecorder : public FeedbackRecorder {
 public:
  Status Record(const Feedback& feedback) override {
    recorded.push_back(feedback);
    return answer;
  }
  std::vector<Feedback> recorded;
  Status answer;
};

class FakeReports : public QuestionReports {
 public:
  Result<indexer::UnansweredReport> Unanswered(const indexer::UnansweredQuery& query) override {
    queries.push_back(query);
    return report;
  }
  Result<int64_t> Forget(const std::string& normalized) override {
    forgotten.push_back(normalized);
    return int64_t{4};
  }
  int retention_days() const override { return 30; }
  int64_t Now() const override { return 1796342400; }  // 2026-12-04T00:00:00Z

  indexer::UnansweredReport report;
  std::vector<indexer::UnansweredQuery> queries;
  std::vector<std::string> forgotten;
};

HttpRequest Request(std::string method, std::string body = "",
                    std::string content_type = "application/json") {
  HttpRequest request;
  request.method = std::move(method);
  if (!content_type.empty()) request.headers["content-type"] = {std::move(content_type)};
  request.body = std::move(body);
  return request;
}

HttpRequest AdminRequest(std::string method, std::multimap<std::string, std::string> query = {},
                         std::string token = kToken) {
  HttpRequest request = Request(std::move(method), "", "");
  request.path = "/api/reports/unanswered";
  if (!token.empty()) request.headers["authorization"] = {"Bearer " + token};
  request.query_params = std::move(query);
  return request;
}

std::string ErrorCode(const HttpResponse& response) {
  return json::parse(response.body)["error"]["code"];
}

TEST(FeedbackHandlerTest, RecordsGoodVotesAndRefusesBadOnes) {
  const std::string long_question(kMaxFeedbackQuestionBytes + 1, 'q');
  const struct {
    const char* what;
    std::string body;
    std::string content_type;
    int status;
    std::string message_has;  // in the error message
  } cases[] = {
      {"a down vote", R"({"question":"Q?","answer":"A [1].","vote":"down","comment":"no"})",
       "application/json", 201, ""},
      {"an up vote, unknown fields ignored",
       R"({"question":"Q?","answer":"A","vote":"up","conversation_id":"c","extra":[1]})",
       "application/json; charset=utf-8", 201, ""},
      {"null optional fields", R"({"question":"Q","answer":"A","vote":"up","comment":null})", "",
       201, ""},
      {"no question", R"({"answer":"A","vote":"up"})", "application/json", 400, "question"},
      {"an empty question", R"({"question":"  ","answer":"A","vote":"up"})", "application/json",
       400, "question"},
      {"no answer", R"({"question":"Q","vote":"up"})", "application/json", 400, "answer"},
      {"a bad vote", R"({"question":"Q","answer":"A","vote":"meh"})", "application/json", 400,
       "vote"},
      {"a vote that is not a string", R"({"question":"Q","answer":"A","vote":1})",
       "application/json", 400, "vote"},
      {"a comment that is not a string", R"({"question":"Q","answer":"A","vote":"up","comment":1})",
       "application/json", 400, "comment"},
      {"a question over the limit",
       R"({"question":")" + long_question + R"(","answer":"A","vote":"up"})", "application/json",
       400, "question"},
      {"a conversation id over the limit",
       R"({"question":"Q","answer":"A","vote":"up","conversation_id":")" +
           std::string(kMaxConversationIdBytes + 1, 'c') + R"("})",
       "application/json", 400, "conversation_id"},
      {"not JSON", "{question", "application/json", 400, "JSON"},
      {"not an object", "[1]", "application/json", 400, "object"},
      {"a form", "question=Q", "application/x-www-form-urlencoded", 415, ""},
  };
  for (const auto& c : cases) {
    FakeRecorder recorder;
    const HttpResponse response =
        HandleFeedback({&recorder, kMaxRequestBodyBytes}, Request("POST", c.body, c.content_type));
    EXPECT_EQ(response.status, c.status) << c.what << ": " << response.body;
    if (c.status == 201) {
      EXPECT_EQ(json::parse(response.body), json::parse(R"({"recorded": true})")) << c.what;
      ASSERT_EQ(recorder.recorded.size(), 1u) << c.what;
      EXPECT_EQ(recorder.recorded[0].source, "api") << c.what;
    } else {
      EXPECT_TRUE(recorder.recorded.empty()) << c.what;
      const std::string message = json::parse(response.body)["error"]["message"];
      EXPECT_NE(message.find(c.message_has), std::string::npos) << c.what << ": " << message;
    }
  }
}

TEST(FeedbackHandlerTest, PassesTheVoteOnAndLabelsThePage) {
  FakeRecorder recorder;
  HttpRequest request = Request(
      "POST",
      R"({"question":"Q?","answer":"A [1].","vote":"down","conversation_id":"k","comment":"c"})");
  request.headers["sec-fetch-site"] = {"same-origin"};
  ASSERT_EQ(HandleFeedback({&recorder, kMaxRequestBodyBytes}, request).status, 201);
  ASSERT_EQ(recorder.recorded.size(), 1u);
  const Feedback& f = recorder.recorded[0];
  EXPECT_EQ(f.question, "Q?");
  EXPECT_EQ(f.answer, "A [1].");
  EXPECT_FALSE(f.helpful);
  EXPECT_EQ(f.conversation_id, "k");
  EXPECT_EQ(f.comment, "c");
  EXPECT_EQ(f.source, "web");
}

TEST(FeedbackHandlerTest, MapsTheRecordersRefusals) {
  const std::string vote = R"({"question":"Q","answer":"A","vote":"up"})";
  const struct {
    Status answer;
    int status;
    bool retry_after;
  } cases[] = {
      {Status::Unavailable("off"), 503, false},
      {Status::ResourceExhausted("full"), 503, true},
      {Status::InvalidArgument("question is not valid UTF-8"), 400, false},
  };
  for (const auto& c : cases) {
    FakeRecorder recorder;
    recorder.answer = c.answer;
    const HttpResponse response =
        HandleFeedback({&recorder, kMaxRequestBodyBytes}, Request("POST", vote));
    EXPECT_EQ(response.status, c.status) << c.answer.ToString();
    const bool has_retry = !response.headers.empty() && response.headers[0].first == "Retry-After";
    EXPECT_EQ(has_retry, c.retry_after) << c.answer.ToString();
  }
  EXPECT_EQ(HandleFeedback({nullptr, kMaxRequestBodyBytes}, Request("POST", vote)).status, 503);
  EXPECT_EQ(HandleFeedback({nullptr, 10}, Request("POST", vote)).status, 413);
}

TEST(ReportHandlersTest, NeedsTheAdminToken) {
  FakeReports reports;
  const struct {
    std::string server_token;
    std::string sent;
    int status;
  } cases[] = {
      {kToken, "", 401},
      {kToken, "wrong-token", 401},
      {"", kToken, 403},
      {kToken, kToken, 200},
  };
  for (const auto& c : cases) {
    const ReportContext context{c.server_token, &reports};
    EXPECT_EQ(HandleUnansweredReport(context, AdminRequest("GET", {}, c.sent)).status, c.status)
        << "server '" << c.server_token << "' sent '" << c.sent << "'";
    EXPECT_EQ(HandleForgetUnanswered(context, AdminRequest("DELETE", {}, c.sent)).status, c.status)
        << "server '" << c.server_token << "' sent '" << c.sent << "'";
  }
  EXPECT_EQ(reports.queries.size(), 1u);
  EXPECT_EQ(reports.forgotten.size(), 1u);
  const HttpResponse unauthorised =
      HandleUnansweredReport({kToken, &reports}, AdminRequest("GET", {}, ""));
  ASSERT_EQ(unauthorised.headers.size(), 1u);
  EXPECT_EQ(unauthorised.headers[0].first, "WWW-Authenticate");
  const HttpResponse off = HandleUnansweredReport({kToken, nullptr}, AdminRequest("GET"));
  EXPECT_EQ(off.status, 503);
  EXPECT_EQ(HandleForgetUnanswered({kToken, nullptr}, AdminRequest("DELETE")).status, 503);
}

TEST(ReportHandlersTest, ParsesSinceAndLimit) {
  const int64_t kRetentionStart = 1796342400 - 30 * 86400;
  const struct {
    std::multimap<std::string, std::string> query;
    int status;
    int64_t since;
    int limit;
  } cases[] = {
      {{}, 200, kRetentionStart, kDefaultReportLimit},
      {{{"since", "2026-11-04"}}, 200, 1793750400, kDefaultReportLimit},
      {{{"since", "2026-11-04T10:00:00Z"}, {"limit", "5"}}, 200, 1793786400, 5},
      {{{"since", "2026-11-04T12:00:00+02:00"}}, 200, 1793786400, kDefaultReportLimit},
      {{{"limit", "1000"}, {"other", "x"}}, 200, kRetentionStart, 1000},
      {{{"since", "yesterday"}}, 400, 0, 0},
      {{{"since", "2026-02-30"}}, 400, 0, 0},
      {{{"since", "2026-11-04T25:00:00Z"}}, 400, 0, 0},
      {{{"limit", "0"}}, 400, 0, 0},
      {{{"limit", "1001"}}, 400, 0, 0},
      {{{"limit", "5x"}}, 400, 0, 0},
  };
  for (const auto& c : cases) {
    FakeReports reports;
    const HttpResponse response =
        HandleUnansweredReport({kToken, &reports}, AdminRequest("GET", c.query));
    std::string described;
    for (const auto& [k, v] : c.query) described += k + "=" + v + " ";
    ASSERT_EQ(response.status, c.status) << described << response.body;
    if (c.status != 200) {
      EXPECT_EQ(ErrorCode(response), "invalid_argument") << described;
      EXPECT_TRUE(reports.queries.empty()) << described;
      continue;
    }
    ASSERT_EQ(reports.queries.size(), 1u);
    EXPECT_EQ(reports.queries[0].since, c.since) << described;
    EXPECT_EQ(reports.queries[0].limit, c.limit) << described;
    EXPECT_EQ(json::parse(response.body)["since"], FormatUtcTime(c.since)) << described;
  }
}

TEST(ReportHandlersTest, ForgetsOneGroupOrAll) {
  FakeReports reports;
  const HttpResponse one = HandleForgetUnanswered(
      {kToken, &reports}, AdminRequest("DELETE", {{"question", "what is the notice period"}}));
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(json::parse(one.body), json::parse(R"({"deleted": 4})"));
  ASSERT_EQ(HandleForgetUnanswered({kToken, &reports}, AdminRequest("DELETE")).status, 200);
  EXPECT_EQ(reports.forgotten, (std::vector<std::string>{"what is the notice period", ""}));
  EXPECT_EQ(
      HandleForgetUnanswered({kToken, &reports}, AdminRequest("DELETE", {{"question", ""}})).status,
      400);
}

TEST(ReportCodecTest, SerialisesTheSharedShape) {
  indexer::UnansweredReport report;
  report.total_groups = 2;
  indexer::UnansweredGroup g;
  g.question = "what is the notice period";
  g.asked_as = {"What is the notice perod?"};
  g.count = 3;
  g.abstained = 2;
  g.down_votes = 1;
  g.first_seen = 1796378400;  // 2026-12-04T10:00:00Z
  g.last_seen = 1796382133;
  g.top_passage = indexer::LoggedPassage{12, "003_x.txt", "Notice periods"};
  g.comments = {"It did not say how long"};
  report.groups.push_back(g);
  g.question = "who";
  g.top_passage.reset();
  g.comments.clear();
  report.groups.push_back(g);
  const json body = json::parse(SerializeUnansweredReport(report, 1793750400, 30));
  const json expected = json::parse(R"({
    "since": "2026-11-04T00:00:00Z", "retention_days": 30, "total_groups": 2,
    "groups": [
      {"question": "what is the notice period", "asked_as": ["What is the notice perod?"],
       "count": 3, "abstained": 2, "down_votes": 1, "up_votes": 0,
       "first_seen": "2026-12-04T10:00:00Z", "last_seen": "2026-12-04T11:02:13Z",
       "top_passage": {"passage_id": 12, "doc": "003_x.txt", "title": "Notice periods"},
       "comments": ["It did not say how long"]},
      {"question": "who", "asked_as": ["What is the notice perod?"],
       "count": 3, "abstained": 2, "down_votes": 1, "up_votes": 0,
       "first_seen": "2026-12-04T10:00:00Z", "last_seen": "2026-12-04T11:02:13Z",
       "top_passage": null, "comments": []}]})");
  EXPECT_EQ(body, expected);
  const std::string table = FormatUnansweredTable(report, 1793750400);
  EXPECT_NE(table.find("what is the notice period  [Notice periods]"), std::string::npos) << table;
  EXPECT_NE(table.find("2026-12-04T11:02:13Z"), std::string::npos) << table;
  EXPECT_NE(FormatUnansweredTable({}, 0).find("Nothing went unanswered"), std::string::npos);
}

TEST(ReportCodecTest, ReadsDatesAndTimes) {
  const struct {
    const char* text;
    std::optional<int64_t> expected;
  } cases[] = {
      {"1970-01-01", 0},
      {"2026-11-04", 1793750400},
      {"2026-11-04T00:00:01Z", 1793750401},
      {"2026-11-04t00:00:01.999z", 1793750401},
      {"2026-11-04T01:00:00+01:00", 1793750400},
      {"2026-11-03T23:00:00-01:00", 1793750400},
      {"2024-02-29", 1709164800},
      {"2023-02-29", std::nullopt},
      {"2026-13-01", std::nullopt},
      {"2026-11-04T10:00", std::nullopt},
      {"2026-11-04T10:00:00", std::nullopt},
      {"1969-12-31", std::nullopt},
      {"", std::nullopt},
      {"26-11-04", std::nullopt},
  };
  for (const auto& c : cases) {
    auto parsed = ParseReportTime(c.text);
    EXPECT_EQ(parsed.ok(), c.expected.has_value()) << c.text;
    if (parsed.ok() && c.expected.has_value()) {
      EXPECT_EQ(*parsed, *c.expected) << c.text;
    }
  }
  EXPECT_EQ(FormatUtcTime(1793786400), "2026-11-04T10:00:00Z");
}

TEST(ReportCliTest, ParsesReportSubcommands) {
  const struct {
    std::vector<std::string> args;
    bool ok;
    bool forget;
    std::optional<int64_t> since;
    int limit;
    bool json;
    std::string question;
  } cases[] = {
      {{"report", "unanswered", "--db", "i.db"}, true, false, std::nullopt, 100, false, ""},
      {{"report", "unanswered", "--db", "i.db", "--since", "2026-11-04", "--limit", "3", "--json"},
       true,
       false,
       1793750400,
       3,
       true,
       ""},
      {{"report", "forget", "--db", "i.db", "--question", "what is x"},
       true,
       true,
       std::nullopt,
       100,
       false,
       "what is x"},
      {{"report", "forget", "--db=i.db"}, true, true, std::nullopt, 100, false, ""},
      {{"report", "unanswered"}, false, false, std::nullopt, 0, false, ""},
      {{"report", "--db", "i.db"}, false, false, std::nullopt, 0, false, ""},
      {{"report", "everything", "--db", "i.db"}, false, false, std::nullopt, 0, false, ""},
      {{"report", "unanswered", "--db", "i.db", "--since", "soon"},
       false,
       false,
       std::nullopt,
       0,
       false,
       ""},
      {{"report", "unanswered", "--db", "i.db", "--limit", "0"},
       false,
       false,
       std::nullopt,
       0,
       false,
       ""},
      {{"report", "unanswered", "--db", "i.db", "--question", "x"},
       false,
       false,
       std::nullopt,
       0,
       false,
       ""},
      {{"report", "forget", "--db", "i.db", "--json"}, false, false, std::nullopt, 0, false, ""},
      {{"report", "forget", "--db", "i.db", "--question", ""},
       false,
       false,
       std::nullopt,
       0,
       false,
       ""},
  };
  for (const auto& c : cases) {
    std::string described;
    for (const auto& a : c.args) described += a + " ";
    auto command = ParseCommandLine(c.args);
    ASSERT_EQ(command.ok(), c.ok) << described << command.status().ToString();
    if (!c.ok) continue;
    EXPECT_EQ(command->subcommand, Subcommand::kReport) << described;
    const ReportArgs& r = command->report;
    EXPECT_EQ(r.db_path, "i.db") << described;
    EXPECT_EQ(r.forget, c.forget) << described;
    EXPECT_EQ(r.since, c.since) << described;
    EXPECT_EQ(r.limit, c.limit) << described;
    EXPECT_EQ(r.json, c.json) << described;
    EXPECT_EQ(r.question, c.question) << described;
  }
  auto serve = ParseCommandLine({"serve", "--db", "i.db", "--question-log-days", "0"});
  ASSERT_TRUE(serve.ok());
  EXPECT_EQ(serve->serve.question_log_days, 0);
  EXPECT_EQ(ParseCommandLine({"serve", "--db", "i.db"})->serve.question_log_days, 30);
  EXPECT_FALSE(ParseCommandLine({"serve", "--db", "i.db", "--question-log-days", "-1"}).ok());
}

}  // namespace
}  // namespace citeqa::server
