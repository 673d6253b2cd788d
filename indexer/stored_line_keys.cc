#include "indexer/stored_line_keys.h"

#include <algorithm>
#include <future>
#include <limits>
#include <utility>

#include "indexer/document_pipeline.h"

namespace citeqa::indexer {

Status ForEachStoredLineKeys(
    Database* db, int64_t first_id, int64_t last_id,
    const std::function<void(int64_t, const std::vector<RepeatedLineCounter::LineKey>&)>& visit) {
  auto stmt = db->Prepare("SELECT doc_id, keys FROM document_lines WHERE doc_id BETWEEN ?1 AND ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, first_id).Bind(2, last_id);
  std::vector<RepeatedLineCounter::LineKey> keys;
  while (stmt->Step()) {
    if (DecodeLineKeys(stmt->ColumnBlobView(1), &keys)) visit(stmt->ColumnInt(0), keys);
  }
  return stmt->status();
}

std::optional<Database> OpenSecondReader(const std::string& path, FileIdentity opened,
                                         Database* db) {
  // In rollback-journal mode the writer's lock can shut readers out until it commits.
  auto mode = db->Prepare("PRAGMA journal_mode");
  if (!mode.ok() || !mode->Step() || mode->ColumnText(0) != "wal") return std::nullopt;
  auto second = Database::Open(path, OpenMode::kReadOnly);
  if (!second.ok()) return std::nullopt;
  // Had the path been moved onto another file since `db` opened it, the two would read
  // different indexes (and share one write-ahead log's name).
  const auto now = IdentifyFile(path);
  if (!now.ok() || !(*now == opened)) return std::nullopt;
  // Read like the first connection, not through a map of the file: the mapped pages would
  // count toward the run's memory, and cost as much to fault in.
  if (!second->Exec("PRAGMA mmap_size=0").ok()) return std::nullopt;
  return std::move(*second);
}

Result<StoredLineCounts> CountStoredLineKeys(
    Database* db, Database* second, const std::vector<int64_t>& documents,
    const std::vector<RepeatedLineCounter::LineKey>& looked_up) {
  StoredLineCounts out;
  out.lines.CountOnly(looked_up);
  if (documents.empty()) return out;
  std::vector<char> counted(documents.size(), 0);  // per thread, distinct positions
  auto count = [&](Database* from, int64_t first_id, int64_t last_id,
                   RepeatedLineCounter* lines) {
    return ForEachStoredLineKeys(
        from, first_id, last_id,
        [&](int64_t id, const std::vector<RepeatedLineCounter::LineKey>& keys) {
          const auto it = std::lower_bound(documents.begin(), documents.end(), id);
          if (it == documents.end() || *it != id) return;
          lines->AddKeys(keys);
          counted[static_cast<size_t>(it - documents.begin())] = 1;
        });
  };
  constexpr int64_t kFirstId = std::numeric_limits<int64_t>::min();
  constexpr int64_t kLastId = std::numeric_limits<int64_t>::max();
  if (second == nullptr) {
    CITEQA_RETURN_IF_ERROR(count(db, kFirstId, kLastId, &out.lines));
  } else {
    const int64_t middle_id = documents[documents.size() / 2];
    RepeatedLineCounter upper_lines;
    upper_lines.CountOnly(looked_up);
    auto upper = std::async(std::launch::async,
                            [&] { return count(second, middle_id, kLastId, &upper_lines); });
    const Status lower = count(db, kFirstId, middle_id - 1, &out.lines);
    const Status upper_status = upper.get();
    CITEQA_RETURN_IF_ERROR(lower);
    CITEQA_RETURN_IF_ERROR(upper_status);
    out.lines.Merge(upper_lines);
  }
  out.has_keys.assign(counted.begin(), counted.end());
  return out;
}

}  // namespace citeqa::indexer
