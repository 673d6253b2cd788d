// The head reader's handling of one connection's bytes and deadlines: idle -> reading the
// head -> (reading a small body) -> handed to a worker; or answered by the head reader
// itself (408, 400, 413, 414, 431, 503) and closed after a short lingering read, so that
// the client gets to read the answer instead of a reset.
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "server/head_reader.h"

namespace citeqa::server {
namespace {

// A refused or finished connection is shut for writing and read (and dropped) for at most
// this long, this quiet, and this much before it is closed.
constexpr std::chrono::milliseconds kLingerTime{2000};
constexpr std::chrono::milliseconds kLingerQuiet{500};
constexpr uint64_t kLingerMaxBytes = 4 * 1024 * 1024;
// Lingering connections beyond this many are closed at once.
constexpr size_t kMaxLingering = 256;

}  // namespace

void HeadReader::OnReadable(Connection* connection) {
  if (connection->phase == ConnectionPhase::kLingering) {
    char drain[16 * 1024];
    const ssize_t n = ::recv(connection->fd, drain, sizeof(drain), 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
    if (n <= 0) {
      Close(connection);
      return;
    }
    connection->lingered_bytes += static_cast<uint64_t>(n);
    if (connection->lingered_bytes > kLingerMaxBytes) {
      Close(connection);
      return;
    }
    connection->deadline =
        std::min(connection->linger_until, ConnectionClock::now() + kLingerQuiet);
    return;
  }
  const size_t capacity = settings_.limits.max_head_bytes + settings_.max_buffered_body_bytes + 1;
  const size_t old_size = connection->buffer.size();
  if (old_size >= capacity) return;  // cannot happen: the head check refuses or hands over
  // Through a scratch buffer, so a connection's own buffer grows only by what it received.
  char chunk[32 * 1024];
  const ssize_t n = ::recv(connection->fd, chunk, std::min(sizeof(chunk), capacity - old_size), 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
  if (n <= 0) {  // the client went away (or the socket failed): nothing to answer
    Close(connection);
    return;
  }
  connection->buffer.append(chunk, static_cast<size_t>(n));
  OnBytes(connection, old_size);
}

void HeadReader::OnBytes(Connection* connection, size_t old_size) {
  const auto now = ConnectionClock::now();
  if (connection->phase == ConnectionPhase::kIdle) {
    connection->phase = ConnectionPhase::kReadingHead;
    connection->deadline = now + settings_.header_timeout;
  }
  connection->received_any = true;
  if (connection->phase == ConnectionPhase::kReadingBody) {
    if (connection->buffer.size() >= connection->request_bytes) HandOver(connection);
    return;
  }
  // The head is checked again only when a line ends or a limit may have been crossed, so a
  // client sending a byte at a time costs one scan per line, not one per byte.
  const std::string& buffer = connection->buffer;
  const size_t newline = buffer.rfind('\n');
  const bool line_ended = newline != std::string::npos && newline >= old_size;
  if (newline != std::string::npos) connection->line_start = newline + 1;
  const bool too_long = buffer.size() - connection->line_start > settings_.limits.max_line_bytes ||
                        buffer.size() > settings_.limits.max_head_bytes;
  if (line_ended || too_long) Evaluate(connection);
}

void HeadReader::Evaluate(Connection* connection) {
  HeadVerdict verdict = CheckRequestHead(connection->buffer, settings_.limits);
  if (verdict.state == HeadState::kIncomplete) return;
  if (verdict.state == HeadState::kRefused) {
    Refuse(connection, verdict.status, verdict.code, verdict.message);
    return;
  }
  std::string& buffer = connection->buffer;
  size_t head_bytes = verdict.head_end - verdict.head_begin;
  if (!verdict.normalised.empty()) {
    head_bytes = verdict.normalised.size();
    buffer.replace(0, verdict.head_end, verdict.normalised);
  } else {
    buffer.erase(0, verdict.head_begin);
  }
  verdict.normalised.clear();
  const uint64_t body = verdict.content_length.value_or(0);
  connection->request_bytes = verdict.has_transfer_encoding ? 0 : head_bytes + body;
  const bool body_to_wait_for = !verdict.has_transfer_encoding && !verdict.expects_continue &&
                                body > 0 && body <= settings_.max_buffered_body_bytes &&
                                buffer.size() < connection->request_bytes;
  connection->head = std::move(verdict);
  if (!body_to_wait_for) {
    HandOver(connection);
    return;
  }
  connection->phase = ConnectionPhase::kReadingBody;
  connection->deadline = ConnectionClock::now() + settings_.body_timeout;
}

void HeadReader::OnTimeout(Connection* connection) {
  switch (connection->phase) {
    case ConnectionPhase::kIdle:
    case ConnectionPhase::kLingering:
      Close(connection);
      return;
    case ConnectionPhase::kReadingHead:
      // A connection that never sent a byte (a browser's speculative one) is let go quietly.
      if (!connection->received_any) {
        Close(connection);
        return;
      }
      Refuse(connection, 408, "request_timeout", "the request head did not arrive in time");
      return;
    case ConnectionPhase::kReadingBody:
      Refuse(connection, 408, "request_timeout", "the request body did not arrive in time");
      return;
  }
}

void HeadReader::Refuse(Connection* connection, int status, std::string_view code,
                        std::string_view message) {
  HeaderList headers = settings_.refusal_headers;
  if (status == 503) headers.emplace_back("Retry-After", "1");
  // A fresh socket's send buffer takes a small answer whole; if it does not, the client is
  // not reading and loses nothing it would have read.
  SendNow(connection->fd, RefusalResponse(status, code, message, headers));
  if (on_refused_) on_refused_(status, message);
  Linger(connection);
}

void HeadReader::Linger(Connection* connection) {
  ::shutdown(connection->fd, SHUT_WR);
  if (table_.lingering() >= kMaxLingering) {
    Close(connection);
    return;
  }
  table_.SetPhase(connection, ConnectionPhase::kLingering);
  const auto now = ConnectionClock::now();
  connection->linger_until = now + kLingerTime;
  connection->deadline = now + kLingerQuiet;
  connection->lingered_bytes = 0;
  std::string().swap(connection->buffer);
}

}  // namespace citeqa::server
