#include "indexer/ranking_statistics.h"

#include <algorithm>

namespace citeqa::indexer {
namespace {

// FTS5 counts a row's tokens in an int.
constexpr uint32_t kMaxRowTokens = std::numeric_limits<int>::max();

// A length record's varint (SQLite's format, as FTS5 writes it: seven bits a byte, high bit
// set on every byte but the last). False for a varint too long for a token count.
bool ReadVarint(const unsigned char* bytes, int size, int* at, uint32_t* value) {
  uint64_t v = 0;
  for (int n = 0; n < 5 && *at < size; ++n) {
    const unsigned char c = bytes[(*at)++];
    v = (v << 7) | (c & 0x7FU);
    if ((c & 0x80U) == 0) {
      if (v > kMaxRowTokens) return false;
      *value = static_cast<uint32_t>(v);
      return true;
    }
  }
  return false;
}

}  // namespace

size_t PassageLengths::pages() const {
  return static_cast<size_t>(
      std::count_if(pages_.begin(), pages_.end(), [](const auto& p) { return p != nullptr; }));
}

uint32_t PassageLengths::LengthOf(const unsigned char* sizes, int bytes) {
  uint32_t total = 0;
  for (int at = 0; at < bytes;) {
    uint32_t column = 0;
    if (!ReadVarint(sizes, bytes, &at, &column) || column > kMaxRowTokens - total) {
      return kUnknown;
    }
    total += column;
  }
  return total;
}

void PassageLengths::Append(int64_t id, const unsigned char* sizes, int bytes) {
  if (id < end_id_ || id < 0) return;
  const uint32_t length = LengthOf(sizes, bytes);
  const bool decoded = length != kUnknown;
  const auto page = static_cast<size_t>(static_cast<uint64_t>(id) >> kPageBits);
  if (page >= pages_.size()) pages_.resize(page + 1);
  std::shared_ptr<Page>& slot = pages_[page];
  if (slot == nullptr) {
    slot = std::make_shared<Page>();
    slot->fill(kUnknown);
  } else if (slot.use_count() > 1) {
    slot = std::make_shared<Page>(*slot);  // shared with the lengths these extend
  }
  (*slot)[static_cast<size_t>(id) & (kPageIds - 1)] = length;
  end_id_ = id + 1;
  held_ += decoded ? 1 : 0;
  tokens_ += decoded ? length : 0;
}

}  // namespace citeqa::indexer
