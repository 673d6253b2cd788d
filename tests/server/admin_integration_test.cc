// The admin API and live re-indexing with the real binary: `citeqa serve` as a child
// process over a copy of corpus/, called over HTTP. Covers uploads, replaces and deletes
// with and without the token, hostile paths, --watch, questions answered while the index
// is rebuilt every second (CITEQA_SOAK_SECONDS, default 5), and `citeqa index` killed with
// SIGKILL mid-run. Skipped only when the binary has not been built.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/server/admin_test_process.h"
#include "tests/server/raw_http.h"

namespace citeqa::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::EnvChanges;

const std::string kBinary = CITEQA_BINARY;
constexpr const char* kToken = "integration-admin-token-0123456789";
const EnvChanges kWithToken = {{"CITEQA_ADMIN_TOKEN", kToken}};
const EnvChanges kWithoutToken = {{"CITEQA_ADMIN_TOKEN", std::nullopt}};

constexpr const char* kFestivalHtml =
    "<!doctype html><html><head><meta charset=\"utf-8\"></head><body><article>"
    "<h1>The Zorblax festival</h1><p>The Zorblax festival is held every spring in the town of "
    "Quendale. Dancers wear blue masks and the whole town eats roasted chestnuts while the "
    "bells ring from noon until midnight.</p></article></body></html>";
constexpr const char* kFestivalQuestion = "Where is the Zorblax festival held?";

std::set<std::string> Listing(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    names.insert(fs::relative(entry.path(), dir).generic_string());
  }
  return names;
}

// Waits (polling every `poll`) until `done` holds, at most `seconds`.
template <typename Predicate>
bool Eventually(Predicate done, int seconds = 30,
                std::chrono::milliseconds poll = std::chrono::milliseconds(50)) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(poll);
  }
  return true;
}

class AdminIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (kBinary.empty() || !fs::exists(kBinary)) {
      GTEST_SKIP() << "the citeqa binary is not built (" << kBinary << ")";
    }
    root_ = citeqa::server::testing::MakeTestRootWithSeedCorpus(
        "citeqa_admin_it", ::testing::UnitTest::GetInstance()->current_test_info()->name(),
        CITEQA_CORPUS_DIR);
    const auto indexed = Index();
    ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  }

  void TearDown() override {
    if (!root_.empty()) testing::RemoveTestRoot(root_);
  }

  std::string Corpus() const { return (root_ / "corpus").string(); }
  std::string Db() const { return (root_ / "index.db").string(); }

  testing::ProcessResult Index() const {
    return testing::RunProcess(kBinary, {"index", "--corpus", Corpus(), "--db", Db()}, root_);
  }

  void StartServer(std::vector<std::string> extra, const EnvChanges& env) {
    std::vector<std::string> args = {"serve", "--db", Db(), "--port", "0", "--threads", "4"};
    args.insert(args.end(), extra.begin(), extra.end());
    const std::string error = server_.Start(kBinary, args, env, root_ / "serve.stderr");
    ASSERT_EQ(error, "");
  }

  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", server_.port());
    client.set_read_timeout(60, 0);
    return client;
  }

  static httplib::Headers Auth(const std::string& token = kToken) {
    return {{"Authorization", "Bearer " + token}};
  }

  json Ask(const std::string& question) const {
    auto result =
        Client().Post("/api/ask", json{{"question", question}}.dump(), "application/json");
    EXPECT_TRUE(result);
    if (!result) return json();
    EXPECT_EQ(result->status, 200) << result->body;
    return json::parse(result->body, nullptr, false);
  }

  // "" when every citation of `answer` resolves to the same passage; else what differs.
  std::string CheckCitations(const json& answer) const {
    for (const json& citation : answer["citations"]) {
      const std::string path =
          "/api/passages/" + std::to_string(citation["passage_id"].get<int64_t>());
      auto result = Client().Get(path.c_str());
      if (!result) return path + ": no response";
      if (result->status != 200) return path + ": " + std::to_string(result->status);
      const json passage = json::parse(result->body, nullptr, false);
      if (passage["passage"] != citation["passage"]) return path + ": other text";
      if (passage["file"] != citation["doc"]) return path + ": other document";
    }
    return "";
  }

  static bool Cites(const json& answer, const std::string& file) {
    for (const json& citation : answer["citations"]) {
      if (citation["doc"] == file) return true;
    }
    return false;
  }

  fs::path root_;
  testing::ServeProcess server_;
};

