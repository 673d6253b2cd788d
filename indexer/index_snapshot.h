// `citeqa snapshot`: a consistent copy of a live index, for backups and for publishing an
// index to other hosts. The copy appears at its path all at once (written beside it, then
// renamed), so a server reading that path switches to it between two requests.
#pragma once

#include <cstdint>
#include <string>

#include "indexer/status.h"

namespace citeqa::indexer {

struct SnapshotSummary {
  int64_t generation = 0;  // the index generation the copy holds
  int64_t bytes = 0;       // size of the copy
};

// Copies the index at `db_path` to `to_path` with SQLite's online backup API in one step,
// under one read transaction: writers (a `citeqa index` run, a server's question log) may
// go on meanwhile, and the copy holds the index as of one commit. The copy is written to a
// temporary file in to_path's folder, checked (a citeqa index, integrity), flushed to disk,
// then renamed over to_path. Errors: kNotFound when there is no index at db_path,
// kCorruption when it is not a citeqa index, kInvalidArgument when both paths name the
// same file, kIoError otherwise; on any error to_path is left as it was and no temporary
// file remains.
Result<SnapshotSummary> SnapshotIndex(const std::string& db_path, const std::string& to_path);

}  // namespace citeqa::indexer
