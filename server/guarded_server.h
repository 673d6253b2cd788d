// cpp-httplib 0.11's Server gives every connection a worker thread from accept to close,
// so idle keep-alive and slow clients starve it. GuardedServer keeps httplib's listener,
// routing and response writing but moves the wait for a request off the workers: the
// listener hands each accepted socket to a HeadReader (one poll() thread), and a worker
// runs httplib's process_request only over a complete request head, then gives the
// connection back for keep-alive or closing. This file and routes.cc are httplib's users.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <memory>

#include "server/head_reader.h"

namespace citeqa::server {

struct GuardSettings {
  HeadReaderSettings head;  // limits, timeouts and the connection cap of the head reader
  int threads = 2;          // workers
  int max_requests_per_connection = 100;
  std::chrono::milliseconds read_timeout{10000};   // per wait for more of a large body
  std::chrono::milliseconds write_timeout{10000};  // per wait for a full socket to drain
  HeadReader::OnRefused on_refused;                // see HeadReader; may be empty
};

class GuardedServer : public httplib::Server {
 public:
  GuardedServer();
  ~GuardedServer() override;
  GuardedServer(const GuardedServer&) = delete;
  GuardedServer& operator=(const GuardedServer&) = delete;

  // Call before ServeGuarded().
  void set_guard_settings(GuardSettings settings);

  // httplib's default headers, which the head reader's own answers (408, 431, 503 ...)
  // carry as well. Hides httplib::Server::set_default_headers on purpose.
  GuardedServer& set_default_headers(httplib::Headers headers);

  // listen_after_bind() with the guard in front: serves until stop(), then answers the
  // requests already handed to workers and closes every connection before returning.
  // Returns false if the listener failed or the guard could not start.
  bool ServeGuarded();

 private:
  // Called by httplib's listener (through the hand-off task queue, on its own thread) for
  // each accepted socket.
  bool process_and_close_socket(socket_t sock) override;
  void ServeRequest(std::unique_ptr<Connection> connection);
  void RaiseOpenFileLimit();

  GuardSettings settings_;
  HeaderList default_headers_;
  std::unique_ptr<HeadReader> head_reader_;
  std::unique_ptr<httplib::ThreadPool> workers_;
  std::atomic<bool> stopping_{false};
};

}  // namespace citeqa::server
