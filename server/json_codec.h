// The JSON wire format of the HTTP API and of `citeqa ask --json` / `eval --json`
// (CONTRACT.md): parses requests, serialises responses. Every nlohmann::json exception is
// caught here; invalid UTF-8 in output text is replaced, never thrown.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "indexer/status.h"
#include "retriever/engine.h"
#include "retriever/eval/eval.h"
#include "server/conversation_token.h"  // conversation_id limits, shared with votes

namespace citeqa::server {

inline constexpr size_t kMaxHistoryEntries = 20;

// Parses a POST /api/ask body: {"question": string, "conversation_id"?: string,
// "history"?: [string], "top_k"?: int}. Unknown fields are ignored; null counts as absent
// for the optional fields; empty history entries are dropped.
// Errors: kInvalidArgument with a message naming the field: body not JSON or not an
// object, question missing / not a string / empty / longer than kMaxQuestionBytes /
// containing control characters, conversation_id not a string or longer than
// MaxConversationIdBytes() (128 bytes, 4096 for a conversation token), history not an array of at most kMaxHistoryEntries strings of at
// most kMaxQuestionBytes each, top_k not an integer from 1 to 20.
Result<retriever::AskRequest> ParseAskRequest(std::string_view body);

// {"answer", "found", "citations": [{"n", "doc", "title", "passage_id", "passage", "score",
// "highlights": [[begin, end], ...]}], "conversation_id", "took_ms"}.
std::string SerializeAskResponse(const retriever::AskResponse& response);

// {"passage_id", "doc", "file", "title", "heading", "passage", "before": [..], "after": [..]}
// ("doc" and "file" both hold the file name: "doc" matches the citations).
std::string SerializePassageContext(const retriever::PassageContext& passage);

// {"documents": [{"id", "file", "title", "passages", "bytes", "indexed_at"}, ...]}
std::string SerializeDocuments(const std::vector<retriever::DocumentInfo>& documents);

// {"status": "ok", "documents": N, "passages": M}
std::string SerializeHealth(const retriever::IndexStats& stats);

// {"summary": {...}, "results": [{"id", "kind", "hit_rank", "answer_hit", "correct",
// "response": <the /api/ask body>}, ...]}
std::string SerializeEvalReport(const retriever::EvalReport& report);

// {"error": {"code": code, "message": message}}
std::string SerializeError(std::string_view code, std::string_view message);

}  // namespace citeqa::server
