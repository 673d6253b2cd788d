#include "indexer/corpus_indexer.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

#include "indexer/chunker.h"
#include "indexer/cleaner.h"
#include "indexer/content_hash.h"
#include "indexer/default_synonyms.h"
#include "indexer/index_schema.h"
#include "indexer/reader.h"
#include "indexer/sqlite_db.h"
#include "indexer/text.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

// Bumped whenever reading, cleaning or chunking changes, so that a new build re-indexes
// documents whose bytes did not change.
constexpr const char* kPipelineVersion = "pipeline-2";

struct CorpusFile {
  std::string name;  // path relative to the corpus folder, '/'-separated
  std::string bytes;
  std::string hash;
  DocumentFormat format = DocumentFormat::kPlainText;
};

struct StoredDocument {
  int64_t id = 0;
  std::string hash;
};

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

// Lists supported files below `dir`, reading each; unsupported or unreadable files are
// reported in `summary`.
// A folder that cannot be listed is an error, never an empty corpus: that would remove
// every document from the index.
Result<std::vector<CorpusFile>> ScanCorpus(const fs::path& dir, const IndexOptions& options,
                                           IndexSummary* summary) {
  std::vector<CorpusFile> files;
  std::error_code ec;
  auto it = fs::recursive_directory_iterator(dir, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path& path = it->path();
    const std::string name = fs::relative(path, dir).generic_string();
    if (path.filename().string().starts_with(".")) {  // hidden files and temp files of uploads
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    const auto format = FormatForPath(name);
    if (!format) {
      ++summary->skipped;
      summary->messages.push_back("skipped " + name + ": unsupported file type");
      continue;
    }
    auto bytes = ReadFileBytes(path, options.max_file_bytes);
    if (!bytes.ok()) {
      ++summary->skipped;
      summary->messages.push_back("skipped " + name + ": " + bytes.status().message());
      continue;
    }
    CorpusFile file;
    file.name = name;
    file.hash = Sha256Hex(*bytes) + ":" + kPipelineVersion;
    file.bytes = std::move(*bytes);
    file.format = *format;
    files.push_back(std::move(file));
  }
  if (ec) return Status::IoError("cannot list " + dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end(),
            [](const CorpusFile& a, const CorpusFile& b) { return a.name < b.name; });
  return files;
}

Result<std::map<std::string, StoredDocument>> LoadStoredDocuments(Database* db) {
  auto stmt = db->Prepare("SELECT id, file, content_hash FROM documents");
  if (!stmt.ok()) return stmt.status();
  std::map<std::string, StoredDocument> stored;
  while (stmt->Step()) {
    stored[stmt->ColumnText(1)] = StoredDocument{stmt->ColumnInt(0), stmt->ColumnText(2)};
  }
  if (!stmt->status().ok()) return stmt->status();
  return stored;
}

Status DeleteDocument(Database* db, int64_t id) {
  // Delete passages explicitly so the FTS triggers see each row.
  auto passages = db->Prepare("DELETE FROM passages WHERE doc_id = ?1");
  if (!passages.ok()) return passages.status();
  CITEQA_RETURN_IF_ERROR(passages->Bind(1, id).Run());
  auto doc = db->Prepare("DELETE FROM documents WHERE id = ?1");
  if (!doc.ok()) return doc.status();
  return doc->Bind(1, id).Run();
}

Status InsertDocument(Database* db, const CorpusFile& file, const std::string& title,
                      const std::vector<Passage>& passages) {
  auto doc = db->Prepare(
      "INSERT INTO documents(file, title, content_hash, bytes, indexed_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!doc.ok()) return doc.status();
  CITEQA_RETURN_IF_ERROR(doc->Bind(1, file.name)
                             .Bind(2, title)
                             .Bind(3, file.hash)
                             .Bind(4, static_cast<int64_t>(file.bytes.size()))
                             .Bind(5, NowIso8601())
                             .Run());
  const int64_t doc_id = db->LastInsertRowId();
  auto insert = db->Prepare(
      "INSERT INTO passages(doc_id, ordinal, heading, text) VALUES (?1, ?2, ?3, ?4)");
  if (!insert.ok()) return insert.status();
  for (const Passage& p : passages) {
    insert->Reset();
    CITEQA_RETURN_IF_ERROR(insert->Bind(1, doc_id)
                               .Bind(2, static_cast<int64_t>(p.ordinal))
                               .Bind(3, p.heading)
                               .Bind(4, p.text)
                               .Run());
  }
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

std::string DocumentTitle(const ParsedDocument& parsed, const std::string& file_name) {
  if (!parsed.title.empty()) return parsed.title;
  std::string title = ChooseTitle(parsed);
  if (!title.empty()) return title;
  return fs::path(file_name).stem().string();
}

}  // namespace

std::string IndexSummary::ToLine() const {
  std::ostringstream out;
  out << "documents: " << added << " added, " << updated << " updated, " << removed
      << " removed, " << unchanged << " unchanged, " << skipped << " skipped; passages: "
      << passages;
  return out.str();
}

Result<IndexSummary> IndexCorpus(const IndexOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const fs::path dir(options.corpus_dir);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound("corpus folder " + options.corpus_dir + " does not exist");
  }
  IndexSummary summary;
  auto scanned = ScanCorpus(dir, options, &summary);
  if (!scanned.ok()) return scanned.status();
  std::vector<CorpusFile> files = std::move(*scanned);

  auto db = Database::Open(options.db_path, OpenMode::kReadWrite);
  if (!db.ok()) return db.status();
  Transaction txn(&*db);
  CITEQA_RETURN_IF_ERROR(txn.Begin());
  CITEQA_RETURN_IF_ERROR(MigrateSchema(&*db));
  auto synonyms_changed = StoreSynonyms(&*db, options.synonyms_path);
  if (!synonyms_changed.ok()) return synonyms_changed.status();

  auto stored = LoadStoredDocuments(&*db);
  if (!stored.ok()) return stored.status();

  // Parse everything that changed; cross-document line statistics need every document,
  // so when anything changed, unchanged documents are parsed too (cheap next to FTS writes).
  std::vector<const CorpusFile*> changed;
  for (const CorpusFile& file : files) {
    const auto it = stored->find(file.name);
    if (it == stored->end() || it->second.hash != file.hash) changed.push_back(&file);
  }
  std::unordered_map<const CorpusFile*, ParsedDocument> parsed;
  RepeatedLineCounter repeated;
  if (!changed.empty()) {
    for (const CorpusFile& file : files) {
      auto doc = ReadDocument(file.format, file.bytes);
      if (!doc.ok()) continue;  // reported below if it is one of the changed files
      repeated.AddDocument(*doc);
      parsed.emplace(&file, std::move(*doc));
    }
  }

  std::map<std::string, bool> present;
  for (const CorpusFile& file : files) present[file.name] = true;
  for (const auto& [name, doc] : *stored) {
    if (present.count(name) == 0) {
      CITEQA_RETURN_IF_ERROR(DeleteDocument(&*db, doc.id));
      ++summary.removed;
    }
  }
  summary.unchanged = static_cast<int>(files.size() - changed.size());
  for (const CorpusFile* file : changed) {
    const auto it = stored->find(file->name);
    const bool existed = it != stored->end();
    auto doc_it = parsed.find(file);
    if (doc_it == parsed.end()) {
      auto reason = ReadDocument(file->format, file->bytes).status();
      ++summary.skipped;
      summary.messages.push_back("skipped " + file->name + ": " + reason.message());
      // A file that became unreadable keeps its previous passages out of the index.
      if (existed) {
        CITEQA_RETURN_IF_ERROR(DeleteDocument(&*db, it->second.id));
        ++summary.removed;
      }
      continue;
    }
    ParsedDocument& doc = doc_it->second;
    const std::string title = DocumentTitle(doc, file->name);
    CleanDocument(&doc, &repeated);
    // The title heading is stored with the document; as a section heading it would be
    // repeated in every passage.
    std::erase_if(doc.blocks, [&](const Block& b) {
      return b.kind == BlockKind::kHeading && AsciiLower(b.text) == AsciiLower(title);
    });
    const std::vector<Passage> passages = ChunkDocument(doc);
    if (passages.empty()) {
      ++summary.skipped;
      summary.messages.push_back("skipped " + file->name + ": no article text after cleaning");
      if (existed) {
        CITEQA_RETURN_IF_ERROR(DeleteDocument(&*db, it->second.id));
        ++summary.removed;
      }
      continue;
    }
    if (existed) CITEQA_RETURN_IF_ERROR(DeleteDocument(&*db, it->second.id));
    CITEQA_RETURN_IF_ERROR(InsertDocument(&*db, *file, title, passages));
    ++(existed ? summary.updated : summary.added);
    if (options.on_document_written) options.on_document_written(file->name);
  }
  const int changes = summary.added + summary.updated + summary.removed;
  if (changes > 0 || *synonyms_changed) {
    CITEQA_RETURN_IF_ERROR(db->Exec(
        "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'"));
  }
  if (options.optimize_min_changes > 0 && changes >= options.optimize_min_changes) {
    CITEQA_RETURN_IF_ERROR(db->Exec(
        "INSERT INTO passages_fts(passages_fts) VALUES ('optimize');"
        "INSERT INTO passage_words(passage_words) VALUES ('optimize')"));
  }
  auto count = CountPassages(&*db);
  if (!count.ok()) return count.status();
  summary.passages = *count;
  CITEQA_RETURN_IF_ERROR(txn.Commit());
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace citeqa::indexer
