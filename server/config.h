// Settings of the HTTP server (`citeqa serve`): where the index is, where to listen, and
// the limits that protect it from hostile clients.
#pragma once

#include <cstddef>
#include <string>

#include "indexer/status.h"
#include "server/access_log.h"

namespace citeqa::server {

inline constexpr size_t kMaxRequestBodyBytes = 64 * 1024;

struct ServerConfig {
  std::string db_path;
  std::string corpus_dir;  // optional; the folder the index was built from
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: the operating system picks a free port
  int threads = 0;  // worker threads; 0: DefaultThreadCount()
  int read_timeout_seconds = 10;   // per wait for more of a body read by a worker
  int write_timeout_seconds = 10;  // per wait for a client to take more of a response
  // The connection guard (server/head_reader.h): a client must send its whole request head
  // within --header-timeout of connecting (or of its first byte after an idle keep-alive
  // wait) and its body within --body-timeout; idle keep-alive connections are closed after
  // --keep-alive-timeout; beyond --max-connections open connections the longest-idle one
  // is closed, or the newcomer gets 503 with Retry-After.
  int header_timeout_seconds = 10;
  int body_timeout_seconds = 30;
  int keep_alive_timeout_seconds = 2;
  int max_connections = 1024;
  size_t max_body_bytes = kMaxRequestBodyBytes;
  int passage_context = 2;          // neighbouring passages on each side in /api/passages/{id}
  int answer_cache_entries = 1024;  // --answer-cache: recent answers kept; 0 turns it off
  std::string models_dir;           // --models: model files to use instead of the built-in ones
  // --watch: re-index when files in corpus_dir change (needs corpus_dir).
  bool watch = false;
  int watch_debounce_ms = 500;  // quiet time after the last change before re-indexing
  // Bearer token of the admin endpoints; from CITEQA_ADMIN_TOKEN, never from the command
  // line (argv is visible to other users). Empty: the admin endpoints refuse every request.
  std::string admin_token;
  // --question-log-days: how long abstained questions and votes are kept for the
  // unanswered-questions report (0: nothing is kept and feedback is refused).
  int question_log_days = 30;
  // --log-format: access-log lines as text or JSON.
  LogFormat log_format = LogFormat::kText;
  // --trust-proxy: citeqa sits behind a proxy (nginx) that appends the client's address to
  // X-Forwarded-For; the access log then names that address instead of the proxy's.
  bool trust_forwarded_for = false;
};

// The environment variable `name` with surrounding white space removed (a secret pasted
// into an environment file often ends in a newline); "" when unset or blank.
std::string TrimmedEnvironmentValue(const char* name);

// CITEQA_ADMIN_TOKEN, trimmed.
std::string AdminTokenFromEnvironment();

// The number of hardware threads, at least 2 (so one slow client cannot block the rest).
int DefaultThreadCount();

// `threads` if positive, else DefaultThreadCount().
int EffectiveThreadCount(const ServerConfig& config);

// Checks ranges (port 0..65535, threads 0..1024, positive timeouts and limits,
// max_connections 1..100000, question_log_days 0..3650), that
// db_path is set and that --watch comes with --corpus. Errors: kInvalidArgument naming the
// setting.
Status ValidateServerConfig(const ServerConfig& config);

// "http://HOST:PORT", with an IPv6 host in brackets ("http://[::1]:8080").
std::string ServerUrl(const std::string& host, int port);

}  // namespace citeqa::server
