// The admin API's wire format: article uploads as JSON or raw bodies, and the summaries.
#include "server/admin_codec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace citeqa::server {
namespace {

using indexer::DocumentFormat;
using nlohmann::json;

TEST(AdminCodecTest, EncodingFromContentType) {
  struct Case {
    std::string content_type;
    bool known;
    bool json;
    DocumentFormat format;
  } cases[] = {
      {"", true, true, DocumentFormat::kPlainText},
      {"application/json", true, true, DocumentFormat::kPlainText},
      {"Application/JSON; charset=utf-8", true, true, DocumentFormat::kPlainText},
      {"text/plain", true, false, DocumentFormat::kPlainText},
      {"text/plain; charset=UTF-8", true, false, DocumentFormat::kPlainText},
      {"TEXT/HTML", true, false, DocumentFormat::kHtml},
      {"text/markdown", true, false, DocumentFormat::kMarkdown},
      {"text/x-markdown", true, false, DocumentFormat::kMarkdown},
      {"application/x-www-form-urlencoded", false, false, DocumentFormat::kPlainText},
      {"multipart/form-data; boundary=x", false, false, DocumentFormat::kPlainText},
      {"application/octet-stream", false, false, DocumentFormat::kPlainText},
      {"text/csv", false, false, DocumentFormat::kPlainText},
  };
  for (const Case& c : cases) {
    const auto encoding = ArticleEncodingFor(c.content_type);
    ASSERT_EQ(encoding.has_value(), c.known) << c.content_type;
    if (!c.known) continue;
    EXPECT_EQ(encoding->json, c.json) << c.content_type;
    if (!c.json) {
      EXPECT_EQ(encoding->raw_format, c.format) << c.content_type;
    }
  }
}

TEST(AdminCodecTest, ParsesJsonArticles) {
  struct Case {
    std::string body;
    DocumentFormat format;
    std::string title;
    std::string content;
    std::string file;
    bool replace;
  } cases[] = {
      {R"({"title": "T", "text": "body"})", DocumentFormat::kPlainText, "T", "body", "", false},
      {R"({"title": "T", "html": "<p>x</p>", "file": "x.html", "replace": true})",
       DocumentFormat::kHtml, "T", "<p>x</p>", "x.html", true},
      {R"({"title": "T", "markdown": "# x", "text": null, "file": null, "replace": null,
           "extra": [1]})",
       DocumentFormat::kMarkdown, "T", "# x", "", false},
  };
  for (const Case& c : cases) {
    auto upload = ParseArticleJson(c.body);
    ASSERT_TRUE(upload.ok()) << c.body << ": " << upload.status().ToString();
    EXPECT_EQ(upload->format, c.format) << c.body;
    EXPECT_EQ(upload->title, c.title) << c.body;
    EXPECT_EQ(upload->content, c.content) << c.body;
    EXPECT_EQ(upload->file, c.file) << c.body;
    EXPECT_EQ(upload->replace, c.replace) << c.body;
  }
}

TEST(AdminCodecTest, RefusesBadJsonArticles) {
  struct Case {
    std::string body;
    std::string message_part;
  } cases[] = {
      {"", "not valid JSON"},
      {"{\"title\": ", "not valid JSON"},
      {R"([{"title": "a", "text": "b"}, {"title": "c", "text": "d"}])", "one article"},
      {R"("just a string")", "object"},
      {R"({"text": "b"})", "'title' is required"},
      {R"({"title": null, "text": "b"})", "'title' is required"},
      {R"({"title": 3, "text": "b"})", "'title' must be a string"},
      {R"({"title": "t"})", "exactly one"},
      {R"({"title": "t", "text": "a", "html": "b"})", "exactly one"},
      {R"({"title": "t", "text": ["a"]})", "'text' must be a string"},
      {R"({"title": "t", "text": "a", "file": 7})", "'file' must be a string"},
      {R"({"title": "t", "text": "a", "replace": "yes"})", "'replace'"},
  };
  for (const Case& c : cases) {
    auto upload = ParseArticleJson(c.body);
    ASSERT_FALSE(upload.ok()) << c.body;
    EXPECT_EQ(upload.status().code(), StatusCode::kInvalidArgument) << c.body;
    EXPECT_NE(upload.status().message().find(c.message_part), std::string::npos)
        << c.body << ": " << upload.status().message();
  }
}

TEST(AdminCodecTest, ParsesRawArticlesWithQueryParameters) {
  using Query = std::multimap<std::string, std::string>;
  auto named = ParseRawArticle(DocumentFormat::kHtml, "<p>x</p>",
                               Query{{"file", "x.html"}, {"replace", "true"}, {"other", "1"}});
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  EXPECT_EQ(named->file, "x.html");
  EXPECT_EQ(named->title, "");
  EXPECT_EQ(named->content, "<p>x</p>");
  EXPECT_EQ(named->format, DocumentFormat::kHtml);
  EXPECT_TRUE(named->replace);

  auto titled = ParseRawArticle(DocumentFormat::kPlainText, "body", Query{{"title", "A title"}});
  ASSERT_TRUE(titled.ok());
  EXPECT_EQ(titled->title, "A title");
  EXPECT_FALSE(titled->replace);

  struct Case {
    Query query;
    std::string message_part;
  } bad[] = {
      {{}, "'file'"},
      {{{"replace", "true"}}, "'file'"},
      {{{"file", "a.txt"}, {"file", "b.txt"}}, "more than once"},
      {{{"file", "a.txt"}, {"replace", "yes"}}, "'replace'"},
  };
  for (const Case& c : bad) {
    auto upload = ParseRawArticle(DocumentFormat::kPlainText, "body", c.query);
    ASSERT_FALSE(upload.ok()) << c.message_part;
    EXPECT_NE(upload.status().message().find(c.message_part), std::string::npos)
        << upload.status().message();
  }
}

TEST(AdminCodecTest, SerialisesSummaries) {
  ReindexRun run;
  run.run = 3;
  run.trigger = "api";
  run.shared = true;
  run.summary.added = 1;
  run.summary.updated = 2;
  run.summary.removed = 3;
  run.summary.unchanged = 4;
  run.summary.skipped = 1;
  run.summary.passages = 99;
  run.summary.messages = {"skipped bad\xFF.pdf: unsupported file type"};
  run.summary.seconds = 0.5;
  const json body = json::parse(SerializeReindexRun(run));
  EXPECT_EQ(body, json::parse(R"({"run": 3, "trigger": "api", "shared": true, "added": 1,
      "updated": 2, "removed": 3, "unchanged": 4, "skipped": 1, "passages": 99,
      "messages": ["skipped bad\ufffd.pdf: unsupported file type"], "seconds": 0.5})"));

  ArticleIndexed article{"new.html", "New topic", 4, false};
  const json created = json::parse(SerializeArticleIndexed(article, run));
  EXPECT_EQ(created["id"], "new.html");
  EXPECT_EQ(created["file"], "new.html");
  EXPECT_EQ(created["title"], "New topic");
  EXPECT_EQ(created["passages"], 4);
  EXPECT_EQ(created["replaced"], false);
  EXPECT_EQ(created["reindex"], body);

  const json deleted = json::parse(SerializeArticleDeleted("old.txt", run));
  EXPECT_EQ(deleted["deleted"], "old.txt");
  EXPECT_EQ(deleted["reindex"]["run"], 3);
}

}  // namespace
}  // namespace citeqa::server
