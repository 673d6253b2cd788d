#include "server/handlers.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/server/fake_engine.h"

namespace citeqa::server {
namespace {

using nlohmann::json;

class HandlersTest : public ::testing::Test {
 protected:
  HandlersTest() {
    context_.engine = &engine_;
    context_.metrics = &metrics_;
  }

  static HttpRequest Post(std::string body, std::string content_type = "application/json") {
    HttpRequest request;
    request.method = "POST";
    request.path = "/api/ask";
    if (!content_type.empty()) request.headers["content-type"] = {std::move(content_type)};
    request.body = std::move(body);
    return request;
  }

  static HttpRequest GetPassage(std::string id) {
    HttpRequest request;
    request.method = "GET";
    request.path = "/api/passages/" + id;
    request.path_params = {std::move(id)};
    return request;
  }

  static json ErrorOf(const HttpResponse& response) {
    const json body = json::parse(response.body);
    EXPECT_TRUE(body.contains("error")) << response.body;
    return body["error"];
  }

  testing::FakeEngine engine_;
  ServerMetrics metrics_;
  HandlerContext context_;
};

TEST_F(HandlersTest, AskAnswers) {
  const HttpResponse response =
      HandleAsk(context_, Post(R"({"question": "Who owns the backlog?", "conversation_id": "k",
                         "history": ["earlier?"], "top_k": 2})"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, "application/json");
  const json body = json::parse(response.body);
  EXPECT_EQ(body["found"], true);
  EXPECT_EQ(body["answer"], "The product owner manages the backlog [1].");
  EXPECT_EQ(body["citations"][0]["passage_id"], 7);
  EXPECT_EQ(body["citations"][0]["highlights"], json::parse("[[30, 37]]"));
  EXPECT_EQ(body["conversation_id"], "k");

  const auto requests = engine_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].question, "Who owns the backlog?");
  EXPECT_EQ(requests[0].history, std::vector<std::string>{"earlier?"});
  EXPECT_EQ(requests[0].conversation_id, "k");
  EXPECT_EQ(requests[0].top_k, 2);
  EXPECT_FALSE(requests[0].explain);
  EXPECT_FALSE(body.contains("explanation"));
  EXPECT_EQ(body["citations"][0]["cited"], true);
  EXPECT_EQ(body["citations"][0]["quotes"], json::parse("[[0, 38]]"));
  EXPECT_EQ(metrics_.QuestionCount(true), 1);
  EXPECT_EQ(metrics_.QuestionCount(false), 0);
}

TEST_F(HandlersTest, AskExplainsWhenAsked) {
  const HttpResponse response =
      HandleAsk(context_, Post(R"({"question": "Who owns the backlog?", "explain": true})"));
  ASSERT_EQ(response.status, 200) << response.body;
  const json body = json::parse(response.body);
  ASSERT_TRUE(body.contains("explanation")) << response.body;
  EXPECT_EQ(body["explanation"]["question"]["text"], "Who owns the backlog?");
  EXPECT_EQ(body["explanation"]["decision"]["probability"], 0.9);
  const auto requests = engine_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_TRUE(requests[0].explain);
}

TEST_F(HandlersTest, AskAbstentionIsCounted) {
  const HttpResponse response = HandleAsk(context_, Post(R"({"question": "Who won in 1966?"})"));
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(json::parse(response.body)["found"], false);
  EXPECT_EQ(metrics_.QuestionCount(false), 1);
  EXPECT_EQ(metrics_.QuestionCount(true), 0);
}

TEST_F(HandlersTest, AskAcceptsJsonContentTypeVariants) {
  for (const char* type : {"application/json", "application/json; charset=utf-8",
                           "Application/JSON;charset=UTF-8", " application/json ", ""}) {
    const HttpResponse response = HandleAsk(context_, Post(R"({"question": "backlog?"})", type));
    EXPECT_EQ(response.status, 200) << "'" << type << "': " << response.body;
  }
}

