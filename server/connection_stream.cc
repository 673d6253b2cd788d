#include "server/connection_stream.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "server/connection_io.h"

namespace citeqa::server {
namespace {

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Whether `text` contains `lower` (lowercase ASCII), ignoring the case of `text`.
bool ContainsIgnoringCase(std::string_view text, std::string_view lower) {
  if (lower.size() > text.size()) return false;
  for (size_t i = 0; i + lower.size() <= text.size(); ++i) {
    size_t k = 0;
    while (k < lower.size() && AsciiLower(text[i + k]) == lower[k]) ++k;
    if (k == lower.size()) return true;
  }
  return false;
}

// True if a response head (status line and fields, no blank line) has a Connection field
// listing "close". Runs on every response: no copies.
bool SaysClose(std::string_view head) {
  constexpr std::string_view kField = "connection:";
  size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos) {
    const size_t start = pos + 2;
    const size_t end = head.find("\r\n", start);
    const std::string_view line =
        head.substr(start, end == std::string_view::npos ? end : end - start);
    if (line.size() >= kField.size() &&
        ContainsIgnoringCase(line.substr(0, kField.size()), kField) &&
        ContainsIgnoringCase(line.substr(kField.size()), "close")) {
      return true;
    }
    pos = end;
  }
  return false;
}

// Enough for the head and body of every API response and most pages.
constexpr size_t kMaxHeldBack = 64 * 1024;

}  // namespace

ConnectionStream::ConnectionStream(Connection* connection,
                                   ConnectionClock::time_point read_deadline,
                                   std::chrono::milliseconds read_timeout,
                                   std::chrono::milliseconds write_timeout)
    : connection_(connection),
      read_deadline_(read_deadline),
      read_timeout_(read_timeout),
      write_timeout_(write_timeout) {}

bool ConnectionStream::is_readable() const {
  if (consumed_ < connection_->buffer.size()) return true;
  if (!FlushHeldBack()) return false;
  const auto left = std::min(read_timeout_, std::chrono::ceil<std::chrono::milliseconds>(
                                                read_deadline_ - ConnectionClock::now()));
  if (left.count() <= 0) return false;
  pollfd readable{connection_->fd, POLLIN, 0};
  return ::poll(&readable, 1, static_cast<int>(left.count())) > 0;
}

bool ConnectionStream::is_writable() const {
  pollfd writable{connection_->fd, POLLOUT, 0};
  return ::poll(&writable, 1, static_cast<int>(write_timeout_.count())) > 0 &&
         (writable.revents & (POLLERR | POLLHUP | POLLNVAL)) == 0;
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  const std::string& buffer = connection_->buffer;
  if (consumed_ < buffer.size()) {
    const size_t n = std::min(size, buffer.size() - consumed_);
    std::memcpy(ptr, buffer.data() + consumed_, n);
    consumed_ += n;
    bytes_read_ += n;
    return static_cast<ssize_t>(n);
  }
  if (!FlushHeldBack()) return -1;
  for (;;) {
    const ssize_t n = ::recv(connection_->fd, ptr, size, 0);
    if (n >= 0) {
      bytes_read_ += static_cast<uint64_t>(n);
      return n;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
    // Besides the wait per read, a deadline for the whole body, so a client trickling
    // bytes cannot hold the worker longer than --body-timeout.
    if (!is_readable()) return -1;
  }
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  Sniff(ptr, size);
  if (held_back_.size() + size <= kMaxHeldBack) {
    held_back_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  if (!FlushHeldBack()) return -1;
  if (size <= kMaxHeldBack) {
    held_back_.assign(ptr, size);
    return static_cast<ssize_t>(size);
  }
  if (!SendAll(connection_->fd, std::string_view(ptr, size), write_timeout_)) return -1;
  return static_cast<ssize_t>(size);
}

bool ConnectionStream::Flush() { return FlushHeldBack(); }

bool ConnectionStream::FlushHeldBack() const {
  if (send_failed_) return false;
  if (held_back_.empty()) return true;
  send_failed_ = !SendAll(connection_->fd, held_back_, write_timeout_);
  held_back_.clear();
  return !send_failed_;
}

void ConnectionStream::Sniff(const char* ptr, size_t size) {
  constexpr size_t kMaxHead = 64 * 1024;
  if (head_seen_) return;
  response_head_.append(ptr, std::min(size, kMaxHead));
  for (;;) {
    const size_t end = response_head_.find("\r\n\r\n");
    if (end == std::string::npos) {
      if (response_head_.size() > kMaxHead) head_seen_ = true;  // not HTTP: stop looking
      return;
    }
    // "HTTP/1.1 100 Continue" and other interim responses come before the real one.
    const bool interim = response_head_.size() > 9 && response_head_[9] == '1';
    if (!interim) {
      head_seen_ = true;
      response_closes_ = SaysClose(std::string_view(response_head_).substr(0, end));
      response_head_.clear();
      return;
    }
    response_head_.erase(0, end + 4);
  }
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = connection_->remote_ip;
  port = connection_->remote_port;
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  ip = connection_->local_ip;
  port = connection_->local_port;
}

socket_t ConnectionStream::socket() const { return connection_->fd; }

}  // namespace citeqa::server
