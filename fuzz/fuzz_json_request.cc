// Fuzz target: server::ParseAskRequest on any body, and the response serialisers on any
// text. A parsed request must be within json_codec.h's limits; serialised output must be
// valid JSON (invalid UTF-8 replaced, never thrown) that holds the text it was given.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "indexer/text.h"
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  auto request = citeqa::server::ParseAskRequest(body);
  if (request.ok()) {
    FUZZ_CHECK(!request->question.empty(), "accepted an empty question");
    FUZZ_CHECK(request->question.size() <= citeqa::retriever::kMaxQuestionBytes,
               "accepted a question of %zu bytes", request->question.size());
    FUZZ_CHECK(request->top_k >= 1 && request->top_k <= 20, "accepted top_k %d", request->top_k);
    FUZZ_CHECK(request->conversation_id.size() <= citeqa::server::kMaxConversationIdBytes,
               "accepted a conversation_id of %zu bytes", request->conversation_id.size());
    FUZZ_CHECK(request->history.size() <= citeqa::server::kMaxHistoryEntries,
               "accepted %zu history entries", request->history.size());
    for (const std::string& h : request->history) {
      FUZZ_CHECK(!h.empty() && h.size() <= citeqa::retriever::kMaxQuestionBytes,
                 "accepted a history entry of %zu bytes", h.size());
    }
  }

  // Any bytes as answer and passage text: the output must still be JSON.
  const std::string text(body);
  citeqa::retriever::AskResponse response;
  response.answer = text;
  response.found = !text.empty();
  response.conversation_id = text.substr(0, 64);
  citeqa::retriever::Citation citation;
  citation.n = 1;
  citation.doc = text.substr(0, 16);
  citation.title = text;
  citation.passage = text;
  citation.highlights = {{0, static_cast<int>(text.size())}};
  response.citations.push_back(citation);
  const nlohmann::json json =
      ParseOrDie(citeqa::server::SerializeAskResponse(response), "ask response");
  FUZZ_CHECK(json.is_object() && json.contains("answer") && json["answer"].is_string(),
             "no answer string");
  if (citeqa::indexer::IsValidUtf8(text)) {
    FUZZ_CHECK(json["answer"].get<std::string>() == text, "valid UTF-8 answer text was changed");
  }
  ParseOrDie(citeqa::server::SerializeError(text, text), "error body");
  return 0;
}
