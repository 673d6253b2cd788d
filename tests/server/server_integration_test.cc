// End-to-end tests of the `citeqa` binary: `index` builds a real index of a copy of the
// corpus, `serve --port 0` runs as a child process, and every route is called over HTTP
// with good and hostile input. Skipped only when the binary has not been built.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "server/routes.h"
#include "tests/server/raw_http.h"

namespace citeqa::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kBinary = CITEQA_BINARY;
constexpr const char* kAnswerableQuestion =
    "What is the difference between a product owner and a product manager?";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct CommandResult {
  int exit_code = -1;  // -1: did not exit normally
  std::string out;
  std::string err;
};

// Forks and execs the binary with `args`; stdout comes back through a pipe, stderr through
// a file. The caller may read stdout incrementally (`out_fd`) or wait for the end (Run).
pid_t Spawn(const std::vector<std::string>& args, const fs::path& stderr_path, int* out_fd) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(err, STDERR_FILENO);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(kBinary.c_str()));
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execv(kBinary.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  *out_fd = pipe_fds[0];
  return pid;
}

// Waits up to `seconds` for `pid`; returns its exit code, or -1 (and kills it) otherwise.
int WaitForExit(pid_t pid, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return -1;
}

CommandResult RunCiteqa(const std::vector<std::string>& args, const fs::path& scratch) {
  CommandResult result;
  const fs::path err_path = scratch / "command.stderr";
  int out_fd = -1;
  const pid_t pid = Spawn(args, err_path, &out_fd);
  if (pid < 0) return result;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = ::read(out_fd, buffer, sizeof(buffer))) > 0) {
    result.out.append(buffer, static_cast<size_t>(n));
  }
  ::close(out_fd);
  result.exit_code = WaitForExit(pid, 120);
  result.err = ReadFile(err_path);
  return result;
}

// A running `citeqa serve`.
class ServerProcess {
 public:
  ~ServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) ::close(out_fd_);
  }

  // Starts the server and waits for its "listening on" line. Returns "" or what went wrong.
  std::string Start(const std::vector<std::string>& args, const fs::path& stderr_path) {
    stderr_path_ = stderr_path;
    pid_ = Spawn(args, stderr_path, &out_fd_);
    if (pid_ < 0) return "fork failed";
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (line.find('\n') == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) return "no 'listening on' line in 60 s";
      pollfd poll_fd{out_fd_, POLLIN, 0};
      if (::poll(&poll_fd, 1, 200) <= 0) continue;
      char c = 0;
      if (::read(out_fd_, &c, 1) != 1) return "server exited early: " + ReadFile(stderr_path);
      line += c;
    }
    first_line_ = line.substr(0, line.size() - 1);
    static const std::regex kListening(R"(listening on http://127\.0\.0\.1:(\d+))");
    std::smatch match;
    if (!std::regex_match(first_line_, match, kListening)) return "unexpected: " + first_line_;
    port_ = std::stoi(match[1]);
    return "";
  }

  // Sends `signal_number` and returns the exit code (-1 if it did not exit in 30 s).
  int StopWith(int signal_number) {
    ::kill(pid_, signal_number);
    const int code = WaitForExit(pid_, 30);
    pid_ = -1;
    return code;
  }

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& first_line() const { return first_line_; }
  std::string Stderr() const { return ReadFile(stderr_path_); }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int port_ = 0;
  std::string first_line_;
  fs::path stderr_path_;
};

// Every model score of an explanation (as JSON) is its bias plus its features'
// contributions; the decision's chance is the sigmoid of its score.
void ExpectExplanationAddsUp(const json& explanation) {
  std::vector<json> models;
  for (const json& p : explanation["passages"]) models.push_back(p["model"]);
  for (const json& s : explanation["sentences"]) models.push_back(s["model"]);
  models.push_back(explanation["decision"]["model"]);
  EXPECT_FALSE(explanation["passages"].empty());
  for (const json& model : models) {
    ASSERT_TRUE(model["features"].is_array()) << model.dump();
    ASSERT_FALSE(model["features"].empty());
    double sum = model["bias"].get<double>();
    for (const json& f : model["features"]) {
      EXPECT_TRUE(f["name"].is_string());
      EXPECT_TRUE(f["value"].is_number());
      sum += f["contribution"].get<double>();
    }
    const double score = model["score"].get<double>();
    EXPECT_NEAR(sum, score, 1e-6 * std::max(1.0, std::abs(score)));
  }
  const json& decision = explanation["decision"];
  EXPECT_NEAR(decision["probability"].get<double>(),
              1.0 / (1.0 + std::exp(-decision["model"]["score"].get<double>())), 1e-9);
  EXPECT_EQ(decision["found"].get<bool>(),
            decision["probability"].get<double>() >= decision["threshold"].get<double>());
}

