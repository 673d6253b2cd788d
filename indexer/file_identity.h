// Which file a path names right now: its device and inode. A server keeps its index open
// across re-indexing runs (which write the same file) but must notice when the file itself
// is replaced (`mv new.db live.db`) or deleted, since open connections keep reading the old
// one.
#pragma once

#include <sys/types.h>

#include <string>

#include "indexer/status.h"

namespace citeqa::indexer {

struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

// The identity of the file at `path` (symlinks followed, as SQLite opens it). Errors:
// kNotFound when nothing is there, kIoError when it cannot be looked at.
Result<FileIdentity> IdentifyFile(const std::string& path);

}  // namespace citeqa::indexer
