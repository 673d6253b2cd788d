#include "indexer/corpus_indexer.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "indexer/content_hash.h"
#include "indexer/corpus_files.h"
#include "indexer/default_synonyms.h"
#include "indexer/document_pipeline.h"
#include "indexer/index_schema.h"
#include "indexer/parallel_for.h"
#include "indexer/passage_writer.h"
#include "indexer/reader.h"
#include "indexer/sqlite_db.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

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

struct StoredDocument {
  int64_t id = 0;
  std::string hash;
  std::string file_stamp;
};

using StoredDocuments = std::map<std::string, StoredDocument>;

std::string NowIso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

Result<std::string> ReadFileBytes(const fs::path& path, int64_t max_bytes) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return Status::IoError("cannot stat: " + ec.message());
  if (static_cast<int64_t>(size) > max_bytes) {
    return Status::ResourceExhausted("too large (" + std::to_string(size) + " bytes, limit " +
                                     std::to_string(max_bytes) + ")");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open for reading");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status::IoError("read failed");
  return buffer.str();
}

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

// The index's documents (version 4 or later: with their file stamps).
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

// Calls visit(doc id, keys) with the line keys stored for each document, decoded into one
// vector reused from row to row: a million-passage index stores some 80 MB of them, which
// held all at once cost more than reading them. A row that does not decode is passed over
// (its document is then parsed again).
// Only documents with ids in [first_id, last_id] are visited.
Status ForEachStoredLineKeys(
    Database* db, int64_t first_id, int64_t last_id,
    const std::function<void(int64_t, const std::vector<RepeatedLineCounter::LineKey>&)>& visit) {
  auto stmt = db->Prepare("SELECT doc_id, keys FROM document_lines WHERE doc_id BETWEEN ?1 AND ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, first_id).Bind(2, last_id);
  std::vector<RepeatedLineCounter::LineKey> keys;
  while (stmt->Step()) {
    if (DecodeLineKeys(stmt->ColumnBlobView(1), &keys)) visit(stmt->ColumnInt(0), keys);
  }
  return stmt->status();
}

// Counts into corpus->repeated, which holds the changed documents' own counts, the lines
// of the unchanged documents (those of files[i] for i not in `changed`, by stored_ids[i],
// and `kept_docs`) that the changed documents' cleaning looks up: a one-file change in a
// large corpus counts a few thousand lines, not every line of it. Unchanged documents
// contribute the line keys stored for them; only those without (written before keys were
// stored) are parsed again, and get theirs stored. One whose file cannot be read now counts
// for nothing. `second_reader_path`, unless empty, is the database's path for a second
// connection that reads half of the stored keys (the committed ones, the same as `db`'s).
Status CountUnchangedLines(const CorpusFolder& folder, Database* db,
                           const std::string& second_reader_path, PassageWriter* writer,
                           const IndexOptions& options, const std::vector<size_t>& changed,
                           const std::vector<int64_t>& stored_ids,
                           const std::vector<int64_t>& kept_docs, std::vector<CorpusFile>* files,
                           ParsedCorpus* corpus, IndexSummary* summary) {
  std::vector<bool> is_changed(files->size(), false);
  for (size_t i : changed) is_changed[i] = true;
  std::vector<int64_t> unchanged_docs = kept_docs;  // sorted below, for binary search
  for (size_t i = 0; i < files->size(); ++i) {
    if (!is_changed[i]) unchanged_docs.push_back(stored_ids[i]);
  }
  // A run without any (a new index) has nothing to add to the changed documents' counts.
  if (unchanged_docs.empty()) return Status::Ok();
  std::sort(unchanged_docs.begin(), unchanged_docs.end());
  auto position_of = [&](int64_t id) -> std::optional<size_t> {
    const auto it = std::lower_bound(unchanged_docs.begin(), unchanged_docs.end(), id);
    if (it == unchanged_docs.end() || *it != id) return std::nullopt;
    return static_cast<size_t>(it - unchanged_docs.begin());
  };

  std::vector<RepeatedLineCounter::LineKey> looked_up;
  for (const auto& document : corpus->documents) {
    if (!document.ok()) continue;
    auto keys = RepeatedLineCounter::QueryKeysOf(*document);
    looked_up.insert(looked_up.end(), keys.begin(), keys.end());
  }
  std::sort(looked_up.begin(), looked_up.end());
  looked_up.erase(std::unique(looked_up.begin(), looked_up.end()), looked_up.end());
  // With a second reader, the stored keys are read in two halves by id, the second on a
  // connection and thread of its own: at a million passages they are 80 MB, read page by
  // page through system calls, which a second core halves. Both halves see the committed
  // rows, which are this transaction's too: it has written nothing to them yet.
  std::vector<char> counted(unchanged_docs.size(), 0);  // its stored keys were counted
  auto count_stored = [&](Database* from, int64_t first_id, int64_t last_id,
                          RepeatedLineCounter* lines) {
    lines->CountOnly(looked_up);
    return ForEachStoredLineKeys(
        from, first_id, last_id,
        [&](int64_t id, const std::vector<RepeatedLineCounter::LineKey>& keys) {
          const auto position = position_of(id);
          if (!position) return;
          lines->AddKeys(keys);
          counted[*position] = 1;
        });
  };
  constexpr int64_t kFirstId = std::numeric_limits<int64_t>::min();
  constexpr int64_t kLastId = std::numeric_limits<int64_t>::max();
  RepeatedLineCounter unchanged_lines;
  if (second_reader_path.empty()) {
    CITEQA_RETURN_IF_ERROR(count_stored(db, kFirstId, kLastId, &unchanged_lines));
  } else {
    const int64_t middle_id = unchanged_docs[unchanged_docs.size() / 2];
    RepeatedLineCounter upper_lines;
    auto upper = std::async(std::launch::async, [&]() -> Status {
      auto second = Database::Open(second_reader_path, OpenMode::kReadOnly);
      if (!second.ok()) return second.status();
      // Read like the first half, not through a map of the file: the mapped pages would
      // count toward the run's memory, and cost as much to fault in.
      CITEQA_RETURN_IF_ERROR(second->Exec("PRAGMA mmap_size=0"));
      return count_stored(&*second, middle_id, kLastId, &upper_lines);
    });
    const Status lower = count_stored(db, kFirstId, middle_id - 1, &unchanged_lines);
    const Status upper_status = upper.get();
    CITEQA_RETURN_IF_ERROR(lower);
    CITEQA_RETURN_IF_ERROR(upper_status);
    unchanged_lines.Merge(upper_lines);
  }

  const auto max_bytes = static_cast<size_t>(std::max<int64_t>(0, options.max_file_bytes));
  std::vector<size_t> unkeyed_files;  // indexes into files, in order
  std::vector<SourceFile> unkeyed_sources;
  for (size_t i = 0; i < files->size(); ++i) {
    if (is_changed[i] || counted[*position_of(stored_ids[i])]) continue;
    CorpusFile& file = (*files)[i];
    if (!file.read) {
      auto bytes = folder.Read(file.read_path, max_bytes);
      if (!bytes.ok()) continue;
      file.bytes = std::move(*bytes);
      file.read = true;
      ++summary->files_read;
    }
    unkeyed_files.push_back(i);
    unkeyed_sources.push_back(SourceFile{file.name, file.format, std::move(file.bytes), false});
  }
  if (!unkeyed_sources.empty()) {
    const ParsedCorpus unkeyed = ParseCorpus(&unkeyed_sources, IndexingThreads());
    unchanged_lines.Merge(unkeyed.repeated);
    for (size_t j = 0; j < unkeyed_files.size(); ++j) {
      if (!unkeyed.documents[j].ok()) continue;
      CITEQA_RETURN_IF_ERROR(writer->StoreLineKeys(stored_ids[unkeyed_files[j]],
                                                   EncodeLineKeys(unkeyed.line_keys[j])));
    }
  }
  corpus->repeated.Merge(unchanged_lines);
  return Status::Ok();
}

// Stores the synonyms file's text in meta (or, without a file, the shipped synonyms when
// the index has none yet); returns whether the stored text changed.
Result<bool> StoreSynonyms(Database* db, const std::string& path) {
  auto current = db->Prepare("SELECT value FROM meta WHERE key = 'synonyms'");
  if (!current.ok()) return current.status();
  const bool has_any = current->Step();
  if (!current->status().ok()) return current->status();
  Result<std::string> bytes = std::string(DefaultSynonyms());
  if (!path.empty()) {
    bytes = ReadFileBytes(path, 4 * 1024 * 1024);
    if (!bytes.ok()) {
      return Status::NotFound("synonyms file " + path + ": " + bytes.status().message());
    }
  } else if (has_any) {
    return false;
  }
  if (has_any && current->ColumnText(0) == *bytes) return false;
  auto stmt = db->Prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('synonyms', ?1)");
  if (!stmt.ok()) return stmt.status();
  CITEQA_RETURN_IF_ERROR(stmt->Bind(1, *bytes).Run());
  return true;
}

Result<int64_t> CountPassages(Database* db) {
  auto stmt = db->Prepare("SELECT count(*) FROM passages");
  if (!stmt.ok()) return stmt.status();
  if (!stmt->Step()) return stmt->status();
  return stmt->ColumnInt(0);
}

}  // namespace

