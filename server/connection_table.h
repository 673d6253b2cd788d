// The connections the head reader is watching, keyed by socket, with their phase and
// deadline: what a poll() loop needs to know which socket to wait on, which one is late and
// which idle one to let go first. Not thread-safe: owned by the head reader's thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/connection_limits.h"

namespace citeqa::server {

using ConnectionClock = std::chrono::steady_clock;

enum class ConnectionPhase {
  kIdle,         // between requests on a keep-alive connection, nothing received yet
  kReadingHead,  // part of a request head has arrived (or the connection is new)
  kReadingBody,  // a complete head; waiting for its small body
  kLingering,    // answered and shut for writing; reading and dropping what still arrives
};

// One client connection. Either in the table (its socket polled by the head reader) or
// handed to a worker, which owns it until it gives it back.
struct Connection {
  int fd = -1;
  ConnectionPhase phase = ConnectionPhase::kReadingHead;
  ConnectionClock::time_point deadline;      // when the current phase times out
  ConnectionClock::time_point linger_until;  // kLingering: the latest close, however busy
  std::string buffer;         // received and not yet consumed: the next request's bytes
  size_t line_start = 0;      // where the last incomplete line of `buffer` starts
  bool received_any = false;  // a byte of the current request has arrived
  HeadVerdict head;           // set once the head is complete
  // Bytes of `buffer` that belong to the current request (head + Content-Length body);
  // 0 while unknown. A request with Transfer-Encoding ends its connection.
  uint64_t request_bytes = 0;
  int requests_served = 0;
  uint64_t lingered_bytes = 0;
  std::string remote_ip;
  int remote_port = 0;
  std::string local_ip;
  int local_port = 0;
};

class ConnectionTable {
 public:
  // Adds `connection` (its fd must not be in the table yet); returns it.
  Connection* Add(std::unique_ptr<Connection> connection);
  // Removes and returns the connection of `fd`; null if absent.
  std::unique_ptr<Connection> Take(int fd);
  Connection* Find(int fd) const;

  size_t size() const { return connections_.size(); }
  // Connections that are not lingering: those a client may still send a request on.
  size_t active() const { return connections_.size() - lingering_; }
  size_t lingering() const { return lingering_; }

  // Moves `connection` (in the table) to `phase`, keeping the lingering count.
  void SetPhase(Connection* connection, ConnectionPhase phase);

  // The kIdle connection whose deadline comes first (the one idle longest when they share
  // a timeout); null when none is idle.
  Connection* LongestIdle() const;
  // The earliest deadline in the table, or `fallback` if that comes first.
  ConnectionClock::time_point NextDeadline(ConnectionClock::time_point fallback) const;
  // The fds whose deadline is at or before `now`.
  std::vector<int> Expired(ConnectionClock::time_point now) const;
  // Every fd in the table.
  std::vector<int> Fds() const;

 private:
  std::unordered_map<int, std::unique_ptr<Connection>> connections_;
  size_t lingering_ = 0;
};

}  // namespace citeqa::server
