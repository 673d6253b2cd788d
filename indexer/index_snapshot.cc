#include "indexer/index_snapshot.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "indexer/file_identity.h"
#include "indexer/index_schema.h"
#include "indexer/sqlite_db.h"

namespace citeqa::indexer {
namespace fs = std::filesystem;
namespace {

// fsync of a file or folder, so the rename that follows never publishes an empty file
// after a crash.
Status SyncPath(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return Status::IoError("cannot open " + path.string() + " to flush it");
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return Status::IoError("cannot flush " + path.string() + " to disk");
  return Status::Ok();
}

Status CopyPages(Database* source, const fs::path& temporary) {
  sqlite3* raw = nullptr;
  const int opened =
      sqlite3_open_v2(temporary.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  DbHandle copy(raw);
  if (opened != SQLITE_OK) {
    return Status::IoError("cannot create " + temporary.string() + ": " + sqlite3_errstr(opened));
  }
  sqlite3_backup* backup = sqlite3_backup_init(copy.get(), "main", source->raw(), "main");
  if (backup == nullptr) {
    return Status::IoError("cannot start the copy: " + std::string(sqlite3_errmsg(copy.get())));
  }
  // -1: every page in one step, under one read transaction of the source: a consistent
  // copy even while a writer commits (WAL readers do not block writers).
  const int stepped = sqlite3_backup_step(backup, -1);
  const int finished = sqlite3_backup_finish(backup);
  if (stepped != SQLITE_DONE || finished != SQLITE_OK) {
    return Status::IoError(
        "copying the index failed: " +
        std::string(sqlite3_errstr(stepped != SQLITE_DONE ? stepped : finished)));
  }
  return Status::Ok();
}

// The copy must open as a citeqa index and pass SQLite's own check before it is published.
Result<int64_t> CheckCopy(const fs::path& temporary) {
  auto copy = Database::Open(temporary.string(), OpenMode::kReadOnly);
  if (!copy.ok()) return copy.status();
  CITEQA_RETURN_IF_ERROR(CheckSchema(&*copy));
  auto check = copy->Prepare("PRAGMA quick_check");
  if (!check.ok()) return check.status();
  if (!check->Step() || check->ColumnText(0) != "ok") {
    return Status::Corruption("the copy failed SQLite's quick_check");
  }
  check->Reset();
  return ReadGeneration(&*copy);
}

// The copy, checked and flushed to disk. It keeps the source's WAL mode (copied with page
// 1); its last connection closes cleanly, so no -wal or -shm file stays beside it.
Result<int64_t> WriteCheckedCopy(Database* source, const fs::path& temporary) {
  CITEQA_RETURN_IF_ERROR(CopyPages(source, temporary));
  auto generation = CheckCopy(temporary);
  if (!generation.ok()) return generation;
  CITEQA_RETURN_IF_ERROR(SyncPath(temporary, false));
  return generation;
}

void RemoveWithItsJournals(const fs::path& database) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    fs::remove(database.string() + suffix, ignored);
  }
}

}  // namespace

Result<SnapshotSummary> SnapshotIndex(const std::string& db_path, const std::string& to_path) {
  auto source = Database::Open(db_path, OpenMode::kReadOnly);
  if (!source.ok()) return source.status();
  CITEQA_RETURN_IF_ERROR(CheckSchema(&*source));
  const auto source_identity = IdentifyFile(db_path);
  const auto target_identity = IdentifyFile(to_path);
  if (source_identity.ok() && target_identity.ok() && *source_identity == *target_identity) {
    return Status::InvalidArgument("--to names the index itself: " + to_path);
  }

  const fs::path target = fs::absolute(to_path);
  const fs::path folder = target.parent_path();
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    return Status::IoError("no folder " + folder.string() + " for the copy");
  }
  // A hidden name beside the target (same file system, so the rename is atomic). Built by
  // appending: GCC 12 warns falsely (-Wrestrict) on "." + std::string.
  std::string temporary_name(1, '.');
  temporary_name += target.filename().string();
  temporary_name += ".snapshot-" + std::to_string(::getpid());
  const fs::path temporary = folder / temporary_name;
  RemoveWithItsJournals(temporary);

  auto generation = WriteCheckedCopy(&*source, temporary);
  if (!generation.ok()) {
    RemoveWithItsJournals(temporary);
    return generation.status();
  }
  fs::rename(temporary, target, error);
  if (error) {
    RemoveWithItsJournals(temporary);
    return Status::IoError("cannot rename the copy to " + to_path + ": " + error.message());
  }
  CITEQA_RETURN_IF_ERROR(SyncPath(folder, true));
  SnapshotSummary summary;
  summary.generation = *generation;
  summary.bytes = static_cast<int64_t>(fs::file_size(target, error));
  return summary;
}

}  // namespace citeqa::indexer