// The contract of an answer's citations: the cited ones first, numbered 1..k in the order
// their markers first appear in the answer, each quote a range of its passage said in the
// answer; then related passages with no quotes, at most `top_k` of them.
void ExpectCitationContract(const json& body, size_t top_k) {
  const std::string answer = body["answer"];
  const json& citations = body["citations"];
  size_t cited = 0;
  while (cited < citations.size() && citations[cited]["cited"] == true) ++cited;
  if (body["found"] == false) {
    EXPECT_TRUE(citations.empty());
    return;
  }
  ASSERT_GE(cited, 1u) << body.dump();
  static const std::regex kMarker(R"(\[(\d+)\])");
  std::vector<int> first_use;
  for (auto it = std::sregex_iterator(answer.begin(), answer.end(), kMarker);
       it != std::sregex_iterator(); ++it) {
    const int n = std::stoi((*it)[1]);
    if (std::find(first_use.begin(), first_use.end(), n) == first_use.end()) first_use.push_back(n);
  }
  std::vector<int> expected;
  for (size_t n = 1; n <= cited; ++n) expected.push_back(static_cast<int>(n));
  EXPECT_EQ(first_use, expected) << answer;
  for (size_t i = 0; i < citations.size(); ++i) {
    const json& c = citations[i];
    EXPECT_EQ(c["n"], i + 1);
    EXPECT_EQ(c["cited"], i < cited) << "the answer's sources first";
    const std::string passage = c["passage"];
    ASSERT_TRUE(c["quotes"].is_array());
    EXPECT_EQ(c["quotes"].empty(), i >= cited);
    for (const json& range : c["quotes"]) {
      const size_t b = range[0];
      const size_t e = range[1];
      ASSERT_LT(b, e);
      ASSERT_LE(e, passage.size());
      EXPECT_NE(answer.find(passage.substr(b, std::min<size_t>(e - b, 100))), std::string::npos)
          << passage.substr(b, e - b);
    }
  }
  EXPECT_LE(citations.size() - cited, top_k);
}

class ServerIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (kBinary.empty() || !fs::exists(kBinary)) return;
    root_ = new fs::path(fs::temp_directory_path() /
                         ("citeqa_server_it_" + std::to_string(::getpid())));
    fs::remove_all(*root_);
    fs::create_directories(*root_ / "corpus");
    for (const auto& entry : fs::directory_iterator(CITEQA_CORPUS_DIR)) {
      if (entry.path().extension() == ".txt" && entry.path().filename() != "synonyms.txt") {
        fs::copy_file(entry.path(), *root_ / "corpus" / entry.path().filename());
        ++corpus_files_;
      }
    }
    index_result_ = new CommandResult(
        RunCiteqa({"index", "--corpus", (*root_ / "corpus").string(), "--db", Db()}, *root_));
  }

  static void TearDownTestSuite() {
    if (root_ != nullptr) fs::remove_all(*root_);
    delete root_;
    delete index_result_;
    root_ = nullptr;
    index_result_ = nullptr;
  }

  void SetUp() override {
    if (kBinary.empty() || !fs::exists(kBinary)) {
      GTEST_SKIP() << "the citeqa binary is not built (" << kBinary
                   << "); it needs the citeqa_retriever library";
    }
    ASSERT_NE(index_result_, nullptr);
    ASSERT_EQ(index_result_->exit_code, 0) << index_result_->err;
    ASSERT_GT(corpus_files_, 0);
  }

  static std::string Db() { return (*root_ / "index.db").string(); }

  // Starts `citeqa serve` on a free port; its stderr goes to <root>/<name>.stderr.
  void StartServer(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"serve", "--db", Db(), "--port", "0", "--threads", "3"};
    args.insert(args.end(), extra.begin(), extra.end());
    const std::string error = server_.Start(
        args,
        *root_ / (std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
                  ".stderr"));
    ASSERT_EQ(error, "");
  }

  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", server_.port());
    client.set_read_timeout(30, 0);
    return client;
  }

  httplib::Result Send(const std::string& method, const std::string& path,
                       const std::string& body = "",
                       const std::string& content_type = "application/json") const {
    httplib::Request request;
    request.method = method;
    request.path = path;
    request.body = body;
    if (!body.empty() && !content_type.empty()) request.set_header("Content-Type", content_type);
    return Client().send(request);
  }

  json Ask(const json& request) const {
    auto result = Client().Post("/api/ask", request.dump(), "application/json");
    EXPECT_TRUE(result);
    if (!result) return json();
    EXPECT_EQ(result->status, 200) << result->body;
    return json::parse(result->body, nullptr, false);
  }

  static fs::path* root_;
  static CommandResult* index_result_;
  static int corpus_files_;
  ServerProcess server_;
};

