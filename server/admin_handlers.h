// The admin API as pure functions (request struct in, response out), like handlers.h:
// re-index the corpus folder, add or replace an article, delete one. Every endpoint needs
// `Authorization: Bearer <CITEQA_ADMIN_TOKEN>`:
//   - server started without a token: 403 for everyone (the admin API is off);
//   - no, malformed or wrong credentials: 401 with `WWW-Authenticate: Bearer` (always
//     401, never 403, so a caller cannot tell a wrong token from a missing one);
//   - authorised, but the server has no --corpus: 503 saying so.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "indexer/article_store.h"
#include "retriever/engine.h"
#include "server/article_claims.h"
#include "server/handlers.h"
#include "server/reindex_service.h"

namespace citeqa::server {

// The HTTP body limit of POST /api/articles: an article of kMaxArticleBytes may double in
// size as a JSON string. The article itself is then held to kMaxArticleBytes.
inline constexpr size_t kMaxArticleRequestBytes = 2 * indexer::kMaxArticleBytes + 64 * 1024;

// What the admin handlers share. The pointees outlive every request and are thread-safe.
struct AdminContext {
  std::string admin_token;            // empty: the admin API refuses every request (403)
  std::string corpus_dir;             // empty: no corpus folder (503)
  ReindexService* reindex = nullptr;  // required when corpus_dir is set
  retriever::Engine* engine = nullptr;
  size_t max_article_bytes = indexer::kMaxArticleBytes;
  // Files being uploaded or deleted now; shared by copies of the context.
  std::shared_ptr<ArticleClaims> claims = std::make_shared<ArticleClaims>();
};

// True when `given` equals `expected`, in time that does not depend on where they differ
// (both are hashed with SHA-256 and the digests compared with CRYPTO_memcmp), so the
// token cannot be guessed byte by byte. An empty `expected` matches nothing.
bool AdminTokenMatches(std::string_view expected, std::string_view given);

// nullopt when the request carries the admin token `admin_token`; else 403 when the server
// has no token (the admin routes are off) or 401. For admin routes that need no corpus
// folder (the unanswered-questions report).
std::optional<HttpResponse> RefuseUnlessAdminToken(std::string_view admin_token,
                                                   const HttpRequest& request);

// RefuseUnlessAdminToken, then 503 when the server has no corpus folder to change.
std::optional<HttpResponse> RefuseUnlessAdmin(const AdminContext& context,
                                              const HttpRequest& request);

// POST /api/reindex: re-scans the corpus folder (waiting for, or sharing, a run already
// going) and returns the summary (admin_codec.h). 503 when the index is busy or the
// folder is gone, 500 for other failures (the previous index keeps serving).
HttpResponse HandleReindex(const AdminContext& context, const HttpRequest& request);

// GET /api/reindex: the last run's summary; 404 before the first run.
HttpResponse HandleLastReindex(const AdminContext& context, const HttpRequest& request);

// POST /api/articles: one article (admin_codec.h for the encodings), written atomically
// into the corpus folder and indexed. 201 with the file name (the document id), title and
// passage count. 400 for a bad name, title or body (or an article the indexer skips: the
// file is then taken back), 409 when the file exists and "replace" is not true or another
// request is uploading or deleting the same file, 413 over
// max_article_bytes, 415 for another Content-Type. When indexing fails the corpus folder
// is put back as it was.
HttpResponse HandlePostArticle(const AdminContext& context, const HttpRequest& request);

// DELETE /api/articles/{file}: path_params[0] is the file name. Removes the file and
// re-indexes; 200 with the summary, 400 for a refused name, 404 when there is no such file,
// 409 while another request is uploading or deleting the same file.
HttpResponse HandleDeleteArticle(const AdminContext& context, const HttpRequest& request);

}  // namespace citeqa::server
