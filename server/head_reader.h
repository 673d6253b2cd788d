// The connection guard of `citeqa serve`: ONE poll() thread owns every accepted socket
// until its request head (and a small body) has arrived, so slow, idle and hostile clients
// never hold a worker thread. Complete requests go to the workers; after the response a
// worker gives the connection back for keep-alive or for closing.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "indexer/status.h"
#include "server/connection_io.h"
#include "server/connection_limits.h"
#include "server/connection_table.h"

namespace citeqa::server {

// A Content-Length body up to this size is read by the head reader, so that a request
// reaches a worker whole; a larger one is read by the worker.
inline constexpr size_t kMaxBufferedBodyBytes = 16 * 1024;

struct HeadReaderSettings {
  HeadLimits limits;
  size_t max_buffered_body_bytes = kMaxBufferedBodyBytes;
  // Open connections (reading, idle, or with a worker) before a new one evicts the
  // longest-idle keep-alive connection, or is answered 503 with Retry-After when none is
  // idle. Connections being closed after an answer do not count.
  int max_connections = 1024;
  std::chrono::milliseconds header_timeout{10000};     // the whole head, from accept / first byte
  std::chrono::milliseconds body_timeout{30000};       // the whole body, from the head's end
  std::chrono::milliseconds keep_alive_timeout{2000};  // idle between requests
  HeaderList refusal_headers;  // sent with every answer the head reader writes itself
};

class HeadReader {
 public:
  enum class Next { kKeepAlive, kClose };
  // Takes a connection whose request head is complete (its `buffer` starts with the head,
  // CRLF line ends, then any bytes that followed). Runs on the head reader's thread: it
  // must only queue the work.
  using Dispatch = std::function<void(std::unique_ptr<Connection>)>;
  // Told of every answer the head reader writes itself (status and message), on its thread.
  using OnRefused = std::function<void(int status, std::string_view message)>;

  HeadReader(HeadReaderSettings settings, Dispatch dispatch, OnRefused on_refused);
  ~HeadReader();  // Stop()
  HeadReader(const HeadReader&) = delete;
  HeadReader& operator=(const HeadReader&) = delete;

  // Starts the thread. Errors: kIoError if the wake-up descriptor or thread cannot be made.
  Status Start();

  // Closes every connection it holds and joins the thread; connections adopted or returned
  // afterwards are closed at once. Idempotent.
  void Stop();

  // A newly accepted socket (the head reader owns it from now on). Thread-safe.
  void Adopt(int fd);

  // A connection back from a worker after its response (`requests_served` already counted):
  // kKeepAlive waits for the next request (any bytes left in `buffer` are its start);
  // kClose shuts it after letting the client read the answer. Thread-safe.
  void Return(std::unique_ptr<Connection> connection, Next next);

 private:
  void Loop();
  void TakeInbox();
  void Admit(int fd);
  void Resume(std::unique_ptr<Connection> connection, Next next);
  void OnReadable(Connection* connection);
  void OnBytes(Connection* connection, size_t old_size);
  void Evaluate(Connection* connection);
  void OnTimeout(Connection* connection);
  void Refuse(Connection* connection, int status, std::string_view code, std::string_view message);
  void Linger(Connection* connection);
  void Close(Connection* connection);
  void HandOver(Connection* connection);
  void Wake();  // writes to wake_fd_; callers other than the loop hold inbox_mu_

  const HeadReaderSettings settings_;
  const Dispatch dispatch_;
  const OnRefused on_refused_;
  ConnectionTable table_;    // the loop thread's alone
  size_t with_workers_ = 0;  // dispatched and not yet returned; the loop thread's alone

  std::mutex inbox_mu_;
  std::vector<int> new_fds_;
  std::vector<std::pair<std::unique_ptr<Connection>, Next>> returned_;
  bool stopped_ = false;  // under inbox_mu_

  std::atomic<bool> stopping_{false};
  int wake_fd_ = -1;
  std::thread thread_;
};

}  // namespace citeqa::server
