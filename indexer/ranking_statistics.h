// What a reader of an index can hold in memory so that ranking its matches (citeqa_bm25,
// passage_ranking.h) reads less of the index: every passage's length, and the passages
// holding each term and phrase. Plain values, without SQLite.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string_view>
#include <vector>

namespace citeqa::indexer {

// Tokens per passage (heading and text together, as FTS5 counts them for bm25), by passage
// id. A passage's length never changes under its id: passages.id is AUTOINCREMENT, so a
// re-indexed passage gets a new id and a removed one's id is never given again. Lengths read
// from one version of an index therefore hold, for the ids they cover, in every later
// version of the same index file.
//
// Held in pages of 1024 ids, a page only where some id of it was read: ids grow with every
// re-index, and the lengths of a much re-indexed corpus lie far apart. Pages are shared
// with the lengths they were extended from (a page is copied before it is written while
// shared). Immutable once built; shared across threads.
class PassageLengths {
 public:
  static constexpr uint32_t kUnknown = std::numeric_limits<uint32_t>::max();

  // The length of passage `id`, or kUnknown when not held.
  uint32_t Of(int64_t id) const {
    const uint64_t page = static_cast<uint64_t>(id) >> kPageBits;
    if (id < 0 || page >= pages_.size() || pages_[page] == nullptr) return kUnknown;
    return (*pages_[page])[static_cast<size_t>(id) & (kPageIds - 1)];
  }
  // One past the highest id read (0 when none): a later version's passages start there.
  int64_t end_id() const { return end_id_; }
  // Lengths held, removed passages' included (until the lengths are read afresh).
  size_t held() const { return held_; }
  // The tokens of the lengths held (removed passages' included, as held()).
  uint64_t tokens() const { return tokens_; }
  size_t pages() const;  // pages in memory, for measuring

  // Adds the length of row `id` (ids ascending: one below end_id() is ignored) as read from
  // passages_fts_docsize: `sizes` is FTS5's record of one varint per column. A record that
  // does not decode is held as kUnknown (FTS5 then reads that row's length itself).
  void Append(int64_t id, const unsigned char* sizes, int bytes);
  // The length such a record gives (the sum of its columns), or kUnknown when it does not
  // decode.
  static uint32_t LengthOf(const unsigned char* sizes, int bytes);

 private:
  static constexpr int kPageBits = 10;
  static constexpr size_t kPageIds = size_t{1} << kPageBits;
  using Page = std::array<uint32_t, kPageIds>;
  std::vector<std::shared_ptr<Page>> pages_;  // by id >> kPageBits; null: none of it held
  int64_t end_id_ = 0;
  size_t held_ = 0;
  uint64_t tokens_ = 0;
};

// The passages holding each FTS5 term (passages_fts's porter stems) and phrase in one
// version of an index. Implementations are thread-safe.
class TermCounts {
 public:
  virtual ~TermCounts() = default;
  // The version (meta.generation) the counts are of.
  virtual int64_t version() const = 0;
  // The passages holding a phrase given as its FTS5 terms joined by spaces (one term: the
  // term): 0 for a term no passage holds, -1 for a phrase whose count is not known.
  virtual int64_t Passages(std::string_view terms) const = 0;
  // Told the count FTS5 worked out for a phrase Passages did not know.
  virtual void Remember(std::string_view terms, int64_t passages) const = 0;
};

// What ranking may take from the caller instead of reading it (indexer::TermQuery): each
// may be null, and must outlive the query.
struct RankingStatistics {
  const PassageLengths* lengths = nullptr;  // of the index file read
  const TermCounts* term_counts = nullptr;  // used in a read of their version only
};

}  // namespace citeqa::indexer
