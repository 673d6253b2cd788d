#include "server/admin_handlers.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

#include "server/admin_codec.h"

namespace citeqa::server {
namespace {

// The largest existing file kept in memory to put it back if an upload or delete fails.
constexpr size_t kMaxBackupBytes = 64 * 1024 * 1024;

using Digest = std::array<unsigned char, 32>;

bool Sha256(std::string_view bytes, Digest* digest) {
  unsigned int size = 0;
  return EVP_Digest(bytes.data(), bytes.size(), digest->data(), &size, EVP_sha256(), nullptr) ==
             1 &&
         size == digest->size();
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The token of "Bearer <token>" (scheme in any case), or "" when the value is not one.
std::string_view BearerToken(std::string_view authorization) {
  authorization = TrimSpaces(authorization);
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size()) return "";
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return "";
  }
  const char separator = authorization[kScheme.size()];
  if (separator != ' ' && separator != '\t') return "";
  return TrimSpaces(authorization.substr(kScheme.size()));
}

HttpResponse JsonResponse(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

// The file system failed while writing or reading back an article.
HttpResponse StoreErrorResponse(const Status& status) {
  if (status.code() == StatusCode::kResourceExhausted) {
    HttpResponse response =
        ErrorResponse(507, "insufficient_storage", "the corpus folder's disk is full");
    response.log_note = status.ToString();
    return response;
  }
  return StatusErrorResponse(status);
}

HttpResponse ReindexErrorResponse(const Status& status) {
  HttpResponse response;
  if (status.code() == StatusCode::kNotFound) {
    response =
        ErrorResponse(503, "unavailable", "the corpus folder is missing: " + status.message());
  } else if (status.code() == StatusCode::kUnavailable) {
    response = ErrorResponse(503, "unavailable",
                             "the index is busy (another indexer is writing it); try again");
  } else {
    response = StatusErrorResponse(status);
  }
  response.log_note = "re-index failed, the previous index keeps serving: " + status.ToString();
  return response;
}

// Puts corpus_dir/name back as it was before a failed upload or delete: `previous` bytes,
// or no file at all. Best effort: the caller is already reporting a failure.
void RestoreArticle(const AdminContext& context, const std::string& name,
                    const std::optional<std::string>& previous) {
  if (previous.has_value()) {
    (void)indexer::WriteArticleAtomically(context.corpus_dir, name, *previous, /*replace=*/true);
  } else {
    (void)indexer::DeleteArticle(context.corpus_dir, name);
  }
}

// The indexer's reason for skipping `name` in `run`, or "".
std::string SkipReason(const ReindexRun& run, const std::string& name) {
  const std::string prefix = "skipped " + name + ": ";
  for (const std::string& message : run.summary.messages) {
    if (message.rfind(prefix, 0) == 0) return message.substr(prefix.size());
  }
  return "";
}

// Checks the upload and turns it into a file name and the file's bytes.
Status PrepareArticle(const AdminContext& context, const ArticleUpload& upload, bool json,
                      std::string* name, std::string* bytes) {
  if (upload.content.size() > context.max_article_bytes) {
    return Status::ResourceExhausted("the article is larger than " +
                                     std::to_string(context.max_article_bytes) + " bytes");
  }
  std::string title;
  if (json || !upload.title.empty()) {
    auto normalized = indexer::NormalizeArticleTitle(upload.title);
    if (!normalized.ok()) return normalized.status();
    title = std::move(*normalized);
  }
  if (upload.file.empty()) {
    *name = indexer::ArticleNameForTitle(title, upload.format);
  } else {
    auto safe = indexer::SanitizeArticleName(upload.file);
    if (!safe.ok()) return safe.status();
    if (indexer::FormatForPath(*safe) != upload.format) {
      return Status::InvalidArgument(
          "the file name's extension does not match the body (" +
          std::string(upload.format == indexer::DocumentFormat::kHtml       ? "use .html or .htm"
                      : upload.format == indexer::DocumentFormat::kMarkdown ? "use .md or .markdown"
                                                                            : "use .txt") +
          ")");
    }
    *name = std::move(*safe);
  }
  *bytes = indexer::ComposeArticle(upload.format, title, upload.content);
  auto readable = indexer::ReadDocument(upload.format, *bytes);
  if (!readable.ok()) {
    return Status::InvalidArgument("the article cannot be indexed: " + readable.status().message());
  }
  return Status::Ok();
}

HttpResponse ArticleBusyResponse(const std::string& name) {
  return ErrorResponse(409, "conflict",
                       "another request is uploading or deleting " + name + "; try again");
}

// A re-index for an admin request, which returns once the change is answered: the engine
// otherwise answers with the previous version's word statistics until the new ones load in
// the background (seconds at a million passages), and would not know a new article's words.
// A failed load leaves the previous statistics in use; it is logged, the run still counts.
Result<ReindexRun> ReindexAndAwaitAnswers(const AdminContext& context, std::string_view trigger) {
  auto run = context.reindex->Reindex(trigger);
  if (run.ok() && context.engine != nullptr) {
    const Status loaded = context.engine->AwaitStatistics();
    if (!loaded.ok()) {
      std::fprintf(stderr,
                   "citeqa: the re-index's word statistics did not load (questions use the "
                   "previous ones): %s\n",
                   loaded.ToString().c_str());
    }
  }
  return run;
}

}  // namespace

bool AdminTokenMatches(std::string_view expected, std::string_view given) {
  if (expected.empty()) return false;
  Digest expected_digest{};
  Digest given_digest{};
  if (!Sha256(expected, &expected_digest) || !Sha256(given, &given_digest)) return false;
  return CRYPTO_memcmp(expected_digest.data(), given_digest.data(), expected_digest.size()) == 0;
}

std::optional<HttpResponse> RefuseUnlessAdminToken(std::string_view admin_token,
                                                   const HttpRequest& request) {
  if (admin_token.empty()) {
    return ErrorResponse(403, "forbidden",
                         "the admin API is disabled: start the server with CITEQA_ADMIN_TOKEN set");
  }
  const auto it = request.headers.find("authorization");
  const bool one_value = it != request.headers.end() && it->second.size() == 1;
  if (!one_value || !AdminTokenMatches(admin_token, BearerToken(it->second.front()))) {
    HttpResponse response = ErrorResponse(
        401, "unauthenticated", "send the admin token as 'Authorization: Bearer <token>'");
    response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"citeqa admin\"");
    return response;
  }
  return std::nullopt;
}

