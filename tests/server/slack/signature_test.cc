#include "server/slack/signature.h"

#include <gtest/gtest.h>

#include "tests/server/slack/signed_request.h"

namespace citeqa::server::slack {
namespace {

// Slack's worked example from "Verifying requests from Slack"
// (https://api.slack.com/authentication/verifying-requests-from-slack), copied exactly.
constexpr char kExampleSecret[] = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr char kExampleTimestamp[] = "1531420618";
constexpr int64_t kExampleNow = 1531420618;
constexpr char kExampleBody[] =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id="
    "G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-"
    "collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F39770088"
    "5554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447f"
    "ce8b6703c";
constexpr char kExampleSignature[] =
    "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

SlackHttpRequest ExampleRequest() {
  SlackHttpRequest request;
  request.body = kExampleBody;
  request.headers["x-slack-request-timestamp"] = {kExampleTimestamp};
  request.headers["x-slack-signature"] = {kExampleSignature};
  return request;
}

TEST(SignatureTest, ComputesSlacksPublishedExample) {
  EXPECT_EQ(ComputeSlackSignature(kExampleSecret, kExampleTimestamp, kExampleBody),
            kExampleSignature);
}

TEST(SignatureTest, AcceptsSlacksPublishedExampleAtItsTimestamp) {
  const Status status = VerifySlackRequest(ExampleRequest(), kExampleSecret, kExampleNow);
  EXPECT_TRUE(status.ok()) << status.ToString();
}

TEST(SignatureTest, AcceptsTheEdgesOfTheFiveMinuteWindow) {
  for (int64_t now : {kExampleNow - 300, kExampleNow + 300}) {
    EXPECT_TRUE(VerifySlackRequest(ExampleRequest(), kExampleSecret, now).ok()) << now;
  }
}

TEST(SignatureTest, RefusesEverythingElse) {
  struct Case {
    const char* name;
    void (*change)(SlackHttpRequest&);
    const char* secret;
    int64_t now;
  };
  const Case cases[] = {
      {"tampered body", [](SlackHttpRequest& r) { r.body.back() = 'd'; }, kExampleSecret,
       kExampleNow},
      {"body with a byte appended", [](SlackHttpRequest& r) { r.body += "&x=1"; }, kExampleSecret,
       kExampleNow},
      {"wrong secret", [](SlackHttpRequest&) {}, "8f742231b10e8888abcd99yyyzzz85a6", kExampleNow},
      {"secret unset", [](SlackHttpRequest&) {}, "", kExampleNow},
      {"stale by 301 s", [](SlackHttpRequest&) {}, kExampleSecret, kExampleNow + 301},
      {"an hour in the future", [](SlackHttpRequest&) {}, kExampleSecret, kExampleNow - 3600},
      {"301 s in the future", [](SlackHttpRequest&) {}, kExampleSecret, kExampleNow - 301},
      {"timestamp missing",
       [](SlackHttpRequest& r) { r.headers.erase("x-slack-request-timestamp"); }, kExampleSecret,
       kExampleNow},
      {"signature missing", [](SlackHttpRequest& r) { r.headers.erase("x-slack-signature"); },
       kExampleSecret, kExampleNow},
      {"no headers", [](SlackHttpRequest& r) { r.headers.clear(); }, kExampleSecret, kExampleNow},
      {"timestamp header present but empty list",
       [](SlackHttpRequest& r) { r.headers["x-slack-request-timestamp"].clear(); }, kExampleSecret,
       kExampleNow},
      {"duplicated signature (same value)",
       [](SlackHttpRequest& r) { r.headers["x-slack-signature"].push_back(kExampleSignature); },
       kExampleSecret, kExampleNow},
      {"duplicated signature (bad one first)",
       [](SlackHttpRequest& r) {
         r.headers["x-slack-signature"].insert(r.headers["x-slack-signature"].begin(), "v0=00");
       },
       kExampleSecret, kExampleNow},
      {"duplicated timestamp",
       [](SlackHttpRequest& r) { r.headers["x-slack-request-timestamp"].push_back("1531420618"); },
       kExampleSecret, kExampleNow},
      {"signature upper-case hex",
       [](SlackHttpRequest& r) {
         r.headers["x-slack-signature"] = {
             "v0=A2114D57B48EAC39B9AD189DD8316235A7B4A8D21A10BD27519666489C69B503"};
       },
       kExampleSecret, kExampleNow},
      {"signature of another version",
       [](SlackHttpRequest& r) {
         r.headers["x-slack-signature"] = {
             "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"};
       },
       kExampleSecret, kExampleNow},
      {"signature truncated",
       [](SlackHttpRequest& r) { r.headers["x-slack-signature"][0].pop_back(); }, kExampleSecret,
       kExampleNow},
      {"signature empty", [](SlackHttpRequest& r) { r.headers["x-slack-signature"] = {""}; },
       kExampleSecret, kExampleNow},
  };
  for (const auto& c : cases) {
    SlackHttpRequest request = ExampleRequest();
    c.change(request);
    const Status status = VerifySlackRequest(request, c.secret, c.now);
    EXPECT_EQ(status.code(), StatusCode::kUnauthenticated) << c.name;
  }
}

TEST(SignatureTest, RefusesNonNumericTimestampsEvenWhenSignedOverThem) {
  // Signed correctly over the odd timestamp, so only the timestamp check can refuse them.
  const char* timestamps[] = {"",
                              "abc",
                              "1531420618.5",
                              "+1531420618",
                              "-1531420618",
                              " 1531420618",
                              "1531420618 ",
                              "0x5B47A8CA",
                              "1e9",
                              "99999999999999999999"};
  for (const char* ts : timestamps) {
    SlackHttpRequest request;
    request.body = "text=hi";
    request.headers["x-slack-request-timestamp"] = {ts};
    request.headers["x-slack-signature"] = {ComputeSlackSignature(kExampleSecret, ts, "text=hi")};
    EXPECT_EQ(VerifySlackRequest(request, kExampleSecret, kExampleNow).code(),
              StatusCode::kUnauthenticated)
        << "'" << ts << "'";
  }
}

TEST(SignatureTest, SignedRequestHelperRoundTrips) {
  const SlackHttpRequest request =
      testing::SignedRequest("text=hello", "application/x-www-form-urlencoded");
  EXPECT_TRUE(VerifySlackRequest(request, testing::kTestSecret, testing::kTestNow).ok());
}

TEST(SignatureTest, ConstantTimeEquals) {
  struct Case {
    const char* a;
    const char* b;
    bool equal;
  };
  const Case cases[] = {
      {"s3cret", "s3cret", true},
      {"s3cret", "s3creT", false},
      {"s3cret", "s3cret ", false},
      {"s3cret", "s3cre", false},
      {"", "", false},
      {"", "x", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ConstantTimeEquals(c.a, c.b), c.equal) << "'" << c.a << "' vs '" << c.b << "'";
  }
}

}  // namespace
}  // namespace citeqa::server::slack
