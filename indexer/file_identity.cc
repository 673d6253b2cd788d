#include "indexer/file_identity.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace citeqa::indexer {

Result<FileIdentity> IdentifyFile(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) {
      return Status::NotFound(path + " is gone (deleted or moved away)");
    }
    return Status::IoError("cannot look at " + path + ": " + std::strerror(error));
  }
  return FileIdentity{info.st_dev, info.st_ino};
}

}  // namespace citeqa::indexer