std::optional<HttpResponse> RefuseUnlessAdmin(const AdminContext& context,
                                              const HttpRequest& request) {
  if (auto refused = RefuseUnlessAdminToken(context.admin_token, request)) return refused;
  if (context.corpus_dir.empty() || context.reindex == nullptr) {
    return ErrorResponse(503, "unavailable",
                         "this server has no corpus folder: start it with --corpus DIR to add, "
                         "delete or re-index articles");
  }
  return std::nullopt;
}

HttpResponse HandleReindex(const AdminContext& context, const HttpRequest& request) {
  if (auto refused = RefuseUnlessAdmin(context, request)) return *refused;
  auto run = ReindexAndAwaitAnswers(context, "api");
  if (!run.ok()) return ReindexErrorResponse(run.status());
  return JsonResponse(200, SerializeReindexRun(*run));
}

HttpResponse HandleLastReindex(const AdminContext& context, const HttpRequest& request) {
  if (auto refused = RefuseUnlessAdmin(context, request)) return *refused;
  auto last = context.reindex->LastRun();
  if (!last.has_value()) return ErrorResponse(404, "not_found", "no re-index has run yet");
  if (!last->ok()) return ReindexErrorResponse(last->status());
  return JsonResponse(200, SerializeReindexRun(**last));
}

