// The question log with the real binary: `citeqa serve` over a copy of corpus/ records an
// unanswered question and a down vote, GET /api/reports/unanswered groups them (401 without
// the token), they survive re-indexing, `citeqa report unanswered --db` prints them and
// `citeqa report forget` deletes them; with --question-log-days 0 feedback answers 503.
// Skipped only when the binary has not been built.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/server/admin_test_process.h"

namespace citeqa::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::EnvChanges;

const std::string kBinary = CITEQA_BINARY;
constexpr const char* kToken = "question-log-admin-token-0123456789";
const EnvChanges kWithToken = {{"CITEQA_ADMIN_TOKEN", kToken}};
constexpr const char* kAnswered = "What does a product owner do?";
// Questions the seed articles do not answer: the first that abstains is used.
const char* const kUnanswerable[] = {"How many moons does Jupiter have?",
                                     "What is the boiling point of mercury?",
                                     "Who painted the Mona Lisa?"};

class QuestionLogIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (kBinary.empty() || !fs::exists(kBinary)) {
      GTEST_SKIP() << "the citeqa binary is not built (" << kBinary << ")";
    }
    root_ = citeqa::server::testing::MakeTestRootWithSeedCorpus(
        "citeqa_question_log_it", ::testing::UnitTest::GetInstance()->current_test_info()->name(),
        CITEQA_CORPUS_DIR);
    const auto indexed = Run({"index", "--corpus", Corpus(), "--db", Db()});
    ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  }

  void TearDown() override {
    if (!root_.empty()) testing::RemoveTestRoot(root_);
  }

  std::string Corpus() const { return (root_ / "corpus").string(); }
  std::string Db() const { return (root_ / "index.db").string(); }

  testing::ProcessResult Run(const std::vector<std::string>& args) const {
    return testing::RunProcess(kBinary, args, root_);
  }

  void StartServer(std::vector<std::string> extra) {
    std::vector<std::string> args = {"serve", "--db", Db(), "--port", "0", "--threads", "4"};
    args.insert(args.end(), extra.begin(), extra.end());
    ASSERT_EQ(server_.Start(kBinary, args, kWithToken, root_ / "serve.stderr"), "");
  }

  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", server_.port());
    client.set_read_timeout(60, 0);
    return client;
  }

  json Ask(const std::string& question) const {
    auto result =
        Client().Post("/api/ask", json{{"question", question}}.dump(), "application/json");
    EXPECT_TRUE(result);
    if (!result || result->status != 200) return json();
    return json::parse(result->body, nullptr, false);
  }

  int PostFeedback(const json& body) const {
    auto result = Client().Post("/api/feedback", body.dump(), "application/json");
    return result ? result->status : -1;
  }

  // The report's body, or null with a failure.
  json Report(const std::string& query = "") const {
    auto result = Client().Get(("/api/reports/unanswered" + query).c_str(),
                               {{"Authorization", std::string("Bearer ") + kToken}});
    EXPECT_TRUE(result);
    if (!result) return json();
    EXPECT_EQ(result->status, 200) << result->body;
    return json::parse(result->body, nullptr, false);
  }

  // The group that has `asked` among its wordings (its key is the engine's normalised
  // form, typo corrections included).
  static const json* Group(const json& report, const std::string& asked) {
    for (const json& g : report["groups"]) {
      for (const json& wording : g["asked_as"]) {
        if (wording == asked) return &g;
      }
    }
    return nullptr;
  }

  fs::path root_;
  testing::ServeProcess server_;
};

