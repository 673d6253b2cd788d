// The corpus folder as a store of articles that clients name: checks untrusted file names,
// composes an article file from a title and a body, and writes, reads and deletes files
// atomically. Knows nothing of HTTP; the indexer picks the files up on its next run.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "indexer/reader.h"
#include "indexer/status.h"

namespace citeqa::indexer {

inline constexpr size_t kMaxArticleNameBytes = 128;
inline constexpr size_t kMaxArticleBytes = 2 * 1024 * 1024;
inline constexpr size_t kMaxArticleTitleBytes = 300;

// Returns `name` when it is safe to use as a file directly inside the corpus folder: 1 to
// kMaxArticleNameBytes bytes of [A-Za-z0-9._-], starting with a letter, digit or '_' (so no
// hidden file, no "..", no option-like "-x"), ending in a supported extension (.txt, .md,
// .markdown, .html, .htm; any case). Never rewrites a name: anything else is refused.
// Errors: kInvalidArgument saying what is wrong (path separators, NUL bytes, characters,
// length, extension).
Result<std::string> SanitizeArticleName(std::string_view name);

// A file name for an article that has only a title: the title's ASCII letters and digits
// in lower case, other runs of characters as '-', at most 80 bytes, plus the extension of
// `format` (".txt", ".md", ".html"); "article" when no letter or digit is left. Always
// passes SanitizeArticleName.
std::string ArticleNameForTitle(std::string_view title, DocumentFormat format);

// The title with white space runs collapsed to single spaces and trimmed. Errors:
// kInvalidArgument when it is empty, longer than kMaxArticleTitleBytes or holds control
// characters other than white space.
Result<std::string> NormalizeArticleTitle(std::string_view title);

// The file content for an article whose readers will find `title` as its title: the first
// line of a plain-text file, "# title" on top of Markdown, <title> of HTML (wrapping a
// fragment in a minimal document). An empty `title` returns `body` unchanged, and so does
// a Markdown body that already opens with a "# " heading or an HTML body that already has
// a <title> (the document's own title wins). `title` must be normalised.
std::string ComposeArticle(DocumentFormat format, std::string_view title, std::string_view body);

struct WriteArticleResult {
  bool replaced = false;  // a file of that name existed and was replaced
};

// Writes `bytes` to corpus_dir/name so that readers see either the old file or the whole
// new one: a hidden temporary file in the same folder (ignored by the indexer), fsync,
// then a hard link (no overwrite) or a rename (`replace`), then fsync of the folder. The
// temporary file is removed on every failure. Errors: kInvalidArgument for a name that
// SanitizeArticleName refuses; kNotFound when corpus_dir is not a folder; kAlreadyExists
// when the file exists and !replace (or is not a regular file); kResourceExhausted when
// the disk is full; kIoError otherwise. Thread-safe (one temporary file per call).
Result<WriteArticleResult> WriteArticleAtomically(const std::string& corpus_dir,
                                                  std::string_view name, std::string_view bytes,
                                                  bool replace);

// The bytes of corpus_dir/name, or nullopt when there is no such regular file (a symbolic
// link, a FIFO or a folder of that name counts as none; a FIFO never blocks the read).
// Errors: kInvalidArgument for a refused name; kNotFound when corpus_dir is not a folder;
// kResourceExhausted over `max_bytes`; kIoError.
Result<std::optional<std::string>> ReadArticle(const std::string& corpus_dir, std::string_view name,
                                               size_t max_bytes = kMaxArticleBytes);

// Removes corpus_dir/name and syncs the folder. Errors: kInvalidArgument for a refused
// name; kNotFound when there is no such file (a folder of that name counts as none);
// kIoError otherwise.
Status DeleteArticle(const std::string& corpus_dir, std::string_view name);

}  // namespace citeqa::indexer
