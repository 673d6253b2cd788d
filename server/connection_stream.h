// The httplib::Stream a worker serves one request over: first the bytes the head reader
// already received (the head and maybe the body), then the socket itself, with a total
// deadline for the rest of the body and a timeout per write. Writes are held back until
// Flush(), the next read or 64 KiB, so that a response's head and body (which httplib
// writes apart) leave in one send (a route that streamed its body through a content
// provider would see its pieces held back the same way). It also notes whether the
// response it carried told the client that the connection closes.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "server/connection_table.h"

namespace citeqa::server {

class ConnectionStream final : public httplib::Stream {
 public:
  // Reads `connection->buffer` from the start (the caller removes consumed() bytes
  // afterwards), then the socket, waiting at most `read_timeout` for each read and never
  // past `read_deadline`; a write waits at most `write_timeout` whenever the socket is
  // full. `connection` must outlive the stream.
  ConnectionStream(Connection* connection, ConnectionClock::time_point read_deadline,
                   std::chrono::milliseconds read_timeout, std::chrono::milliseconds write_timeout);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override;

  // Sends what write() held back. Call it once the response is written (the stream does
  // not on destruction). False when the socket failed or timed out.
  bool Flush();

  // Bytes of the connection's buffer that were read.
  size_t consumed() const { return consumed_; }
  // Every byte read, from the buffer and the socket.
  uint64_t bytes_read() const { return bytes_read_; }
  // A final (non-1xx) response head was written and said "Connection: close".
  bool response_closes() const { return response_closes_; }

 private:
  void Sniff(const char* ptr, size_t size);
  bool FlushHeldBack() const;

  Connection* connection_;
  ConnectionClock::time_point read_deadline_;
  std::chrono::milliseconds read_timeout_;
  std::chrono::milliseconds write_timeout_;
  size_t consumed_ = 0;
  uint64_t bytes_read_ = 0;
  std::string response_head_;  // what was written until the final response's blank line
  bool head_seen_ = false;
  bool response_closes_ = false;
  // Written but not sent yet. Mutable: is_readable() (const) sends it first, as a client
  // waiting for "100 Continue" sends nothing until it arrives.
  mutable std::string held_back_;
  mutable bool send_failed_ = false;
};

}  // namespace citeqa::server