fs::path* ServerIntegrationTest::root_ = nullptr;
CommandResult* ServerIntegrationTest::index_result_ = nullptr;
int ServerIntegrationTest::corpus_files_ = 0;

TEST_F(ServerIntegrationTest, IndexPrintsOneSummaryLine) {
  static const std::regex kSummary(
      R"(documents: (\d+) added, 0 updated, 0 removed, 0 unchanged, 0 skipped; passages: (\d+)\n)");
  std::smatch match;
  ASSERT_TRUE(std::regex_match(index_result_->out, match, kSummary)) << index_result_->out;
  EXPECT_EQ(std::stoi(match[1]), corpus_files_);
  EXPECT_GT(std::stoi(match[2]), 0);

  // A second run over the same files changes nothing.
  const CommandResult again =
      RunCiteqa({"index", "--corpus", (*root_ / "corpus").string(), "--db", Db()}, *root_);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("0 added, 0 updated, 0 removed, " + std::to_string(corpus_files_) +
                           " unchanged"),
            std::string::npos)
      << again.out;

  const CommandResult missing =
      RunCiteqa({"index", "--corpus", (*root_ / "no-such-dir").string(), "--db", Db()}, *root_);
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("no-such-dir"), std::string::npos) << missing.err;
  EXPECT_EQ(missing.out, "");
}

TEST_F(ServerIntegrationTest, UsageErrorsExitWithTwoAndOneLine) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"bogus"}, {"ask", "--db", Db()}, {"serve", "--port", "x"}, {"index", "--nope"}}) {
    const CommandResult result = RunCiteqa(args, *root_);
    EXPECT_EQ(result.exit_code, 2) << ::testing::PrintToString(args);
    ASSERT_FALSE(result.err.empty()) << ::testing::PrintToString(args);
    EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << result.err;
    EXPECT_EQ(result.err.rfind("citeqa: ", 0), 0u) << result.err;
    EXPECT_EQ(result.out, "") << ::testing::PrintToString(args);
  }
  const CommandResult nothing = RunCiteqa({}, *root_);
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_NE(nothing.err.find("usage:"), std::string::npos) << nothing.err;
}

TEST_F(ServerIntegrationTest, HelpAndVersionExitWithZero) {
  const CommandResult help = RunCiteqa({"--help"}, *root_);
  EXPECT_EQ(help.exit_code, 0) << help.err;
  EXPECT_NE(help.out.find("citeqa serve"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("citeqa index"), std::string::npos) << help.out;

  const CommandResult serve_help = RunCiteqa({"serve", "--help"}, *root_);
  EXPECT_EQ(serve_help.exit_code, 0) << serve_help.err;
  EXPECT_NE(serve_help.out.find("--max-connections"), std::string::npos) << serve_help.out;
  EXPECT_EQ(serve_help.out.find("citeqa index"), std::string::npos) << serve_help.out;

  const CommandResult version = RunCiteqa({"--version"}, *root_);
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.out.rfind("citeqa ", 0), 0u) << version.out;
  EXPECT_NE(version.out.find('.'), std::string::npos) << version.out;
}