// The acceptance path: an HTML article posted about a new topic answers the next question
// with a citation; replaced, it answers with the new text; deleted, the answer goes.
TEST_F(AdminIntegrationTest, PostAnswerReplaceDeleteWithAndWithoutTheToken) {
  StartServer({"--corpus", Corpus()}, kWithToken);
  const json before = Ask(kFestivalQuestion);
  EXPECT_EQ(before["found"], false) << before.dump();

  const std::string article = json{
      {"title", "The Zorblax festival"},
      {"html", kFestivalHtml},
      {"file", "zorblax.html"}}.dump();
  for (const std::string& token :
       {std::string(), std::string("wrong"), std::string(kToken) + "x"}) {
    auto refused = token.empty()
                       ? Client().Post("/api/articles", article, "application/json")
                       : Client().Post("/api/articles", Auth(token), article, "application/json");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401) << token;
    EXPECT_EQ(refused->get_header_value("WWW-Authenticate"), "Bearer realm=\"citeqa admin\"");
  }
  EXPECT_FALSE(fs::exists(root_ / "corpus" / "zorblax.html"));

  auto created = Client().Post("/api/articles", Auth(), article, "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const json created_body = json::parse(created->body);
  EXPECT_EQ(created_body["id"], "zorblax.html");
  EXPECT_GE(created_body["passages"].get<int>(), 1);

  const json answered = Ask(kFestivalQuestion);
  EXPECT_EQ(answered["found"], true) << answered.dump();
  EXPECT_TRUE(Cites(answered, "zorblax.html")) << answered.dump();
  EXPECT_NE(answered["answer"].get<std::string>().find("Quendale"), std::string::npos);
  EXPECT_EQ(CheckCitations(answered), "");

  auto again = Client().Post("/api/articles", Auth(), article, "application/json");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 409) << again->body;

  // Replaced through a raw HTML body named in the query.
  std::string moved = kFestivalHtml;
  moved.replace(moved.find("Quendale"), 8, "Marrowby");
  auto replaced =
      Client().Post("/api/articles?file=zorblax.html&replace=true", Auth(), moved, "text/html");
  ASSERT_TRUE(replaced);
  ASSERT_EQ(replaced->status, 201) << replaced->body;
  EXPECT_EQ(json::parse(replaced->body)["replaced"], true);
  const json moved_answer = Ask(kFestivalQuestion);
  EXPECT_NE(moved_answer["answer"].get<std::string>().find("Marrowby"), std::string::npos)
      << moved_answer.dump();
  EXPECT_EQ(CheckCitations(moved_answer), "");

  auto unauthorised = Client().Delete("/api/articles/zorblax.html");
  ASSERT_TRUE(unauthorised);
  EXPECT_EQ(unauthorised->status, 401);
  auto deleted = Client().Delete("/api/articles/zorblax.html", Auth());
  ASSERT_TRUE(deleted);
  ASSERT_EQ(deleted->status, 200) << deleted->body;
  EXPECT_EQ(json::parse(deleted->body)["reindex"]["removed"], 1);
  const json gone = Ask(kFestivalQuestion);
  EXPECT_EQ(gone["found"], false) << gone.dump();
  EXPECT_FALSE(Cites(gone, "zorblax.html"));
  auto missing = Client().Delete("/api/articles/zorblax.html", Auth());
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);

  auto metrics = Client().Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("citeqa_reindex_runs_total{trigger=\"article\",outcome=\"ok\"} 3\n"),
            std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("citeqa_reindex_duration_seconds_count{trigger=\"article\"} 3\n"),
            std::string::npos);
}

