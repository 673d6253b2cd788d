// ConnectionStream over a socket pair: a response's pieces leave together on Flush(), an
// interim "100 Continue" leaves before the stream waits for the body, and what does not
// fit the hold-back buffer is sent as it comes.
#include "server/connection_stream.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace citeqa::server {
namespace {

class ConnectionStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int fds[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    connection_.fd = fds[0];
    peer_ = fds[1];
    // Room for the large write below without a reader on the other side.
    const int size = 1 << 20;
    ::setsockopt(connection_.fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
    ::setsockopt(peer_, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    ::fcntl(peer_, F_SETFL, ::fcntl(peer_, F_GETFL) | O_NONBLOCK);
  }
  void TearDown() override {
    ::close(connection_.fd);
    ::close(peer_);
  }

  ConnectionStream Stream() {
    return ConnectionStream(&connection_, ConnectionClock::now() + std::chrono::seconds(5),
                            std::chrono::milliseconds(5000), std::chrono::milliseconds(5000));
  }

  // Everything the peer can read now, without waiting.
  std::string Received() {
    std::string out;
    char buffer[65536];
    for (;;) {
      const ssize_t n = ::recv(peer_, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      out.append(buffer, static_cast<size_t>(n));
    }
    return out;
  }

  Connection connection_;
  int peer_ = -1;
};

TEST_F(ConnectionStreamTest, HeadAndBodyLeaveTogetherOnFlush) {
  ConnectionStream stream = Stream();
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(stream.write(head.data(), head.size()), static_cast<ssize_t>(head.size()));
  ASSERT_EQ(stream.write("hello", 5), 5);
  EXPECT_EQ(Received(), "") << "held back until the response is complete";
  ASSERT_TRUE(stream.Flush());
  EXPECT_EQ(Received(), head + "hello");
  EXPECT_TRUE(stream.response_closes());
  EXPECT_TRUE(stream.Flush()) << "nothing left to send";
  EXPECT_EQ(Received(), "");
}

TEST_F(ConnectionStreamTest, AnInterimResponseLeavesBeforeTheBodyIsRead) {
  ConnectionStream stream = Stream();
  const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
  ASSERT_EQ(stream.write(interim.data(), interim.size()), static_cast<ssize_t>(interim.size()));
  ASSERT_EQ(::send(peer_, "body", 4, 0), 4);
  char buffer[16];
  ASSERT_EQ(stream.read(buffer, sizeof(buffer)), 4);
  EXPECT_EQ(std::string(buffer, 4), "body");
  EXPECT_EQ(Received(), interim) << "sent before the stream read";

  ASSERT_EQ(stream.write(interim.data(), interim.size()), static_cast<ssize_t>(interim.size()));
  ASSERT_EQ(::send(peer_, "more", 4, 0), 4);
  EXPECT_TRUE(stream.is_readable());
  EXPECT_EQ(Received(), interim) << "is_readable() sends what is held back first";
  EXPECT_FALSE(stream.response_closes()) << "an interim response is not the response";
}

TEST_F(ConnectionStreamTest, WhatDoesNotFitIsSentInOrder) {
  ConnectionStream stream = Stream();
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 200000\r\n\r\n";
  std::string body(200000, 'x');
  for (size_t i = 0; i < body.size(); i += 1000) body[i] = static_cast<char>('a' + i % 26);
  ASSERT_EQ(stream.write(head.data(), head.size()), static_cast<ssize_t>(head.size()));
  ASSERT_EQ(stream.write(body.data(), 100000), 100000);
  ASSERT_EQ(stream.write(body.data() + 100000, 30000), 30000);
  ASSERT_EQ(stream.write(body.data() + 130000, 70000), 70000);
  ASSERT_TRUE(stream.Flush());
  EXPECT_EQ(Received(), head + body);
}

TEST_F(ConnectionStreamTest, AFailedSendIsReported) {
  ConnectionStream stream = Stream();
  ASSERT_EQ(stream.write("HTTP/1.1 200 OK\r\n\r\n", 19), 19);
  ::close(peer_);
  peer_ = ::socket(AF_UNIX, SOCK_STREAM, 0);  // TearDown closes something
  EXPECT_FALSE(stream.Flush());
  EXPECT_FALSE(stream.Flush()) << "and stays failed";
}

}  // namespace
}  // namespace citeqa::server