TEST_F(ServerIntegrationTest, AskOnTheCommandLine) {
  const CommandResult plain = RunCiteqa({"ask", "--db", Db(), kAnswerableQuestion}, *root_);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  // The answer, a blank line, then "[1] Title (file)" and an indented excerpt per citation.
  const size_t blank = plain.out.find("\n\n");
  ASSERT_NE(blank, std::string::npos) << plain.out;
  EXPECT_GT(blank, 0u);
  EXPECT_EQ(plain.out.compare(blank + 2, 4, "[1] "), 0) << plain.out;
  EXPECT_NE(plain.out.find(".txt)\n    "), std::string::npos) << plain.out;

  const CommandResult as_json =
      RunCiteqa({"ask", "--db", Db(), "--json", "--top-k", "3", kAnswerableQuestion}, *root_);
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  json cli_body = json::parse(as_json.out, nullptr, false);
  ASSERT_FALSE(cli_body.is_discarded()) << as_json.out;
  EXPECT_EQ(cli_body["found"], true);
  EXPECT_LE(cli_body["citations"].size(), 3u);

  // --json prints exactly what POST /api/ask returns (apart from timing and the id).
  StartServer();
  json http_body = Ask({{"question", kAnswerableQuestion}, {"top_k", 3}});
  for (json* body : {&cli_body, &http_body}) {
    ASSERT_TRUE(body->contains("took_ms"));
    ASSERT_TRUE(body->contains("conversation_id"));
    body->erase("took_ms");
    body->erase("conversation_id");
  }
  EXPECT_EQ(cli_body, http_body);

  // --explain with --json: the same body with the explanation inside it, nothing on stderr.
  const CommandResult explained = RunCiteqa(
      {"ask", "--db", Db(), "--json", "--top-k", "3", "--explain", kAnswerableQuestion}, *root_);
  ASSERT_EQ(explained.exit_code, 0) << explained.err;
  EXPECT_EQ(explained.err, "");
  json explained_body = json::parse(explained.out, nullptr, false);
  ASSERT_FALSE(explained_body.is_discarded()) << explained.out;
  ASSERT_TRUE(explained_body.contains("explanation")) << explained.out;
  ExpectExplanationAddsUp(explained_body["explanation"]);
  EXPECT_EQ(explained_body["explanation"]["decision"]["found"], explained_body["found"]);
  EXPECT_FALSE(cli_body.contains("explanation"));
  for (const char* key : {"took_ms", "conversation_id", "explanation"}) explained_body.erase(key);
  EXPECT_EQ(explained_body, cli_body);

  // --explain as text: the plain answer, then the explanation, on stdout.
  const CommandResult explained_text =
      RunCiteqa({"ask", "--db", Db(), "--explain", kAnswerableQuestion}, *root_);
  ASSERT_EQ(explained_text.exit_code, 0) << explained_text.err;
  EXPECT_EQ(explained_text.err, "");
  ASSERT_EQ(explained_text.out.rfind(plain.out + "\nquestion: ", 0), 0u) << explained_text.out;
  for (const char* part : {"\n  concept '", "\npassage #1 (id ", " = bias ", "\nanswered: chance ",
                           "\nstages (ms): analysis "}) {
    EXPECT_NE(explained_text.out.find(part), std::string::npos) << part;
  }

  const CommandResult empty = RunCiteqa({"ask", "--db", Db(), "   "}, *root_);
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.err.find("citeqa: "), std::string::npos);
  const CommandResult no_db =
      RunCiteqa({"ask", "--db", (*root_ / "missing.db").string(), "q"}, *root_);
  EXPECT_EQ(no_db.exit_code, 1);
  EXPECT_NE(no_db.err.find("missing.db"), std::string::npos) << no_db.err;
}

TEST_F(ServerIntegrationTest, AnswersWithCitationsThatResolveToPassages) {
  StartServer();
  const json body = Ask({{"question", kAnswerableQuestion}});
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body["found"], true);
  EXPECT_TRUE(body["answer"].is_string());
  EXPECT_LE(body["answer"].get<std::string>().size(), 600u);
  EXPECT_TRUE(body["took_ms"].is_number());
  EXPECT_TRUE(body["conversation_id"].is_string());
  ASSERT_FALSE(body["citations"].empty());
  int n = 0;
  for (const json& citation : body["citations"]) {
    EXPECT_EQ(citation["n"], ++n);
    for (const char* key : {"doc", "title", "passage"}) {
      EXPECT_TRUE(citation[key].is_string()) << key;
    }
    EXPECT_TRUE(citation["score"].is_number());
    const std::string passage = citation["passage"];
    for (const json& range : citation["highlights"]) {
      EXPECT_LE(range[0].get<size_t>(), range[1].get<size_t>());
      EXPECT_LE(range[1].get<size_t>(), passage.size());
    }
    const std::string path =
        "/api/passages/" + std::to_string(citation["passage_id"].get<int64_t>());
    auto result = Client().Get(path.c_str());
    ASSERT_TRUE(result) << path;
    ASSERT_EQ(result->status, 200) << path << ": " << result->body;
    const json context = json::parse(result->body);
    EXPECT_EQ(context["passage"], citation["passage"]) << path;
    EXPECT_EQ(context["file"], citation["doc"]) << path;
    EXPECT_EQ(context["title"], citation["title"]) << path;
    EXPECT_TRUE(context["heading"].is_string());
    EXPECT_TRUE(context["before"].is_array());
    EXPECT_TRUE(context["after"].is_array());
  }
  ExpectCitationContract(body, 5);
  for (const int top_k : {1, 3}) {
    ExpectCitationContract(Ask({{"question", kAnswerableQuestion}, {"top_k", top_k}}),
                           static_cast<size_t>(top_k));
  }
  // With "explain": the explanation, adding up.
  EXPECT_FALSE(body.contains("explanation"));
  const json explained = Ask({{"question", kAnswerableQuestion}, {"explain", true}});
  ASSERT_TRUE(explained.contains("explanation")) << explained.dump();
  ExpectExplanationAddsUp(explained["explanation"]);
  // Every [n] marker in the answer refers to a citation.
  const std::string answer = body["answer"];
  static const std::regex kMarker(R"(\[(\d+)\])");
  for (auto it = std::sregex_iterator(answer.begin(), answer.end(), kMarker);
       it != std::sregex_iterator(); ++it) {
    const int marker = std::stoi((*it)[1]);
    EXPECT_GE(marker, 1);
    EXPECT_LE(marker, n) << answer;
  }

  // A follow-up in the same conversation, then the same with explicit history.
  const json follow_up = Ask({{"question", "what about their responsibilities?"},
                              {"conversation_id", body["conversation_id"]}});
  EXPECT_EQ(follow_up["conversation_id"], body["conversation_id"]);
  const json with_history =
      Ask({{"question", "what about their responsibilities?"}, {"history", {kAnswerableQuestion}}});
  EXPECT_TRUE(with_history["found"].is_boolean());

  const json unanswerable = Ask({{"question", "What is the boiling point of liquid nitrogen?"}});
  EXPECT_EQ(unanswerable["found"], false) << unanswerable.dump();
  EXPECT_TRUE(unanswerable["citations"].empty());
}

