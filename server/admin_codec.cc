#include "server/admin_codec.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <utility>

namespace citeqa::server {
namespace {

using nlohmann::json;
using OrderedJson = nlohmann::ordered_json;
using indexer::DocumentFormat;

std::string Dump(const OrderedJson& value) {
  // File names and skip messages come from the file system and may not be UTF-8.
  return value.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

std::string LowerTrimmedMediaType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  std::string out(media);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A string field that may be absent or null; kInvalidArgument for any other type.
Result<std::optional<std::string>> OptionalString(const json& object, const char* field) {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) {
    return Status::InvalidArgument("field '" + std::string(field) + "' must be a string");
  }
  return std::optional<std::string>(it->get<std::string>());
}

Result<bool> ParseBoolText(std::string_view text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return Status::InvalidArgument("query parameter 'replace' must be true or false");
}

// The only value of query parameter `name`, or nullopt. kInvalidArgument when repeated.
Result<std::optional<std::string>> SingleParam(const std::multimap<std::string, std::string>& query,
                                               const std::string& name) {
  const auto [begin, end] = query.equal_range(name);
  if (begin == end) return std::optional<std::string>();
  if (std::next(begin) != end) {
    return Status::InvalidArgument("query parameter '" + name + "' is given more than once");
  }
  return std::optional<std::string>(begin->second);
}

OrderedJson ReindexJson(const ReindexRun& run) {
  const indexer::IndexSummary& s = run.summary;
  return OrderedJson{{"run", run.run},           {"trigger", run.trigger}, {"shared", run.shared},
                     {"added", s.added},         {"updated", s.updated},   {"removed", s.removed},
                     {"unchanged", s.unchanged}, {"skipped", s.skipped},   {"passages", s.passages},
                     {"messages", s.messages},   {"seconds", s.seconds}};
}

}  // namespace

std::optional<ArticleEncoding> ArticleEncodingFor(std::string_view content_type) {
  const std::string media = LowerTrimmedMediaType(content_type);
  if (media.empty() || media == "application/json") return ArticleEncoding{};
  if (media == "text/plain") return ArticleEncoding{false, DocumentFormat::kPlainText};
  if (media == "text/html") return ArticleEncoding{false, DocumentFormat::kHtml};
  if (media == "text/markdown" || media == "text/x-markdown") {
    return ArticleEncoding{false, DocumentFormat::kMarkdown};
  }
  return std::nullopt;
}

Result<ArticleUpload> ParseArticleJson(std::string_view body) {
  const json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Status::InvalidArgument("the body is not valid JSON");
  if (parsed.is_array()) {
    return Status::InvalidArgument("one article per request: send a JSON object, not an array");
  }
  if (!parsed.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  ArticleUpload upload;
  auto title = OptionalString(parsed, "title");
  if (!title.ok()) return title.status();
  if (!title->has_value()) return Status::InvalidArgument("field 'title' is required");
  upload.title = std::move(**title);
  int bodies = 0;
  for (const auto& [field, format] :
       {std::pair{"text", DocumentFormat::kPlainText}, std::pair{"html", DocumentFormat::kHtml},
        std::pair{"markdown", DocumentFormat::kMarkdown}}) {
    auto content = OptionalString(parsed, field);
    if (!content.ok()) return content.status();
    if (!content->has_value()) continue;
    ++bodies;
    upload.content = std::move(**content);
    upload.format = format;
  }
  if (bodies != 1) {
    return Status::InvalidArgument("give exactly one of the fields 'text', 'html' or 'markdown'");
  }
  auto file = OptionalString(parsed, "file");
  if (!file.ok()) return file.status();
  if (file->has_value()) upload.file = std::move(**file);
  if (const auto it = parsed.find("replace"); it != parsed.end() && !it->is_null()) {
    if (!it->is_boolean()) return Status::InvalidArgument("field 'replace' must be true or false");
    upload.replace = it->get<bool>();
  }
  return upload;
}

Result<ArticleUpload> ParseRawArticle(DocumentFormat format, std::string body,
                                      const std::multimap<std::string, std::string>& query) {
  ArticleUpload upload;
  upload.format = format;
  upload.content = std::move(body);
  auto file = SingleParam(query, "file");
  if (!file.ok()) return file.status();
  auto title = SingleParam(query, "title");
  if (!title.ok()) return title.status();
  auto replace = SingleParam(query, "replace");
  if (!replace.ok()) return replace.status();
  if (file->has_value()) upload.file = **file;
  if (title->has_value()) upload.title = **title;
  if (replace->has_value()) {
    auto value = ParseBoolText(**replace);
    if (!value.ok()) return value.status();
    upload.replace = *value;
  }
  if (upload.file.empty() && upload.title.empty()) {
    return Status::InvalidArgument(
        "name the article: add the query parameter 'file' (or 'title') to the URL");
  }
  return upload;
}

std::string SerializeReindexRun(const ReindexRun& run) { return Dump(ReindexJson(run)); }

std::string SerializeArticleIndexed(const ArticleIndexed& article, const ReindexRun& run) {
  return Dump(OrderedJson{{"id", article.file},
                          {"file", article.file},
                          {"title", article.title},
                          {"passages", article.passages},
                          {"replaced", article.replaced},
                          {"reindex", ReindexJson(run)}});
}

std::string SerializeArticleDeleted(std::string_view file, const ReindexRun& run) {
  return Dump(OrderedJson{{"deleted", std::string(file)}, {"reindex", ReindexJson(run)}});
}

}  // namespace citeqa::server
