#include "indexer/corpus_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <utility>

namespace citeqa::indexer {
namespace {

// Deeper folders are not read. Without links there are no cycles, but a bind mount of the
// folder into itself would make one.
constexpr int kMaxFolderDepth = 64;

std::string ErrnoText(int error) { return std::strerror(error); }

// CorpusEntry::stamp: "size:mtime_ns:ctime_ns:inode". The status-change time cannot be set
// back by a program (touch -d, cp -p and rsync -t set only the modification time), so a file
// rewritten in place with the same size and modification time still shows as changed.
std::string StampOf(const struct stat& info) {
  const auto nanoseconds = [](const struct timespec& t) {
    return std::to_string(static_cast<long long>(t.tv_sec) * 1000000000LL + t.tv_nsec);
  };
  return std::to_string(static_cast<long long>(info.st_size)) + ":" + nanoseconds(info.st_mtim) +
         ":" + nanoseconds(info.st_ctim) + ":" + std::to_string(static_cast<unsigned long long>(info.st_ino));
}

// Closes a file descriptor it owns.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  void Reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

const char* KindOf(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

// A file found by the walk, before links to files listed under another name are dropped.
struct FoundFile {
  CorpusEntry entry;
  dev_t device = 0;
  ino_t inode = 0;
  bool via_link = false;
};

class FolderWalk {
 public:
  FolderWalk(int root_fd, const std::string& root, bool with_files)
      : root_fd_(root_fd),
        root_(root),
        inside_prefix_(root == "/" ? root : root + "/"),
        with_files_(with_files) {}

  // Lists the folder open as `fd` (taken over) whose name is `prefix` ("" or "a/b/").
  // Errors only when that folder cannot be read.
  Status WalkFolder(int fd, const std::string& prefix, int depth) {
    DIR* dir = ::fdopendir(fd);
    if (dir == nullptr) {
      const int error = errno;
      ::close(fd);
      return Status::IoError("cannot list the folder: " + ErrnoText(error));
    }
    listing_.folders.push_back(prefix.empty() ? prefix : prefix.substr(0, prefix.size() - 1));
    Status status;
    while (true) {
      errno = 0;
      const dirent* entry = ::readdir(dir);
      if (entry == nullptr) {
        if (errno != 0) status = Status::IoError("cannot list the folder: " + ErrnoText(errno));
        break;
      }
      const std::string name = entry->d_name;
      if (name.empty() || name.front() == '.') continue;  // ".", "..", hidden files
      VisitEntry(::dirfd(dir), name, prefix + name, depth);
    }
    ::closedir(dir);
    return status;
  }

  CorpusListing Finish() && {
    std::sort(found_.begin(), found_.end(),
              [](const FoundFile& a, const FoundFile& b) { return a.entry.name < b.entry.name; });
    std::map<std::pair<dev_t, ino_t>, std::string> direct;  // identity -> name
    for (const FoundFile& file : found_) {
      if (!file.via_link) direct.emplace(std::make_pair(file.device, file.inode), file.entry.name);
    }
    std::map<std::pair<dev_t, ino_t>, std::string> linked;
    for (FoundFile& file : found_) {
      const auto identity = std::make_pair(file.device, file.inode);
      if (file.via_link) {
        if (const auto it = direct.find(identity); it != direct.end()) {
          Skip(file.entry.name,
               "a symbolic link to " + it->second + ", which is read under its own name");
          continue;
        }
        if (const auto [it, added] = linked.emplace(identity, file.entry.name); !added) {
          Skip(file.entry.name, "a symbolic link to the same file as " + it->second);
          continue;
        }
      }
      listing_.files.push_back(std::move(file.entry));
    }
    std::sort(listing_.skipped.begin(), listing_.skipped.end(),
              [](const CorpusSkip& a, const CorpusSkip& b) { return a.name < b.name; });
    std::sort(listing_.folders.begin(), listing_.folders.end());
    return std::move(listing_);
  }

 private:
  void Skip(std::string name, std::string reason, bool exists_unread = false) {
    listing_.skipped.push_back(CorpusSkip{std::move(name), std::move(reason), exists_unread});
  }

  void VisitEntry(int dir_fd, const std::string& name, const std::string& path, int depth) {
    struct stat info {};
    if (::fstatat(dir_fd, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
      const int error = errno;
      if (error == ENOENT) return;  // removed while listing
      if (with_files_) Skip(path, "cannot look at it: " + ErrnoText(error), true);
      return;
    }
    if (S_ISDIR(info.st_mode)) {
      if (depth >= kMaxFolderDepth) {
        Skip(path + "/",
             "folders nested more than " + std::to_string(kMaxFolderDepth) + " deep are not read");
        return;
      }
      const int fd =
          ::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) {
        const int error = errno;
        if (error == ENOENT) return;
        if (error == ELOOP || error == ENOTDIR) {  // replaced by a link or a file meanwhile
          Skip(path + "/", "changed while it was being listed", true);
          return;
        }
        Skip(path + "/", "cannot open the folder: " + ErrnoText(error), true);
        return;
      }
      const Status listed = WalkFolder(fd, path + "/", depth + 1);
      if (!listed.ok()) Skip(path + "/", listed.message(), true);
      return;
    }
    if (!with_files_) return;
    if (S_ISREG(info.st_mode)) {
      const auto format = FormatForPath(name);
      if (!format) {
        Skip(path, "unsupported file type");
        return;
      }
      found_.push_back(FoundFile{CorpusEntry{path, path, *format, StampOf(info)}, info.st_dev,
                                 info.st_ino, false});
      return;
    }
    if (S_ISLNK(info.st_mode)) {
      VisitLink(name, path);
      return;
    }
    Skip(path, std::string("not a regular file (") + KindOf(info.st_mode) + ")");
  }

  // A link is read only when it resolves to a regular file inside the folder. Its reasons
  // name the link, never a target outside the folder.
  void VisitLink(const std::string& name, const std::string& path) {
    const std::string full = (root_ == "/" ? "" : root_) + "/" + path;
    char* resolved = ::realpath(full.c_str(), nullptr);
    if (resolved == nullptr) {
      const int error = errno;
      if (error == ELOOP) {
        Skip(path, "a symbolic link that loops");
      } else if (error == ENOENT || error == ENOTDIR) {
        Skip(path, "a symbolic link to nothing (dangling)");
      } else {
        Skip(path, "cannot resolve the symbolic link: " + ErrnoText(error), true);
      }
      return;
    }
    const std::string target = resolved;
    std::free(resolved);
    if (target == root_) {
      Skip(path, "a symbolic link to a folder (links to folders are not followed)");
      return;
    }
    if (!target.starts_with(inside_prefix_)) {
      Skip(path, "a symbolic link out of the corpus folder (not followed)");
      return;
    }
    const std::string target_path = target.substr(inside_prefix_.size());
    struct stat info {};
    if (::fstatat(root_fd_, target_path.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
      const int error = errno;
      if (error == ENOENT) {
        Skip(path, "a symbolic link to nothing (dangling)");
      } else {
        Skip(path, "cannot look at the symbolic link's file: " + ErrnoText(error), true);
      }
      return;
    }
    if (S_ISDIR(info.st_mode)) {
      Skip(path, "a symbolic link to a folder (links to folders are not followed)");
      return;
    }
    if (!S_ISREG(info.st_mode)) {
      Skip(path, std::string("a symbolic link to something that is not a regular file (") +
                     KindOf(info.st_mode) + ")");
      return;
    }
    const auto format = FormatForPath(name);
    if (!format) {
      Skip(path, "unsupported file type");
      return;
    }
    found_.push_back(FoundFile{CorpusEntry{path, target_path, *format, StampOf(info)},
                               info.st_dev, info.st_ino, true});
  }

  int root_fd_;
  const std::string& root_;
  std::string inside_prefix_;
  bool with_files_;
  std::vector<FoundFile> found_;
  CorpusListing listing_;
};

// Splits a CorpusEntry::read_path into its names; false when it is not a plain relative
// path.
bool SplitRelativePath(std::string_view path, std::vector<std::string>* parts) {
  if (path.empty() || path.front() == '/') return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == ".." || part.find('\0') != std::string_view::npos) {
      return false;
    }
    parts->emplace_back(part);
    start = end + 1;
  }
  return true;
}

// What an open() error means for a file that was listed: gone, replaced by something that
// is not a regular file, or there but unreadable.
Status OpenErrorStatus(int error) {
  switch (error) {
    case ENOENT:
      return Status::NotFound("gone");
    case ELOOP:
    case ENOTDIR:
      return Status::InvalidArgument("a symbolic link, or a link or file where a folder was");
    case ENXIO:
      return Status::InvalidArgument("not a regular file");
    default:
      return Status::IoError("cannot open: " + ErrnoText(error));
  }
}

}  // namespace

Result<CorpusFolder> CorpusFolder::Open(const std::string& dir) {
  char* resolved = dir.empty() ? nullptr : ::realpath(dir.c_str(), nullptr);
  if (resolved == nullptr) {
    const int error = errno;
    if (dir.empty() || error == ENOENT || error == ENOTDIR) {
      return Status::NotFound("corpus folder " + dir + " does not exist");
    }
    return Status::IoError("cannot open the corpus folder " + dir + ": " + ErrnoText(error));
  }
  std::string root = resolved;
  std::free(resolved);
  const int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) {
      return Status::NotFound("corpus folder " + dir + " does not exist");
    }
    return Status::IoError("cannot open the corpus folder " + dir + ": " + ErrnoText(error));
  }
  return CorpusFolder(fd, std::move(root));
}

