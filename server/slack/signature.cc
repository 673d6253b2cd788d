#include "server/slack/signature.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>
#include <charconv>

#include "indexer/content_hash.h"

namespace citeqa::server::slack {
namespace {

constexpr std::string_view kVersion = "v0";


// Strictly decimal digits: no sign, no spaces, at most 15 digits (year 30 million).
bool ParseTimestamp(std::string_view text, int64_t* out) {
  if (text.empty() || text.size() > 15) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::array<unsigned char, SHA256_DIGEST_LENGTH> Sha256(std::string_view s) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), digest.data());
  return digest;
}

}  // namespace

std::string ComputeSlackSignature(std::string_view signing_secret, std::string_view timestamp,
                                  std::string_view body) {
  std::string base;
  base.reserve(kVersion.size() + timestamp.size() + body.size() + 2);
  base.append(kVersion).append(":").append(timestamp).append(":").append(body);
  const std::string mac = indexer::HmacSha256(signing_secret, base);
  if (mac.empty()) return "";  // nothing verifies against it
  return std::string(kVersion) + "=" + indexer::Hex(mac);
}

Status VerifySlackRequest(const SlackHttpRequest& request, std::string_view signing_secret,
                          int64_t now_unix) {
  if (signing_secret.empty()) {
    return Status::Unauthenticated("CITEQA_SLACK_SIGNING_SECRET is not set");
  }
  const auto& timestamps = HeaderValues(request, "x-slack-request-timestamp");
  const auto& signatures = HeaderValues(request, "x-slack-signature");
  if (timestamps.size() != 1 || signatures.size() != 1) {
    return Status::Unauthenticated(
        "need exactly one X-Slack-Request-Timestamp and one "
        "X-Slack-Signature header");
  }
  int64_t timestamp = 0;
  if (!ParseTimestamp(timestamps[0], &timestamp)) {
    return Status::Unauthenticated("X-Slack-Request-Timestamp is not a number");
  }
  const int64_t skew = now_unix > timestamp ? now_unix - timestamp : timestamp - now_unix;
  if (skew > kMaxSignatureSkewSeconds) {
    return Status::Unauthenticated("X-Slack-Request-Timestamp is more than 5 minutes away");
  }
  const std::string expected = ComputeSlackSignature(signing_secret, timestamps[0], request.body);
  const std::string& given = signatures[0];
  // The length of a valid signature is public, so only the bytes need constant time.
  if (expected.empty() || given.size() != expected.size() ||
      CRYPTO_memcmp(given.data(), expected.data(), expected.size()) != 0) {
    return Status::Unauthenticated("X-Slack-Signature does not match");
  }
  return Status::Ok();
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return false;
  const auto da = Sha256(a);
  const auto db = Sha256(b);
  return CRYPTO_memcmp(da.data(), db.data(), da.size()) == 0;
}

}  // namespace citeqa::server::slack
