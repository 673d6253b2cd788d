// The admin handlers called directly, over a real corpus folder, a real index and the real
// engine: uploads become answers with citations, deletes take them away, hostile names and
// bodies change nothing, and a failed re-index puts the folder back as it was.
#include "server/admin_handlers.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "retriever/engine.h"

namespace citeqa::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kToken = "test-admin-token-0123456789abcdef";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::set<std::string> Listing(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    names.insert(fs::relative(entry.path(), dir).generic_string());
  }
  return names;
}

HttpRequest Request(std::string method, std::string body = "",
                    std::string content_type = "application/json") {
  HttpRequest request;
  request.method = std::move(method);
  request.body = std::move(body);
  request.headers["authorization"] = {std::string("Bearer ") + kToken};
  if (!content_type.empty()) request.headers["content-type"] = {std::move(content_type)};
  return request;
}

HttpRequest DeleteRequest(const std::string& file) {
  HttpRequest request = Request("DELETE", "", "");
  request.path_params = {file};
  return request;
}

json Body(const HttpResponse& response) { return json::parse(response.body, nullptr, false); }

class AdminHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("citeqa_admin_handlers_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "corpus");
    std::ofstream(root_ / "corpus" / "otters.txt")
        << "Sea otters\n\nSea otters live along the coasts of the North Pacific Ocean. They "
           "float on their backs and use stones to crack open shellfish. A sea otter has the "
           "densest fur of any animal, with up to a million hairs per square inch.\n";
    std::ofstream(root_ / "corpus" / "bees.txt")
        << "Honey bees\n\nHoney bees live in colonies ruled by a single queen. Worker bees "
           "collect nectar from flowers and turn it into honey inside the hive. A strong "
           "colony can hold sixty thousand bees in the middle of summer.\n";
    options_.corpus_dir = (root_ / "corpus").string();
    options_.db_path = (root_ / "index.db").string();
    ASSERT_TRUE(indexer::IndexCorpus(options_).ok());
    retriever::EngineOptions engine_options;
    engine_options.db_path = options_.db_path;
    auto engine = retriever::Engine::Open(engine_options);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(*engine);
    UseIndexer(indexer::IndexCorpus);
  }
  // The engine's loader may still be opening the index the last run wrote (its WAL files
  // come and go), so the service and engine are closed before their folder is removed.
  void TearDown() override {
    service_.reset();
    engine_.reset();
    fs::remove_all(root_);
  }

  // Re-creates the service with another indexer (to make runs fail).
  void UseIndexer(ReindexService::IndexFunction index) {
    service_ = std::make_unique<ReindexService>(options_, &metrics_, std::move(index));
    context_.admin_token = kToken;
    context_.corpus_dir = options_.corpus_dir;
    context_.reindex = service_.get();
    context_.engine = engine_.get();
  }

  // The answer to `question`; its citations must resolve to their passages.
  retriever::AskResponse Ask(const std::string& question) {
    retriever::AskRequest request;
    request.question = question;
    auto response = engine_->Ask(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    if (!response.ok()) return {};
    for (const retriever::Citation& citation : response->citations) {
      auto passage = engine_->GetPassage(citation.passage_id, 0);
      EXPECT_TRUE(passage.ok()) << citation.passage_id;
      if (passage.ok()) {
        EXPECT_EQ(passage->passage, citation.passage);
      }
    }
    return *response;
  }

  static bool Cites(const retriever::AskResponse& response, const std::string& file) {
    for (const retriever::Citation& citation : response.citations) {
      if (citation.doc == file) return true;
    }
    return false;
  }

  fs::path root_;
  indexer::IndexOptions options_;
  ServerMetrics metrics_;
  std::unique_ptr<retriever::Engine> engine_;
  std::unique_ptr<ReindexService> service_;
  AdminContext context_;
};

constexpr const char* kFestivalHtml =
    "<h1>The Zorblax festival</h1><p>The Zorblax festival is held every spring in the town of "
    "Quendale. Dancers wear blue masks and the whole town eats roasted chestnuts while the "
    "bells ring from noon until midnight.</p>";
constexpr const char* kFestivalQuestion = "Where is the Zorblax festival held?";

