#include "server/conversation_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "indexer/content_hash.h"
#include "indexer/text.h"
#include "server/config.h"

namespace citeqa::server {
namespace {

constexpr std::string_view kPrefix = "c1.";

constexpr std::string_view kForged =
    "conversation_id is not a conversation of this service (it was changed, or made under "
    "another CITEQA_CONVERSATION_SECRET); start a new conversation or send 'history'";

// Base64 with the URL alphabet and no padding (RFC 4648 section 5), through OpenSSL's
// standard-alphabet codec.
std::string Base64UrlEncode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(written));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

bool Base64UrlDecode(std::string_view text, std::string* bytes) {
  if (text.size() % 4 == 1) return false;
  std::string standard(text);
  for (char& c : standard) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c == '-') {
      c = '+';
    } else if (c == '_') {
      c = '/';
    } else if (!plain) {
      return false;
    }
  }
  const size_t padding = (4 - standard.size() % 4) % 4;
  standard.append(padding, '=');
  bytes->assign(3 * standard.size() / 4, '\0');
  const int decoded = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes->data()),
                                      reinterpret_cast<const unsigned char*>(standard.data()),
                                      static_cast<int>(standard.size()));
  if (decoded < 0) return false;
  bytes->resize(static_cast<size_t>(decoded) - padding);  // EVP_DecodeBlock counts the padding
  return true;
}

// A conversation's key: 128 random bits as hex.
std::string NewKey() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return "";
  return indexer::Hex(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

// The payload of a token, unchecked: null when it is not readable.
nlohmann::json Payload(std::string_view token) {
  const size_t dot = token.rfind('.');
  if (!token.starts_with(kPrefix) || dot == std::string_view::npos || dot < kPrefix.size()) {
    return nullptr;
  }
  std::string text;
  if (!Base64UrlDecode(token.substr(kPrefix.size(), dot - kPrefix.size()), &text)) return nullptr;
  auto payload = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!payload.is_object()) return nullptr;
  return payload;
}

std::string StringAt(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string ConversationLogKey(std::string_view conversation_id) {
  if (!LooksLikeConversationToken(conversation_id)) return "";
  const nlohmann::json payload = Payload(conversation_id);
  const std::string key = payload.is_object() ? StringAt(payload, "k") : "";
  return key.empty() ? "" : "c1:" + key;
}

bool LooksLikeConversationToken(std::string_view conversation_id) {
  return conversation_id.substr(0, kPrefix.size()) == kPrefix;
}

size_t MaxConversationIdBytes(std::string_view conversation_id) {
  return LooksLikeConversationToken(conversation_id) ? kMaxConversationTokenBytes
                                                     : kMaxConversationIdBytes;
}

ConversationTokens::ConversationTokens(std::string secret, std::chrono::seconds ttl,
                                       UnixClock clock)
    : secret_(std::move(secret)), ttl_seconds_(ttl.count()), clock_(std::move(clock)) {}

ConversationTokens::UnixClock ConversationTokens::SystemClock() {
  return [] {
    return static_cast<int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count());
  };
}

std::string ConversationTokens::Sign(std::string_view signed_part) const {
  const std::string mac = indexer::HmacSha256(secret_, signed_part);
  return mac.empty() ? "" : Base64UrlEncode(mac);
}

Result<std::string> ConversationTokens::Seal(const std::vector<std::string>& questions,
                                             const std::string& key) const {
  const std::string conversation_key = key.empty() ? NewKey() : key;
  if (conversation_key.empty()) return Status::Unavailable("no random bytes for a conversation");
  std::vector<std::string> kept;
  const size_t first = questions.size() > kTurnsKept ? questions.size() - kTurnsKept : 0;
  for (size_t i = first; i < questions.size(); ++i) {
    kept.push_back(indexer::CutUtf8(questions[i], kQuestionBytesKept));
  }
  while (true) {
    const nlohmann::json payload = {{"k", conversation_key}, {"t", clock_()}, {"q", kept}};
    std::string token(kPrefix);
    token += Base64UrlEncode(payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    const std::string signature = Sign(token);
    if (signature.empty()) return Status::Unavailable("cannot sign the conversation token");
    token += '.';
    token += signature;
    // Escaping can make a question longer in JSON than in bytes; the newest always fits.
    if (token.size() <= kMaxConversationTokenBytes || kept.size() <= 1) return token;
    kept.erase(kept.begin());
  }
}

Result<ConversationState> ConversationTokens::Open(std::string_view token) const {
  if (!LooksLikeConversationToken(token) || token.size() > kMaxConversationTokenBytes) {
    return Status::InvalidArgument(std::string(kForged));
  }
  const size_t dot = token.rfind('.');
  const std::string_view signed_part = token.substr(0, dot);
  const std::string expected = Sign(signed_part);
  const std::string_view given = token.substr(dot + 1);
  // The length of a signature is public, so only the bytes need constant time.
  if (dot < kPrefix.size() || expected.empty() || given.size() != expected.size() ||
      CRYPTO_memcmp(given.data(), expected.data(), expected.size()) != 0) {
    return Status::InvalidArgument(std::string(kForged));
  }
  // Signed by us: what follows can only fail for a token of a later format.
  const nlohmann::json payload = Payload(token);
  if (!payload.is_object() || !payload.contains("t") || !payload["t"].is_number_integer() ||
      !payload.contains("q") || !payload["q"].is_array() || StringAt(payload, "k").empty()) {
    return Status::InvalidArgument(std::string(kForged));
  }
  ConversationState state;
  state.key = StringAt(payload, "k");
  const int64_t issued = payload["t"].get<int64_t>();
  if (clock_() - issued > ttl_seconds_) return state;
  for (const auto& question : payload["q"]) {
    if (!question.is_string()) return Status::InvalidArgument(std::string(kForged));
    state.questions.push_back(question.get<std::string>());
  }
  return state;
}

Result<std::string> ConversationSecretFromEnvironment() {
  std::string secret = TrimmedEnvironmentValue("CITEQA_CONVERSATION_SECRET");
  if (!secret.empty() && secret.size() < kMinConversationSecretBytes) {
    return Status::InvalidArgument("CITEQA_CONVERSATION_SECRET must be at least " +
                                   std::to_string(kMinConversationSecretBytes) +
                                   " bytes (for example: openssl rand -hex 32)");
  }
  return secret;
}

}  // namespace citeqa::server