CorpusFolder::CorpusFolder(CorpusFolder&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), root_(std::move(other.root_)) {}

CorpusFolder& CorpusFolder::operator=(CorpusFolder&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    root_ = std::move(other.root_);
  }
  return *this;
}

CorpusFolder::~CorpusFolder() {
  if (fd_ >= 0) ::close(fd_);
}

Result<CorpusListing> CorpusFolder::Walk(bool with_files) const {
  // A descriptor of its own: the directory stream moves its offset.
  const int fd = ::openat(fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return Status::IoError("cannot list " + root_ + ": " + ErrnoText(errno));
  }
  FolderWalk walk(fd_, root_, with_files);
  const Status status = walk.WalkFolder(fd, "", 0);
  if (!status.ok()) return Status::IoError("cannot list " + root_ + ": " + status.message());
  return std::move(walk).Finish();
}

Result<CorpusListing> CorpusFolder::List() const { return Walk(/*with_files=*/true); }

Result<std::vector<std::string>> CorpusFolder::ListFolders() const {
  auto listing = Walk(/*with_files=*/false);
  if (!listing.ok()) return listing.status();
  return std::move(listing->folders);
}

Result<std::string> CorpusFolder::Read(std::string_view relative_path, size_t max_bytes) const {
  std::vector<std::string> parts;
  if (!SplitRelativePath(relative_path, &parts)) {
    return Status::InvalidArgument("not a plain path inside the corpus folder");
  }
  // Each folder on the way is opened without following links, from the folder's own
  // descriptor: what is read is inside, whatever is renamed or linked meanwhile.
  FileDescriptor folder(-1);
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const int at = folder.get() >= 0 ? folder.get() : fd_;
    const int next =
        ::openat(at, parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0) return OpenErrorStatus(errno);
    folder.Reset(next);
  }
  const int at = folder.get() >= 0 ? folder.get() : fd_;
  // O_NONBLOCK: a FIFO put in the file's place must not block the reader.
  FileDescriptor file(::openat(at, parts.back().c_str(),
                               O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (file.get() < 0) return OpenErrorStatus(errno);
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) {
    return Status::IoError("cannot look at it: " + ErrnoText(errno));
  }
  if (!S_ISREG(info.st_mode)) {
    return Status::InvalidArgument(std::string("not a regular file (") +
                                   (S_ISDIR(info.st_mode) ? "a folder" : KindOf(info.st_mode)) +
                                   ")");
  }
  const auto too_large = [&](int64_t size) {
    return Status::ResourceExhausted("too large (" + std::to_string(size) + " bytes, limit " +
                                     std::to_string(max_bytes) + ")");
  };
  if (info.st_size < 0 || static_cast<uint64_t>(info.st_size) > max_bytes) {
    return too_large(info.st_size);
  }
  std::string bytes;
  bytes.reserve(static_cast<size_t>(info.st_size));
  char buffer[65536];
  while (true) {
    const ssize_t n = ::read(file.get(), buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError("cannot read: " + ErrnoText(errno));
    }
    bytes.append(buffer, static_cast<size_t>(n));
    if (bytes.size() > max_bytes) return too_large(static_cast<int64_t>(bytes.size()));
  }
  return bytes;
}

}  // namespace citeqa::indexer