TEST_F(ServerIntegrationTest, EveryRouteWithGoodAndBadInput) {
  StartServer();
  const std::string megabyte = "{\"question\": \"" + std::string(1 << 20, 'a') + "\"}";
  struct Case {
    std::string method;
    std::string path;
    std::string body;
    std::string content_type;
    int status;
    std::string error_code;  // empty: success
  } cases[] = {
      {"POST", "/api/ask", json{{"question", kAnswerableQuestion}}.dump(), "application/json", 200,
       ""},
      {"POST", "/api/ask", "{\"question\": ", "application/json", 400, "invalid_argument"},
      {"POST", "/api/ask", "not json at all", "application/json", 400, "invalid_argument"},
      {"POST", "/api/ask", R"({"question": ["a"]})", "application/json", 400, "invalid_argument"},
      {"POST", "/api/ask", R"({"question": "q", "top_k": 0})", "application/json", 400,
       "invalid_argument"},
      {"POST", "/api/ask", R"({"question": "q", "history": "x"})", "application/json", 400,
       "invalid_argument"},
      {"POST", "/api/ask", R"({"question": "q", "conversation_id": 1})", "application/json", 400,
       "invalid_argument"},
      {"POST", "/api/ask", R"({"top_k": 3})", "application/json", 400, "invalid_argument"},
      {"POST", "/api/ask", R"({"question": "q", "explain": "yes"})", "application/json", 400,
       "invalid_argument"},
      {"POST", "/api/ask", R"({"question": ""})", "application/json", 400, "invalid_argument"},
      {"POST", "/api/ask", json{{"question", std::string(10000, 'x')}}.dump(), "application/json",
       400, "invalid_argument"},
      {"POST", "/api/ask", R"({"question": "\u0000\u0001\u0002"})", "application/json", 400,
       "invalid_argument"},
      {"POST", "/api/ask", json{{"question", "?!?! ... ;;;"}}.dump(), "application/json", 400,
       "invalid_argument"},  // the engine finds no words in it
      {"POST", "/api/ask", json{{"question", "the the the a an of"}}.dump(), "application/json",
       200, ""},
      {"POST", "/api/ask", json{{"question", "\"unbalanced AND OR NOT ( * ^"}}.dump(),
       "application/json", 200, ""},
      {"POST", "/api/ask", megabyte, "application/json", 413, "payload_too_large"},
      {"POST", "/api/ask", R"({"question": "q"})", "text/plain", 415, "unsupported_media_type"},
      {"GET", "/api/ask", "", "", 405, "method_not_allowed"},
      {"PUT", "/api/ask", "{}", "application/json", 405, "method_not_allowed"},
      {"GET", "/api/passages/1", "", "", 200, ""},
      {"GET", "/api/passages/999999", "", "", 404, "not_found"},
      {"GET", "/api/passages/0", "", "", 400, "invalid_argument"},
      {"GET", "/api/passages/one", "", "", 400, "invalid_argument"},
      {"GET", "/api/passages/1e3", "", "", 400, "invalid_argument"},
      {"GET", "/api/passages/99999999999999999999999", "", "", 400, "invalid_argument"},
      {"DELETE", "/api/passages/1", "", "", 405, "method_not_allowed"},
      {"GET", "/api/documents", "", "", 200, ""},
      {"POST", "/api/documents", "{}", "application/json", 405, "method_not_allowed"},
      {"GET", "/healthz", "", "", 200, ""},
      {"POST", "/metrics", "{}", "application/json", 405, "method_not_allowed"},
      {"GET", "/no/such/route", "", "", 404, "not_found"},
      {"GET", "/api/asks", "", "", 404, "not_found"},
  };
  for (const Case& c : cases) {
    const std::string label = c.method + " " + c.path + " " + c.body.substr(0, 40);
    auto result = Send(c.method, c.path, c.body, c.content_type);
    ASSERT_TRUE(result) << label << ": " << httplib::to_string(result.error());
    EXPECT_EQ(result->status, c.status) << label << ": " << result->body.substr(0, 300);
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json") << label;
    const json body = json::parse(result->body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << label;
    if (c.error_code.empty()) {
      EXPECT_FALSE(body.contains("error")) << label << ": " << result->body.substr(0, 300);
    } else {
      EXPECT_EQ(body["error"]["code"], c.error_code) << label;
    }
  }
  auto not_allowed = Send("GET", "/api/ask");
  ASSERT_TRUE(not_allowed);
  EXPECT_EQ(not_allowed->get_header_value("Allow"), "POST");

  const json documents = json::parse(Client().Get("/api/documents")->body);
  EXPECT_EQ(documents["documents"].size(), static_cast<size_t>(corpus_files_));
  const json health = json::parse(Client().Get("/healthz")->body);
  EXPECT_EQ(health["status"], "ok");
  EXPECT_EQ(health["documents"], corpus_files_);
  static const std::regex kPassages(R"(passages: (\d+))");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(index_result_->out, match, kPassages));
  EXPECT_EQ(health["passages"], std::stoi(match[1]));

  // Raw protocol abuse is answered with 4xx and leaves the server up.
  EXPECT_EQ(testing::RawHttp(server_.port(), "NONSENSE\r\n\r\n").rfind("HTTP/1.1 400", 0), 0u);
  EXPECT_EQ(testing::RawHttp(server_.port(),
                             "POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: "
                             "application/json\r\nConnection: close\r\n\r\n")
                .rfind("HTTP/1.1 400", 0),
            0u);
  auto healthy = Client().Get("/healthz");
  ASSERT_TRUE(healthy);
  EXPECT_EQ(healthy->status, 200);

  // One access-log line per request: method, path, status, latency.
  const std::string log = server_.Stderr();
  EXPECT_NE(log.find("GET \"/api/passages/999999\" 404 "), std::string::npos) << log;
  EXPECT_NE(log.find("POST \"/api/ask\" 413 "), std::string::npos) << log;
  EXPECT_EQ(log.find(" 500 "), std::string::npos) << log;
}

