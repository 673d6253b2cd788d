// The corpus folder as the indexer, the article store and the watcher see it: lists the
// article files below it and reads them without ever leaving it. A symbolic link is read
// only when it resolves to a regular file inside the folder that is not listed already;
// links out of the folder, loops, dangling links, FIFOs, sockets and devices are skipped
// with a reason that names the entry as it appears in the folder (never a link's target).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "indexer/reader.h"
#include "indexer/status.h"

namespace citeqa::indexer {

// An article file to read.
struct CorpusEntry {
  std::string name;       // relative to the folder, '/'-separated: the document's name
  std::string read_path;  // what Read() opens: `name`, or a link's target inside the folder
  DocumentFormat format = DocumentFormat::kPlainText;
  // The file's size, modification and status-change times (nanoseconds) and inode, as
  // listed: while it stays the same the file's bytes are taken to be the same, so an
  // indexing run need not read them again (see IndexOptions::verify).
  std::string stamp;
};

// An entry that is not read, and why.
struct CorpusSkip {
  std::string name;    // as it appears in the folder; a folder's name ends in '/'
  std::string reason;  // for "skipped NAME: REASON"
  // The entry exists but cannot be read now (permissions, an I/O error; for a folder, the
  // whole folder): what the index has of it (of everything below it) should stay.
  bool exists_unread = false;
};

struct CorpusListing {
  std::vector<CorpusEntry> files;   // sorted by name
  std::vector<CorpusSkip> skipped;  // sorted by name
  // The folders that were listed, relative ("" for the folder itself), '/'-separated.
  std::vector<std::string> folders;
};

class CorpusFolder {
 public:
  // Opens the folder `dir` (a symbolic link in `dir` itself is resolved once, here).
  // Errors: kNotFound when `dir` is not a folder; kIoError when it cannot be opened.
  static Result<CorpusFolder> Open(const std::string& dir);

  CorpusFolder(CorpusFolder&& other) noexcept;
  CorpusFolder& operator=(CorpusFolder&& other) noexcept;
  CorpusFolder(const CorpusFolder&) = delete;
  CorpusFolder& operator=(const CorpusFolder&) = delete;
  ~CorpusFolder();

  // The folder's files with a supported extension (.txt, .md, .markdown, .html, .htm), and
  // every other entry that is not read, with its reason: unsupported types, non-regular
  // files, links that leave the folder, loop, dangle, point at a folder or at a file listed
  // under another name, folders that cannot be opened. Hidden names (starting with '.': the
  // temporary files of uploads, editors' swap files) are left out, with everything below
  // them. Nothing is followed but links to files (never links to folders), so the listing
  // ends. Errors: kIoError when the folder itself cannot be read (never an empty listing:
  // that would remove every document). Thread-safe.
  Result<CorpusListing> List() const;

  // Only the folders that List() would list (for a watcher); cheaper than List().
  Result<std::vector<std::string>> ListFolders() const;

  // The bytes of the regular file at `relative_path` (as CorpusEntry::read_path: no "..",
  // no link anywhere on the way, so the file read is inside the folder even if it is being
  // changed). Never blocks on a FIFO. Errors: kNotFound when nothing is there (the file is
  // gone); kInvalidArgument when it is not a regular file (a link, a folder, a FIFO...) or
  // the path is not a plain relative path; kResourceExhausted when it is larger than
  // `max_bytes`; kIoError when it exists but cannot be read (permissions, I/O error).
  // Messages do not repeat the path ("gone", "cannot open: Permission denied").
  // Thread-safe.
  Result<std::string> Read(std::string_view relative_path, size_t max_bytes) const;

  // The folder's resolved path.
  const std::string& path() const { return root_; }

 private:
  CorpusFolder(int fd, std::string root) : fd_(fd), root_(std::move(root)) {}
  Result<CorpusListing> Walk(bool with_files) const;

  int fd_ = -1;
  std::string root_;
};

}  // namespace citeqa::indexer
