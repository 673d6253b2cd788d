// Incremental indexing of a corpus folder into a citeqa SQLite index.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "indexer/status.h"

namespace citeqa::indexer {

// Bumped whenever reading, cleaning or chunking changes; it is part of each document's
// stored content hash, so a new build re-indexes documents whose bytes did not change.
inline constexpr const char* kPipelineVersion = "pipeline-4";

struct IndexOptions {
  std::string corpus_dir;
  std::string db_path;
  int64_t max_file_bytes = 8 * 1024 * 1024;  // larger files are skipped with a message
  // Solr-format synonyms file copied into the index (so a served index is self-contained).
  // Empty: keep what the index has, or for a new index the shipped indexer/synonyms.txt.
  // A missing file is an error.
  std::string synonyms_path;
  // Called after each document is written (inside the transaction) with the file name;
  // for progress reports. Tests use it to kill the process mid-run.
  std::function<void(const std::string&)> on_document_written;
  // Called after each listing of the corpus folder, before its files are read. Tests use
  // it to change files in between (a file made unreadable, replaced or deleted).
  std::function<void()> on_listed;
  // Called after each read of the corpus folder; the first read is before the write lock
  // is taken. Tests use it to let another run commit in between.
  std::function<void()> on_scanned;
  // After a run that added, updated or removed at least this many documents, the FTS5
  // indexes are merged ('optimize') in the same transaction. 0: never. It rewrites the
  // whole full-text index, so it is meant for bulk runs, not for every small change.
  int optimize_min_changes = 0;
  // Read and hash every file. Without it, a file whose stamp (size, modification and
  // status-change times, inode: CorpusEntry::stamp) is the one stored for its document is
  // taken as unchanged without being read.
  bool verify = false;
};

struct IndexSummary {
  int added = 0;
  int updated = 0;
  int removed = 0;
  int unchanged = 0;
  int skipped = 0;
  int files_read = 0;                 // files whose bytes were read (the rest had their stamp)
  int64_t passages = 0;               // passages in the index after the run
  std::vector<std::string> messages;  // one line per skipped file, saying why
  double seconds = 0;

  // "documents: 5 added, 0 updated, 0 removed, 0 unchanged, 1 skipped; passages: 123"
  std::string ToLine() const;
};

// Brings the index at options.db_path in line with the files of options.corpus_dir
// (.txt, .md, .html, .htm), as listed and read by CorpusFolder (corpus_files.h): adds new
// files, re-indexes changed ones (content hash), removes documents whose files are gone.
// Unsupported, binary, empty or too large files, links that leave the folder, loop or
// dangle, and FIFOs, sockets and devices are skipped and reported in `messages` ("skipped
// NAME: reason"), never abort the run. A file that is there but cannot be read now
// (permissions, I/O error, replaced by something that is not a file) is skipped too and
// keeps its indexed version. All writes happen in one transaction, so a failure or a killed
// process leaves the previous index as it was.
// Errors: kNotFound if the corpus folder does not exist; kIoError / kCorruption if the
// database cannot be opened, migrated or written.
// Safe to run while other processes read the index (WAL); concurrent writers are
// serialised by SQLite's lock with a busy timeout. A run that waited for another's
// changes reads the folder again, so it never removes the files that run added.
Result<IndexSummary> IndexCorpus(const IndexOptions& options);

}  // namespace citeqa::indexer