TEST_F(ServerIntegrationTest, ChatPageAndGzip) {
  StartServer();
  struct Case {
    std::string path;
    std::string content_type;
  } cases[] = {
      {"/", "text/html; charset=utf-8"},
      {"/app.js", "text/javascript; charset=utf-8"},
      {"/style.css", "text/css; charset=utf-8"},
  };
  for (const Case& c : cases) {
    auto result = Client().Get(c.path.c_str());
    ASSERT_TRUE(result) << c.path;
    EXPECT_EQ(result->status, 200) << c.path;
    EXPECT_EQ(result->get_header_value("Content-Type"), c.content_type) << c.path;
    EXPECT_EQ(result->get_header_value("Cache-Control"), "no-cache") << c.path;
    EXPECT_EQ(result->get_header_value("Content-Security-Policy"), kContentSecurityPolicy);
    EXPECT_EQ(result->get_header_value("X-Frame-Options"), "DENY");
    EXPECT_EQ(result->get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(result->get_header_value("Referrer-Policy"), "no-referrer");
    EXPECT_FALSE(result->body.empty()) << c.path;
  }

  httplib::Client raw = Client();
  raw.set_decompress(false);
  const std::string question = json{{"question", kAnswerableQuestion}, {"top_k", 20}}.dump();
  auto gzipped = raw.Post("/api/ask", {{"Accept-Encoding", "gzip"}}, question, "application/json");
  ASSERT_TRUE(gzipped);
  EXPECT_EQ(gzipped->status, 200);
  EXPECT_EQ(gzipped->get_header_value("Content-Encoding"), "gzip");
  ASSERT_GE(gzipped->body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(gzipped->body[0]), 0x1f);
  auto decoded =
      Client().Post("/api/ask", {{"Accept-Encoding", "gzip"}}, question, "application/json");
  ASSERT_TRUE(decoded);
  EXPECT_GT(decoded->body.size(), gzipped->body.size());
  EXPECT_TRUE(json::parse(decoded->body).contains("answer"));
}

TEST_F(ServerIntegrationTest, MetricsCountRoutesAndAnswers) {
  StartServer();
  Ask({{"question", kAnswerableQuestion}});
  Ask({{"question", "What is the boiling point of liquid nitrogen?"}});
  ASSERT_TRUE(Client().Get("/api/passages/999999"));
  auto result = Client().Get("/metrics");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  const std::string& text = result->body;
  for (const std::string& line : std::vector<std::string>{
           "citeqa_http_requests_total{route=\"/api/ask\",status=\"200\"} 2\n",
           "citeqa_http_requests_total{route=\"/api/passages/{id}\",status=\"404\"} 1\n",
           "citeqa_questions_total{outcome=\"answered\"} 1\n",
           "citeqa_questions_total{outcome=\"abstained\"} 1\n",
           "citeqa_index_documents " + std::to_string(corpus_files_) + "\n",
           "# TYPE citeqa_http_request_duration_seconds histogram\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "in:\n" << text;
  }
}

TEST_F(ServerIntegrationTest, EvalScoresAQuestionFile) {
  const fs::path questions = *root_ / "questions.jsonl";
  std::ofstream(questions) << json{{"id", "a1"},
                                   {"q", kAnswerableQuestion},
                                   {"gold", {"product"}},
                                   {"kind", "lookup"}}
                                  .dump()
                           << "\n"
                           << json{{"id", "n1"},
                                   {"q", "What is the boiling point of liquid nitrogen?"},
                                   {"expect", "abstain"},
                                   {"kind", "negative"}}
                                  .dump()
                           << "\n"
                           << json{{"id", "c1"},
                                   {"turns", {kAnswerableQuestion, "and their responsibilities?"}},
                                   {"gold", {"product"}},
                                   {"kind", "conversation"}}
                                  .dump()
                           << "\n";
  const CommandResult table = RunCiteqa({"eval", "--db", Db(), questions.string()}, *root_);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_FALSE(table.out.empty());

  const CommandResult as_json =
      RunCiteqa({"eval", "--db", Db(), questions.string(), "--json"}, *root_);
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  const json report = json::parse(as_json.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << as_json.out.substr(0, 300);
  for (const char* key :
       {"hit_at_1", "hit_at_3", "hit_at_5", "mrr_at_5", "answer_hit", "abstention_rate",
        "latency_p50_ms", "latency_p99_ms", "by_kind", "questions", "false_abstention_share",
        "accuracy", "mixed_share", "answer_sentences"}) {
    EXPECT_TRUE(report["summary"].contains(key)) << key;
  }
  EXPECT_EQ(report["summary"]["questions"], 3);
  EXPECT_EQ(report["summary"]["negatives"], 1);
  ASSERT_EQ(report["results"].size(), 3u);
  std::vector<std::string> ids;
  for (const json& result : report["results"]) {
    ids.push_back(result["id"]);
    EXPECT_TRUE(result["kind"].is_string());
    for (const char* key : {"answer", "found", "citations", "conversation_id", "took_ms"}) {
      EXPECT_TRUE(result["response"].contains(key)) << key;
    }
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"a1", "n1", "c1"}));

  const CommandResult missing =
      RunCiteqa({"eval", "--db", Db(), (*root_ / "nope.jsonl").string()}, *root_);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("nope.jsonl"), std::string::npos) << missing.err;
}

