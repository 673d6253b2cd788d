#include "server/request_identity.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <random>

namespace citeqa::server {
namespace {

constexpr size_t kMaxRequestIdBytes = 64;
// An IPv6 address with a zone is at most 45 + a few bytes; anything longer is not one.
constexpr size_t kMaxAddressBytes = 64;

bool IsIdByte(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.' ||
         c == ':';
}

// Digits, hex letters, '.', ':' and '%' (zones): IPv4 and IPv6 text forms, nothing else.
bool LooksLikeAddress(std::string_view text) {
  if (text.empty() || text.size() > kMaxAddressBytes) return false;
  for (const char c : text) {
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0 && c != '.' && c != ':' && c != '%') {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string RequestIdFor(std::string_view offered) {
  bool usable = !offered.empty() && offered.size() <= kMaxRequestIdBytes;
  for (const char c : offered) usable = usable && IsIdByte(c);
  if (usable) return std::string(offered);
  // One generator per thread, seeded from the system: ids need to be distinct, not secret.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(generator()));
  return text;
}

std::string ClientAddressFor(std::string_view peer, std::string_view forwarded_for,
                             bool trust_forwarded_for) {
  if (trust_forwarded_for && !forwarded_for.empty()) {
    const size_t comma = forwarded_for.rfind(',');
    const std::string_view last =
        Trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    if (LooksLikeAddress(last)) return std::string(last);
  }
  return peer.empty() ? "-" : std::string(peer);
}

}  // namespace citeqa::server
