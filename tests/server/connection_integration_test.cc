// The connection edge of the real `citeqa serve` (issue 13, items 1 and 2): idle, silent
// and slowloris connections must not keep a normal client waiting; slow heads are cut after
// --header-timeout; an endless body, a header flood, an over-long line and ambiguous
// Content-Lengths are refused from the head; the connection cap answers 503. Short
// deadlines come from flags so every test stays within a few seconds.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

#include "tests/server/raw_http.h"

namespace citeqa::server {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using testing::RawConnection;

const std::string kBinary = CITEQA_BINARY;

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// A `citeqa serve` child process on a free port.
class ServerProcess {
 public:
  ~ServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) ::close(out_fd_);
  }

  // Returns "" once it prints its "listening on" line, or what went wrong.
  std::string Start(const std::vector<std::string>& args, const fs::path& stderr_path) {
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) return "pipe failed";
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(pipe_fds[1], STDOUT_FILENO);
      const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(err, STDERR_FILENO);
      ::close(pipe_fds[0]);
      ::close(pipe_fds[1]);
      std::vector<char*> argv = {const_cast<char*>(kBinary.c_str())};
      for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      ::execv(kBinary.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(pipe_fds[1]);
    out_fd_ = pipe_fds[0];
    std::string line;
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (line.find('\n') == std::string::npos) {
      if (Clock::now() > deadline) return "no 'listening on' line in 30 s";
      pollfd poll_fd{out_fd_, POLLIN, 0};
      if (::poll(&poll_fd, 1, 200) <= 0) continue;
      char c = 0;
      if (::read(out_fd_, &c, 1) != 1) return "the server exited early";
      line += c;
    }
    static const std::regex kListening(R"(listening on http://127\.0\.0\.1:(\d+)\n)");
    std::smatch match;
    if (!std::regex_match(line, match, kListening)) return "unexpected: " + line;
    port_ = std::stoi(match[1]);
    return "";
  }

  int port() const { return port_; }

  // The server's resident memory in KiB (VmRSS), or -1.
  long RssKib() const {
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int port_ = 0;
};

class ConnectionIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (kBinary.empty() || !fs::exists(kBinary)) return;
    root_ = new fs::path(fs::temp_directory_path() /
                         ("citeqa_connection_it_" + std::to_string(::getpid())));
    fs::remove_all(*root_);
    fs::create_directories(*root_ / "corpus");
    for (const auto& entry : fs::directory_iterator(CITEQA_CORPUS_DIR)) {
      if (entry.path().extension() == ".txt" && entry.path().filename() != "synonyms.txt") {
        fs::copy_file(entry.path(), *root_ / "corpus" / entry.path().filename());
      }
    }
    const std::string command = kBinary + " index --corpus " + (*root_ / "corpus").string() +
                                " --db " + Db() + " > /dev/null";
    index_ok_ = std::system(command.c_str()) == 0;
  }

  static void TearDownTestSuite() {
    if (root_ != nullptr) fs::remove_all(*root_);
    delete root_;
    root_ = nullptr;
  }

  void SetUp() override {
    if (kBinary.empty() || !fs::exists(kBinary)) {
      GTEST_SKIP() << "the citeqa binary is not built (" << kBinary << ")";
    }
    ASSERT_TRUE(index_ok_) << "citeqa index failed";
  }

  static std::string Db() { return (*root_ / "index.db").string(); }

  void StartServer(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"serve", "--db", Db(), "--port", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');  // parameterised tests: "Name/0"
    const std::string error = server_.Start(args, *root_ / (name + ".stderr"));
    ASSERT_EQ(error, "");
  }

  std::unique_ptr<RawConnection> Connect() const {
    auto connection = std::make_unique<RawConnection>(server_.port());
    EXPECT_TRUE(connection->connected());
    return connection;
  }

  // The normal client: /healthz and /api/ask on a fresh connection; both must succeed.
  // Returns the slower of the two latencies in ms.
  double NormalClientRound() const {
    httplib::Client client("127.0.0.1", server_.port());
    client.set_connection_timeout(15, 0);
    client.set_read_timeout(15, 0);
    const auto start = Clock::now();
    auto health = client.Get("/healthz");
    const double health_ms = MillisecondsSince(start);
    EXPECT_TRUE(health && health->status == 200);
    const auto ask_start = Clock::now();
    auto ask = client.Post("/api/ask", R"({"question": "What does a product owner do?"})",
                           "application/json");
    const double ask_ms = MillisecondsSince(ask_start);
    EXPECT_TRUE(ask && ask->status == 200) << (ask ? ask->body : "no answer");
    return std::max(health_ms, ask_ms);
  }

  static fs::path* root_;
  static bool index_ok_;
  ServerProcess server_;
};

fs::path* ConnectionIntegrationTest::root_ = nullptr;
bool ConnectionIntegrationTest::index_ok_ = false;

