#include "indexer/article_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "indexer/corpus_files.h"
#include "indexer/text.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxSlugBytes = 80;

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsNameChar(char c) { return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '-'; }

std::string ErrnoText(int error) { return std::strerror(error); }

Status ErrnoStatus(const std::string& what, int error) {
  if (error == ENOSPC || error == EDQUOT) {
    return Status::ResourceExhausted(what + ": the disk is full");
  }
  return Status::IoError(what + ": " + ErrnoText(error));
}

const char* ExtensionFor(DocumentFormat format) {
  switch (format) {
    case DocumentFormat::kPlainText:
      return ".txt";
    case DocumentFormat::kMarkdown:
      return ".md";
    case DocumentFormat::kHtml:
      return ".html";
  }
  return ".txt";
}

// Where the start tag `<name ...>` ends (just after '>') in `lower_html` (the document
// in ASCII lower case), or npos when there is none. "<head" does not match "<header".
size_t EndOfStartTag(std::string_view lower_html, std::string_view name) {
  std::string open(1, '<');
  open.append(name);
  for (size_t at = lower_html.find(open); at != std::string_view::npos;
       at = lower_html.find(open, at + 1)) {
    const size_t after = at + open.size();
    if (after < lower_html.size() &&
        std::string_view("> \t\n\r").find(lower_html[after]) != std::string_view::npos) {
      const size_t close = lower_html.find('>', after);
      return close == std::string_view::npos ? close : close + 1;
    }
  }
  return std::string_view::npos;
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string ComposeHtml(std::string_view title, std::string_view body) {
  const std::string lower = AsciiLower(body);
  if (lower.find("<title") != std::string::npos) return std::string(body);
  const std::string title_tag = "<title>" + EscapeHtml(title) + "</title>";
  std::string out(body);
  if (const size_t head = EndOfStartTag(lower, "head"); head != std::string_view::npos) {
    return out.insert(head, title_tag);
  }
  if (const size_t html = EndOfStartTag(lower, "html"); html != std::string_view::npos) {
    return out.insert(html, "<head>" + title_tag + "</head>");
  }
  return "<!doctype html>\n<html><head><meta charset=\"utf-8\">" + title_tag + "</head><body>\n" +
         out + "\n</body></html>\n";
}

// The first line of `text` and where the next one starts.
std::pair<std::string_view, size_t> FirstLine(std::string_view text, size_t from = 0) {
  const size_t eol = text.find('\n', from);
  if (eol == std::string_view::npos) return {text.substr(from), text.size()};
  std::string_view line = text.substr(from, eol - from);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return {line, eol + 1};
}

std::string ComposeMarkdown(std::string_view title, std::string_view body) {
  size_t insert_at = 0;
  auto [line, next] = FirstLine(body);
  if (CollapseWhitespace(line) == "---") {  // front matter stays on top
    for (size_t at = next; at < body.size();) {
      auto [fence, after] = FirstLine(body, at);
      const std::string trimmed = CollapseWhitespace(fence);
      if (trimmed == "---" || trimmed == "...") {
        insert_at = after;
        break;
      }
      at = after;
    }
  }
  size_t first_text = insert_at;
  while (first_text < body.size()) {
    auto [candidate, after] = FirstLine(body, first_text);
    if (!CollapseWhitespace(candidate).empty()) {
      if (CollapseWhitespace(candidate).rfind("# ", 0) == 0) return std::string(body);
      break;
    }
    first_text = after;
  }
  std::string out(body);
  const std::string heading = "# " + std::string(title) + "\n\n";
  if (insert_at > 0 && body[insert_at - 1] != '\n') return out.insert(insert_at, "\n" + heading);
  return out.insert(insert_at, heading);
}

std::string ComposePlainText(std::string_view title, std::string_view body) {
  size_t at = 0;
  while (at < body.size()) {
    auto [line, next] = FirstLine(body, at);
    const std::string text = CollapseWhitespace(line);
    if (!text.empty()) {
      if (text == title) return std::string(body);
      break;
    }
    at = next;
  }
  return std::string(title) + "\n\n" + std::string(body);
}

fs::path ArticlePath(const std::string& corpus_dir, const std::string& name) {
  return fs::path(corpus_dir) / name;
}

Status CheckCorpusDir(const std::string& corpus_dir) {
  std::error_code ec;
  if (corpus_dir.empty() || !fs::is_directory(corpus_dir, ec)) {
    return Status::NotFound("corpus folder " + corpus_dir + " does not exist");
  }
  return Status::Ok();
}

// Makes a rename, link or unlink in the folder durable.
Status SyncDir(const std::string& corpus_dir) {
  const int fd = ::open(corpus_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open the corpus folder", errno);
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0 && error != EINVAL) return ErrnoStatus("cannot sync the corpus folder", error);
  return Status::Ok();
}

Status WriteAll(int fd, std::string_view bytes) {
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot write the article", errno);
    }
    written += static_cast<size_t>(n);
  }
  return Status::Ok();
}

// Writes `bytes` to a new hidden temporary file in `corpus_dir`; returns its path.
Result<std::string> WriteTemporary(const std::string& corpus_dir, const std::string& name,
                                   std::string_view bytes) {
  std::string path = (fs::path(corpus_dir) / ("." + name + ".XXXXXX")).string();
  const int fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot create a temporary file", errno);
  Status status = WriteAll(fd, bytes);
  if (status.ok() && ::fchmod(fd, 0644) != 0) status = ErrnoStatus("cannot chmod", errno);
  if (status.ok() && ::fsync(fd) != 0) status = ErrnoStatus("cannot sync the article", errno);
  if (::close(fd) != 0 && status.ok()) status = ErrnoStatus("cannot close the article", errno);
  if (!status.ok()) {
    ::unlink(path.c_str());
    return status;
  }
  return path;
}

}  // namespace