TEST_F(ServerIntegrationTest, ModelsFromAFolderAndTheTrainingFeatures) {
  const fs::path empty = *root_ / "no_models";
  fs::create_directories(empty);
  // A folder must hold every model; a missing one is named.
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"ask", "--db", Db(), "--models", empty.string(), kAnswerableQuestion},
           {"serve", "--db", Db(), "--port", "0", "--models", empty.string()}}) {
    const CommandResult missing = RunCiteqa(args, *root_);
    EXPECT_EQ(missing.exit_code, 1) << ::testing::PrintToString(args);
    EXPECT_EQ(missing.out, "");
    EXPECT_NE(missing.err.find("passage_ranker.json"), std::string::npos) << missing.err;
  }
  const CommandResult from_folder = RunCiteqa(
      {"ask", "--db", Db(), "--json", "--models", CITEQA_MODELS_DIR, kAnswerableQuestion}, *root_);
  EXPECT_EQ(from_folder.exit_code, 0) << from_folder.err;
  EXPECT_FALSE(json::parse(from_folder.out, nullptr, false).is_discarded()) << from_folder.out;

  // `citeqa features`: the feature names, then a line per question.
  const fs::path questions = *root_ / "features.jsonl";
  std::ofstream(questions)
      << json{{"id", "f1"},        {"q", kAnswerableQuestion},          {"gold", {"product"}},
              {"kind", "compare"}, {"doc", "000_b318a2bcfd736056.txt"}, {"para", 2}}
             .dump()
      << "\n"
      << json{{"id", "f2"}, {"q", "zzqx vvqy wwqz"}, {"expect", "abstain"}, {"kind", "negative"}}
             .dump()
      << "\n";
  const CommandResult features =
      RunCiteqa({"features", "--db", Db(), "--models", empty.string(), questions.string()}, *root_);
  ASSERT_EQ(features.exit_code, 0) << features.err;
  std::vector<json> lines;
  std::istringstream out(features.out);
  for (std::string line; std::getline(out, line);) {
    lines.push_back(json::parse(line, nullptr, false));
    ASSERT_FALSE(lines.back().is_discarded()) << line.substr(0, 200);
  }
  ASSERT_EQ(lines.size(), 3u);
  const json& names = lines[0]["features"];
  for (const char* stage : {"passage", "sentence", "answerability"}) {
    ASSERT_TRUE(names[stage].is_array()) << stage;
    EXPECT_FALSE(names[stage].empty()) << stage;
  }
  auto count = [](const std::string& values) {
    std::istringstream in(values);
    size_t n = 0;
    for (double v; in >> v;) ++n;
    return n;
  };
  const json& answered = lines[1];
  EXPECT_EQ(answered["id"], "f1");
  EXPECT_EQ(answered["doc"], "000_b318a2bcfd736056.txt");
  EXPECT_EQ(answered["para"], 2);
  ASSERT_FALSE(answered["candidates"].empty());
  for (const json& c : answered["candidates"]) {
    EXPECT_EQ(count(c["features"]), names["passage"].size());
  }
  ASSERT_FALSE(answered["sentences"].empty());
  for (const json& s : answered["sentences"]) {
    EXPECT_EQ(count(s["features"]), names["sentence"].size());
  }
  EXPECT_EQ(count(answered["answerability"]), names["answerability"].size());
  EXPECT_EQ(answered["found"], true)
      << "without an answerability model, a matched question is answered";
  // Without a passage model the retrieval order stands.
  ASSERT_FALSE(answered["ranked"].empty());
  EXPECT_EQ(answered["ranked"][0], answered["candidates"][0]["passage_id"]);
  const json& unmatched = lines[2];
  EXPECT_EQ(unmatched["id"], "f2");
  EXPECT_EQ(unmatched["expect_abstain"], true);
  EXPECT_TRUE(unmatched["candidates"].empty());
  EXPECT_EQ(unmatched["found"], false);

  const CommandResult no_file =
      RunCiteqa({"features", "--db", Db(), (*root_ / "nope.jsonl").string()}, *root_);
  EXPECT_EQ(no_file.exit_code, 1);
  EXPECT_NE(no_file.err.find("nope.jsonl"), std::string::npos) << no_file.err;
}

