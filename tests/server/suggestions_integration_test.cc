// GET /api/suggestions against the real binary on a small made-up corpus with headings
// (tests/testdata/suggestions_corpus): the questions come from that corpus, each is answered
// when asked through POST /api/ask, and they follow the index after a re-index.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/server/admin_test_process.h"

namespace citeqa::server::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Suggestions(httplib::Client& client) {
  auto res = client.Get("/api/suggestions");
  if (!res || res->status != 200) {
    ADD_FAILURE() << "GET /api/suggestions: " << (res ? std::to_string(res->status) : "no answer");
    return {};
  }
  const auto body = nlohmann::json::parse(res->body);
  EXPECT_EQ(body.size(), 1u) << res->body;
  return body.at("suggestions").get<std::vector<std::string>>();
}

nlohmann::json Ask(httplib::Client& client, const std::string& question) {
  auto res =
      client.Post("/api/ask", nlohmann::json{{"question", question}}.dump(), "application/json");
  if (!res || res->status != 200) {
    ADD_FAILURE() << question << ": " << (res ? std::to_string(res->status) : "no answer");
    return nlohmann::json::object();
  }
  return nlohmann::json::parse(res->body);
}

class SuggestionsIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(CITEQA_BINARY).empty()) GTEST_SKIP() << "citeqa binary not built";
    root_ = fs::temp_directory_path() / ("citeqa_suggestions_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "corpus");
    for (const auto& entry : fs::directory_iterator(CITEQA_SUGGESTIONS_CORPUS)) {
      fs::copy_file(entry.path(), root_ / "corpus" / entry.path().filename());
    }
    ASSERT_EQ(Index().exit_code, 0);
  }
  void TearDown() override {
    if (!root_.empty()) testing::RemoveTestRoot(root_);
  }
  ProcessResult Index() {
    return RunProcess(CITEQA_BINARY,
                      {"index", "--corpus", (root_ / "corpus").string(), "--db", DbPath()}, root_,
                      {}, 60);
  }
  std::string DbPath() const { return (root_ / "index.db").string(); }

  fs::path root_;
};

TEST_F(SuggestionsIntegrationTest, QuestionsFromTheCorpusEachAnsweredAndRefreshedAfterReindex) {
  ServeProcess server;
  ASSERT_EQ(server.Start(CITEQA_BINARY, {"serve", "--db", DbPath(), "--port", "0"}, {},
                         root_ / "serve.err"),
            "");
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(30, 0);

  const std::vector<std::string> first = Suggestions(client);
  ASSERT_GE(first.size(), 3u);
  EXPECT_LE(first.size(), 6u);
  // Drawn from the corpus: the question headings are offered as written, and every
  // question is answered citing one of its articles.
  const std::set<std::string> offered(first.begin(), first.end());
  EXPECT_EQ(offered.size(), first.size()) << "a question offered twice";
  EXPECT_TRUE(offered.count("How Do Bees Make Honey?")) << ::testing::PrintToString(first);
  EXPECT_TRUE(offered.count("What Temperature Does Dough Need to Rise?"))
      << ::testing::PrintToString(first);
  const std::set<std::string> docs = {"beekeeping.md", "lighthouses.md", "sourdough.md"};
  for (const std::string& question : first) {
    const nlohmann::json answer = Ask(client, question);
    EXPECT_EQ(answer.value("found", false), true) << question << ": " << answer.dump();
    ASSERT_FALSE(answer["citations"].empty()) << question;
    EXPECT_TRUE(docs.count(answer["citations"][0]["doc"].get<std::string>())) << question;
  }
  // Asked again, the same list (kept for the generation).
  EXPECT_EQ(Suggestions(client), first);

  // A re-index that adds an article with a question heading: the next request sees the new
  // generation's questions.
  std::ofstream(root_ / "corpus" / "kites.md")
      << "# Kites\n\n## Why Do Kites Fly?\n\n"
         "Kites fly because the wind pushes against the sail, which is held at an angle by the "
         "bridle, and the air flowing over the sail lifts the kite while the line holds it "
         "against the wind.\n";
  for (const char* gone : {"beekeeping.md", "sourdough.md"}) fs::remove(root_ / "corpus" / gone);
  ASSERT_EQ(Index().exit_code, 0);
  std::vector<std::string> second;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  do {
    second = Suggestions(client);
    if (second != first) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (std::chrono::steady_clock::now() < deadline);
  EXPECT_NE(second, first);
  const std::set<std::string> now(second.begin(), second.end());
  EXPECT_TRUE(now.count("Why Do Kites Fly?")) << ::testing::PrintToString(second);
  EXPECT_FALSE(now.count("How Do Bees Make Honey?")) << ::testing::PrintToString(second);
  for (const std::string& question : second) {
    const nlohmann::json answer = Ask(client, question);
    EXPECT_EQ(answer.value("found", false), true) << question << ": " << answer.dump();
  }
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Stderr();
}

TEST_F(SuggestionsIntegrationTest, AnEmptyIndexOffersNothing) {
  for (const auto& entry : fs::directory_iterator(root_ / "corpus")) fs::remove(entry.path());
  ASSERT_EQ(Index().exit_code, 0);
  ServeProcess server;
  ASSERT_EQ(server.Start(CITEQA_BINARY, {"serve", "--db", DbPath(), "--port", "0"}, {},
                         root_ / "serve.err"),
            "");
  httplib::Client client("127.0.0.1", server.port());
  auto res = client.Get("/api/suggestions");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(nlohmann::json::parse(res->body),
            nlohmann::json({{"suggestions", nlohmann::json::array()}}));
  auto post = client.Post("/api/suggestions", "{}", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405) << post->body;
}

}  // namespace
}  // namespace citeqa::server::testing