TEST_F(AdminIntegrationTest, WithoutATokenOrACorpusTheAdminApiRefuses) {
  StartServer({"--corpus", Corpus()}, kWithoutToken);
  for (const auto& [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"POST", "/api/reindex"},
                                                        {"POST", "/api/articles"},
                                                        {"DELETE", "/api/articles/a.txt"}}) {
    httplib::Request request;
    request.method = method;
    request.path = path;
    request.headers = Auth("");
    auto result = Client().send(request);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 403) << path;
    EXPECT_NE(result->body.find("CITEQA_ADMIN_TOKEN"), std::string::npos) << result->body;
  }
  EXPECT_NE(server_.Stderr().find("the admin API is off"), std::string::npos);
  EXPECT_EQ(server_.StopWith(SIGTERM), 0);

  testing::ServeProcess no_corpus;
  ASSERT_EQ(no_corpus.Start(kBinary, {"serve", "--db", Db(), "--port", "0"}, kWithToken,
                            root_ / "no_corpus.stderr"),
            "");
  httplib::Client client("127.0.0.1", no_corpus.port());
  auto result = client.Post("/api/reindex", Auth(), "", "application/json");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 503);
  EXPECT_NE(result->body.find("--corpus"), std::string::npos) << result->body;
}

TEST_F(AdminIntegrationTest, PathTraversalChangesNothing) {
  std::ofstream(root_ / "sentinel.txt") << "outside the corpus\n";
  StartServer({"--corpus", Corpus()}, kWithToken);
  const auto corpus_before = Listing(root_ / "corpus");
  const std::string auth = std::string("Authorization: Bearer ") + kToken + "\r\n";
  const std::string long_name(300, 'a');
  struct Case {
    std::string request_line;
    std::string status;
  } deletes[] = {
      {"DELETE /api/articles/..%2Fsentinel.txt", "HTTP/1.1 404"},  // decodes to a deeper path
      {"DELETE /api/articles/..%2F..%2Fetc%2Fpasswd", "HTTP/1.1 404"},
      {"DELETE /api/articles/../sentinel.txt", "HTTP/1.1 404"},
      {"DELETE /api/articles/%2e%2e", "HTTP/1.1 400"},
      {"DELETE /api/articles/..", "HTTP/1.1 400"},
      {"DELETE /api/articles/..%5Csentinel.txt", "HTTP/1.1 400"},
      {"DELETE /api/articles/sentinel.txt%00.txt", "HTTP/1.1 400"},
      {"DELETE /api/articles/%2Fetc%2Fhostname", "HTTP/1.1 404"},
      {"DELETE /api/articles/.hidden.txt", "HTTP/1.1 400"},
      {"DELETE /api/articles/" + long_name + ".txt", "HTTP/1.1 400"},
  };
  for (const Case& c : deletes) {
    const std::string response =
        testing::RawHttp(server_.port(), c.request_line + " HTTP/1.1\r\nHost: x\r\n" + auth +
                                             "Connection: close\r\n\r\n");
    EXPECT_EQ(response.rfind(c.status, 0), 0u) << c.request_line << "\n" << response;
  }
  for (const std::string& file : {std::string("../sentinel.txt"), std::string("/tmp/escape.txt"),
                                  std::string("..\\sentinel.txt"), std::string("a\0.txt", 6),
                                  std::string("%2e%2e"), long_name + ".txt"}) {
    auto json_post = Client().Post(
        "/api/articles", Auth(),
        json{{"title", "Escape"}, {"text", "overwritten"}, {"file", file}, {"replace", true}}
            .dump(),
        "application/json");
    ASSERT_TRUE(json_post);
    EXPECT_EQ(json_post->status, 400) << file << ": " << json_post->body;
    auto raw_post = Client().Post(
        "/api/articles?replace=true&file=" + httplib::detail::encode_query_param(file), Auth(),
        "overwritten", "text/plain");
    ASSERT_TRUE(raw_post);
    EXPECT_EQ(raw_post->status, 400) << file << ": " << raw_post->body;
  }
  EXPECT_EQ(testing::ReadWholeFile(root_ / "sentinel.txt"), "outside the corpus\n");
  EXPECT_EQ(Listing(root_ / "corpus"), corpus_before);
  EXPECT_FALSE(fs::exists("/tmp/escape.txt"));

  // An article over 2 MiB is refused for its size.
  auto huge = Client().Post("/api/articles?file=huge.txt", Auth(),
                            std::string(2 * 1024 * 1024 + 1, 'a'), "text/plain");
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 413) << huge->body;
  EXPECT_EQ(Listing(root_ / "corpus"), corpus_before);
}