TEST_F(AdminHandlersTest, AnUploadedArticleIsAnsweredWithACitationAndADeleteTakesItAway) {
  EXPECT_FALSE(Ask(kFestivalQuestion).found);

  const json article = {{"title", "The Zorblax festival"}, {"html", kFestivalHtml}};
  const HttpResponse created = HandlePostArticle(context_, Request("POST", article.dump()));
  ASSERT_EQ(created.status, 201) << created.body;
  const json body = Body(created);
  EXPECT_EQ(body["id"], "the-zorblax-festival.html");
  EXPECT_EQ(body["file"], "the-zorblax-festival.html");
  EXPECT_EQ(body["title"], "The Zorblax festival");
  EXPECT_GE(body["passages"].get<int>(), 1);
  EXPECT_EQ(body["replaced"], false);
  EXPECT_EQ(body["reindex"]["added"], 1);
  EXPECT_EQ(body["reindex"]["unchanged"], 2);
  EXPECT_NE(ReadFile(root_ / "corpus" / "the-zorblax-festival.html")
                .find("<title>The Zorblax festival</title>"),
            std::string::npos);

  const retriever::AskResponse answered = Ask(kFestivalQuestion);
  EXPECT_TRUE(answered.found) << answered.answer;
  EXPECT_TRUE(Cites(answered, "the-zorblax-festival.html")) << answered.answer;
  EXPECT_NE(answered.answer.find("Quendale"), std::string::npos) << answered.answer;

  const HttpResponse deleted =
      HandleDeleteArticle(context_, DeleteRequest("the-zorblax-festival.html"));
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(Body(deleted)["deleted"], "the-zorblax-festival.html");
  EXPECT_EQ(Body(deleted)["reindex"]["removed"], 1);
  EXPECT_FALSE(fs::exists(root_ / "corpus" / "the-zorblax-festival.html"));
  const retriever::AskResponse gone = Ask(kFestivalQuestion);
  EXPECT_FALSE(Cites(gone, "the-zorblax-festival.html")) << gone.answer;
  EXPECT_FALSE(gone.found) << gone.answer;

  const HttpResponse again =
      HandleDeleteArticle(context_, DeleteRequest("the-zorblax-festival.html"));
  EXPECT_EQ(again.status, 404) << again.body;
  EXPECT_EQ(metrics_.ReindexCount("article", true), 2);
}

TEST_F(AdminHandlersTest, NoOverwriteWithoutReplace) {
  const json first = {{"title", "Zorblax notes"},
                      {"text", "The Zorblax festival has 12 bells."},
                      {"file", "zorblax.txt"}};
  ASSERT_EQ(HandlePostArticle(context_, Request("POST", first.dump())).status, 201);
  const std::string original = ReadFile(root_ / "corpus" / "zorblax.txt");
  EXPECT_EQ(original, "Zorblax notes\n\nThe Zorblax festival has 12 bells.");

  json second = {{"title", "Zorblax notes"},
                 {"text", "The Zorblax festival has 40 bells."},
                 {"file", "zorblax.txt"}};
  const HttpResponse conflict = HandlePostArticle(context_, Request("POST", second.dump()));
  EXPECT_EQ(conflict.status, 409) << conflict.body;
  EXPECT_EQ(ReadFile(root_ / "corpus" / "zorblax.txt"), original);

  second["replace"] = true;
  const HttpResponse replaced = HandlePostArticle(context_, Request("POST", second.dump()));
  ASSERT_EQ(replaced.status, 201) << replaced.body;
  EXPECT_EQ(Body(replaced)["replaced"], true);
  EXPECT_EQ(Body(replaced)["reindex"]["updated"], 1);
  const retriever::AskResponse answer = Ask("How many bells does the Zorblax festival have?");
  EXPECT_NE(answer.answer.find("40"), std::string::npos) << answer.answer;
}

// An upload or delete of a file another request is changing gets 409 and changes nothing;
// once that request is done, the same call goes through.
TEST_F(AdminHandlersTest, AFileBeingChangedByAnotherRequestGets409) {
  const json article = {{"title", "Zorblax notes"},
                        {"text", "The Zorblax festival has 12 bells."},
                        {"file", "zorblax.txt"}};
  {
    const auto held = context_.claims->TryClaim("zorblax.txt");
    ASSERT_TRUE(held.has_value());
    const HttpResponse busy = HandlePostArticle(context_, Request("POST", article.dump()));
    EXPECT_EQ(busy.status, 409) << busy.body;
    EXPECT_NE(Body(busy)["error"]["message"].get<std::string>().find("zorblax.txt"),
              std::string::npos);
    EXPECT_FALSE(fs::exists(root_ / "corpus" / "zorblax.txt"));
  }
  ASSERT_EQ(HandlePostArticle(context_, Request("POST", article.dump())).status, 201);
  {
    const auto held = context_.claims->TryClaim("zorblax.txt");
    ASSERT_TRUE(held.has_value());
    EXPECT_EQ(HandleDeleteArticle(context_, DeleteRequest("zorblax.txt")).status, 409);
    EXPECT_TRUE(fs::exists(root_ / "corpus" / "zorblax.txt"));
  }
  EXPECT_EQ(HandleDeleteArticle(context_, DeleteRequest("zorblax.txt")).status, 200);
}