Result<std::string> SanitizeArticleName(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("the file name is empty");
  if (name.size() > kMaxArticleNameBytes) {
    return Status::InvalidArgument("the file name is longer than " +
                                   std::to_string(kMaxArticleNameBytes) + " bytes");
  }
  if (name.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("the file name contains a NUL byte");
  }
  if (name.find_first_of("/\\") != std::string_view::npos) {
    return Status::InvalidArgument("the file name must be a plain name, not a path");
  }
  for (const char c : name) {
    if (!IsNameChar(c)) {
      return Status::InvalidArgument(
          "the file name may only contain letters, digits, '.', '_' and '-'");
    }
  }
  if (!IsAsciiAlnum(name.front()) && name.front() != '_') {
    return Status::InvalidArgument("the file name must start with a letter, a digit or '_'");
  }
  if (!FormatForPath(name).has_value()) {
    return Status::InvalidArgument("the file name must end in .txt, .md, .markdown, .html or .htm");
  }
  return std::string(name);
}

std::string ArticleNameForTitle(std::string_view title, DocumentFormat format) {
  std::string slug;
  bool pending_dash = false;
  for (const char c : title) {
    if (IsAsciiAlnum(c)) {
      if (pending_dash && !slug.empty()) slug += '-';
      pending_dash = false;
      if (slug.size() >= kMaxSlugBytes) break;
      slug += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    } else {
      pending_dash = true;
    }
  }
  if (slug.empty()) slug = "article";
  return slug + ExtensionFor(format);
}

Result<std::string> NormalizeArticleTitle(std::string_view title) {
  for (const char c : title) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7F) {
      return Status::InvalidArgument("the title contains control characters");
    }
  }
  std::string normalized = CollapseWhitespace(title);
  if (normalized.empty()) return Status::InvalidArgument("the title is empty");
  if (normalized.size() > kMaxArticleTitleBytes) {
    return Status::InvalidArgument("the title is longer than " +
                                   std::to_string(kMaxArticleTitleBytes) + " bytes");
  }
  return normalized;
}

std::string ComposeArticle(DocumentFormat format, std::string_view title, std::string_view body) {
  if (title.empty()) return std::string(body);
  switch (format) {
    case DocumentFormat::kPlainText:
      return ComposePlainText(title, body);
    case DocumentFormat::kMarkdown:
      return ComposeMarkdown(title, body);
    case DocumentFormat::kHtml:
      return ComposeHtml(title, body);
  }
  return std::string(body);
}

Result<WriteArticleResult> WriteArticleAtomically(const std::string& corpus_dir,
                                                  std::string_view name, std::string_view bytes,
                                                  bool replace) {
  auto safe = SanitizeArticleName(name);
  if (!safe.ok()) return safe.status();
  CITEQA_RETURN_IF_ERROR(CheckCorpusDir(corpus_dir));
  const std::string target = ArticlePath(corpus_dir, *safe).string();
  struct stat existing {};
  const bool existed = ::lstat(target.c_str(), &existing) == 0;
  if (existed && !S_ISREG(existing.st_mode)) {
    return Status::AlreadyExists(*safe + " exists and is not a regular file");
  }
  if (existed && !replace) return Status::AlreadyExists(*safe + " already exists");

  auto temporary = WriteTemporary(corpus_dir, *safe, bytes);
  if (!temporary.ok()) return temporary.status();
  WriteArticleResult result;
  if (replace) {
    if (::rename(temporary->c_str(), target.c_str()) != 0) {
      const int error = errno;
      ::unlink(temporary->c_str());
      return ErrnoStatus("cannot rename the article into place", error);
    }
    result.replaced = existed;
  } else {
    // link() fails with EEXIST instead of overwriting, even against a concurrent writer.
    const int rc = ::link(temporary->c_str(), target.c_str());
    const int error = errno;
    ::unlink(temporary->c_str());
    if (rc != 0) {
      if (error == EEXIST) return Status::AlreadyExists(*safe + " already exists");
      return ErrnoStatus("cannot link the article into place", error);
    }
  }
  CITEQA_RETURN_IF_ERROR(SyncDir(corpus_dir));
  return result;
}

Result<std::optional<std::string>> ReadArticle(const std::string& corpus_dir, std::string_view name,
                                               size_t max_bytes) {
  auto safe = SanitizeArticleName(name);
  if (!safe.ok()) return safe.status();
  auto folder = CorpusFolder::Open(corpus_dir);
  if (!folder.ok()) return folder.status();
  auto bytes = folder->Read(*safe, max_bytes);
  if (bytes.ok()) return std::optional<std::string>(std::move(*bytes));
  switch (bytes.status().code()) {
    case StatusCode::kNotFound:
    case StatusCode::kInvalidArgument:  // a link, a FIFO, a folder: no article file
      return std::optional<std::string>();
    case StatusCode::kResourceExhausted:
      return Status::ResourceExhausted(*safe + " is larger than " + std::to_string(max_bytes) +
                                       " bytes");
    default:
      return Status(bytes.status().code(), *safe + ": " + bytes.status().message());
  }
}

Status DeleteArticle(const std::string& corpus_dir, std::string_view name) {
  auto safe = SanitizeArticleName(name);
  if (!safe.ok()) return safe.status();
  CITEQA_RETURN_IF_ERROR(CheckCorpusDir(corpus_dir));
  const std::string path = ArticlePath(corpus_dir, *safe).string();
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || S_ISDIR(info.st_mode)) {
    return Status::NotFound("no article " + *safe);
  }
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return Status::NotFound("no article " + *safe);
    return ErrnoStatus("cannot delete " + *safe, errno);
  }
  return SyncDir(corpus_dir);
}

}  // namespace citeqa::indexer