std::string IndexSummary::ToLine() const {
  std::ostringstream out;
  out << "documents: " << added << " added, " << updated << " updated, " << removed << " removed, "
      << unchanged << " unchanged, " << skipped << " skipped; passages: " << passages;
  return out.str();
}

Result<IndexSummary> IndexCorpus(const IndexOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  auto folder = CorpusFolder::Open(options.corpus_dir);
  if (!folder.ok()) return folder.status();
  auto db = Database::Open(options.db_path, OpenMode::kReadWrite);
  if (!db.ok()) return db.status();
  // The staging table in memory (for this connection only; the journal is untouched, so a
  // killed run still leaves the previous index as it was). The page cache is raised for
  // the writes below.
  CITEQA_RETURN_IF_ERROR(db->Exec("PRAGMA temp_store=MEMORY"));
  // The folder is read (and hashed) before the write lock is taken, so that a run that
  // changes nothing holds the lock for milliseconds, not for the whole read. A run that
  // committed changes while this one waited for the lock may have written files this
  // listing predates, and this run would remove them: then the folder is read again.
  auto read_folder = [&](Result<CorpusListing> listing,
                         const StoredDocuments& known) -> Result<CorpusScan> {
    auto scanned = ScanCorpus(*folder, std::move(listing), options, known);
    if (scanned.ok() && options.on_scanned) options.on_scanned();
    return scanned;
  };
  auto generation_before = ReadGeneration(&*db);
  const int64_t seen = generation_before.ok() ? *generation_before : 0;  // 0: a new index
  // The folder is listed (a stat of every file) while the index's documents are read: at a
  // million passages each takes a few hundred milliseconds, and neither needs the other.
  // Listed after the generation is read, so that a run committed after the listing began
  // is one this run notices (below) and lists the folder again for.
  auto listing = std::async(std::launch::async, [&folder] { return folder->List(); });
  // A new index, or one from before file stamps, has none to compare: every file is read.
  auto known_before = LoadStoredDocuments(&*db);
  auto scanned = read_folder(listing.get(), known_before.ok() ? *known_before : StoredDocuments{});
  if (!scanned.ok()) return scanned.status();
  Transaction txn(&*db);
  CITEQA_RETURN_IF_ERROR(txn.Begin());
  // Whether the committed index has this build's schema (MigrateSchema changes nothing):
  // only then may another connection read it alongside this transaction.
  auto version_at_start = ReadUserVersion(&*db);
  const bool schema_was_current = version_at_start.ok() && *version_at_start == kSchemaVersion;
  CITEQA_RETURN_IF_ERROR(MigrateSchema(&*db));
  auto generation_now = ReadGeneration(&*db);
  if (!generation_now.ok()) return generation_now.status();
  // Unless a run committed meanwhile, the documents are those read before the lock (a run
  // that changes only file stamps does not count, and stamps only decide what is read).
  auto stored = *generation_now == seen && known_before.ok() ? std::move(known_before)
                                                             : LoadStoredDocuments(&*db);
  if (!stored.ok()) return stored.status();
  if (*generation_now != seen) {
    scanned = read_folder(folder->List(), *stored);
    if (!scanned.ok()) return scanned.status();
  }
  std::vector<CorpusFile> files = std::move(scanned->files);
  auto synonyms_changed = StoreSynonyms(&*db, options.synonyms_path);
  if (!synonyms_changed.ok()) return synonyms_changed.status();

  auto writer = PassageWriter::Create(&*db);
  if (!writer.ok()) return writer.status();

  // The files against the stored documents, both in name order, in one pass: at 80k files
  // a map lookup each (and a set of the names present) cost a tenth of a second.
  std::vector<int64_t> stored_ids(files.size(), 0);  // the document of files[i]; 0: none
  std::vector<size_t> changed;                        // indexes into files
  std::vector<int64_t> gone;       // documents whose files are gone, in name order
  std::vector<int64_t> kept_docs;  // documents whose files are there but unreadable
  auto classify_unlisted = [&](const std::string& name, int64_t id) {
    (scanned->Keeps(name) ? kept_docs : gone).push_back(id);
  };
  auto doc = stored->begin();
  for (size_t i = 0; i < files.size(); ++i) {
    for (; doc != stored->end() && doc->first < files[i].name; ++doc) {
      classify_unlisted(doc->first, doc->second.id);
    }
    if (doc == stored->end() || doc->first != files[i].name) {
      changed.push_back(i);
      continue;
    }
    stored_ids[i] = doc->second.id;
    if (doc->second.hash != files[i].hash) {
      changed.push_back(i);
    } else if (doc->second.file_stamp != files[i].stamp) {
      // Same bytes under a new stamp (touched, copied over, or a first run with stamps):
      // remembered, so that the next run need not read it.
      CITEQA_RETURN_IF_ERROR(writer->SetFileStamp(doc->second.id, files[i].stamp));
    }
    ++doc;
  }
  for (; doc != stored->end(); ++doc) classify_unlisted(doc->first, doc->second.id);

  IndexSummary summary;
  summary.files_read = static_cast<int>(
      std::count_if(files.begin(), files.end(), [](const CorpusFile& f) { return f.read; }));

  // Files that are there but could not be read keep their documents; only documents whose
  // files are gone are removed.
  for (const CorpusSkip& skip : scanned->skips) {
    std::string message = "skipped " + skip.name + ": " + skip.reason;
    const bool indexed =
        skip.name.ends_with('/')
            ? std::any_of(stored->begin(), stored->end(),
                          [&](const auto& entry) { return entry.first.starts_with(skip.name); })
            : stored->count(skip.name) > 0;
    if (skip.exists_unread && indexed) {
      message += skip.name.ends_with('/') ? " (its indexed documents are kept)"
                                          : " (its indexed version is kept)";
    }
    ++summary.skipped;
    summary.messages.push_back(std::move(message));
  }
  summary.unchanged = static_cast<int>(files.size() - changed.size());

  // The changed files are parsed, and the lines their cleaning looks up counted over the
  // unchanged documents, before anything is deleted or written: reading is done with
  // SQLite's small default page cache, which recycles its pages. The 64 MB the writes get
  // would be filled by the reading first, each page of it new memory (at a million
  // passages, 80 MB of stored line keys pass through).
  ParsedCorpus corpus;
  if (!changed.empty()) {
    std::vector<SourceFile> sources;
    for (size_t i : changed) {
      CorpusFile& file = files[i];
      sources.push_back(SourceFile{file.name, file.format, std::move(file.bytes), true});
    }
    corpus = ParseCorpus(&sources, IndexingThreads());
    CITEQA_RETURN_IF_ERROR(CountUnchangedLines(*folder, &*db,
                                               schema_was_current ? options.db_path : "",
                                               &*writer, options, changed, stored_ids,
                                               kept_docs, &files, &corpus, &summary));
  }

  // A larger page cache for the writes' FTS5 segment merges (for this connection only).
  CITEQA_RETURN_IF_ERROR(db->Exec("PRAGMA cache_size=-65536"));
  for (const int64_t id : gone) {
    CITEQA_RETURN_IF_ERROR(writer->DeleteDocument(id));
    ++summary.removed;
  }
  if (!changed.empty()) {
    // corpus.documents[j] is the document of files[changed[j]].
    std::vector<DocumentPreparer::Job> jobs;
    for (size_t j = 0; j < changed.size(); ++j) {
      if (corpus.documents[j].ok()) {
        jobs.push_back({std::move(*corpus.documents[j]), files[changed[j]].name});
      }
    }
    // Cleaning and chunking run on worker threads (one per core) while this thread writes;
    // the writer waits for them at times and they for it at others, so neither side alone
    // gets a core to itself.
    DocumentPreparer preparer(std::move(jobs), &corpus.repeated, IndexingThreads(),
                              /*lookahead=*/256);
    for (size_t j = 0; j < changed.size(); ++j) {
      const CorpusFile& file = files[changed[j]];
      const int64_t old_id = stored_ids[changed[j]];
      const bool existed = old_id != 0;
      if (!corpus.documents[j].ok()) {
        ++summary.skipped;
        summary.messages.push_back("skipped " + file.name + ": " +
                                   corpus.documents[j].status().message());
        // A file that became unreadable keeps its previous passages out of the index.
        if (existed) {
          CITEQA_RETURN_IF_ERROR(writer->DeleteDocument(old_id));
          ++summary.removed;
        }
        continue;
      }
      const PreparedDocument prepared = preparer.Next();
      if (prepared.passages.empty()) {
        ++summary.skipped;
        summary.messages.push_back("skipped " + file.name + ": no article text after cleaning");
        if (existed) {
          CITEQA_RETURN_IF_ERROR(writer->DeleteDocument(old_id));
          ++summary.removed;
        }
        continue;
      }
      if (existed) CITEQA_RETURN_IF_ERROR(writer->DeleteDocument(old_id));
      CITEQA_RETURN_IF_ERROR(writer->AddDocument(
          DocumentRecord{file.name, prepared.title, file.hash, file.size, NowIso8601(),
                         EncodeLineKeys(corpus.line_keys[j]), file.stamp},
          prepared.passages));
      ++(existed ? summary.updated : summary.added);
      if (options.on_document_written) options.on_document_written(file.name);
    }
    writer->AddVocabulary(preparer.TakeVocabulary());
  }
  CITEQA_RETURN_IF_ERROR(writer->Finish());
  const int changes = summary.added + summary.updated + summary.removed;
  if (changes > 0 || *synonyms_changed) {
    CITEQA_RETURN_IF_ERROR(
        db->Exec("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'"));
  }
  if (options.optimize_min_changes > 0 && changes >= options.optimize_min_changes) {
    CITEQA_RETURN_IF_ERROR(db->Exec("INSERT INTO passages_fts(passages_fts) VALUES ('optimize')"));
  }
  // The count reads every page of the passages table: back to the small cache, whose pages
  // are recycled, rather than fill the large one with them.
  CITEQA_RETURN_IF_ERROR(db->Exec("PRAGMA cache_size=-2000"));
  auto count = CountPassages(&*db);
  if (!count.ok()) return count.status();
  summary.passages = *count;
  CITEQA_RETURN_IF_ERROR(txn.Commit());
  if (changes > 0) {
    // Moves the run's pages from the write-ahead log into the file and empties the log, so
    // that a file later moved over this one (a restored backup, a published snapshot) never
    // meets frames of this one in a log beside it. Best effort: it waits at most 200 ms for
    // readers of an older snapshot, then leaves it to the next run or SQLite's own
    // checkpoints (the connection closes right after, so its busy timeout can change).
    (void)db->Exec("PRAGMA busy_timeout = 200; PRAGMA wal_checkpoint(TRUNCATE)");
  }
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace citeqa::indexer
