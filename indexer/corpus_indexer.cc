#include "indexer/corpus_indexer.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <sstream>

#include "indexer/corpus_files.h"
#include "indexer/corpus_scan.h"
#include "indexer/default_synonyms.h"
#include "indexer/document_pipeline.h"
#include "indexer/file_identity.h"
#include "indexer/index_rows.h"
#include "indexer/index_schema.h"
#include "indexer/passage_writer.h"
#include "indexer/reader.h"
#include "indexer/sqlite_db.h"
#include "indexer/stored_line_keys.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

// The run's page cache (for its connection only) while it reads: small, so that its pages
// are recycled rather than each page read being new memory. And while it writes: large,
// for FTS5's segment merges.
constexpr const char* kReadingCache = "PRAGMA cache_size=-2000";   // 2 MB
constexpr const char* kWritingCache = "PRAGMA cache_size=-65536";  // 64 MB

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

// What the unchanged documents add to the changed documents' line counts.
struct UnchangedLines {
  RepeatedLineCounter lines;
  // The line keys of unchanged documents the index had none stored for (written before
  // keys were stored), parsed to count them: for the run to store.
  std::vector<std::pair<int64_t, std::string>> keys_to_store;
  int files_read = 0;  // files left unread for their stamps that had to be read for it
};

// Where a run reads: its folder and options, its connection and maybe a second reader
// (OpenSecondReader).
struct RunReaders {
  const CorpusFolder* folder = nullptr;
  const IndexOptions* options = nullptr;
  Database* db = nullptr;
  Database* second = nullptr;
};

