// The head reader's thread: the inbox of new and returned connections, the poll() loop,
// admission under the connection cap and closing. What happens to a connection's bytes and
// deadlines is in head_reader_phases.cc.
#include "server/head_reader.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace citeqa::server {

HeadReader::HeadReader(HeadReaderSettings settings, Dispatch dispatch, OnRefused on_refused)
    : settings_(std::move(settings)),
      dispatch_(std::move(dispatch)),
      on_refused_(std::move(on_refused)) {}

HeadReader::~HeadReader() { Stop(); }

Status HeadReader::Start() {
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) return Status::IoError("cannot create the head reader's wake-up descriptor");
  try {
    thread_ = std::thread([this] { Loop(); });
  } catch (const std::system_error&) {
    return Status::IoError("cannot start the head reader's thread");
  }
  return Status::Ok();
}

void HeadReader::Stop() {
  {
    std::lock_guard<std::mutex> lock(inbox_mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  stopping_ = true;
  if (thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(inbox_mu_);
      Wake();
    }
    thread_.join();
  }
  // Whatever arrived after the loop's last look at the inbox.
  TakeInbox();
  // Adopt() and Return() wake the loop only under inbox_mu_ and only before stopped_ was
  // set, so no worker writes to the descriptor while (or after) it is closed.
  std::lock_guard<std::mutex> lock(inbox_mu_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
  wake_fd_ = -1;
}

void HeadReader::Adopt(int fd) {
  {
    std::lock_guard<std::mutex> lock(inbox_mu_);
    if (!stopped_) {
      new_fds_.push_back(fd);
      Wake();  // under the lock: Stop() closes the wake-up descriptor under it
      return;
    }
  }
  ::close(fd);
}

void HeadReader::Return(std::unique_ptr<Connection> connection, Next next) {
  {
    std::lock_guard<std::mutex> lock(inbox_mu_);
    if (!stopped_) {
      returned_.emplace_back(std::move(connection), next);
      Wake();  // under the lock: Stop() closes the wake-up descriptor under it
      return;
    }
  }
  ::close(connection->fd);
}

void HeadReader::Wake() {
  const uint64_t one = 1;
  if (wake_fd_ >= 0) (void)!::write(wake_fd_, &one, sizeof(one));
}

void HeadReader::TakeInbox() {
  std::vector<int> fds;
  std::vector<std::pair<std::unique_ptr<Connection>, Next>> returned;
  {
    std::lock_guard<std::mutex> lock(inbox_mu_);
    fds.swap(new_fds_);
    returned.swap(returned_);
  }
  for (auto& [connection, next] : returned) Resume(std::move(connection), next);
  for (int fd : fds) Admit(fd);
}

void HeadReader::Loop() {
  std::vector<pollfd> poll_fds;
  while (!stopping_) {
    const auto now = ConnectionClock::now();
    const auto next = table_.NextDeadline(now + std::chrono::hours(1));
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(next - now);
    poll_fds.clear();
    poll_fds.push_back({wake_fd_, POLLIN, 0});
    for (int fd : table_.Fds()) poll_fds.push_back({fd, POLLIN, 0});
    const int ready = ::poll(poll_fds.data(), poll_fds.size(),
                             static_cast<int>(std::max<int64_t>(0, wait.count())));
    if (ready < 0 && errno != EINTR) break;
    if (stopping_) break;
    if (ready > 0 && poll_fds[0].revents != 0) {
      uint64_t count = 0;
      (void)!::read(wake_fd_, &count, sizeof(count));
    }
    if (ready > 0) {
      for (size_t i = 1; i < poll_fds.size(); ++i) {
        if (poll_fds[i].revents == 0) continue;
        if (Connection* connection = table_.Find(poll_fds[i].fd)) OnReadable(connection);
      }
    }
    // New and returned connections after the reads, so a closed fd's number reused by a
    // new socket is never mistaken for the old one's readiness.
    TakeInbox();
    for (int fd : table_.Expired(ConnectionClock::now())) {
      if (Connection* connection = table_.Find(fd)) OnTimeout(connection);
    }
  }
  for (int fd : table_.Fds()) Close(table_.Find(fd));
}

void HeadReader::Admit(int fd) {
  if (stopping_) {
    ::close(fd);
    return;
  }
  SetNonBlocking(fd);
  auto connection = std::make_unique<Connection>();
  connection->fd = fd;
  SocketAddress(fd, true, &connection->remote_ip, &connection->remote_port);
  SocketAddress(fd, false, &connection->local_ip, &connection->local_port);
  connection->phase = ConnectionPhase::kReadingHead;
  connection->deadline = ConnectionClock::now() + settings_.header_timeout;
  const size_t cap = static_cast<size_t>(std::max(1, settings_.max_connections));
  Connection* added = table_.Add(std::move(connection));
  if (table_.active() - 1 + with_workers_ < cap) return;
  // Full: an idle keep-alive connection makes room (its client simply reconnects later);
  // otherwise the newcomer is told to come back.
  if (Connection* idle = table_.LongestIdle()) {
    Close(idle);
    return;
  }
  Refuse(added, 503, "unavailable", "too many open connections; retry shortly");
}

void HeadReader::Resume(std::unique_ptr<Connection> connection, Next next) {
  --with_workers_;
  if (stopping_) {
    ::close(connection->fd);
    return;
  }
  Connection* back = table_.Add(std::move(connection));
  if (next == Next::kClose) {
    Linger(back);
    return;
  }
  back->phase = ConnectionPhase::kIdle;
  back->deadline = ConnectionClock::now() + settings_.keep_alive_timeout;
  back->received_any = false;
  back->head = HeadVerdict();
  back->request_bytes = 0;
  back->line_start = 0;
  if (back->buffer.empty()) {
    std::string().swap(back->buffer);  // an idle connection holds no buffer
    return;
  }
  // A pipelined request already arrived behind the last one.
  OnBytes(back, 0);
}

void HeadReader::HandOver(Connection* connection) {
  std::unique_ptr<Connection> taken = table_.Take(connection->fd);
  ++with_workers_;
  dispatch_(std::move(taken));
}

void HeadReader::Close(Connection* connection) {
  std::unique_ptr<Connection> taken = table_.Take(connection->fd);
  ::close(taken->fd);
}

}  // namespace citeqa::server