HttpResponse HandlePostArticle(const AdminContext& context, const HttpRequest& request) {
  if (auto refused = RefuseUnlessAdmin(context, request)) return *refused;
  const auto encoding = ArticleEncodingFor(request.Header("content-type"));
  if (!encoding.has_value()) {
    return ErrorResponse(415, "unsupported_media_type",
                         "Content-Type must be application/json, text/plain, text/html or "
                         "text/markdown");
  }
  auto upload = encoding->json
                    ? ParseArticleJson(request.body)
                    : ParseRawArticle(encoding->raw_format, request.body, request.query_params);
  if (!upload.ok()) return StatusErrorResponse(upload.status());
  std::string name;
  std::string bytes;
  const Status prepared = PrepareArticle(context, *upload, encoding->json, &name, &bytes);
  if (!prepared.ok()) return StatusErrorResponse(prepared);
  const auto claim = context.claims->TryClaim(name);
  if (!claim.has_value()) return ArticleBusyResponse(name);

  std::optional<std::string> previous;
  if (upload->replace) {
    auto existing = indexer::ReadArticle(context.corpus_dir, name, kMaxBackupBytes);
    if (!existing.ok()) return StoreErrorResponse(existing.status());
    previous = std::move(*existing);
  }
  auto written = indexer::WriteArticleAtomically(context.corpus_dir, name, bytes, upload->replace);
  if (!written.ok()) return StoreErrorResponse(written.status());

  auto run = ReindexAndAwaitAnswers(context, "article");
  if (!run.ok()) {
    RestoreArticle(context, name, previous);
    return ReindexErrorResponse(run.status());
  }
  auto documents = context.engine->ListDocuments();
  if (!documents.ok()) return StatusErrorResponse(documents.status());
  const auto doc = std::find_if(documents->begin(), documents->end(),
                                [&](const retriever::DocumentInfo& d) { return d.file == name; });
  if (doc == documents->end()) {
    const std::string reason = SkipReason(*run, name);
    if (reason.empty()) {
      return ErrorResponse(409, "conflict",
                           name + " was removed by another request while it was being indexed");
    }
    RestoreArticle(context, name, previous);
    (void)ReindexAndAwaitAnswers(context, "article");
    return ErrorResponse(400, "invalid_argument", "the article was not indexed: " + reason);
  }
  ArticleIndexed indexed;
  indexed.file = name;
  indexed.title = doc->title;
  indexed.passages = doc->passages;
  indexed.replaced = written->replaced;
  return JsonResponse(201, SerializeArticleIndexed(indexed, *run));
}

HttpResponse HandleDeleteArticle(const AdminContext& context, const HttpRequest& request) {
  if (auto refused = RefuseUnlessAdmin(context, request)) return *refused;
  auto name =
      indexer::SanitizeArticleName(request.path_params.empty() ? "" : request.path_params[0]);
  if (!name.ok()) return StatusErrorResponse(name.status());
  const auto claim = context.claims->TryClaim(*name);
  if (!claim.has_value()) return ArticleBusyResponse(*name);
  auto previous = indexer::ReadArticle(context.corpus_dir, *name, kMaxBackupBytes);
  if (!previous.ok()) return StoreErrorResponse(previous.status());
  if (!previous->has_value()) {
    return ErrorResponse(404, "not_found", "no article " + *name + " in the corpus folder");
  }
  const Status deleted = indexer::DeleteArticle(context.corpus_dir, *name);
  if (!deleted.ok()) return StoreErrorResponse(deleted);
  auto run = ReindexAndAwaitAnswers(context, "article");
  if (!run.ok()) {
    RestoreArticle(context, *name, *previous);
    return ReindexErrorResponse(run.status());
  }
  return JsonResponse(200, SerializeArticleDeleted(*name, *run));
}

}  // namespace citeqa::server