// The lines of the unchanged documents (files[i] for i not in compared.changed, and the
// kept documents) that the changed documents' cleaning (`parsed`, one per changed file)
// looks up: a one-file change in a large corpus counts a few thousand lines, not every
// line of it. Unchanged documents contribute the line keys stored for them; only those
// without are parsed again (a file that cannot be read now counts for nothing). Reads
// only; `files` gives up the bytes of the files it parses.
Result<UnchangedLines> CountUnchangedLines(const RunReaders& run, const ComparedFiles& compared,
                                           const ParsedCorpus& parsed,
                                           std::vector<CorpusFile>* files) {
  UnchangedLines out;
  std::vector<bool> is_changed(files->size(), false);
  for (size_t i : compared.changed) is_changed[i] = true;
  std::vector<int64_t> unchanged_docs = compared.kept;
  for (size_t i = 0; i < files->size(); ++i) {
    if (!is_changed[i]) unchanged_docs.push_back(compared.stored_ids[i]);
  }
  // A run without any (a new index) has nothing to add to the changed documents' counts.
  if (unchanged_docs.empty()) return out;
  std::sort(unchanged_docs.begin(), unchanged_docs.end());

  std::vector<RepeatedLineCounter::LineKey> looked_up;
  for (const auto& document : parsed.documents) {
    if (!document.ok()) continue;
    auto keys = RepeatedLineCounter::QueryKeysOf(*document);
    looked_up.insert(looked_up.end(), keys.begin(), keys.end());
  }
  std::sort(looked_up.begin(), looked_up.end());
  looked_up.erase(std::unique(looked_up.begin(), looked_up.end()), looked_up.end());
  auto stored = CountStoredLineKeys(run.db, run.second, unchanged_docs, looked_up);
  if (!stored.ok()) return stored.status();
  out.lines = std::move(stored->lines);
  auto has_stored_keys = [&](int64_t id) {
    const auto it = std::lower_bound(unchanged_docs.begin(), unchanged_docs.end(), id);
    return stored->has_keys[static_cast<size_t>(it - unchanged_docs.begin())];
  };

  const auto max_bytes = static_cast<size_t>(std::max<int64_t>(0, run.options->max_file_bytes));
  std::vector<size_t> unkeyed_files;  // indexes into files, in order
  std::vector<SourceFile> unkeyed_sources;
  for (size_t i = 0; i < files->size(); ++i) {
    if (is_changed[i] || has_stored_keys(compared.stored_ids[i])) continue;
    CorpusFile& file = (*files)[i];
    if (!file.read) {
      auto bytes = run.folder->Read(file.read_path, max_bytes);
      if (!bytes.ok()) continue;
      file.bytes = std::move(*bytes);
      file.read = true;
      ++out.files_read;
    }
    unkeyed_files.push_back(i);
    unkeyed_sources.push_back(SourceFile{file.name, file.format, std::move(file.bytes), false});
  }
  if (!unkeyed_sources.empty()) {
    const ParsedCorpus unkeyed = ParseCorpus(&unkeyed_sources, IndexingThreads());
    out.lines.Merge(unkeyed.repeated);
    for (size_t j = 0; j < unkeyed_files.size(); ++j) {
      if (!unkeyed.documents[j].ok()) continue;
      out.keys_to_store.emplace_back(compared.stored_ids[unkeyed_files[j]],
                                     EncodeLineKeys(unkeyed.line_keys[j]));
    }
  }
  return out;
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

// The documents and passages the index has after this run's writes, kept in meta for the
// next run and for readers: the counts meta keeps from the last run and what `writer`
// added, or counted when meta keeps none (a new index, one from before version 7), which
// reads every page of an index of each table: a tenth of a second at a million passages,
// in every run and every reader. Written only when they change or were not kept.
Result<IndexCounts> KeepCountsAfterWrites(Database* db, const PassageWriter& writer) {
  auto kept = ReadKeptCounts(db);
  if (!kept.ok()) return kept.status();
  IndexCounts counts;
  if (kept->has_value()) {
    counts = IndexCounts{(*kept)->documents + writer.documents_added(),
                         (*kept)->passages + writer.passages_added()};
    if (writer.documents_added() == 0 && writer.passages_added() == 0) return counts;
  } else {
    auto counted = CountRows(db);
    if (!counted.ok()) return counted.status();
    counts = *counted;
  }
  auto stmt = db->Prepare(
      "INSERT OR REPLACE INTO meta(key, value) VALUES ('documents', ?1), ('passages', ?2)");
  if (!stmt.ok()) return stmt.status();
  CITEQA_RETURN_IF_ERROR(stmt->Bind(1, std::to_string(counts.documents))
                             .Bind(2, std::to_string(counts.passages))
                             .Run());
  return counts;
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
  // Which file the path names as it is opened (none for a new index): a second reader
  // opened later must find the same one there.
  const auto opened = IdentifyFile(options.db_path);
  auto db = Database::Open(options.db_path, OpenMode::kReadWrite);
  if (!db.ok()) return db.status();
  // The staging table in memory (for this connection only; the journal is untouched, so a
  // killed run still leaves the previous index as it was). The page cache stays small
  // while the run reads (kReadingCache) and grows for its writes (kWritingCache).
  CITEQA_RETURN_IF_ERROR(db->Exec("PRAGMA temp_store=MEMORY"));
  CITEQA_RETURN_IF_ERROR(db->Exec(kReadingCache));
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
  // only then may another connection read it alongside this transaction. A migration
  // rebuilds tables, with the writes' cache.
  auto version_at_start = ReadUserVersion(&*db);
  const bool schema_was_current = version_at_start.ok() && *version_at_start == kSchemaVersion;
  if (!schema_was_current) CITEQA_RETURN_IF_ERROR(db->Exec(kWritingCache));
  CITEQA_RETURN_IF_ERROR(MigrateSchema(&*db));
  if (!schema_was_current) CITEQA_RETURN_IF_ERROR(db->Exec(kReadingCache));
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

  auto compared = CompareWithIndex(files, *stored, *scanned);
  if (!compared.ok()) return compared.status();
  const std::vector<size_t>& changed = compared->changed;

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
  // unchanged documents, before the run writes to the documents' tables (its writes come
  // after, with the large cache: had that filled up with what the count reads, each of
  // its pages would have been new memory; at a million passages 80 MB of stored line keys
  // pass through).
  ParsedCorpus corpus;
  UnchangedLines unchanged_lines;
  if (!changed.empty()) {
    std::vector<SourceFile> sources;
    for (size_t i : changed) {
      CorpusFile& file = files[i];
      sources.push_back(SourceFile{file.name, file.format, std::move(file.bytes), true});
    }
    corpus = ParseCorpus(&sources, IndexingThreads());
    std::optional<Database> second_reader;
    if (schema_was_current && opened.ok()) {
      second_reader = OpenSecondReader(options.db_path, *opened, &*db);
    }
    auto counted =
        CountUnchangedLines(RunReaders{&*folder, &options, &*db,
                                       second_reader ? &*second_reader : nullptr},
                            *compared, corpus, &files);
    if (!counted.ok()) return counted.status();
    unchanged_lines = std::move(*counted);
    corpus.repeated.Merge(unchanged_lines.lines);
    summary.files_read += unchanged_lines.files_read;
  }

  CITEQA_RETURN_IF_ERROR(db->Exec(kWritingCache));
  for (const auto& [id, stamp] : compared->restamped) {
    CITEQA_RETURN_IF_ERROR(writer->SetFileStamp(id, stamp));
  }
  for (const auto& [id, keys] : unchanged_lines.keys_to_store) {
    CITEQA_RETURN_IF_ERROR(writer->StoreLineKeys(id, keys));
  }
  for (const int64_t id : compared->gone) {
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
      const int64_t old_id = compared->stored_ids[changed[j]];
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
    CITEQA_RETURN_IF_ERROR(writer->RecordVersion(*generation_now + 1));
  }
  if (options.optimize_min_changes > 0 && changes >= options.optimize_min_changes) {
    CITEQA_RETURN_IF_ERROR(db->Exec("INSERT INTO passages_fts(passages_fts) VALUES ('optimize')"));
  }
  // A count may read every page of an index of the passages table: back to the small cache,
  // whose pages are recycled, rather than fill the large one with them.
  CITEQA_RETURN_IF_ERROR(db->Exec(kReadingCache));
  auto counts = KeepCountsAfterWrites(&*db, *writer);
  if (!counts.ok()) return counts.status();
  summary.passages = counts->passages;
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
