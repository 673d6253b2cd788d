// What an indexing run finds: the corpus folder's files, read unless their stamps say they
// are as indexed, and how they stand against the index's documents (new, changed, the
// same, gone). The run itself (corpus_indexer.h) writes what this finds.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "indexer/corpus_files.h"
#include "indexer/corpus_indexer.h"
#include "indexer/reader.h"
#include "indexer/sqlite_db.h"
#include "indexer/status.h"

namespace citeqa::indexer {

// A listed file as the run has it.
struct CorpusFile {
  std::string name;  // path relative to the corpus folder, '/'-separated
  std::string read_path;
  std::string bytes;
  int64_t size = 0;  // of bytes, which are moved out for parsing
  std::string hash;
  DocumentFormat format = DocumentFormat::kPlainText;
  std::string stamp;  // CorpusEntry::stamp as listed
  bool read = false;  // false: its stamp was the stored one; bytes empty, hash the stored one
};

// A document as the index has it, by its file's name.
struct StoredDocument {
  int64_t id = 0;
  std::string hash;
  std::string file_stamp;
};

using StoredDocuments = std::map<std::string, StoredDocument>;

// One read of the corpus folder.
struct CorpusScan {
  std::vector<CorpusFile> files;  // read, sorted by name
  std::vector<CorpusSkip> skips;  // not read, with their reasons
  // Names that exist but could not be read this time, and folders ("a/") that could not be
  // listed: the documents the index has of them stay as they are.
  std::set<std::string> kept_files;
  std::vector<std::string> kept_folders;

  bool Keeps(const std::string& name) const {
    if (kept_files.count(name) > 0) return true;
    return std::any_of(kept_folders.begin(), kept_folders.end(),
                       [&](const std::string& folder) { return name.starts_with(folder); });
  }
};

// What the folder holds now, given its `listing` (CorpusFolder::List): reads each supported
// file, except those whose stamp is the one `stored` has for them (unless options.verify).
// A file that is gone by the time it is read is left out (its document is removed); one
// that is there but cannot be read is kept; a file over the size limit is skipped (its
// content is known to be refused). A folder that could not be listed is an error, never an
// empty corpus: that would remove every document from the index.
Result<CorpusScan> ScanCorpus(const CorpusFolder& folder, Result<CorpusListing> listing,
                              const IndexOptions& options, const StoredDocuments& stored);

// The index's documents (version 4 or later: with their file stamps).
Result<StoredDocuments> LoadStoredDocuments(Database* db);

// The run's files against the index's documents.
struct ComparedFiles {
  std::vector<int64_t> stored_ids;  // per file: its document, or 0 for a new file
  std::vector<size_t> changed;      // indexes of new files and files whose bytes differ
  std::vector<int64_t> gone;        // documents whose files are gone, in name order
  std::vector<int64_t> kept;        // documents whose files are there but unreadable
  // Documents whose bytes are the same under a new stamp (touched, copied over, or a first
  // run with stamps), with it: remembered, so that the next run need not read them.
  std::vector<std::pair<int64_t, std::string>> restamped;
};

// `files` (sorted by name, as ScanCorpus returns them) against `stored`, in one pass of
// both in name order: at 80k files a map lookup each (and a set of the names present) cost
// a tenth of a second. Errors: kIoError if the files are not in strictly increasing name
// order (the run would otherwise delete and add documents it should keep).
Result<ComparedFiles> CompareWithIndex(const std::vector<CorpusFile>& files,
                                       const StoredDocuments& stored, const CorpusScan& scan);

}  // namespace citeqa::indexer
