#include "server/request_identity.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace citeqa::server {
namespace {

bool IsNewId(const std::string& id) {
  return id.size() == 16 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(RequestIdentityTest, ShortTokensAreKeptAnythingElseIsReplaced) {
  struct Case {
    std::string offered;
    bool kept;
  } cases[] = {
      {"7f3a-11e9.b_2:x", true},
      {std::string(64, 'a'), true},
      {std::string(65, 'a'), false},
      {"", false},
      {"has space", false},
      {"new\nline", false},
      {"quote\"", false},
      {"caf\xc3\xa9", false},
  };
  for (const Case& c : cases) {
    const std::string id = RequestIdFor(c.offered);
    if (c.kept) {
      EXPECT_EQ(id, c.offered);
    } else {
      EXPECT_TRUE(IsNewId(id)) << c.offered << " -> " << id;
    }
  }
}

TEST(RequestIdentityTest, NewIdsAreDistinct) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(RequestIdFor(""));
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(RequestIdentityTest, ForwardedForIsUsedOnlyWhenTrusted) {
  struct Case {
    std::string forwarded_for;
    bool trusted;
    std::string expected;
  } cases[] = {
      {"", true, "127.0.0.1"},
      {"203.0.113.9", false, "127.0.0.1"},
      {"203.0.113.9", true, "203.0.113.9"},
      // The client may send its own header; the proxy appends what it saw: the last entry.
      {"10.0.0.1, 203.0.113.9", true, "203.0.113.9"},
      {"10.0.0.1,2001:db8::7 ", true, "2001:db8::7"},
      {"not an address", true, "127.0.0.1"},
      {"203.0.113.9, <script>", true, "127.0.0.1"},
      {std::string(100, '1'), true, "127.0.0.1"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ClientAddressFor("127.0.0.1", c.forwarded_for, c.trusted), c.expected)
        << c.forwarded_for;
  }
  EXPECT_EQ(ClientAddressFor("", "", false), "-");
}

}  // namespace
}  // namespace citeqa::server
