// Fuzz target: server::ParseAskRequest on any body, and the response serialisers on any
// text. A parsed request must be within json_codec.h's limits; serialised output (the answer,
// its citations and the explanation) must be valid JSON (invalid UTF-8 replaced, never
// thrown, NaN written as null) that holds the text it was given.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "indexer/text.h"
#include "retriever/explanation.h"
#include "server/json_codec.h"

namespace {

nlohmann::json ParseOrDie(const std::string& text, const char* what) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    FUZZ_CHECK(false, "%s is not valid JSON (%s): %s", what, e.what(), text.c_str());
  }
  return {};
}

// An explanation with `text` in every text field and `score` in every number.
citeqa::retriever::Explanation ExplanationOf(const std::string& text, double score) {
  citeqa::retriever::ScoreExplanation model;
  model.score = score;
  model.bias = score;
  model.features.push_back({"fuzz_feature", score, score});
  citeqa::retriever::Explanation e;
  e.question.text = text;
  e.question.question_word = text;
  e.question.answer_type = text;
  e.question.corrections = {{text, text}};
  citeqa::retriever::ConceptExplanation concept_explanation;
  concept_explanation.label = text;
  concept_explanation.wordings = {text};
  concept_explanation.related = {text};
  concept_explanation.weight = score;
  e.question.concepts.push_back(concept_explanation);
  e.passages.push_back({1, 1, text, model});
  e.sentences.push_back({1, text, score, model});
  e.decision = {true, score, score, text, model};
  e.stages.analysis_ms = score;
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  auto request = citeqa::server::ParseAskRequest(body);
  if (request.ok()) {
    FUZZ_CHECK(!request->question.empty(), "accepted an empty question");
    FUZZ_CHECK(request->question.size() <= citeqa::retriever::kMaxQuestionBytes,
               "accepted a question of %zu bytes", request->question.size());
    FUZZ_CHECK(request->top_k >= 1 && request->top_k <= 20, "accepted top_k %d", request->top_k);
    FUZZ_CHECK(request->conversation_id.size() <=
                   citeqa::server::MaxConversationIdBytes(request->conversation_id),
               "accepted a conversation_id of %zu bytes", request->conversation_id.size());
    FUZZ_CHECK(request->history.size() <= citeqa::server::kMaxHistoryEntries,
               "accepted %zu history entries", request->history.size());
    for (const std::string& h : request->history) {
      FUZZ_CHECK(!h.empty() && h.size() <= citeqa::retriever::kMaxQuestionBytes,
                 "accepted a history entry of %zu bytes", h.size());
    }
  }

  // Any bytes as answer, passage text and explanation text, and any bits as scores
  // (NaN and infinities included): the output must still be JSON.
  const std::string text(body);
  double score = 0;
  std::memcpy(&score, data, std::min(size, sizeof score));
  citeqa::retriever::AskResponse response;
  response.answer = text;
  response.found = !text.empty();
  response.conversation_id = text.substr(0, 64);
  response.took_ms = score;
  citeqa::retriever::Citation citation;
  citation.n = 1;
  citation.cited = true;
  citation.doc = text.substr(0, 16);
  citation.title = text;
  citation.passage = text;
  citation.score = score;
  citation.quotes = {{0, static_cast<int>(text.size())}};
  citation.highlights = {{0, static_cast<int>(text.size())}};
  response.citations.push_back(citation);
  response.explanation = ExplanationOf(text, score);
  const std::string explained = citeqa::retriever::ExplanationText(*response.explanation);
  FUZZ_CHECK(!explained.empty(), "an empty explanation text");
  const nlohmann::json json =
      ParseOrDie(citeqa::server::SerializeAskResponse(response), "ask response");
  FUZZ_CHECK(json.is_object() && json.contains("answer") && json["answer"].is_string(),
             "no answer string");
  FUZZ_CHECK(json.contains("citations") && json["citations"].size() == 1 &&
                 json["citations"][0]["quotes"].size() == 1 &&
                 json["citations"][0]["cited"] == true,
             "the citation lost its quotes or cited flag");
  FUZZ_CHECK(json.contains("explanation") && json["explanation"].is_object() &&
                 json["explanation"]["question"]["concepts"].size() == 1 &&
                 json["explanation"]["passages"].size() == 1 &&
                 json["explanation"]["sentences"].size() == 1,
             "the explanation is missing or incomplete");
  if (citeqa::indexer::IsValidUtf8(text)) {
    FUZZ_CHECK(json["answer"].get<std::string>() == text, "valid UTF-8 answer text was changed");
    FUZZ_CHECK(json["explanation"]["question"]["text"].get<std::string>() == text &&
                   json["explanation"]["decision"]["reason"].get<std::string>() == text,
               "valid UTF-8 explanation text was changed");
  }
  ParseOrDie(citeqa::server::SerializeError(text, text), "error body");
  return 0;
}