TEST_F(AdminIntegrationTest, WatchPicksUpDroppedAndRemovedFiles) {
  StartServer({"--corpus", Corpus(), "--watch"}, kWithoutToken);
  const auto listed = [this](const std::string& file) {
    auto result = Client().Get("/api/documents");
    return result && result->status == 200 &&
           result->body.find("\"" + file + "\"") != std::string::npos;
  };
  // Written elsewhere, then moved in: the watcher sees one complete file.
  std::ofstream(root_ / "zorblax.html") << kFestivalHtml;
  fs::rename(root_ / "zorblax.html", root_ / "corpus" / "zorblax.html");
  ASSERT_TRUE(Eventually([&] { return listed("zorblax.html"); })) << server_.Stderr();
  // Listed once its run commits; answered once that version's word statistics have loaded
  // in the background (a watch run does not wait for them).
  EXPECT_TRUE(Eventually([&] { return Cites(Ask(kFestivalQuestion), "zorblax.html"); }))
      << Ask(kFestivalQuestion).dump();

  // Written in place.
  std::ofstream(root_ / "corpus" / "owls.md")
      << "# Owls\n\nOwls hunt at night and can turn their heads very far around.\n";
  ASSERT_TRUE(Eventually([&] { return listed("owls.md"); })) << server_.Stderr();

  fs::remove(root_ / "corpus" / "zorblax.html");
  ASSERT_TRUE(Eventually([&] { return !listed("zorblax.html"); })) << server_.Stderr();
  EXPECT_FALSE(Cites(Ask(kFestivalQuestion), "zorblax.html"));
  EXPECT_NE(server_.Stderr().find("re-index"), std::string::npos);
  EXPECT_EQ(server_.StopWith(SIGTERM), 0) << server_.Stderr();
}

TEST_F(AdminIntegrationTest, ConcurrentReindexRequestsAllSucceedAndShareRuns) {
  StartServer({"--corpus", Corpus()}, kWithToken);
  constexpr int kRequests = 6;
  std::vector<std::thread> threads;
  std::mutex mu;
  std::vector<json> bodies;
  std::vector<int> statuses;
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&] {
      auto result = Client().Post("/api/reindex", Auth(), "", "application/json");
      std::lock_guard<std::mutex> lock(mu);
      statuses.push_back(result ? result->status : -1);
      if (result) bodies.push_back(json::parse(result->body, nullptr, false));
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(statuses, std::vector<int>(kRequests, 200));
  std::set<int> runs;
  for (const json& body : bodies) runs.insert(body["run"].get<int>());
  auto metrics = Client().Get("/metrics");
  ASSERT_TRUE(metrics);
  // Exactly one indexer run per distinct run number: shared runs were not repeated.
  EXPECT_NE(metrics->body.find("citeqa_reindex_runs_total{trigger=\"api\",outcome=\"ok\"} " +
                               std::to_string(runs.size()) + "\n"),
            std::string::npos)
      << metrics->body;
}

