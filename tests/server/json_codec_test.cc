#include "server/json_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace citeqa::server {
namespace {

using nlohmann::json;

TEST(ParseAskRequestTest, AcceptsAFullRequest) {
  auto request = ParseAskRequest(
      R"({"question": "  Who owns the backlog?\n", "conversation_id": "abc-1",
          "history": ["first?", "", "  second?  "], "top_k": 3, "explain": true,
          "extra": {"ignored": true}})");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->question, "Who owns the backlog?");
  EXPECT_EQ(request->conversation_id, "abc-1");
  EXPECT_EQ(request->history, (std::vector<std::string>{"first?", "second?"}));
  EXPECT_EQ(request->top_k, 3);
  EXPECT_TRUE(request->explain);
}

TEST(ParseAskRequestTest, OptionalFieldsDefault) {
  const char* bodies[] = {
      R"({"question": "why?"})",
      R"({"question": "why?", "conversation_id": null, "history": null, "top_k": null})",
      R"({"question": "why?", "explain": null})",
      R"({"question": "why?", "explain": false})",
  };
  for (const char* body : bodies) {
    auto request = ParseAskRequest(body);
    ASSERT_TRUE(request.ok()) << body << ": " << request.status().ToString();
    EXPECT_EQ(request->question, "why?");
    EXPECT_EQ(request->conversation_id, "");
    EXPECT_TRUE(request->history.empty());
    EXPECT_EQ(request->top_k, 5);
    EXPECT_FALSE(request->explain);
  }
}

TEST(ParseAskRequestTest, KeepsUnicodeAndBoundaryValues) {
  const std::string at_limit(retriever::kMaxQuestionBytes, 'a');
  struct Case {
    std::string body;
    std::string question;
    int top_k;
  } cases[] = {
      {R"({"question": "caf\u00e9 \u2014 na\u00efve?", "top_k": 1})", "café — naïve?", 1},
      {R"({"question": "tab\tand newline\nkept", "top_k": 20})", "tab\tand newline\nkept", 20},
      {json{{"question", at_limit}}.dump(), at_limit, 5},
      {json{{"question", "  " + at_limit + "  "}}.dump(), at_limit, 5},
  };
  for (const Case& c : cases) {
    auto request = ParseAskRequest(c.body);
    ASSERT_TRUE(request.ok()) << c.body.substr(0, 80) << ": " << request.status().ToString();
    EXPECT_EQ(request->question, c.question);
    EXPECT_EQ(request->top_k, c.top_k);
  }
}

