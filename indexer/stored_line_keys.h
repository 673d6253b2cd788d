// The line keys the index stores for its documents (document_lines), counted: how a run
// that changes a few documents learns how many of the unchanged ones contain each line the
// changed ones' cleaning looks up, without parsing them again (cleaner.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "indexer/cleaner.h"
#include "indexer/file_identity.h"
#include "indexer/sqlite_db.h"
#include "indexer/status.h"

namespace citeqa::indexer {

// Calls visit(doc id, keys) with the line keys stored for each document whose id is in
// [first_id, last_id], decoded into one vector reused from row to row: a million-passage
// index stores some 80 MB of them, which held all at once cost more than reading them. A
// row that does not decode is passed over (its document is then parsed again).
Status ForEachStoredLineKeys(
    Database* db, int64_t first_id, int64_t last_id,
    const std::function<void(int64_t, const std::vector<RepeatedLineCounter::LineKey>&)>& visit);

// A second read-only connection to the index at `path`, which `db` (opened on it when the
// path named `opened`) writes in WAL mode, for CountStoredLineKeys; nullopt when there is
// none to be had: another journal mode, the path now naming another file, or no connection.
// It reads what `db` last committed.
std::optional<Database> OpenSecondReader(const std::string& path, FileIdentity opened,
                                         Database* db);

struct StoredLineCounts {
  RepeatedLineCounter lines;   // the looked-up keys only
  std::vector<bool> has_keys;  // per document asked about: its keys were stored and counted
};

// Counts the keys among `looked_up` (sorted, unique) that the documents `documents` (sorted
// ids) have stored, reading them on `db`; with a `second` connection (OpenSecondReader),
// the upper half of the ids is read on it, on a thread of its own: at a million passages
// the keys are 80 MB, read page by page through system calls, which a second core halves.
// Both must see the same rows: `db`'s transaction must not have written document_lines.
Result<StoredLineCounts> CountStoredLineKeys(
    Database* db, Database* second, const std::vector<int64_t>& documents,
    const std::vector<RepeatedLineCounter::LineKey>& looked_up);

}  // namespace citeqa::indexer