// Uploads and deletes of one file racing each other: each either goes through or gets 409
// (never a 400 that blames the article, never a 500), and afterwards the index lists the
// file exactly when the corpus folder holds it.
TEST_F(AdminIntegrationTest, UploadsAndDeletesOfOneFileAtOnceEndCleanly) {
  StartServer({"--corpus", Corpus()}, kWithToken);
  const std::string article = json{
      {"title", "Zorblax notes"},
      {"text", "The Zorblax festival is held every spring in Quendale."},
      {"file", "zorblax.txt"},
      {"replace", true}}.dump();
  std::mutex mu;
  std::map<int, int> statuses;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 6; ++i) {
        auto result = t % 2 == 0
                          ? Client().Post("/api/articles", Auth(), article, "application/json")
                          : Client().Delete("/api/articles/zorblax.txt", Auth());
        std::lock_guard<std::mutex> lock(mu);
        ++statuses[result ? result->status : -1];
        if (result && result->status != 201 && result->status != 200 && result->status != 404 &&
            result->status != 409) {
          ADD_FAILURE() << result->status << " " << result->body;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_GT(statuses[201], 0);
  EXPECT_EQ(statuses.count(-1), 0u);
  auto documents = Client().Get("/api/documents");
  ASSERT_TRUE(documents);
  bool listed = false;
  const json listing = json::parse(documents->body);
  for (const json& doc : listing["documents"]) {
    listed = listed || doc["file"] == "zorblax.txt";
  }
  std::string seen;
  for (const auto& [status, count] : statuses) {
    seen += std::to_string(status) + " x" + std::to_string(count) + "; ";
  }
  EXPECT_EQ(listed, fs::exists(root_ / "corpus" / "zorblax.txt")) << seen;
}

// The deploy the README describes: an index built elsewhere is moved over the live one
// while clients ask. No request fails, and the new file's articles are answered within 2 s.
TEST_F(AdminIntegrationTest, AnIndexMovedOverTheLiveOneIsServedWithoutAFailedRequest) {
  StartServer({}, {});
  const fs::path fresh_corpus = root_ / "fresh";
  fs::create_directories(fresh_corpus);
  std::ofstream(fresh_corpus / "zorblax.txt")
      << "Zorblax notes\n\nThe Zorblax festival is held every spring in the town of Quendale, "
         "where dancers wear blue masks.\n";
  const std::string fresh_db = (root_ / "fresh.db").string();
  const auto built = testing::RunProcess(
      kBinary, {"index", "--corpus", fresh_corpus.string(), "--db", fresh_db}, root_);
  ASSERT_EQ(built.exit_code, 0) << built.err;

  std::atomic<bool> done{false};
  std::atomic<int> failed{0};
  std::atomic<int> asked{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 3; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client = Client();
      while (!done) {
        auto result =
            c == 2 ? client.Get("/healthz")
                   : client.Post("/api/ask",
                                 json{{"question", "Where is the Zorblax festival held?"}}.dump(),
                                 "application/json");
        ++asked;
        if (!result || result->status != 200) ++failed;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  fs::rename(fresh_db, Db());  // mv fresh.db index.db
  const auto moved = std::chrono::steady_clock::now();
  bool served = false;
  while (!served && std::chrono::steady_clock::now() - moved < std::chrono::seconds(2)) {
    served = Cites(Ask("Where is the Zorblax festival held?"), "zorblax.txt");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  done = true;
  for (std::thread& client : clients) client.join();
  EXPECT_TRUE(served) << "the moved index was not answering within 2 s";
  EXPECT_GT(asked.load(), 0);
  EXPECT_EQ(failed.load(), 0);

  fs::remove(Db());
  auto gone = Client().Get("/healthz");
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 503);
  EXPECT_NE(gone->body.find("gone"), std::string::npos) << gone->body;
}

// Questions asked without pause by several clients while the corpus changes and the index
// is rebuilt every second, alternately by POST /api/reindex and by a separate `citeqa
// index` process. No request may fail, every citation must resolve to the same passage
// right after, and answers must stay consistent (found as before; new articles found).
TEST_F(AdminIntegrationTest, ReindexWhileServing) {
  const char* seconds_env = std::getenv("CITEQA_SOAK_SECONDS");
  const int seconds = seconds_env != nullptr ? std::max(1, std::atoi(seconds_env)) : 5;
  StartServer({"--corpus", Corpus()}, kWithToken);

  const std::vector<std::string> base_questions = {
      "What does a product manager do?",
      "What is the difference between a product owner and a product manager?",
      "How much does a product owner earn in India?",
      "Which skills does a product manager need?",
      "Is the product owner role tied to Scrum?",
      "What is the boiling point of liquid nitrogen?",
  };
  std::map<std::string, bool> baseline;
  for (const std::string& q : base_questions) baseline[q] = Ask(q)["found"].get<bool>();

  // Article k is about a made-up word found nowhere else; the number inside keeps the
  // words apart after stemming too. Every sentence names it: the cleaner drops sentences
  // that many documents share, as boilerplate.
  const auto word = [](int k) { return "kelv" + std::to_string(k) + "ar"; };
  const auto festival = [&](int k) {
    return "The " + word(k) + " festival\n\nThe " + word(k) +
           " festival takes place in the harbour town every autumn. Visitors to the " + word(k) +
           " festival eat smoked herring and watch lantern boats sail across the bay.\n";
  };

  std::atomic<bool> stop{false};
  std::atomic<int> newest_indexed{-1};
  std::mutex mu;
  std::vector<std::string> failures;
  std::vector<double> ask_ms;
  long citations_checked = 0;
  const auto fail = [&](const std::string& what) {
    std::lock_guard<std::mutex> lock(mu);
    if (failures.size() < 20)
      failures.push_back(what);
    else
      failures.back() = "... and more";
  };

  std::vector<std::thread> clients;
  for (int c = 0; c < 3; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", server_.port());
      client.set_read_timeout(60, 0);
      for (size_t i = static_cast<size_t>(c); !stop; ++i) {
        const int newest = newest_indexed.load();
        const bool about_new = i % 3 == 2 && newest >= 0;
        const int k = about_new ? static_cast<int>(i / 3) % (newest + 1) : -1;
        const std::string question = about_new
                                         ? "What do visitors eat at the " + word(k) + " festival?"
                                         : base_questions[i % base_questions.size()];
        const auto started = std::chrono::steady_clock::now();
        auto result =
            client.Post("/api/ask", json{{"question", question}}.dump(), "application/json");
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count();
        if (!result || result->status != 200) {
          fail(question + ": " +
               (result ? std::to_string(result->status) + " " + result->body
                       : std::string("no response")));
          continue;
        }
        const json answer = json::parse(result->body, nullptr, false);
        if (answer.is_discarded()) {
          fail(question + ": not JSON");
          continue;
        }
        const std::string unresolved = CheckCitations(answer);
        if (!unresolved.empty()) fail(question + ": " + unresolved);
        if (about_new && !Cites(answer, "festival_" + std::to_string(k) + ".txt")) {
          fail(question + ": does not cite festival_" + std::to_string(k) + ".txt");
        }
        if (!about_new && answer["found"] != baseline[question]) {
          fail(question + ": found changed to " + answer["found"].dump());
        }
        std::lock_guard<std::mutex> lock(mu);
        ask_ms.push_back(ms);
        citations_checked += static_cast<long>(answer["citations"].size());
      }
    });
  }

  // One change set and one re-index per second.
  int reindex_runs = 0;
  int reindex_failures = 0;
  std::vector<double> reindex_ms;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  for (int k = 0; std::chrono::steady_clock::now() < end; ++k) {
    const auto tick = std::chrono::steady_clock::now();
    std::ofstream(root_ / "corpus" / ("festival_" + std::to_string(k) + ".txt")) << festival(k);
    std::ofstream(root_ / "corpus" / "filler.txt")
        << "Warehouse ledger\n\nThe warehouse ledger lists " << k * 7
        << " crates of copper fittings stacked beside the loading ramp.\n";
    fs::remove(root_ / "corpus" / ("scratch_" + std::to_string(k - 1) + ".txt"));
    std::ofstream(root_ / "corpus" / ("scratch_" + std::to_string(k) + ".txt"))
        << "Quarry schedule " << k << "\n\nThe quarry lorry leaves the gravel pit at " << k % 12
        << " o'clock with a load of limestone blocks.\n";
    bool ok = false;
    if (k % 2 == 0) {
      auto result = Client().Post("/api/reindex", Auth(), "", "application/json");
      ok = result && result->status == 200 && json::parse(result->body)["added"].get<int>() >= 1;
      if (!ok) fail("POST /api/reindex: " + (result ? result->body : std::string("no response")));
    } else {
      const testing::ProcessResult cli = Index();
      ok = cli.exit_code == 0 && cli.out.find("documents: 2 added") == 0;
      if (!ok) fail("citeqa index: " + cli.out + cli.err);
    }
    reindex_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - tick).count());
    ++reindex_runs;
    if (ok) {
      newest_indexed = k;
    } else {
      ++reindex_failures;
    }
    std::this_thread::sleep_until(tick + std::chrono::seconds(1));
  }
  stop = true;
  for (std::thread& client : clients) client.join();

  std::sort(ask_ms.begin(), ask_ms.end());
  std::sort(reindex_ms.begin(), reindex_ms.end());
  const auto at = [](const std::vector<double>& sorted, double q) {
    return sorted.empty()
               ? 0.0
               : sorted[std::min(sorted.size() - 1,
                                 static_cast<size_t>(q * static_cast<double>(sorted.size())))];
  };
  std::printf(
      "[ soak     ] %d s: %zu questions (p50 %.1f ms, p99 %.1f ms, max %.1f ms), "
      "%ld citations resolved, %d re-index runs (%d failed; p50 %.0f ms, max %.0f ms), "
      "%zu failures\n",
      seconds, ask_ms.size(), at(ask_ms, 0.5), at(ask_ms, 0.99),
      ask_ms.empty() ? 0.0 : ask_ms.back(), citations_checked, reindex_runs, reindex_failures,
      at(reindex_ms, 0.5), reindex_ms.empty() ? 0.0 : reindex_ms.back(), failures.size());
  RecordProperty("questions", static_cast<int>(ask_ms.size()));
  RecordProperty("reindex_runs", reindex_runs);
  EXPECT_TRUE(failures.empty()) << ::testing::PrintToString(failures);
  EXPECT_EQ(reindex_failures, 0);
  EXPECT_GE(reindex_runs, seconds - 1);
  EXPECT_GT(ask_ms.size(), 0u);
  EXPECT_GE(newest_indexed.load(), 0);
}