TEST(ParseAskRequestTest, RejectsInvalidRequestsNamingTheField) {
  const std::string too_long(retriever::kMaxQuestionBytes + 1, 'a');
  const std::string deep_nesting(60000, '[');
  struct Case {
    std::string body;
    std::string message_part;
  } cases[] = {
      {"", "not valid JSON"},
      {"{", "not valid JSON"},
      {"{\"question\": \"why?\"", "not valid JSON"},
      {"{'question': 'why?'}", "not valid JSON"},
      {"{\"question\": \"\xff\xfe\"}", "not valid JSON"},  // invalid UTF-8
      {"{\"question\": \"a\"} trailing", "not valid JSON"},
      {deep_nesting, "not valid JSON"},
      {"[]", "must be a JSON object"},
      {"\"why?\"", "must be a JSON object"},
      {"null", "must be a JSON object"},
      {"{}", "field 'question' is required"},
      {R"({"question": null})", "field 'question' is required"},
      {R"({"question": 42})", "field 'question' must be a string"},
      {R"({"question": ["why?"]})", "field 'question' must be a string"},
      {R"({"question": {"text": "why?"}})", "field 'question' must be a string"},
      {R"({"question": true})", "field 'question' must be a string"},
      {R"({"question": ""})", "field 'question' must not be empty"},
      {R"({"question": " \t\n "})", "field 'question' must not be empty"},
      {json{{"question", too_long}}.dump(), "field 'question' is longer than 2000 bytes"},
      {R"({"question": "nul\u0000byte"})", "field 'question' must not contain control"},
      {R"({"question": "bell\u0007"})", "field 'question' must not contain control"},
      {R"({"question": "del\u007f"})", "field 'question' must not contain control"},
      {R"({"question": "q", "conversation_id": 5})", "field 'conversation_id' must be a string"},
      {json{{"question", "q"}, {"conversation_id", std::string(129, 'c')}}.dump(),
       "field 'conversation_id' must be at most 128 bytes"},
      {R"({"question": "q", "conversation_id": "a\nb"})",
       "field 'conversation_id' must not contain control"},
      {R"({"question": "q", "history": "earlier"})", "field 'history' must be an array"},
      {R"({"question": "q", "history": {"0": "a"}})", "field 'history' must be an array"},
      {R"({"question": "q", "history": ["ok", 3]})", "field 'history[1]' must be a string"},
      {json{{"question", "q"}, {"history", std::vector<std::string>(21, "a")}}.dump(),
       "field 'history' must have at most 20 entries"},
      {json{{"question", "q"}, {"history", {"a", too_long}}}.dump(),
       "field 'history[1]' is longer than 2000 bytes"},
      {R"({"question": "q", "top_k": "5"})", "field 'top_k' must be an integer from 1 to 20"},
      {R"({"question": "q", "top_k": 5.0})", "field 'top_k' must be an integer"},
      {R"({"question": "q", "top_k": 2.5})", "field 'top_k' must be an integer"},
      {R"({"question": "q", "top_k": true})", "field 'top_k' must be an integer"},
      {R"({"question": "q", "top_k": 0})", "field 'top_k' must be an integer from 1 to 20"},
      {R"({"question": "q", "top_k": -3})", "field 'top_k' must be an integer from 1 to 20"},
      {R"({"question": "q", "top_k": 21})", "field 'top_k' must be an integer from 1 to 20"},
      {R"({"question": "q", "top_k": 18446744073709551615})", "field 'top_k' must be an integer"},
      {R"({"question": "q", "top_k": 1e30})", "field 'top_k' must be an integer"},
      {R"({"question": "q", "explain": "yes"})", "field 'explain' must be true or false"},
      {R"({"question": "q", "explain": 1})", "field 'explain' must be true or false"},
      {R"({"question": "q", "explain": [true]})", "field 'explain' must be true or false"},
      {R"({"question": "q", "explain": {}})", "field 'explain' must be true or false"},
  };
  for (const Case& c : cases) {
    auto request = ParseAskRequest(c.body);
    ASSERT_FALSE(request.ok()) << c.body.substr(0, 80);
    EXPECT_EQ(request.status().code(), StatusCode::kInvalidArgument) << c.body.substr(0, 80);
    EXPECT_NE(request.status().message().find(c.message_part), std::string::npos)
        << c.body.substr(0, 80) << " gave: " << request.status().message();
  }
}

retriever::AskResponse SampleResponse() {
  retriever::AskResponse response;
  response.answer = "The owner manages the backlog [1].";
  response.found = true;
  response.conversation_id = "conv-9";
  response.took_ms = 0.4123456;
  retriever::Citation c;
  c.n = 1;
  c.cited = true;
  c.doc = "001_a.txt";
  c.title = "Owners";
  c.passage_id = 12;
  c.passage = "The owner manages the backlog.";
  c.score = 7.31;
  c.quotes = {{0, 30}};
  c.highlights = {{4, 9}, {22, 29}};
  response.citations.push_back(c);
  retriever::Citation related;
  related.n = 2;
  related.doc = "002_b.txt";
  related.title = "Managers";
  related.passage_id = 40;
  related.passage = "Managers own the roadmap.";
  related.score = 5.2;
  related.highlights = {{0, 8}};
  response.citations.push_back(related);
  return response;
}

TEST(SerializeTest, AskResponseHasTheContractShape) {
  const std::string text = SerializeAskResponse(SampleResponse());
  const json body = json::parse(text);
  const json expected = R"({
    "answer": "The owner manages the backlog [1].",
    "found": true,
    "citations": [{"n": 1, "cited": true, "doc": "001_a.txt", "title": "Owners", "passage_id": 12,
                   "passage": "The owner manages the backlog.", "score": 7.31,
                   "quotes": [[0, 30]], "highlights": [[4, 9], [22, 29]]},
                  {"n": 2, "cited": false, "doc": "002_b.txt", "title": "Managers",
                   "passage_id": 40, "passage": "Managers own the roadmap.", "score": 5.2,
                   "quotes": [], "highlights": [[0, 8]]}],
    "conversation_id": "conv-9",
    "took_ms": 0.412
  })"_json;
  EXPECT_EQ(body, expected) << body.dump(2);
  EXPECT_FALSE(body.contains("explanation")) << "only when asked";
  // The contract's order of keys, as a reader of the raw text sees it.
  const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(text);
  std::vector<std::string> keys;
  for (const auto& item : ordered.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"answer", "found", "citations", "conversation_id",
                                            "took_ms"}));
  keys.clear();
  for (const auto& item : ordered["citations"][0].items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"n", "cited", "doc", "title", "passage_id", "passage",
                                            "score", "quotes", "highlights"}));
}