TEST_F(AdminHandlersTest, RawBodiesNameTheArticleInTheQuery) {
  HttpRequest text = Request("POST", "Kiwis are flightless birds from New Zealand.", "text/plain");
  text.query_params = {{"file", "kiwi.txt"}, {"title", "Kiwi birds"}};
  const HttpResponse created = HandlePostArticle(context_, text);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Body(created)["title"], "Kiwi birds");
  EXPECT_EQ(ReadFile(root_ / "corpus" / "kiwi.txt"),
            "Kiwi birds\n\nKiwis are flightless birds from New Zealand.");

  HttpRequest markdown = Request("POST", "Penguins cannot fly but they swim very well.",
                                 "text/markdown; charset=utf-8");
  markdown.query_params = {{"title", "Penguins!"}};
  const HttpResponse from_title = HandlePostArticle(context_, markdown);
  ASSERT_EQ(from_title.status, 201) << from_title.body;
  EXPECT_EQ(Body(from_title)["id"], "penguins.md");

  HttpRequest mismatch = Request("POST", "<p>x</p>", "text/html");
  mismatch.query_params = {{"file", "page.txt"}};
  const HttpResponse refused = HandlePostArticle(context_, mismatch);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(Body(refused)["error"]["message"].get<std::string>().find(".html"), std::string::npos);

  const HttpResponse form =
      HandlePostArticle(context_, Request("POST", "title=x", "application/x-www-form-urlencoded"));
  EXPECT_EQ(form.status, 415);
}

TEST_F(AdminHandlersTest, HostileNamesAndBodiesChangeNothing) {
  const auto corpus_before = Listing(root_ / "corpus");
  const auto root_before = Listing(root_);
  struct Case {
    json article;
    int status;
  } cases[] = {
      {{{"title", "t"}, {"text", "x y z"}, {"file", "../escape.txt"}}, 400},
      {{{"title", "t"}, {"text", "x y z"}, {"file", "../../../../tmp/escape.txt"}}, 400},
      {{{"title", "t"}, {"text", "x y z"}, {"file", "/tmp/escape.txt"}}, 400},
      {{{"title", "t"}, {"text", "x y z"}, {"file", std::string("a\0.txt", 6)}}, 400},
      {{{"title", "t"}, {"text", "x y z"}, {"file", "%2e%2e%2fescape.txt"}}, 400},
      {{{"title", "t"}, {"text", "x y z"}, {"file", "..\\escape.txt"}}, 400},
      {{{"title", "t"}, {"text", "x y z"}, {"file", ".hidden.txt"}}, 400},
      {{{"title", "t"}, {"text", "x y z"}, {"file", "x.sh"}}, 400},
      {{{"title", "t"}, {"text", "x y z"}, {"file", std::string(300, 'a') + ".txt"}}, 400},
      {{{"title", "t"}, {"text", "x y z"}, {"file", "otters.txt"}}, 409},  // exists
      {{{"title", "a\u0001b"}, {"text", "x y z"}}, 400},
      {{{"title", "   "}, {"text", "x y z"}}, 400},
      {{{"title", "t"}, {"text", std::string("\0\0\0binary\0", 10)}}, 400},
      {{{"title", "t"}, {"text", ""}, {"file", "empty.txt"}}, 400},
      {{{"title", "t"}, {"text", std::string(indexer::kMaxArticleBytes + 1, 'a')}}, 413},
      {json::array({{{"title", "a"}, {"text", "b"}}, {{"title", "c"}, {"text", "d"}}}), 400},
  };
  for (const Case& c : cases) {
    const HttpResponse response = HandlePostArticle(context_, Request("POST", c.article.dump()));
    EXPECT_EQ(response.status, c.status) << c.article.dump().substr(0, 200) << "\n"
                                         << response.body;
  }
  EXPECT_EQ(Listing(root_ / "corpus"), corpus_before);
  EXPECT_EQ(Listing(root_), root_before);
  EXPECT_FALSE(fs::exists("/tmp/escape.txt"));

  for (const std::string& name :
       {std::string("../otters.txt"), std::string(".."), std::string("/etc/passwd"),
        std::string("a\0.txt", 6), std::string("..\\otters.txt"), std::string(500, 'x')}) {
    EXPECT_EQ(HandleDeleteArticle(context_, DeleteRequest(name)).status, 400) << name;
  }
  EXPECT_EQ(HandleDeleteArticle(context_, DeleteRequest("missing.txt")).status, 404);
  EXPECT_EQ(Listing(root_ / "corpus"), corpus_before);
}