// A big generated corpus, `citeqa index` killed with SIGKILL while it writes: the index
// still opens and answers with the old content only, and a clean run then succeeds.
TEST_F(AdminIntegrationTest, KilledIndexLeavesThePreviousIndexServing) {
  const std::string question =
      "What is the difference between a product owner and a product manager?";
  const auto ask = [&](const std::string& q) {
    const auto result = testing::RunProcess(kBinary, {"ask", "--db", Db(), "--json", q}, root_);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return json::parse(result.out, nullptr, false);
  };
  const json before = ask(question);
  ASSERT_EQ(before["found"], true);

  // About 2 s of indexing here, so the kill lands mid-run with a wide margin.
  constexpr int kGenerated = 10000;
  for (int i = 0; i < kGenerated; ++i) {
    std::ofstream out(root_ / "corpus" / ("gen_" + std::to_string(i) + ".txt"));
    out << "Generated report " << i << "\n\n";
    for (int p = 0; p < 6; ++p) {
      out << "Station " << i << " recorded reading qz" << i * 6 + p << " of the gauge near "
          << "valley marker mk" << (i * 31 + p) % 9973 << " while technicians calibrated "
          << "sensor array sa" << (i + p) % 577 << " for the seasonal survey.\n\n";
    }
  }

  int out_fd = -1;
  const pid_t pid = testing::SpawnProcess(kBinary, {"index", "--corpus", Corpus(), "--db", Db()},
                                          {}, root_ / "killed.stderr", &out_fd);
  ASSERT_GT(pid, 0);
  // Mid-run: the transaction has spilled pages into the write-ahead log.
  const fs::path wal = root_ / "index.db-wal";
  bool running = true;
  const bool spilling = Eventually(
      [&] {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
          running = false;
          return true;
        }
        std::error_code ec;
        return fs::file_size(wal, ec) > 256 * 1024 && !ec;
      },
      120, std::chrono::milliseconds(2));
  ASSERT_TRUE(running) << "citeqa index finished before it could be killed; make the corpus bigger";
  ASSERT_TRUE(spilling);
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  EXPECT_EQ(testing::WaitForExit(pid, 30), -1);  // killed by the signal
  ::close(out_fd);

  const json after = ask(question);
  EXPECT_EQ(after["found"], true) << after.dump();
  EXPECT_EQ(after["citations"], before["citations"]);
  EXPECT_EQ(ask("What did station 17 record near valley marker mk527?")["found"], false);

  const testing::ProcessResult clean = Index();
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_EQ(clean.out.rfind("documents: " + std::to_string(kGenerated) +
                                " added, 0 updated, 0 removed, 5 unchanged, 0 skipped",
                            0),
            0u)
      << clean.out;
  const json generated = ask("What did station 17 record near valley marker mk527?");
  EXPECT_EQ(generated["found"], true) << generated.dump();
}

}  // namespace
}  // namespace citeqa::server
