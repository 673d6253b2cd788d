// Content fingerprints for incremental indexing, and the keyed digest of signed requests
// and tokens.
#pragma once

#include <string>
#include <string_view>

namespace citeqa::indexer {

// Lower-case hex SHA-256 of `bytes` (OpenSSL).
std::string Sha256Hex(std::string_view bytes);

// HMAC-SHA256 of `data` under `key`: 32 raw bytes, or "" when OpenSSL fails (then nothing
// may verify: callers refuse).
std::string HmacSha256(std::string_view key, std::string_view data);

// Lower-case hex of `bytes`.
std::string Hex(std::string_view bytes);

}  // namespace citeqa::indexer