TEST_F(QuestionLogIntegrationTest, ReportsAnAbstentionAndADownVoteAcrossReindexing) {
  StartServer({"--corpus", Corpus()});
  std::string unanswered;
  for (const char* question : kUnanswerable) {
    const json reply = Ask(question);
    if (reply.is_object() && reply["found"] == false) {
      unanswered = question;
      break;
    }
  }
  ASSERT_FALSE(unanswered.empty()) << "no question abstained";
  // Asked twice, once with other capitals and spacing: one group of two.
  std::string shouted = unanswered;
  for (char& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_EQ(Ask("  " + shouted + "  ")["found"], false);

  const json answer = Ask(kAnswered);
  ASSERT_EQ(answer["found"], true);
  ASSERT_EQ(PostFeedback({{"question", kAnswered},
                          {"answer", answer["answer"]},
                          {"vote", "down"},
                          {"conversation_id", answer["conversation_id"]},
                          {"comment", "It did not say who they report to"}}),
            201);
  ASSERT_EQ(PostFeedback({{"question", kAnswered}, {"answer", answer["answer"]}, {"vote", "up"}}),
            201);
  EXPECT_EQ(PostFeedback({{"question", kAnswered}, {"answer", ""}, {"vote", "down"}}), 400);
  EXPECT_EQ(PostFeedback({{"question", kAnswered}, {"answer", "x"}, {"vote", "sideways"}}), 400);

  auto no_token = Client().Get("/api/reports/unanswered");
  ASSERT_TRUE(no_token);
  EXPECT_EQ(no_token->status, 401);
  auto wrong_token =
      Client().Get("/api/reports/unanswered", {{"Authorization", "Bearer not-the-token"}});
  ASSERT_TRUE(wrong_token);
  EXPECT_EQ(wrong_token->status, 401);

  const json report = Report();
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["retention_days"], 30);
  EXPECT_EQ(report["total_groups"], 2) << report.dump(2);
  const json* abstained = Group(report, unanswered);
  ASSERT_NE(abstained, nullptr) << report.dump(2);
  const std::string unanswered_key = (*abstained)["question"];
  EXPECT_EQ(unanswered_key.find('?'), std::string::npos);
  EXPECT_EQ((*abstained)["count"], 2);
  EXPECT_EQ((*abstained)["abstained"], 2);
  EXPECT_EQ((*abstained)["down_votes"], 0);
  EXPECT_EQ((*abstained)["asked_as"].size(), 2u);
  const json* voted = Group(report, kAnswered);
  ASSERT_NE(voted, nullptr) << report.dump(2);
  const std::string answered_key = (*voted)["question"];
  EXPECT_EQ(answered_key, "what does a product owner do");
  EXPECT_EQ((*voted)["count"], 1);
  EXPECT_EQ((*voted)["down_votes"], 1);
  EXPECT_EQ((*voted)["up_votes"], 1);
  EXPECT_EQ((*voted)["comments"], json::array({"It did not say who they report to"}));
  ASSERT_TRUE((*voted)["top_passage"].is_object()) << "the answer's top passage";
  EXPECT_EQ((*voted)["top_passage"]["doc"], answer["citations"][0]["doc"]);
  EXPECT_EQ(Report("?since=2999-01-01")["groups"].size(), 0u);

  auto metrics = Client().Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("citeqa_feedback_total{vote=\"down\"} 1"), std::string::npos);
  EXPECT_NE(metrics->body.find("citeqa_question_log_abstentions_total 2"), std::string::npos);

  // Re-indexed through the API and by `citeqa index` with a document removed: kept.
  auto reindexed = Client().Post(
      "/api/reindex", {{"Authorization", std::string("Bearer ") + kToken}}, "", "application/json");
  ASSERT_TRUE(reindexed);
  EXPECT_EQ(reindexed->status, 200) << reindexed->body;
  fs::remove(fs::directory_iterator(root_ / "corpus")->path());
  const auto indexed = Run({"index", "--corpus", Corpus(), "--db", Db()});
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  EXPECT_NE(indexed.out.find("1 removed"), std::string::npos) << indexed.out;
  const json after = Report();
  EXPECT_EQ(after["total_groups"], 2) << after.dump(2);
  ASSERT_EQ(server_.StopWith(SIGTERM), 0) << server_.Stderr();

  const auto table = Run({"report", "unanswered", "--db", Db()});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find(unanswered_key), std::string::npos) << table.out;
  EXPECT_NE(table.out.find(answered_key), std::string::npos) << table.out;
  const auto as_json = Run({"report", "unanswered", "--db", Db(), "--json"});
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  const json cli_report = json::parse(as_json.out, nullptr, false);
  ASSERT_TRUE(cli_report.is_object()) << as_json.out;
  EXPECT_EQ(cli_report["groups"], after["groups"]) << "the CLI prints what the route returns";

  const auto forgot = Run({"report", "forget", "--db", Db(), "--question", unanswered_key});
  ASSERT_EQ(forgot.exit_code, 0) << forgot.err;
  EXPECT_NE(forgot.out.find("forgot 2"), std::string::npos) << forgot.out;
  const auto rest = Run({"report", "unanswered", "--db", Db()});
  EXPECT_EQ(rest.out.find(unanswered_key), std::string::npos) << rest.out;
  EXPECT_NE(rest.out.find(answered_key), std::string::npos) << rest.out;
  EXPECT_NE(Run({"report", "unanswered", "--db", (root_ / "none.db").string()}).exit_code, 0);
}

TEST_F(QuestionLogIntegrationTest, DeleteForgetsAndTheLogCanBeOff) {
  StartServer({});
  const json answer = Ask(kAnswered);
  ASSERT_EQ(PostFeedback({{"question", kAnswered}, {"answer", answer["answer"]}, {"vote", "down"}}),
            201);
  const httplib::Headers admin = {{"Authorization", std::string("Bearer ") + kToken}};
  auto refused = Client().Delete("/api/reports/unanswered");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  auto deleted = Client().Delete("/api/reports/unanswered", admin);
  ASSERT_TRUE(deleted);
  ASSERT_EQ(deleted->status, 200) << deleted->body;
  EXPECT_EQ(json::parse(deleted->body)["deleted"], 1);
  EXPECT_EQ(Report()["total_groups"], 0);
  ASSERT_EQ(server_.StopWith(SIGTERM), 0);

  StartServer({"--question-log-days", "0"});
  EXPECT_EQ(PostFeedback({{"question", kAnswered}, {"answer", "x"}, {"vote", "up"}}), 503);
  auto off = Client().Get("/api/reports/unanswered", admin);
  ASSERT_TRUE(off);
  EXPECT_EQ(off->status, 503);
}

}  // namespace
}  // namespace citeqa::server
