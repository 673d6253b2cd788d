// Child processes of the `citeqa` binary for the admin integration tests: run a command to
// its end, or start `citeqa serve --port 0` and learn its port. The child's environment is
// built before fork (only exec runs in the child), so tests can set or remove
// CITEQA_ADMIN_TOKEN per process.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace citeqa::server::testing {

// Name -> value to set, or nullopt to remove from the inherited environment.
using EnvChanges = std::map<std::string, std::optional<std::string>>;

inline std::string ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Forks and execs `binary` with `args`; stdout through a pipe (*out_fd), stderr to a file.
inline pid_t SpawnProcess(const std::string& binary, const std::vector<std::string>& args,
                          const EnvChanges& env, const std::filesystem::path& stderr_path,
                          int* out_fd) {
  std::vector<std::string> env_strings;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    if (env.count(text.substr(0, text.find('='))) == 0) env_strings.push_back(text);
  }
  for (const auto& [name, value] : env) {
    if (value.has_value()) env_strings.push_back(name + "=" + *value);
  }
  std::vector<char*> envp;
  for (std::string& text : env_strings) envp.push_back(text.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_strings = {binary};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return -1;
  const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    ::execve(binary.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  ::close(err);
  *out_fd = pipe_fds[0];
  return pid;
}

// Waits up to `seconds` for `pid`; its exit code, -1 if killed by a signal, or -2 (after
// killing it) if it did not exit in time.
inline int WaitForExit(pid_t pid, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return -2;
}

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline ProcessResult RunProcess(const std::string& binary, const std::vector<std::string>& args,
                                const std::filesystem::path& scratch, const EnvChanges& env = {},
                                int timeout_seconds = 300) {
  ProcessResult result;
  const std::filesystem::path err_path = scratch / "command.stderr";
  int out_fd = -1;
  const pid_t pid = SpawnProcess(binary, args, env, err_path, &out_fd);
  if (pid < 0) return result;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = ::read(out_fd, buffer, sizeof buffer)) > 0) {
    result.out.append(buffer, static_cast<size_t>(n));
  }
  ::close(out_fd);
  result.exit_code = WaitForExit(pid, timeout_seconds);
  result.err = ReadWholeFile(err_path);
  return result;
}

// A running `citeqa serve`, killed when destroyed.
class ServeProcess {
 public:
  ServeProcess() = default;
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;
  ~ServeProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) ::close(out_fd_);
  }

  // Starts it and waits for "listening on http://127.0.0.1:PORT". "" or what went wrong.
  std::string Start(const std::string& binary, const std::vector<std::string>& args,
                    const EnvChanges& env, const std::filesystem::path& stderr_path) {
    stderr_path_ = stderr_path;
    pid_ = SpawnProcess(binary, args, env, stderr_path, &out_fd_);
    if (pid_ < 0) return "fork failed";
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (line.find('\n') == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) return "no 'listening on' line in 60 s";
      pollfd poll_fd{out_fd_, POLLIN, 0};
      if (::poll(&poll_fd, 1, 200) <= 0) continue;
      char c = 0;
      if (::read(out_fd_, &c, 1) != 1) return "server exited early: " + Stderr();
      line += c;
    }
    static const std::regex kListening(R"(listening on http://127\.0\.0\.1:(\d+)\n)");
    std::smatch match;
    if (!std::regex_match(line, match, kListening)) return "unexpected: " + line;
    port_ = std::stoi(match[1]);
    return "";
  }

  // Sends `signal_number`; the exit code (see WaitForExit).
  int StopWith(int signal_number) {
    ::kill(pid_, signal_number);
    const int code = WaitForExit(pid_, 30);
    pid_ = -1;
    return code;
  }

  int port() const { return port_; }
  std::string Stderr() const { return ReadWholeFile(stderr_path_); }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int port_ = 0;
  std::filesystem::path stderr_path_;
};

// A fresh folder for one test, <tmp>/<prefix>_<pid>_<test_name> (emptied first), with
// corpus/ holding copies of the .txt articles of `seed_corpus`; their file names are added
// to *copied when it is given.
// Removes a test's folder while a server it started may still be running (it is stopped
// after TearDown): files such as a SQLite write-ahead log can vanish during the walk, so
// the removal is retried instead of throwing.
inline void RemoveTestRoot(const std::filesystem::path& root) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    std::error_code error;
    std::filesystem::remove_all(root, error);
    if (!error) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

inline std::filesystem::path MakeTestRootWithSeedCorpus(const std::string& prefix,
                                                        const std::string& test_name,
                                                        const std::filesystem::path& seed_corpus,
                                                        std::vector<std::string>* copied = nullptr) {
  namespace fs = std::filesystem;
  const fs::path root =
      fs::temp_directory_path() / (prefix + "_" + std::to_string(::getpid()) + "_" + test_name);
  fs::remove_all(root);
  fs::create_directories(root / "corpus");
  for (const auto& entry : fs::directory_iterator(seed_corpus)) {
    if (entry.path().extension() != ".txt") continue;
    fs::copy_file(entry.path(), root / "corpus" / entry.path().filename());
    if (copied != nullptr) copied->push_back(entry.path().filename().string());
  }
  return root;
}

}  // namespace citeqa::server::testing
