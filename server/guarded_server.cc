#include "server/guarded_server.h"

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <utility>

#include "server/connection_stream.h"

namespace citeqa::server {
namespace {

// httplib's listener gives each accepted socket to its task queue. This queue runs the task
// at once on the listener's thread: the task only hands the socket to the head reader, and
// must never wait behind busy workers.
class HandOffQueue final : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {}
};

// Descriptors beyond the connections: lingering closes, the database, logs, the listener.
constexpr rlim_t kSpareDescriptors = 256 + 128;

}  // namespace

GuardedServer::GuardedServer() {
  new_task_queue = [] { return new HandOffQueue(); };
}

GuardedServer::~GuardedServer() = default;

void GuardedServer::set_guard_settings(GuardSettings settings) { settings_ = std::move(settings); }

GuardedServer& GuardedServer::set_default_headers(httplib::Headers headers) {
  default_headers_.assign(headers.begin(), headers.end());
  httplib::Server::set_default_headers(std::move(headers));
  return *this;
}

void GuardedServer::RaiseOpenFileLimit() {
  const auto wanted = static_cast<rlim_t>(settings_.head.max_connections) + kSpareDescriptors;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < wanted) {
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_cur < wanted) {
    const auto allowed = static_cast<int>(
        limit.rlim_cur > kSpareDescriptors ? limit.rlim_cur - kSpareDescriptors : 16);
    std::fprintf(stderr,
                 "citeqa: the open-file limit (%llu) allows %d connections, not %d "
                 "(raise `ulimit -n`)\n",
                 static_cast<unsigned long long>(limit.rlim_cur), allowed,
                 settings_.head.max_connections);
    settings_.head.max_connections = allowed;
  }
}

bool GuardedServer::ServeGuarded() {
  RaiseOpenFileLimit();
  HeadReaderSettings head = settings_.head;
  head.refusal_headers.insert(head.refusal_headers.end(), default_headers_.begin(),
                              default_headers_.end());
  workers_ =
      std::make_unique<httplib::ThreadPool>(static_cast<size_t>(std::max(1, settings_.threads)));
  head_reader_ = std::make_unique<HeadReader>(
      std::move(head),
      [this](std::unique_ptr<Connection> connection) {
        Connection* raw = connection.release();
        workers_->enqueue([this, raw] { ServeRequest(std::unique_ptr<Connection>(raw)); });
      },
      settings_.on_refused);
  // httplib listens with a backlog of 5: a burst of connections then overflows it and the
  // kernel drops handshakes, which clients retry only after a second. Linux lets listen()
  // be called again to widen it.
  ::listen(svr_sock_, std::max(128, std::min(settings_.head.max_connections, 4096)));
  bool ok = head_reader_->Start().ok();
  if (ok) ok = listen_after_bind();
  stopping_ = true;
  head_reader_->Stop();
  workers_->shutdown();
  workers_.reset();
  head_reader_.reset();
  return ok;
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  head_reader_->Adopt(sock);
  return true;
}

void GuardedServer::ServeRequest(std::unique_ptr<Connection> connection) {
  const bool last_request =
      stopping_ || connection->head.has_transfer_encoding ||
      connection->requests_served + 1 >= settings_.max_requests_per_connection;
  ConnectionStream stream(connection.get(), ConnectionClock::now() + settings_.head.body_timeout,
                          settings_.read_timeout, settings_.write_timeout);
  bool client_closes = false;
  bool ok = false;
  try {
    ok = process_request(stream, last_request, client_closes, nullptr);
  } catch (const std::exception&) {
    ok = false;  // httplib catches the handlers' exceptions; this is bad_alloc and the like
  }
  // The response leaves here, head and body in one send (connection_stream.h).
  ok = stream.Flush() && ok;
  ++connection->requests_served;
  connection->buffer.erase(0, stream.consumed());
  bool keep_alive = ok && !last_request && !client_closes && !stream.response_closes();
  // A body the route did not read is skipped if it is all here; otherwise its rest would be
  // read as the next request, so the connection ends.
  if (keep_alive && stream.bytes_read() < connection->request_bytes) {
    const uint64_t unread = connection->request_bytes - stream.bytes_read();
    keep_alive = unread <= connection->buffer.size();
    if (keep_alive) connection->buffer.erase(0, static_cast<size_t>(unread));
  }
  if (stream.bytes_read() > connection->request_bytes) keep_alive = false;
  head_reader_->Return(std::move(connection),
                       keep_alive ? HeadReader::Next::kKeepAlive : HeadReader::Next::kClose);
}

}  // namespace citeqa::server
