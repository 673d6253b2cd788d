#include "server/connection_limits.h"

#include <gtest/gtest.h>

#include <string>

namespace citeqa::server {
namespace {

std::string Fields(size_t count) {
  std::string fields;
  for (size_t i = 0; i < count; ++i) fields += "X-F" + std::to_string(i) + ": v\r\n";
  return fields;
}

TEST(CheckRequestHeadTest, VerdictsByCase) {
  const std::string get = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  const std::string post = "POST /api/ask HTTP/1.1\r\nHost: x\r\n";
  struct Case {
    std::string name;
    std::string bytes;
    HeadState state;
    int status;  // for kRefused
  } cases[] = {
      {"complete", get + "\r\n", HeadState::kComplete, 0},
      {"no blank line yet", get, HeadState::kIncomplete, 0},
      {"half a line", "GET /hea", HeadState::kIncomplete, 0},
      {"nothing", "", HeadState::kIncomplete, 0},
      {"a CR waiting for its LF", get + "\r", HeadState::kIncomplete, 0},
      {"leading empty lines are skipped", "\r\n\n" + get + "\r\n", HeadState::kComplete, 0},
      {"100 fields", "GET / HTTP/1.1\r\n" + Fields(100) + "\r\n", HeadState::kComplete, 0},
      {"101 fields", "GET / HTTP/1.1\r\n" + Fields(101) + "\r\n", HeadState::kRefused, 431},
      {"101 fields before the head ends", "GET / HTTP/1.1\r\n" + Fields(101), HeadState::kRefused,
       431},
      {"a field line over 8 KiB", get + "X-Big: " + std::string(8200, 'a') + "\r\n\r\n",
       HeadState::kRefused, 431},
      {"an unfinished field line over 8 KiB", get + "X-Big: " + std::string(8200, 'a'),
       HeadState::kRefused, 431},
      {"a field line of exactly 8 KiB with its CRLF",
       get + "X-Big: " + std::string(8192 - 9, 'a') + "\r\n\r\n", HeadState::kComplete, 0},
      {"a request line over 8 KiB", "GET /" + std::string(8300, 'a') + " HTTP/1.1\r\n\r\n",
       HeadState::kRefused, 414},
      {"an unfinished request line over 8 KiB", "GET /" + std::string(8300, 'a'),
       HeadState::kRefused, 414},
      {"a head over 16 KiB in lines under 8 KiB",
       get + "X-A: " + std::string(6000, 'a') + "\r\nX-B: " + std::string(6000, 'b') +
           "\r\nX-C: " + std::string(6000, 'c') + "\r\n\r\n",
       HeadState::kRefused, 431},
      {"an endless stream of empty lines", std::string(20000, '\n'), HeadState::kRefused, 431},
      {"Content-Length", post + "Content-Length: 12\r\n\r\n", HeadState::kComplete, 0},
      {"Content-Length with spaces", post + "Content-Length:  12 \r\n\r\n", HeadState::kComplete,
       0},
      {"two Content-Lengths", post + "Content-Length: 12\r\nContent-Length: 12\r\n\r\n",
       HeadState::kRefused, 400},
      {"conflicting Content-Lengths", post + "Content-Length: 12\r\ncontent-length: 13\r\n\r\n",
       HeadState::kRefused, 400},
      {"a list-valued Content-Length", post + "Content-Length: 12, 12\r\n\r\n", HeadState::kRefused,
       400},
      {"a negative Content-Length", post + "Content-Length: -1\r\n\r\n", HeadState::kRefused, 400},
      {"an empty Content-Length", post + "Content-Length:\r\n\r\n", HeadState::kRefused, 400},
      {"a hex Content-Length", post + "Content-Length: 0x10\r\n\r\n", HeadState::kRefused, 400},
      {"Content-Length with Transfer-Encoding",
       post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", HeadState::kRefused, 400},
      {"Content-Length over the limit", post + "Content-Length: 1000001\r\n\r\n",
       HeadState::kRefused, 413},
      {"Content-Length at the limit", post + "Content-Length: 1000000\r\n\r\n",
       HeadState::kComplete, 0},
      {"a 10^12 Content-Length", post + "Content-Length: 1000000000000\r\n\r\n",
       HeadState::kRefused, 413},
      {"a Content-Length beyond 64 bits",
       post + "Content-Length: 99999999999999999999999999\r\n\r\n", HeadState::kRefused, 413},
      {"a folded field line", get + "X-A: one\r\n two\r\n\r\n", HeadState::kRefused, 400},
      {"white space before the colon", post + "Content-Length : 5\r\n\r\n", HeadState::kRefused,
       400},
      {"a field line without a colon", get + "NoColonHere\r\n\r\n", HeadState::kRefused, 400},
      {"an empty field name", get + ": value\r\n\r\n", HeadState::kRefused, 400},
      {"a bare CR inside a line", get + "X-A: a\rb\r\n\r\n", HeadState::kRefused, 400},
      {"a NUL inside a line", get + std::string("X-A: a\0b\r\n\r\n", 11), HeadState::kRefused, 400},
  };
  HeadLimits limits;
  limits.max_body_bytes = 1000000;
  for (const Case& c : cases) {
    const HeadVerdict verdict = CheckRequestHead(c.bytes, limits);
    EXPECT_EQ(verdict.state, c.state) << c.name << ": " << verdict.message;
    if (c.state == HeadState::kRefused) {
      EXPECT_EQ(verdict.status, c.status) << c.name << ": " << verdict.message;
      EXPECT_FALSE(verdict.code.empty()) << c.name;
      EXPECT_FALSE(verdict.message.empty()) << c.name;
    }
  }
}

TEST(CheckRequestHeadTest, ReportsTheHeadAndItsFraming) {
  const std::string head =
      "\r\nPOST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n"
      "Expect: 100-Continue\r\n\r\n";
  const std::string bytes = head + "{\"q\":1}GET / HTTP/1.1\r\n";
  const HeadVerdict verdict = CheckRequestHead(bytes, HeadLimits());
  ASSERT_EQ(verdict.state, HeadState::kComplete);
  EXPECT_EQ(verdict.head_begin, 2u);
  EXPECT_EQ(verdict.head_end, head.size());
  EXPECT_TRUE(verdict.normalised.empty());
  ASSERT_TRUE(verdict.content_length.has_value());
  EXPECT_EQ(*verdict.content_length, 7u);
  EXPECT_TRUE(verdict.expects_continue);
  EXPECT_FALSE(verdict.has_transfer_encoding);

  const HeadVerdict chunked = CheckRequestHead(
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", HeadLimits());
  ASSERT_EQ(chunked.state, HeadState::kComplete);
  EXPECT_TRUE(chunked.has_transfer_encoding);
  EXPECT_FALSE(chunked.content_length.has_value());
  EXPECT_FALSE(chunked.expects_continue);
}

TEST(CheckRequestHeadTest, NormalisesBareLineFeeds) {
  struct Case {
    std::string bytes;
    std::string normalised;  // "" when the head had CRLF line ends only
    std::string after_head;  // what follows head_end: the body
  } cases[] = {
      {"GET / HTTP/1.1\nHost: x\n\n", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", ""},
      {"GET / HTTP/1.1\r\nHost: x\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", ""},
      {"\nGET / HTTP/1.1\nHost: x\n\nbody\n", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "body\n"},
      {"GET / HTTP/1.1\r\nHost: x\r\n\r\nbody", "", "body"},
  };
  for (const Case& c : cases) {
    const HeadVerdict verdict = CheckRequestHead(c.bytes, HeadLimits());
    ASSERT_EQ(verdict.state, HeadState::kComplete) << c.bytes;
    EXPECT_EQ(verdict.normalised, c.normalised) << c.bytes;
    EXPECT_EQ(c.bytes.substr(verdict.head_end), c.after_head) << c.bytes;
  }
}

TEST(CheckRequestHeadTest, LimitsAreSettable) {
  HeadLimits limits;
  limits.max_fields = 2;
  limits.max_line_bytes = 64;
  limits.max_head_bytes = 128;
  limits.max_body_bytes = 10;
  struct Case {
    std::string bytes;
    int status;  // 0: complete
  } cases[] = {
      {"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n", 0},
      {"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", 431},
      {"GET / HTTP/1.1\r\nA: " + std::string(70, 'a') + "\r\n\r\n", 431},
      {"GET /" + std::string(70, 'a') + " HTTP/1.1\r\n\r\n", 414},
      {"GET / HTTP/1.1\r\nA: " + std::string(55, 'a') + "\r\nB: " + std::string(55, 'b') +
           "\r\n\r\n",
       431},
      {"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n", 0},
      {"POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", 413},
  };
  for (const Case& c : cases) {
    const HeadVerdict verdict = CheckRequestHead(c.bytes, limits);
    if (c.status == 0) {
      EXPECT_EQ(verdict.state, HeadState::kComplete) << c.bytes << ": " << verdict.message;
    } else {
      EXPECT_EQ(verdict.state, HeadState::kRefused) << c.bytes;
      EXPECT_EQ(verdict.status, c.status) << c.bytes;
    }
  }
}

}  // namespace
}  // namespace citeqa::server