retriever::Explanation SampleExplanation() {
  retriever::Explanation e;
  e.question.text = "Who earns more?";
  e.question.question_word = "who";
  e.question.answer_type = "amount";
  e.question.compares = true;
  e.question.corrections = {{"earnz", "earns"}};
  e.question.concepts = {{"earns", {"earns", "salary"}, {"wage"}, 1.5, 12, false, false, true}};
  retriever::PassageExplanation p;
  p.rank = 1;
  p.passage_id = 12;
  p.doc = "001_a.txt";
  p.score = {2.0, 0.5, {{"coverage", 0.75, 1.25}, {"words_log", 3.0, 0.25}}};
  e.passages.push_back(p);
  retriever::SentenceExplanation s;
  s.passage_id = 12;
  s.text = "The owner manages the backlog.";
  s.probability = 0.5;
  s.score = {0.0, -0.5, {{"coverage", 1.0, 0.5}}};
  e.sentences.push_back(s);
  e.decision = {true, 0.75, 0.35, "", {1.0986, 0.1, {{"unknown_share", 0.0, 0.9986}}}};
  e.stages = {0.1, 0.2, 0.3, 0.4, 0.5};
  return e;
}

TEST(SerializeTest, AnExplanationWhenAskedFor) {
  retriever::AskResponse response = SampleResponse();
  response.explanation = SampleExplanation();
  const json body = json::parse(SerializeAskResponse(response));
  ASSERT_TRUE(body.contains("explanation"));
  const json expected = R"({
    "question": {"text": "Who earns more?", "question_word": "who", "answer_type": "amount",
                 "compares": true, "corrections": [{"typed": "earnz", "corrected": "earns"}],
                 "concepts": [{"label": "earns", "wordings": ["earns", "salary"],
                               "related": ["wage"], "weight": 1.5, "passages": 12,
                               "carried": false, "name": false, "verb": true}]},
    "passages": [{"rank": 1, "passage_id": 12, "doc": "001_a.txt",
                  "model": {"score": 2.0, "bias": 0.5,
                            "features": [{"name": "coverage", "value": 0.75, "contribution": 1.25},
                                         {"name": "words_log", "value": 3.0,
                                          "contribution": 0.25}]}}],
    "sentences": [{"passage_id": 12, "text": "The owner manages the backlog.", "probability": 0.5,
                   "model": {"score": 0.0, "bias": -0.5,
                             "features": [{"name": "coverage", "value": 1.0,
                                           "contribution": 0.5}]}}],
    "decision": {"found": true, "probability": 0.75, "threshold": 0.35, "reason": "",
                 "model": {"score": 1.0986, "bias": 0.1,
                           "features": [{"name": "unknown_share", "value": 0.0,
                                         "contribution": 0.9986}]}},
    "stage_ms": {"analysis": 0.1, "retrieval": 0.2, "scoring": 0.3, "decision": 0.4,
                 "composition": 0.5}
  })"_json;
  EXPECT_EQ(body["explanation"], expected) << body["explanation"].dump(2);
  // The rest of the body is what it is without the explanation.
  json without = body;
  without.erase("explanation");
  EXPECT_EQ(without, json::parse(SerializeAskResponse(SampleResponse())));
}

TEST(SerializeTest, AnExplanationWithInvalidUtf8StaysJson) {
  retriever::AskResponse response = SampleResponse();
  retriever::Explanation e = SampleExplanation();
  e.question.text = "bad \xff question";
  e.sentences[0].text = "cut \xe2\x82";
  e.decision.reason = "why \xc3";
  response.explanation = e;
  const json body = json::parse(SerializeAskResponse(response));
  EXPECT_EQ(body["explanation"]["question"]["text"], "bad \xef\xbf\xbd question");
  EXPECT_EQ(body["explanation"]["sentences"][0]["text"].get<std::string>().rfind("cut ", 0), 0u);
}

