// Conversations that any replica can continue. With CITEQA_CONVERSATION_SECRET set, the
// conversation_id an answer returns is a token that carries the conversation's last
// questions, signed with HMAC-SHA256 under that secret. A follow-up sent with the token
// alone is understood by every server that shares the secret, with nothing shared between
// them at run time (no session store, no sticky balancing) and nothing lost when one
// restarts.
//
// Why a token and not a shared store: replicas on other hosts share no file (SQLite's WAL
// does not work over network file systems), and a store would be one more service to run.
// The cost is a longer id (up to kMaxConversationTokenBytes) and questions that the token
// shows to whoever holds it: the asker, who typed them. The token is signed, not encrypted.
//
// Format: "c1." + base64url(JSON {"k": key, "t": issued (Unix seconds), "q": [questions,
// oldest first]}) + "." + base64url(HMAC-SHA256(secret, everything before the last dot)).
// The key is random, made with the conversation's first token and kept by the later ones:
// the one name of a conversation whose token changes with every turn (the question log
// keeps the key, never the token and the questions in it).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/status.h"
#include "retriever/engine.h"

namespace citeqa::server {

// The longest conversation_id accepted: a plain one (an id of the engine's memory, Slack's,
// or a client's own), and a token.
inline constexpr size_t kMaxConversationIdBytes = retriever::kMaxConversationIdBytes;
inline constexpr size_t kMaxConversationTokenBytes = 4096;
// The shortest secret accepted (bytes); shorter ones are refused at start.
inline constexpr size_t kMinConversationSecretBytes = 16;

// True when `conversation_id` has a token's prefix (it may still be forged or damaged).
bool LooksLikeConversationToken(std::string_view conversation_id);

// kMaxConversationTokenBytes for what looks like a token, else kMaxConversationIdBytes.
size_t MaxConversationIdBytes(std::string_view conversation_id);

// What a token carries.
struct ConversationState {
  std::string key;                     // 32 hex digits
  std::vector<std::string> questions;  // oldest first; empty when the token has expired
};

// The key of a token ("c1:" + its key), without checking its signature: for naming the
// conversation in logs; "" for anything that is not a readable token.
std::string ConversationLogKey(std::string_view conversation_id);

class ConversationTokens {
 public:
  using UnixClock = std::function<int64_t()>;

  // `secret` at least kMinConversationSecretBytes (checked by ConversationSecretFromEnvironment);
  // tokens older than `ttl` open as a new conversation, as the engine forgets a conversation
  // unused for that long.
  ConversationTokens(std::string secret, std::chrono::seconds ttl, UnixClock clock = SystemClock());

  // A token of the last kTurnsKept of `questions` (oldest first), each cut to
  // kQuestionBytesKept bytes at a UTF-8 boundary; the oldest are left out until the token
  // fits in kMaxConversationTokenBytes.
  // `key` names the conversation (ConversationState::key); empty: a new random one.
  // Errors: kUnavailable when the digest cannot be computed.
  Result<std::string> Seal(const std::vector<std::string>& questions,
                           const std::string& key = "") const;

  // What a token made by Seal under the same secret carries; no questions when it has
  // expired. Errors: kInvalidArgument for anything else (malformed, changed, or signed under
  // another secret), with a message for the asker.
  Result<ConversationState> Open(std::string_view token) const;

  static UnixClock SystemClock();

  // As many as the engine reads.
  static constexpr size_t kTurnsKept = retriever::kConversationTurnsUsed;
  static constexpr size_t kQuestionBytesKept = 600;

 private:
  // base64url of the HMAC, or "" when it cannot be computed.
  std::string Sign(std::string_view signed_part) const;

  const std::string secret_;
  const int64_t ttl_seconds_;
  UnixClock clock_;
};

// CITEQA_CONVERSATION_SECRET with surrounding white space removed: "" when unset or blank
// (conversations then stay in each server's memory). Errors: kInvalidArgument when it is
// shorter than kMinConversationSecretBytes.
Result<std::string> ConversationSecretFromEnvironment();

}  // namespace citeqa::server
