// Raw HTTP over a loopback socket, for requests that httplib::Client refuses to produce
// (malformed request lines, odd framing, bytes sent after a response).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace citeqa::server::testing {

// True once `response` holds a status line, headers and Content-Length bytes of body.
inline bool ResponseComplete(const std::string& response) {
  const size_t end_of_headers = response.find("\r\n\r\n");
  if (end_of_headers == std::string::npos) return false;
  const std::string headers = response.substr(0, end_of_headers);
  const size_t length_at = headers.find("Content-Length: ");
  if (length_at == std::string::npos) return false;
  const size_t length = std::stoul(headers.substr(length_at + 16));
  return response.size() >= end_of_headers + 4 + length;
}

// One client connection to 127.0.0.1:port; every read gives up after 10 s of silence.
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) return;
    timeval timeout{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  // Gives up a read after `milliseconds` of silence instead of 10 s.
  void SetReadTimeout(int milliseconds) {
    timeval timeout{milliseconds / 1000, (milliseconds % 1000) * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }

  // True while the server has neither closed nor reset the connection (bytes it sent and
  // that were not read yet do not count as closing).
  bool StillOpen() const {
    if (fd_ < 0) return false;
    char byte = 0;
    const ssize_t n = ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
  }

  void Send(const std::string& bytes) {
    size_t sent = 0;
    while (fd_ >= 0 && sent < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
  }

  // One response (complete by its Content-Length), or with `until_close` everything until
  // the server closes the connection.
  std::string Read(bool until_close) {
    std::string response;
    char buffer[4096];
    ssize_t n = 0;
    while (fd_ >= 0 && (n = ::recv(fd_, buffer, sizeof(buffer), 0)) > 0) {
      response.append(buffer, static_cast<size_t>(n));
      if (!until_close && ResponseComplete(response)) break;
    }
    return response;
  }

 private:
  int fd_;
};

// Sends `request` on a new connection and returns the first response (or, with
// `until_close`, everything the server sends). "" if the connection fails.
inline std::string RawHttp(int port, const std::string& request, bool until_close = false) {
  RawConnection connection(port);
  connection.Send(request);
  return connection.Read(until_close);
}

}  // namespace citeqa::server::testing