TEST(SerializeTest, AbstentionHasEmptyCitations) {
  retriever::AskResponse response;
  response.answer = "The articles do not say.";
  const json body = json::parse(SerializeAskResponse(response));
  EXPECT_EQ(body["found"], false);
  EXPECT_TRUE(body["citations"].is_array());
  EXPECT_TRUE(body["citations"].empty());
}

TEST(SerializeTest, InvalidUtf8IsReplacedNotThrown) {
  retriever::AskResponse response = SampleResponse();
  response.answer = "bad \xff\xfe bytes";
  response.citations[0].passage = "cut \xe2\x82";  // truncated 3-byte sequence
  const std::string text = SerializeAskResponse(response);
  const json body = json::parse(text);  // must be valid JSON (and so valid UTF-8)
  EXPECT_EQ(body["answer"], "bad \xef\xbf\xbd\xef\xbf\xbd bytes");
  EXPECT_EQ(body["citations"][0]["passage"].get<std::string>().rfind("cut ", 0), 0u);
}

// The body /api/ask sent when it was built as an nlohmann tree: SerializeAskResponse must
// give these very bytes (clients and caches may compare bodies).
std::string TreeSerializedAskResponse(const retriever::AskResponse& response,
                                      const std::string& explanation_json) {
  using Ordered = nlohmann::ordered_json;
  const auto ranges = [](const std::vector<std::pair<int, int>>& list) {
    Ordered out = Ordered::array();
    for (const auto& [begin, end] : list) out.push_back({begin, end});
    return out;
  };
  Ordered citations = Ordered::array();
  for (const retriever::Citation& c : response.citations) {
    citations.push_back({{"n", c.n},
                         {"cited", c.cited},
                         {"doc", c.doc},
                         {"title", c.title},
                         {"passage_id", c.passage_id},
                         {"passage", c.passage},
                         {"score", c.score},
                         {"quotes", ranges(c.quotes)},
                         {"highlights", ranges(c.highlights)}});
  }
  Ordered out = {{"answer", response.answer},
                 {"found", response.found},
                 {"citations", std::move(citations)},
                 {"conversation_id", response.conversation_id},
                 {"took_ms", std::round(response.took_ms * 1000.0) / 1000.0}};
  if (!explanation_json.empty()) out["explanation"] = Ordered::parse(explanation_json);
  return out.dump(-1, ' ', false, Ordered::error_handler_t::replace);
}

TEST(SerializeTest, AskResponseBytesAreThoseOfTheJsonTree) {
  struct Case {
    std::string name;
    retriever::AskResponse response;
  };
  std::vector<Case> cases;
  cases.push_back({"sample", SampleResponse()});
  {
    retriever::AskResponse r;
    r.answer = "The articles do not say.";
    r.conversation_id = "0123456789abcdef0123456789abcdef";
    r.took_ms = 12.3456789;
    cases.push_back({"abstention", r});
  }
  {
    retriever::AskResponse r = SampleResponse();
    r.answer = "Quotes \"here\", a tab\t, a newline\n, caf\xc3\xa9 \xe2\x82\xac [1].";
    r.citations[0].title = "Control \x01 and DEL \x7f";
    r.citations[0].passage = "bad \xff bytes and a cut \xe2\x82";
    r.citations[0].score = -0.0;
    r.citations[1].score = std::nan("");
    r.citations[1].passage_id = std::numeric_limits<int64_t>::max();
    r.citations[1].quotes = {{0, 1}, {2, 3}, {4, 5}};
    r.citations[1].highlights = {
        {std::numeric_limits<int>::min(), std::numeric_limits<int>::max()}};
    r.took_ms = 1e-9;
    cases.push_back({"escapes, bad bytes and odd numbers", r});
  }
  {
    retriever::AskResponse r = SampleResponse();
    for (int i = 3; i <= 20; ++i) {
      retriever::Citation c = r.citations[1];
      c.n = i;
      c.score = 1.0 / i;
      c.highlights = {{i, i + 3}};
      r.citations.push_back(c);
    }
    r.took_ms = 1234567.0;
    cases.push_back({"twenty citations", r});
  }
  for (const Case& c : cases) {
    EXPECT_EQ(SerializeAskResponse(c.response), TreeSerializedAskResponse(c.response, ""))
        << c.name;
  }
  retriever::AskResponse explained = SampleResponse();
  explained.explanation = SampleExplanation();
  const std::string text = SerializeAskResponse(explained);
  const std::string explanation =
      nlohmann::ordered_json::parse(text)["explanation"].dump(-1, ' ', false);
  EXPECT_EQ(text, TreeSerializedAskResponse(explained, explanation));
  EXPECT_NE(text.find(",\"explanation\":{\"question\":"), std::string::npos) << text;
}

