#include "indexer/corpus_scan.h"

#include <algorithm>
#include <optional>

#include "indexer/content_hash.h"
#include "indexer/document_pipeline.h"
#include "indexer/parallel_for.h"

namespace citeqa::indexer {

Result<CorpusScan> ScanCorpus(const CorpusFolder& folder, Result<CorpusListing> listing,
                              const IndexOptions& options, const StoredDocuments& stored) {
  if (!listing.ok()) return listing.status();
  if (options.on_listed) options.on_listed();
  CorpusScan scan;
  for (CorpusSkip& skip : listing->skipped) {
    if (skip.exists_unread) {
      if (skip.name.ends_with('/')) {
        scan.kept_folders.push_back(skip.name);
      } else {
        scan.kept_files.insert(skip.name);
      }
    }
    scan.skips.push_back(std::move(skip));
  }
  const auto max_bytes = static_cast<size_t>(std::max<int64_t>(0, options.max_file_bytes));
  const std::string current_pipeline = std::string(":") + kPipelineVersion;
  // A file whose stamp is the stored one is taken as it was, unread. The others are read
  // and hashed on IndexingThreads() threads: reading is mostly system time (copying from
  // the page cache), which a second core halves.
  // The stored document of a file whose stamp is unchanged, or null: the file is read.
  // Called in name order (the listing's), so one cursor walks the documents along: at 80k
  // files a map lookup each cost more than the rest of this function.
  auto cursor = stored.begin();
  auto unchanged = [&](const CorpusEntry& entry) -> const StoredDocument* {
    while (cursor != stored.end() && cursor->first < entry.name) ++cursor;
    if (options.verify || cursor == stored.end() || cursor->first != entry.name) return nullptr;
    // The stored hash must also be of this pipeline version: a new version re-reads all.
    const bool same = !cursor->second.file_stamp.empty() &&
                      cursor->second.file_stamp == entry.stamp &&
                      cursor->second.hash.ends_with(current_pipeline);
    return same ? &cursor->second : nullptr;
  };
  struct FileRead {
    std::optional<Result<std::string>> bytes;  // empty: left unread
    std::string hash;                          // of the bytes read, or the stored one
  };
  std::vector<FileRead> reads(listing->files.size());
  std::vector<size_t> to_read;
  for (size_t i = 0; i < listing->files.size(); ++i) {
    if (const StoredDocument* known = unchanged(listing->files[i])) {
      reads[i].hash = known->hash;
    } else {
      to_read.push_back(i);
    }
  }
  ParallelFor(to_read.size(), IndexingThreads(), [&](size_t /*worker*/, size_t k) {
    FileRead& read = reads[to_read[k]];
    read.bytes.emplace(folder.Read(listing->files[to_read[k]].read_path, max_bytes));
    if (read.bytes->ok()) read.hash = Sha256Hex(**read.bytes) + current_pipeline;
  });
  scan.files.reserve(listing->files.size());
  for (size_t i = 0; i < listing->files.size(); ++i) {
    CorpusEntry& entry = listing->files[i];
    if (!reads[i].bytes.has_value()) {
      CorpusFile file;
      file.name = std::move(entry.name);
      file.read_path = std::move(entry.read_path);
      file.hash = std::move(reads[i].hash);
      file.format = entry.format;
      file.stamp = std::move(entry.stamp);
      scan.files.push_back(std::move(file));
      continue;
    }
    Result<std::string>& bytes = *reads[i].bytes;
    if (!bytes.ok()) {
      const StatusCode code = bytes.status().code();
      if (code == StatusCode::kNotFound) continue;  // deleted since it was listed
      const bool exists_unread = code != StatusCode::kResourceExhausted;
      if (exists_unread) scan.kept_files.insert(entry.name);
      scan.skips.push_back(CorpusSkip{entry.name, bytes.status().message(), exists_unread});
      continue;
    }
    CorpusFile file;
    file.name = std::move(entry.name);
    file.read_path = std::move(entry.read_path);
    file.hash = std::move(reads[i].hash);
    file.size = static_cast<int64_t>(bytes->size());
    file.bytes = std::move(*bytes);
    file.format = entry.format;
    file.stamp = std::move(entry.stamp);
    file.read = true;
    scan.files.push_back(std::move(file));
  }
  std::sort(scan.skips.begin(), scan.skips.end(),
            [](const CorpusSkip& a, const CorpusSkip& b) { return a.name < b.name; });
  return scan;
}

Result<StoredDocuments> LoadStoredDocuments(Database* db) {
  auto stmt = db->Prepare("SELECT id, file, content_hash, file_stamp FROM documents");
  if (!stmt.ok()) return stmt.status();
  StoredDocuments stored;
  while (stmt->Step()) {
    stored[stmt->ColumnText(1)] =
        StoredDocument{stmt->ColumnInt(0), stmt->ColumnText(2), stmt->ColumnText(3)};
  }
  if (!stmt->status().ok()) return stmt->status();
  return stored;
}

Result<ComparedFiles> CompareWithIndex(const std::vector<CorpusFile>& files,
                                       const StoredDocuments& stored, const CorpusScan& scan) {
  ComparedFiles out;
  out.stored_ids.assign(files.size(), 0);
  auto unlisted = [&](const std::string& name, int64_t id) {
    (scan.Keeps(name) ? out.kept : out.gone).push_back(id);
  };
  auto doc = stored.begin();
  for (size_t i = 0; i < files.size(); ++i) {
    if (i > 0 && !(files[i - 1].name < files[i].name)) {
      return Status::IoError("the corpus listing is out of name order at " + files[i].name);
    }
    for (; doc != stored.end() && doc->first < files[i].name; ++doc) {
      unlisted(doc->first, doc->second.id);
    }
    if (doc == stored.end() || doc->first != files[i].name) {
      out.changed.push_back(i);
      continue;
    }
    out.stored_ids[i] = doc->second.id;
    if (doc->second.hash != files[i].hash) {
      out.changed.push_back(i);
    } else if (doc->second.file_stamp != files[i].stamp) {
      out.restamped.emplace_back(doc->second.id, files[i].stamp);
    }
    ++doc;
  }
  for (; doc != stored.end(); ++doc) unlisted(doc->first, doc->second.id);
  return out;
}

}  // namespace citeqa::indexer
