#include "server/config.h"

#include <algorithm>
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
      config.keep_alive_timeout_seconds <= 0) {
    return Status::InvalidArgument("timeouts must be positive");
  }
  if (config.max_body_bytes == 0) return Status::InvalidArgument("body limit must be positive");
  if (config.passage_context < 0) {
    return Status::InvalidArgument("passage context must not be negative");
  }
  return Status::Ok();
}

std::string ServerUrl(const std::string& host, int port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace citeqa::server
