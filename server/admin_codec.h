// The wire format of the admin API (POST /api/articles, /api/reindex, DELETE
// /api/articles/{file}): parses article uploads (JSON, or a raw text body with query
// parameters) and serialises re-index summaries. Every nlohmann::json exception is caught
// here.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "indexer/reader.h"
#include "indexer/status.h"
#include "server/reindex_service.h"

namespace citeqa::server {

// One article as the client sent it; nothing is checked beyond the types.
struct ArticleUpload {
  std::string file;   // "" when absent: the name comes from the title
  std::string title;  // "" when absent (allowed for raw bodies only)
  indexer::DocumentFormat format = indexer::DocumentFormat::kPlainText;
  std::string content;
  bool replace = false;
};

// How a POST /api/articles body is encoded, from its Content-Type (parameters and case
// ignored): JSON (application/json, or no Content-Type), or a raw article (text/plain,
// text/html, text/markdown, text/x-markdown). nullopt for anything else (a 415).
struct ArticleEncoding {
  bool json = true;
  indexer::DocumentFormat raw_format = indexer::DocumentFormat::kPlainText;  // when !json
};
std::optional<ArticleEncoding> ArticleEncodingFor(std::string_view content_type);

// A JSON body: an object {"title": string, exactly one of "text" | "html" | "markdown":
// string, "file"?: string, "replace"?: bool}; null counts as absent, unknown fields are
// ignored. Errors: kInvalidArgument naming the problem (not JSON, an array or several
// articles, a missing title, no or several bodies, wrong types).
Result<ArticleUpload> ParseArticleJson(std::string_view body);

// A raw body in `format`, with the query parameters "file", "title" and "replace"
// ("true"/"false"/"1"/"0"), each at most once. Errors: kInvalidArgument for a repeated or
// malformed parameter, or when neither file nor title names the article.
Result<ArticleUpload> ParseRawArticle(indexer::DocumentFormat format, std::string body,
                                      const std::multimap<std::string, std::string>& query);

// {"run", "trigger", "shared", "added", "updated", "removed", "unchanged", "skipped",
// "passages", "messages": [..], "seconds"}
std::string SerializeReindexRun(const ReindexRun& run);

// {"id": file, "file", "title", "passages", "replaced", "reindex": <SerializeReindexRun>}
struct ArticleIndexed {
  std::string file;
  std::string title;
  int passages = 0;
  bool replaced = false;
};
std::string SerializeArticleIndexed(const ArticleIndexed& article, const ReindexRun& run);

// {"deleted": file, "reindex": <SerializeReindexRun>}
std::string SerializeArticleDeleted(std::string_view file, const ReindexRun& run);

}  // namespace citeqa::server
