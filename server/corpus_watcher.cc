#include "server/corpus_watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <thread>
#include <utility>

#include "indexer/corpus_files.h"
#include "indexer/reader.h"

namespace citeqa::server {
namespace {

namespace fs = std::filesystem;

constexpr uint32_t kWatchMask =
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_ONLYDIR;

// A symbolic link is created whole (no IN_CLOSE_WRITE follows its IN_CREATE); the indexer
// decides whether it is read.
bool IsNewLinkToArticle(uint32_t mask, const fs::path& folder, std::string_view name) {
  if ((mask & IN_CREATE) == 0 || (mask & IN_ISDIR) != 0) return false;
  if (name.empty() || name.front() == '.' || !indexer::FormatForPath(name).has_value()) {
    return false;
  }
  struct stat info {};
  return ::lstat((folder / std::string(name)).c_str(), &info) == 0 && S_ISLNK(info.st_mode);
}

}  // namespace

bool IsCorpusChange(uint32_t mask, std::string_view name) {
  if ((mask & IN_Q_OVERFLOW) != 0) return true;
  if (name.empty() || name.front() == '.') return false;
  if ((mask & IN_ISDIR) != 0) {
    return (mask & (IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)) != 0;
  }
  if ((mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)) == 0) return false;
  return indexer::FormatForPath(name).has_value();
}

void ChangeDebouncer::OnChange(Clock::time_point now) {
  if (!first_) first_ = now;
  last_ = now;
}

std::optional<ChangeDebouncer::Clock::time_point> ChangeDebouncer::Deadline() const {
  if (!first_) return std::nullopt;
  return std::min(*last_ + quiet_, *first_ + max_delay_);
}

bool ChangeDebouncer::Due(Clock::time_point now) const {
  const auto deadline = Deadline();
  return deadline.has_value() && now >= *deadline;
}

void ChangeDebouncer::Clear() {
  first_.reset();
  last_.reset();
}

struct CorpusWatcher::Impl {
  CorpusWatcherOptions options;
  std::function<void()> on_change;
  int inotify_fd = -1;
  int wake_fd = -1;                 // eventfd written by Stop()
  std::map<int, fs::path> folders;  // watch descriptor -> folder
  ChangeDebouncer debouncer;
  std::thread thread;
  bool stopped = false;

  Impl(CorpusWatcherOptions watcher_options, std::function<void()> callback)
      : options(std::move(watcher_options)),
        on_change(std::move(callback)),
        debouncer(options.debounce, options.max_delay) {}

  ~Impl() {
    if (inotify_fd >= 0) ::close(inotify_fd);
    if (wake_fd >= 0) ::close(wake_fd);
  }

  Status AddWatch(const fs::path& folder, uint32_t mask) {
    const int wd = ::inotify_add_watch(inotify_fd, folder.c_str(), mask);
    if (wd < 0) {
      return Status::IoError("cannot watch " + folder.string() + ": " + std::strerror(errno));
    }
    folders[wd] = folder;
    return Status::Ok();
  }

  // Watches `folder` and every folder below it that the indexer would list (the same
  // listing: no hidden folders, no links to folders).
  Status AddWatchesBelow(const fs::path& folder) {
    auto corpus = indexer::CorpusFolder::Open(folder.string());
    if (!corpus.ok()) return corpus.status();
    auto below = corpus->ListFolders();
    if (!below.ok()) return below.status();
    for (const std::string& relative : *below) {
      // Below the top, a folder replaced by a link since it was listed is not followed.
      const uint32_t mask = relative.empty() ? kWatchMask : kWatchMask | IN_DONT_FOLLOW;
      CITEQA_RETURN_IF_ERROR(AddWatch(relative.empty() ? folder : folder / relative, mask));
    }
    return Status::Ok();
  }

  // Reads the pending inotify events; true when one of them changes the corpus.
  bool DrainEvents() {
    alignas(inotify_event) char buffer[16384];
    bool changed = false;
    while (true) {
      const ssize_t n = ::read(inotify_fd, buffer, sizeof buffer);
      if (n <= 0) break;  // EAGAIN: nothing more for now
      for (ssize_t at = 0; at < n;) {
        const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
        at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
        const std::string_view name = event->len > 0 ? event->name : "";
        if ((event->mask & IN_IGNORED) != 0) folders.erase(event->wd);
        const auto folder = folders.find(event->wd);
        if (IsCorpusChange(event->mask, name)) changed = true;
        if (folder != folders.end() && IsNewLinkToArticle(event->mask, folder->second, name)) {
          changed = true;
        }
        const bool new_folder = (event->mask & IN_ISDIR) != 0 &&
                                (event->mask & (IN_CREATE | IN_MOVED_TO)) != 0 && !name.empty() &&
                                name.front() != '.';
        if (new_folder && folder != folders.end()) {
          // Files written before the watch exists are covered: the folder itself counts as
          // a change, and the re-index scans it whole.
          (void)AddWatchesBelow(folder->second / std::string(name));
        }
      }
    }
    return changed;
  }

  void Loop() {
    if (options.changed_at_start) debouncer.OnChange(ChangeDebouncer::Clock::now());
    while (true) {
      int timeout_ms = -1;
      if (const auto deadline = debouncer.Deadline()) {
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(*deadline - ChangeDebouncer::Clock::now());
        timeout_ms = static_cast<int>(std::max<int64_t>(0, left.count()));
      }
      pollfd fds[2] = {{wake_fd, POLLIN, 0}, {inotify_fd, POLLIN, 0}};
      const int ready = ::poll(fds, 2, timeout_ms);
      if (ready < 0 && errno != EINTR) return;
      if ((fds[0].revents & POLLIN) != 0) return;
      if ((fds[1].revents & POLLIN) != 0 && DrainEvents()) {
        debouncer.OnChange(ChangeDebouncer::Clock::now());
      }
      if (debouncer.Due(ChangeDebouncer::Clock::now())) {
        debouncer.Clear();
        on_change();
      }
    }
  }
};

CorpusWatcher::CorpusWatcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

CorpusWatcher::~CorpusWatcher() { Stop(); }

Result<std::unique_ptr<CorpusWatcher>> CorpusWatcher::Start(const CorpusWatcherOptions& options,
                                                            std::function<void()> on_change) {
  std::error_code ec;
  if (!fs::is_directory(options.corpus_dir, ec)) {
    return Status::NotFound("corpus folder " + options.corpus_dir + " does not exist");
  }
  auto impl = std::make_unique<Impl>(options, std::move(on_change));
  impl->inotify_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (impl->inotify_fd < 0) {
    return Status::IoError(std::string("inotify is unavailable: ") + std::strerror(errno));
  }
  impl->wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (impl->wake_fd < 0) return Status::IoError(std::string("eventfd: ") + std::strerror(errno));
  CITEQA_RETURN_IF_ERROR(impl->AddWatchesBelow(options.corpus_dir));
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->Loop(); });
  return std::unique_ptr<CorpusWatcher>(new CorpusWatcher(std::move(impl)));
}

void CorpusWatcher::Stop() {
  if (impl_ == nullptr || impl_->stopped) return;
  impl_->stopped = true;
  const uint64_t one = 1;
  while (::write(impl_->wake_fd, &one, sizeof one) < 0 && errno == EINTR) {
  }
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace citeqa::server