// 200 idle keep-alive connections (100 that never sent a byte, 100 after a request) and 20
// slowloris connections (a header byte every 300 ms) are open; the normal client is
// answered while every silent and slowloris connection is still held open.
class UnderAttackTest : public ConnectionIntegrationTest,
                        public ::testing::WithParamInterface<std::vector<std::string>> {};

TEST_P(UnderAttackTest, NormalClientIsAnsweredWhileIdleAndSlowClientsHoldConnections) {
  StartServer(GetParam());
  std::vector<std::unique_ptr<RawConnection>> silent, kept_alive, slow;
  for (int i = 0; i < 100; ++i) silent.push_back(Connect());
  for (int i = 0; i < 100; ++i) {
    kept_alive.push_back(Connect());
    kept_alive.back()->Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(kept_alive.back()->Read(false).rfind("HTTP/1.1 200", 0), 0u) << i;
  }
  for (int i = 0; i < 20; ++i) {
    slow.push_back(Connect());
    slow.back()->Send("GET /healthz HTTP/1.1\r\n");
  }
  std::atomic<bool> release{false};
  std::thread slowloris([&] {
    while (!release) {
      for (auto& connection : slow) connection->Send("X");
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  const double worst_ms = NormalClientRound();
  const double second_ms = NormalClientRound();
  // Answered before the attackers were released: every silent and slow one still open.
  int still_open = 0;
  for (auto& connection : silent) still_open += connection->StillOpen() ? 1 : 0;
  for (auto& connection : slow) still_open += connection->StillOpen() ? 1 : 0;
  release = true;
  slowloris.join();
  EXPECT_EQ(still_open, 120);
  RecordProperty("normal_client_worst_ms", std::to_string(std::max(worst_ms, second_ms)));
  std::printf("normal client under attack: %.1f ms, %.1f ms\n", worst_ms, second_ms);
}

INSTANTIATE_TEST_SUITE_P(DefaultsAndTwoThreads, UnderAttackTest,
                         ::testing::Values(std::vector<std::string>{},
                                           std::vector<std::string>{"--threads", "2"}));

TEST_F(ConnectionIntegrationTest, SlowHeadsAreCutAfterTheHeaderTimeout) {
  StartServer({"--header-timeout", "1"});
  auto slow = Connect();
  auto silent = Connect();
  slow->Send("GET /healthz HTTP/1.1\r\n");
  // A byte every 200 ms: a timeout per byte would never fire, the total one does.
  std::string response;
  const auto start = Clock::now();
  slow->SetReadTimeout(200);
  while (MillisecondsSince(start) < 6000 && response.empty()) {
    slow->Send("X");
    response = slow->Read(/*until_close=*/true);
  }
  EXPECT_EQ(response.rfind("HTTP/1.1 408", 0), 0u) << response;
  EXPECT_NE(response.find("\"code\":\"request_timeout\""), std::string::npos) << response;
  EXPECT_FALSE(slow->StillOpen());
  // A connection that never sent a byte is closed without an answer.
  silent->SetReadTimeout(3000);
  EXPECT_EQ(silent->Read(/*until_close=*/true), "");
  EXPECT_FALSE(silent->StillOpen());

  httplib::Client client("127.0.0.1", server_.port());
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST_F(ConnectionIntegrationTest, EndlessBodyIsRefusedFromItsContentLength) {
  StartServer();
  auto connection = Connect();
  connection->Send(
      "POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 1000000000000\r\n\r\n");
  // Answered before a single body byte was sent, and the server closes its side.
  const std::string response = connection->Read(/*until_close=*/true);
  EXPECT_EQ(response.rfind("HTTP/1.1 413", 0), 0u) << response;
  EXPECT_NE(response.find("Connection: close"), std::string::npos) << response;
  EXPECT_NE(response.find("\"code\":\"payload_too_large\""), std::string::npos) << response;

  // Sending the body anyway ends with a reset well before it is all sent.
  ::fcntl(connection->fd(), F_SETFL, ::fcntl(connection->fd(), F_GETFL) | O_NONBLOCK);
  const std::string chunk(64 * 1024, 'a');
  uint64_t sent = 0;
  bool failed = false;
  const auto start = Clock::now();
  while (!failed && MillisecondsSince(start) < 8000) {
    const ssize_t n = ::send(connection->fd(), chunk.data(), chunk.size(), MSG_NOSIGNAL);
    if (n > 0) sent += static_cast<uint64_t>(n);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) failed = true;
    if (n < 0 && !failed) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(failed) << "the server still takes the body after " << sent << " bytes";
  EXPECT_LT(sent, 64u * 1024 * 1024);
}

TEST_F(ConnectionIntegrationTest, HeaderFloodGets431WithoutMemoryGrowth) {
  StartServer();
  httplib::Client warm("127.0.0.1", server_.port());
  ASSERT_TRUE(warm.Get("/healthz"));
  const long rss_before = server_.RssKib();
  ASSERT_GT(rss_before, 0);

  // A million header fields (~40 MB), sent while watching for the answer.
  auto connection = Connect();
  const int fd = connection->fd();
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  std::string block;
  for (int i = 0; i < 1000; ++i) {
    block += "X-Flood-" + std::to_string(i) + ": " + std::string(20, 'v') + "\r\n";
  }
  std::string pending = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  int blocks_left = 1000;
  std::string response;
  const auto start = Clock::now();
  while (MillisecondsSince(start) < 15000) {
    if (pending.empty() && blocks_left > 0) {
      pending = block;
      --blocks_left;
    }
    pollfd p{fd, static_cast<short>(POLLIN | (pending.empty() ? 0 : POLLOUT)), 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    if (p.revents & POLLIN) {
      char buffer[4096];
      const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      response.append(buffer, static_cast<size_t>(n));
      if (testing::ResponseComplete(response)) break;
    }
    if ((p.revents & POLLOUT) && !pending.empty()) {
      const ssize_t n = ::send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
      if (n > 0) pending.erase(0, static_cast<size_t>(n));
      if (n < 0 && errno != EAGAIN) break;
    }
  }
  EXPECT_EQ(response.rfind("HTTP/1.1 431", 0), 0u) << response.substr(0, 300);
  EXPECT_GT(blocks_left, 0) << "the whole flood was taken";
  const long rss_after = server_.RssKib();
  EXPECT_LT(rss_after - rss_before, 10 * 1024) << rss_before << " KiB -> " << rss_after;
  std::printf("header flood: RSS %ld -> %ld KiB\n", rss_before, rss_after);
}

TEST_F(ConnectionIntegrationTest, MalformedHeadsAreRefusedWithTheRightStatus) {
  StartServer();
  struct Case {
    std::string request;
    std::string status_line;
  } cases[] = {
      {"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: " + std::string(9000, 'a') + "\r\n\r\n",
       "HTTP/1.1 431"},
      {"GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 414"},
      {"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
       "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
       "HTTP/1.1 400"},
      {"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
       "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}",
       "HTTP/1.1 400"},
      {"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
       "Content-Length: 2, 2\r\n\r\n{}",
       "HTTP/1.1 400"},
      {"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
       "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}",
       "HTTP/1.1 400"},
  };
  for (const Case& c : cases) {
    const std::string response = testing::RawHttp(server_.port(), c.request, true);
    EXPECT_EQ(response.rfind(c.status_line, 0), 0u) << c.request.substr(0, 80) << "\ngot:\n"
                                                    << response.substr(0, 300);
    EXPECT_NE(response.find("Content-Type: application/json"), std::string::npos);
  }
  httplib::Client client("127.0.0.1", server_.port());
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST_F(ConnectionIntegrationTest, ConnectionCapEvictsIdleConnectionsThenAnswers503) {
  StartServer({"--max-connections", "5", "--keep-alive-timeout", "30"});
  // Five idle keep-alive connections: a newcomer makes the longest-idle one go.
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 5; ++i) {
    idle.push_back(Connect());
    idle.back()->Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(idle.back()->Read(false).rfind("HTTP/1.1 200", 0), 0u);
  }
  // A worker gives a connection back just after its response: let the last one arrive.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const std::string served = testing::RawHttp(
      server_.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(served.rfind("HTTP/1.1 200", 0), 0u) << served;
  // One idle connection (the longest idle, give or take the order in which the workers
  // gave them back) was closed to make room.
  int closed = 0;
  for (int attempt = 0; attempt < 60 && closed == 0; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    closed = 0;
    for (auto& connection : idle) closed += connection->StillOpen() ? 0 : 1;
  }
  EXPECT_EQ(closed, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // `served` leaves its worker

  // Five connections in the middle of a request head: none can go, the newcomer gets 503.
  std::vector<std::unique_ptr<RawConnection>> busy;
  for (int i = 0; i < 5; ++i) {
    busy.push_back(Connect());
    busy.back()->Send("GET /healthz HTTP/1.1\r\n");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const std::string refused = testing::RawHttp(server_.port(), "GET /healthz HTTP/1.1\r\n\r\n");
  EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0u) << refused;
  EXPECT_NE(refused.find("Retry-After: 1\r\n"), std::string::npos) << refused;
  for (auto& connection : busy) {
    char byte = 0;
    EXPECT_LT(::recv(connection->fd(), &byte, 1, MSG_PEEK | MSG_DONTWAIT), 0)
        << "a connection with a head on its way is neither answered nor closed";
  }

  // Once they are gone there is room again.
  busy.clear();
  idle.clear();
  std::string again;
  for (int attempt = 0; attempt < 50 && again.rfind("HTTP/1.1 200", 0) != 0; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    again = testing::RawHttp(server_.port(), "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
  }
  EXPECT_EQ(again.rfind("HTTP/1.1 200", 0), 0u) << again;
}

}  // namespace
}  // namespace citeqa::server
