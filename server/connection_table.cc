#include "server/connection_table.h"

#include <utility>

namespace citeqa::server {

Connection* ConnectionTable::Add(std::unique_ptr<Connection> connection) {
  Connection* added = connection.get();
  if (added->phase == ConnectionPhase::kLingering) ++lingering_;
  connections_[added->fd] = std::move(connection);
  return added;
}

std::unique_ptr<Connection> ConnectionTable::Take(int fd) {
  auto it = connections_.find(fd);
  if (it == connections_.end()) return nullptr;
  std::unique_ptr<Connection> taken = std::move(it->second);
  connections_.erase(it);
  if (taken->phase == ConnectionPhase::kLingering) --lingering_;
  return taken;
}

Connection* ConnectionTable::Find(int fd) const {
  auto it = connections_.find(fd);
  return it == connections_.end() ? nullptr : it->second.get();
}

void ConnectionTable::SetPhase(Connection* connection, ConnectionPhase phase) {
  const bool was = connection->phase == ConnectionPhase::kLingering;
  const bool is = phase == ConnectionPhase::kLingering;
  if (was && !is) --lingering_;
  if (!was && is) ++lingering_;
  connection->phase = phase;
}

Connection* ConnectionTable::LongestIdle() const {
  Connection* oldest = nullptr;
  for (const auto& [fd, connection] : connections_) {
    if (connection->phase != ConnectionPhase::kIdle) continue;
    if (oldest == nullptr || connection->deadline < oldest->deadline) oldest = connection.get();
  }
  return oldest;
}

ConnectionClock::time_point ConnectionTable::NextDeadline(
    ConnectionClock::time_point fallback) const {
  ConnectionClock::time_point next = fallback;
  for (const auto& [fd, connection] : connections_) {
    if (connection->deadline < next) next = connection->deadline;
  }
  return next;
}

std::vector<int> ConnectionTable::Expired(ConnectionClock::time_point now) const {
  std::vector<int> expired;
  for (const auto& [fd, connection] : connections_) {
    if (connection->deadline <= now) expired.push_back(fd);
  }
  return expired;
}

std::vector<int> ConnectionTable::Fds() const {
  std::vector<int> fds;
  fds.reserve(connections_.size());
  for (const auto& [fd, connection] : connections_) fds.push_back(fd);
  return fds;
}

}  // namespace citeqa::server
