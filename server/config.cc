#include "server/config.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>
#include <thread>

namespace citeqa::server {

int DefaultThreadCount() {
  const unsigned hardware = std::thread::hardware_concurrency();
  return std::max(2, static_cast<int>(hardware));
}

int EffectiveThreadCount(const ServerConfig& config) {
  return config.threads > 0 ? config.threads : DefaultThreadCount();
}

Status ValidateServerConfig(const ServerConfig& config) {
  if (config.db_path.empty()) return Status::InvalidArgument("--db is required");
  if (config.host.empty()) return Status::InvalidArgument("--host must not be empty");
  if (config.port < 0 || config.port > 65535) {
    return Status::InvalidArgument("--port must be between 0 and 65535");
  }
  if (config.threads < 0 || config.threads > 1024) {
    return Status::InvalidArgument("--threads must be between 1 and 1024");
  }
  if (config.read_timeout_seconds <= 0 || config.write_timeout_seconds <= 0 ||
      config.keep_alive_timeout_seconds <= 0 || config.header_timeout_seconds <= 0 ||
      config.body_timeout_seconds <= 0) {
    return Status::InvalidArgument("timeouts must be positive");
  }
  if (config.max_connections < 1 || config.max_connections > 100000) {
    return Status::InvalidArgument("--max-connections must be between 1 and 100000");
  }
  if (config.question_log_days < 0 || config.question_log_days > 3650) {
    return Status::InvalidArgument("--question-log-days must be between 0 and 3650");
  }
  if (config.max_body_bytes == 0) return Status::InvalidArgument("body limit must be positive");
  if (config.passage_context < 0) {
    return Status::InvalidArgument("passage context must not be negative");
  }
  if (config.watch && config.corpus_dir.empty()) {
    return Status::InvalidArgument("--watch needs --corpus DIR");
  }
  if (config.watch_debounce_ms < 0) {
    return Status::InvalidArgument("the watch debounce must not be negative");
  }
  return Status::Ok();
}

std::string TrimmedEnvironmentValue(const char* name) {
  const char* value = std::getenv(name);
  std::string_view text = value == nullptr ? "" : value;
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return "";
  return std::string(text.substr(begin, text.find_last_not_of(kSpace) - begin + 1));
}

std::string AdminTokenFromEnvironment() { return TrimmedEnvironmentValue("CITEQA_ADMIN_TOKEN"); }

std::string ServerUrl(const std::string& host, int port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace citeqa::server
