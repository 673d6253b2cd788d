// Runs part of a test where file permissions apply: in a forked child that drops to user
// "nobody" (65534) when the tests run as root, since root reads any file whatever its mode.
#pragma once

#include <grp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <functional>

namespace citeqa::indexer::testing {

// Lets "nobody" create files in `dir` (and the folders below it).
inline void LetAnyoneWriteIn(const std::filesystem::path& dir) {
  std::filesystem::permissions(dir, std::filesystem::perms::all);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_directory() && !entry.is_symlink()) {
      std::filesystem::permissions(entry.path(), std::filesystem::perms::all);
    }
  }
}

// Runs `body` in a child process (as "nobody" when root). The child's GoogleTest failures
// are printed by the child; it exits 1 after any, 2 on an exception, 3 when it could not
// drop privileges. Returns the child's exit code: 0 when `body` passed. Files `body`
// creates must be below a folder prepared with LetAnyoneWriteIn.
inline int RunAsUnprivilegedChild(const std::function<void()>& body) {
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t child = ::fork();
  if (child < 0) return -1;
  if (child == 0) {
    // Only _exit leaves the child: it must never run the rest of the test suite.
    int code = 3;
    const bool dropped = ::geteuid() != 0 || (::setgroups(0, nullptr) == 0 &&
                                              ::setgid(65534) == 0 && ::setuid(65534) == 0);
    if (dropped) {
      try {
        body();
        code = ::testing::Test::HasFailure() ? 1 : 0;
      } catch (...) {
        code = 2;
      }
    }
    std::fflush(stdout);
    std::fflush(stderr);
    ::_exit(code);
  }
  int status = 0;
  if (::waitpid(child, &status, 0) != child) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace citeqa::indexer::testing