TEST(SerializeTest, PassageContext) {
  retriever::PassageContext passage;
  passage.passage_id = 5;
  passage.doc = "a.txt";
  passage.title = "A";
  passage.heading = "Intro";
  passage.passage = "middle";
  passage.before = {"one", "two"};
  passage.after = {"four"};
  const json body = json::parse(SerializePassageContext(passage));
  EXPECT_EQ(body, R"({"passage_id": 5, "doc": "a.txt", "file": "a.txt", "title": "A",
                      "heading": "Intro", "passage": "middle", "before": ["one", "two"],
                      "after": ["four"]})"_json);
}

TEST(SerializeTest, DocumentsHealthAndError) {
  const json documents =
      json::parse(SerializeDocuments({{3, "c.md", "C", 4, 99, "2024-05-06T07:08:09Z"}}));
  EXPECT_EQ(documents, R"({"documents": [{"id": 3, "file": "c.md", "title": "C", "passages": 4,
                           "bytes": 99, "indexed_at": "2024-05-06T07:08:09Z"}]})"_json);
  EXPECT_EQ(json::parse(SerializeDocuments({})), R"({"documents": []})"_json);
  EXPECT_EQ(json::parse(SerializeHealth({5, 63, 4})),
            R"({"status": "ok", "documents": 5, "passages": 63, "generation": 4})"_json);
  EXPECT_EQ(json::parse(SerializeError("not_found", "no \"passage\" 9")),
            R"({"error": {"code": "not_found", "message": "no \"passage\" 9"}})"_json);
}

TEST(SerializeTest, EvalReport) {
  retriever::EvalReport report;
  report.summary.overall.answerable = 2;
  report.summary.overall.hit_at_1 = 0.5;
  report.summary.by_kind["lookup"].answerable = 2;
  report.summary.by_kind["lookup"].mrr_at_5 = 0.75;
  report.summary.negatives = 1;
  report.summary.abstention_rate = 1.0;
  report.summary.latency_p50_ms = 1.23456;
  report.summary.questions = 3;
  report.summary.false_abstention_share = 0.25;
  report.summary.accuracy = 2.0 / 3;
  report.summary.mixed_share = 0.125;
  report.summary.answer_sentences = 8;
  retriever::EvalResult result;
  result.id = "q1";
  result.kind = "lookup";
  result.response = SampleResponse();
  result.hit_rank = 1;
  result.correct = true;
  report.results.push_back(result);

  const json body = json::parse(SerializeEvalReport(report));
  EXPECT_EQ(body["summary"]["answerable"], 2);
  EXPECT_EQ(body["summary"]["hit_at_1"], 0.5);
  EXPECT_EQ(body["summary"]["by_kind"]["lookup"]["mrr_at_5"], 0.75);
  EXPECT_EQ(body["summary"]["negatives"], 1);
  EXPECT_EQ(body["summary"]["abstention_rate"], 1.0);
  EXPECT_EQ(body["summary"]["latency_p50_ms"], 1.235);
  EXPECT_EQ(body["summary"]["questions"], 3);
  EXPECT_EQ(body["summary"]["false_abstention_share"], 0.25);
  EXPECT_DOUBLE_EQ(body["summary"]["accuracy"].get<double>(), 2.0 / 3);
  EXPECT_EQ(body["summary"]["mixed_share"], 0.125);
  EXPECT_EQ(body["summary"]["answer_sentences"], 8);
  ASSERT_EQ(body["results"].size(), 1u);
  EXPECT_EQ(body["results"][0]["id"], "q1");
  EXPECT_EQ(body["results"][0]["kind"], "lookup");
  EXPECT_EQ(body["results"][0]["hit_rank"], 1);
  EXPECT_EQ(body["results"][0]["correct"], true);
  // The response is exactly the /api/ask body.
  EXPECT_EQ(body["results"][0]["response"], json::parse(SerializeAskResponse(SampleResponse())));
}

}  // namespace
}  // namespace citeqa::server