// An article the indexer skips (here: nothing but its title) is refused and taken back; a
// replacement that is skipped puts the previous version back, still answerable.
TEST_F(AdminHandlersTest, AnArticleTheIndexerSkipsIsTakenBack) {
  const auto corpus_before = Listing(root_ / "corpus");
  const json title_only = {{"title", "Only a title"}, {"text", "Only a title"}};
  const HttpResponse refused = HandlePostArticle(context_, Request("POST", title_only.dump()));
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("no article text"), std::string::npos) << refused.body;
  EXPECT_EQ(Listing(root_ / "corpus"), corpus_before);

  const std::string otters = ReadFile(root_ / "corpus" / "otters.txt");
  const json replacement = {
      {"title", "Sea otters"}, {"text", "Sea otters"}, {"file", "otters.txt"}, {"replace", true}};
  const HttpResponse kept = HandlePostArticle(context_, Request("POST", replacement.dump()));
  EXPECT_EQ(kept.status, 400) << kept.body;
  EXPECT_EQ(ReadFile(root_ / "corpus" / "otters.txt"), otters);
  EXPECT_TRUE(Cites(Ask("How do sea otters open shellfish?"), "otters.txt"));
}

// When the re-index fails, the folder is put back and the previous index keeps answering.
TEST_F(AdminHandlersTest, AFailedReindexLeavesEverythingAsItWas) {
  UseIndexer([](const indexer::IndexOptions&) -> Result<indexer::IndexSummary> {
    return Status::Unavailable("database is locked");
  });
  const auto corpus_before = Listing(root_ / "corpus");
  const json article = {{"title", "The Zorblax festival"}, {"html", kFestivalHtml}};
  const HttpResponse post = HandlePostArticle(context_, Request("POST", article.dump()));
  EXPECT_EQ(post.status, 503) << post.body;
  EXPECT_EQ(Listing(root_ / "corpus"), corpus_before);

  const std::string otters = ReadFile(root_ / "corpus" / "otters.txt");
  const HttpResponse del = HandleDeleteArticle(context_, DeleteRequest("otters.txt"));
  EXPECT_EQ(del.status, 503) << del.body;
  EXPECT_EQ(ReadFile(root_ / "corpus" / "otters.txt"), otters);

  const HttpResponse reindex = HandleReindex(context_, Request("POST"));
  EXPECT_EQ(reindex.status, 503);
  EXPECT_NE(reindex.log_note.find("previous index keeps serving"), std::string::npos);
  EXPECT_TRUE(Cites(Ask("How do sea otters open shellfish?"), "otters.txt"));
  EXPECT_EQ(metrics_.ReindexCount("article", false), 2);

  UseIndexer([](const indexer::IndexOptions&) -> Result<indexer::IndexSummary> {
    return Status::IoError("disk I/O error at /secret/path");
  });
  const HttpResponse internal = HandleReindex(context_, Request("POST"));
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.body.find("/secret/path"), std::string::npos) << internal.body;
}

TEST_F(AdminHandlersTest, ReindexReportsSkippedFilesAndTheLastRun) {
  EXPECT_EQ(HandleLastReindex(context_, Request("GET")).status, 404);
  std::ofstream(root_ / "corpus" / "report.pdf") << "%PDF-1.4";
  std::ofstream(root_ / "corpus" / "broken.txt", std::ios::binary) << std::string(
      "\x7F"
      "ELF\0\0\0\x01\x02",
      9);
  std::ofstream(root_ / "corpus" / "owls.md")
      << "# Owls\n\nOwls hunt at night and can turn their heads very far around.\n";
  const HttpResponse response = HandleReindex(context_, Request("POST", "", ""));
  ASSERT_EQ(response.status, 200) << response.body;
  const json body = Body(response);
  EXPECT_EQ(body["added"], 1);
  EXPECT_EQ(body["unchanged"], 2);
  EXPECT_EQ(body["skipped"], 2);
  ASSERT_EQ(body["messages"].size(), 2u);
  EXPECT_EQ(body["run"], 1);
  EXPECT_EQ(body["trigger"], "api");
  EXPECT_GT(body["passages"].get<int>(), 0);

  const HttpResponse last = HandleLastReindex(context_, Request("GET"));
  ASSERT_EQ(last.status, 200);
  EXPECT_EQ(Body(last), body);

  // The folder gone: 503, and the index as it was.
  fs::rename(root_ / "corpus", root_ / "moved");
  const HttpResponse missing = HandleReindex(context_, Request("POST"));
  EXPECT_EQ(missing.status, 503) << missing.body;
  EXPECT_NE(missing.body.find("corpus folder is missing"), std::string::npos);
  EXPECT_TRUE(Cites(Ask("When do owls hunt?"), "owls.md"));
}

}  // namespace
}  // namespace citeqa::server