TEST_F(HandlersTest, AskRejectsBadInputWithoutReachingTheEngine) {
  const std::string huge_question = json{{"question", std::string(10000, 'x')}}.dump();
  struct Case {
    std::string body;
    std::string content_type;
    int status;
    std::string code;
    std::string message_part;
  } cases[] = {
      {"{not json", "application/json", 400, "invalid_argument", "not valid JSON"},
      {"", "application/json", 400, "invalid_argument", "not valid JSON"},
      {"[1, 2]", "application/json", 400, "invalid_argument", "JSON object"},
      {"{}", "application/json", 400, "invalid_argument", "'question' is required"},
      {R"({"question": 12})", "application/json", 400, "invalid_argument", "must be a string"},
      {R"({"question": ""})", "application/json", 400, "invalid_argument", "must not be empty"},
      {R"({"question": "   "})", "application/json", 400, "invalid_argument", "must not be empty"},
      {huge_question, "application/json", 400, "invalid_argument", "longer than 2000 bytes"},
      {R"({"question": "a\u0000b"})", "application/json", 400, "invalid_argument", "control"},
      {R"({"question": "\u001b[31mred"})", "application/json", 400, "invalid_argument", "control"},
      {R"({"question": "q", "top_k": 99})", "application/json", 400, "invalid_argument", "top_k"},
      {R"({"question": "q", "history": [1]})", "application/json", 400, "invalid_argument",
       "history[0]"},
      {R"({"question": "q", "explain": "yes"})", "application/json", 400, "invalid_argument",
       "'explain'"},
      {R"({"question": "q"})", "text/plain", 415, "unsupported_media_type", "application/json"},
      {R"({"question": "q"})", "application/x-www-form-urlencoded", 415, "unsupported_media_type",
       "application/json"},
      {R"({"question": "q"})", "application/jsonp", 415, "unsupported_media_type", ""},
      {std::string(kMaxRequestBodyBytes + 1, ' '), "application/json", 413, "payload_too_large",
       "65536"},
  };
  for (const Case& c : cases) {
    const HttpResponse response = HandleAsk(context_, Post(c.body, c.content_type));
    const std::string label = c.body.substr(0, 40) + " / " + c.content_type;
    EXPECT_EQ(response.status, c.status) << label << ": " << response.body;
    EXPECT_EQ(response.content_type, "application/json") << label;
    const json error = ErrorOf(response);
    EXPECT_EQ(error["code"], c.code) << label;
    EXPECT_NE(error["message"].get<std::string>().find(c.message_part), std::string::npos)
        << label << ": " << error["message"];
  }
  EXPECT_TRUE(engine_.requests().empty());
  EXPECT_EQ(metrics_.QuestionCount(true) + metrics_.QuestionCount(false), 0);
}

TEST_F(HandlersTest, EngineErrorsMapToHttpStatuses) {
  struct Case {
    Status status;
    int http_status;
    std::string code;
    std::string message;  // what the client sees
    bool logged;
  } cases[] = {
      {Status::InvalidArgument("question has no words"), 400, "invalid_argument",
       "question has no words", false},
      {Status::NotFound("gone"), 404, "not_found", "gone", false},
      {Status::ResourceExhausted("too many conversations"), 413, "resource_exhausted",
       "too many conversations", false},
      {Status::Unauthenticated("who?"), 401, "unauthenticated", "who?", false},
      {Status::Unavailable("reindexing"), 503, "unavailable", "reindexing", false},
      {Status::AlreadyExists("dup"), 409, "already_exists", "dup", false},
      {Status::IoError("disk /var/x failed"), 500, "internal", "internal server error", true},
      {Status::Corruption("bad page"), 500, "internal", "internal server error", true},
  };
  for (const Case& c : cases) {
    testing::FakeEngine engine;
    engine.FailWith(c.status);
    HandlerContext context = context_;
    context.engine = &engine;
    const HttpResponse response = HandleAsk(context, Post(R"({"question": "backlog?"})"));
    EXPECT_EQ(response.status, c.http_status) << c.status.ToString();
    const json error = ErrorOf(response);
    EXPECT_EQ(error["code"], c.code) << c.status.ToString();
    EXPECT_EQ(error["message"], c.message) << c.status.ToString();
    // Server faults are logged, not shown: the client never sees internal details.
    EXPECT_EQ(response.log_note.empty(), !c.logged) << c.status.ToString();
    if (c.logged) {
      EXPECT_NE(response.log_note.find(c.status.message()), std::string::npos);
    }
  }
}

TEST_F(HandlersTest, GetPassage) {
  const HttpResponse response = HandleGetPassage(context_, GetPassage("7"));
  ASSERT_EQ(response.status, 200) << response.body;
  const json body = json::parse(response.body);
  EXPECT_EQ(body["passage_id"], 7);
  EXPECT_EQ(body["title"], "Product Owner vs. Product Manager");
  EXPECT_EQ(body["file"], "001_owner.txt");
  EXPECT_EQ(body["heading"], "Roles");
  EXPECT_EQ(body["passage"], "The product owner manages the backlog.");
  EXPECT_EQ(body["before"], json::parse(R"(["An earlier passage."])"));
  EXPECT_EQ(body["after"].size(), 2u);
  EXPECT_EQ(engine_.last_context(), context_.passage_context);
}

TEST_F(HandlersTest, GetPassageRejectsBadIds) {
  struct Case {
    std::string id;
    int status;
  } cases[] = {
      {"8", 404},
      {"123456789", 404},
      {"9223372036854775807", 404},
      {"0", 400},
      {"-1", 400},
      {"+7", 400},
      {"7.0", 400},
      {" 7", 400},
      {"7 ", 400},
      {"0x7", 400},
      {"abc", 400},
      {"", 400},
      {"9223372036854775808", 400},
      {"99999999999999999999999", 400},
      {std::string("7\0", 2), 400},
  };
  for (const Case& c : cases) {
    const HttpResponse response = HandleGetPassage(context_, GetPassage(c.id));
    EXPECT_EQ(response.status, c.status) << "'" << c.id << "': " << response.body;
    EXPECT_EQ(ErrorOf(response)["code"], c.status == 404 ? "not_found" : "invalid_argument");
  }
  HttpRequest no_params;
  EXPECT_EQ(HandleGetPassage(context_, no_params).status, 400);
}

TEST_F(HandlersTest, ListDocuments) {
  const HttpResponse response = HandleListDocuments(context_, HttpRequest());
  ASSERT_EQ(response.status, 200);
  const json body = json::parse(response.body);
  ASSERT_EQ(body["documents"].size(), 1u);
  EXPECT_EQ(body["documents"][0]["file"], "001_owner.txt");
  EXPECT_EQ(body["documents"][0]["passages"], 3);
}

TEST_F(HandlersTest, HealthReportsIndexSize) {
  const HttpResponse ok = HandleHealth(context_, HttpRequest());
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(json::parse(ok.body),
            R"({"status": "ok", "documents": 1, "passages": 3, "generation": 7})"_json);

  engine_.FailWith(Status::IoError("sqlite step: disk I/O error"));
  const HttpResponse down = HandleHealth(context_, HttpRequest());
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(ErrorOf(down)["code"], "unavailable");
  EXPECT_NE(down.log_note.find("disk I/O error"), std::string::npos);
  EXPECT_EQ(down.body.find("disk I/O error"), std::string::npos);
}

TEST_F(HandlersTest, HealthSaysWhyTheIndexIsUnavailable) {
  engine_.FailWith(Status::Unavailable("the index file is gone (deleted or moved away)"));
  const HttpResponse down = HandleHealth(context_, HttpRequest());
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(ErrorOf(down)["code"], "unavailable");
  EXPECT_EQ(ErrorOf(down)["message"], "the index file is gone (deleted or moved away)");
}

TEST_F(HandlersTest, MetricsArePrometheusText) {
  metrics_.RecordRequest("/api/ask", 200, 0.003);
  const HttpResponse response = HandleMetrics(context_, HttpRequest());
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(response.body.find("citeqa_http_requests_total{route=\"/api/ask\",status=\"200\"} 1\n"),
            std::string::npos)
      << response.body;
  EXPECT_NE(response.body.find("citeqa_index_documents 1\n"), std::string::npos);
  EXPECT_NE(response.body.find("citeqa_index_passages 3\n"), std::string::npos);

  engine_.FailWith(Status::IoError("locked"));
  const HttpResponse without_index = HandleMetrics(context_, HttpRequest());
  EXPECT_EQ(without_index.status, 200);
  EXPECT_EQ(without_index.body.find("citeqa_index_documents"), std::string::npos);
}

TEST(HttpStatusTest, EveryStatusCodeHasAMapping) {
  struct Case {
    StatusCode code;
    int status;
  } cases[] = {
      {StatusCode::kOk, 200},
      {StatusCode::kInvalidArgument, 400},
      {StatusCode::kUnauthenticated, 401},
      {StatusCode::kNotFound, 404},
      {StatusCode::kAlreadyExists, 409},
      {StatusCode::kResourceExhausted, 413},
      {StatusCode::kUnavailable, 503},
      {StatusCode::kIoError, 500},
      {StatusCode::kCorruption, 500},
  };
  for (const Case& c : cases) EXPECT_EQ(HttpStatusFor(c.code), c.status) << StatusCodeName(c.code);
}

TEST(ContentTypeTest, JsonDetection) {
  struct Case {
    std::string type;
    bool json;
  } cases[] = {
      {"application/json", true},
      {"application/json;charset=utf-8", true},
      {"APPLICATION/JSON", true},
      {"", true},
      {"text/json", false},
      {"application/json-patch+json", false},
      {"multipart/form-data; b=1", false},
      {"application/x-www-form-urlencoded", false},
  };
  for (const Case& c : cases) EXPECT_EQ(IsJsonContentType(c.type), c.json) << c.type;
}

}  // namespace
}  // namespace citeqa::server