TEST_F(ServerIntegrationTest, ServeFailsClearlyOnABadDatabaseOrBusyPort) {
  const CommandResult no_db =
      RunCiteqa({"serve", "--db", (*root_ / "missing.db").string(), "--port", "0"}, *root_);
  EXPECT_EQ(no_db.exit_code, 1);
  EXPECT_EQ(no_db.out, "");
  EXPECT_NE(no_db.err.find("missing.db"), std::string::npos) << no_db.err;

  StartServer();
  const CommandResult busy =
      RunCiteqa({"serve", "--db", Db(), "--port", std::to_string(server_.port())}, *root_);
  EXPECT_EQ(busy.exit_code, 1);
  EXPECT_EQ(busy.out, "");
  EXPECT_NE(busy.err.find("cannot listen"), std::string::npos) << busy.err;
}

TEST_F(ServerIntegrationTest, SigtermStopsGracefullyWithExitZero) {
  StartServer();
  auto result = Client().Get("/healthz");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(server_.StopWith(SIGTERM), 0) << server_.Stderr();
  EXPECT_FALSE(Client().Get("/healthz")) << "still answering after SIGTERM";
}

TEST_F(ServerIntegrationTest, SigintStopsGracefullyWithExitZero) {
  StartServer();
  ASSERT_TRUE(Client().Get("/healthz"));
  EXPECT_EQ(server_.StopWith(SIGINT), 0) << server_.Stderr();
}

}  // namespace
}  // namespace citeqa::server
