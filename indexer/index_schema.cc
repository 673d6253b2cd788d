#include "indexer/index_schema.h"

#include <string>

#include "indexer/vocabulary_delta.h"

namespace citeqa::indexer {
namespace {

// A new index gets kSchemaCore and kSchemaV2Parts to kSchemaV7Parts (version 7). Passages
// get AUTOINCREMENT ids so that an id once cited never comes back naming a different passage
// after a re-index. passages_fts (porter stems, an external-content table over `passages`
// that the indexer feeds, see passage_writer.h) answers questions and phrase queries, and its
// vocabulary (stem_vocab) gives document frequencies. meta.generation grows with every
// indexing run that changes something, so readers know when to refresh what they cache.
constexpr const char* kSchemaCore = R"sql(
CREATE TABLE documents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  file TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  indexed_at TEXT NOT NULL
);
CREATE TABLE passages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  heading TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX passages_by_doc ON passages(doc_id, ordinal);
CREATE VIRTUAL TABLE passages_fts USING fts5(
  heading, text, content='passages', content_rowid='id',
  tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE stem_vocab USING fts5vocab(passages_fts, 'row');
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta(key, value) VALUES ('generation', '0');
)sql";

// What version 2 has beyond the core, for a new index and for the migration from version 1
// alike. passage_vocab holds the unstemmed words that typo correction draws on, with the
// passages containing each; the indexer keeps it (vocabulary_delta.h). document_lines holds
// the keys of the lines and sentences each document contributed to the cleaner's
// cross-document counts (16 bytes each, see RepeatedLineCounter::KeysOf), so that a run need
// not parse unchanged documents again just to count them; a document without a row is
// parsed. FTS5 buffers up to 16 MB of new terms before it writes them as a segment (the
// default, 1 MB, made a bulk build write and merge many small segments).
constexpr const char* kSchemaV2Parts = R"sql(
CREATE TABLE passage_vocab (term TEXT PRIMARY KEY, doc INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE document_lines (
  doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  keys BLOB NOT NULL
);
CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
  INSERT INTO passages_fts(rowid, heading, text) VALUES (new.id, new.heading, new.text);
END;
CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
  INSERT INTO passages_fts(passages_fts, rowid, heading, text)
    VALUES ('delete', old.id, old.heading, old.text);
END;
INSERT INTO passages_fts(passages_fts, rank) VALUES ('hashsize', 16777216);
)sql";

// Version 3: the question log (question_log.h), kept since in a file of its own (an index
// published over a served one must not carry away, or be overwritten by, what the server
// writes): questions that were not answered and
// readers' votes on answers, for the unanswered-questions report. No reference to documents
// or passages (the considered passage is copied by value), so indexing, which deletes and
// re-inserts documents and passages, never touches these rows. Times are seconds since the
// Unix epoch (UTC).
constexpr const char* kSchemaV3Parts = R"sql(
CREATE TABLE question_abstentions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  question TEXT NOT NULL,
  normalized TEXT NOT NULL,
  source TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  passage_id INTEGER,
  doc TEXT,
  title TEXT
);
CREATE INDEX question_abstentions_by_time ON question_abstentions(at);
CREATE INDEX question_abstentions_by_question ON question_abstentions(normalized, at);
CREATE TABLE answer_feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  question TEXT NOT NULL,
  normalized TEXT NOT NULL,
  source TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  answer TEXT NOT NULL,
  vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
  comment TEXT NOT NULL,
  passage_id INTEGER,
  doc TEXT,
  title TEXT
);
CREATE INDEX answer_feedback_by_time ON answer_feedback(at);
CREATE INDEX answer_feedback_by_question ON answer_feedback(normalized, at);
)sql";

// Version 4: each document's file stamp (CorpusEntry::stamp) as last read, so that a run can
// leave a file whose stamp is unchanged unread; '' (never matches) for documents written
// before.
constexpr const char* kSchemaV4Parts = R"sql(
ALTER TABLE documents ADD COLUMN file_stamp TEXT NOT NULL DEFAULT '';
)sql";

// Version 5: stem_frequency, the passages holding each term of passages_fts, kept by the
// indexer (vocabulary_delta.h) so that readers load term weights with one read of a small
// table, where stem_vocab reads every posting list of the full-text index. An index of an
// earlier version gets it filled from stem_vocab.
constexpr const char* kSchemaV5Parts = R"sql(
CREATE TABLE stem_frequency (term TEXT PRIMARY KEY, doc INTEGER NOT NULL) WITHOUT ROWID;
)sql";

// Version 6: the indexer writes passages_fts's rows itself (passage_writer.h), in
// single-row statements that open no savepoint, instead of through triggers on `passages`.
// IF EXISTS: a hand-repaired index may have lost them already.
constexpr const char* kSchemaV6Parts = R"sql(
DROP TRIGGER IF EXISTS passages_ai;
DROP TRIGGER IF EXISTS passages_ad;
)sql";

// Version 7: the vocabulary changes of recent versions (frequency_changes.h), so that a
// reader brings its word and stem counts up to a new version without reading them whole.
// Empty at first: a reader of the version before the first run that records starts afresh.
constexpr const char* kSchemaV7Parts = R"sql(
CREATE TABLE IF NOT EXISTS frequency_versions (generation INTEGER PRIMARY KEY, token INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS frequency_changes (
  generation INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  term TEXT NOT NULL,
  delta INTEGER NOT NULL,
  PRIMARY KEY (generation, kind, term)
) WITHOUT ROWID;
)sql";

// Version 1 also had passage_words, a second FTS5 index of the passage text (unstemmed),
// only for its vocabulary (passage_vocab was an fts5vocab table over it) and two-word
// phrase checks; its triggers fed both indexes. Tokenizing and indexing every passage a
// second time made up about half of an index build; the vocabulary is now counted by the
// indexer and the phrase checks use passages_fts.
constexpr const char* kDropV1Only = R"sql(
DROP TRIGGER passages_ai;
DROP TRIGGER passages_ad;
DROP TABLE passage_vocab;
DROP TABLE passage_words;
)sql";

Result<bool> HasUserTables(Database* db) {
  auto stmt = db->Prepare("SELECT count(*) FROM sqlite_master WHERE type='table'");
  if (!stmt.ok()) return stmt.status();
  if (!stmt->Step()) return stmt->status();
  return stmt->ColumnInt(0) > 0;
}

}  // namespace

Result<int> ReadUserVersion(Database* db) {
  auto stmt = db->Prepare("PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  if (!stmt->Step()) {
    return stmt->status().ok() ? Status::Corruption("no user_version") : stmt->status();
  }
  return static_cast<int>(stmt->ColumnInt(0));
}

Status MigrateSchema(Database* db) {
  auto version = ReadUserVersion(db);
  if (!version.ok()) return version.status();
  if (*version > kSchemaVersion) {
    return Status::Corruption("index schema version " + std::to_string(*version) +
                              " is newer than this citeqa (" + std::to_string(kSchemaVersion) +
                              ")");
  }
  if (*version == 0) {
    auto has_tables = HasUserTables(db);
    if (!has_tables.ok()) return has_tables.status();
    if (*has_tables) return Status::Corruption("the database is not a citeqa index");
    CITEQA_RETURN_IF_ERROR(db->Exec(kSchemaCore));
    CITEQA_RETURN_IF_ERROR(db->Exec(kSchemaV2Parts));
    CITEQA_RETURN_IF_ERROR(db->Exec(kSchemaV3Parts));
    CITEQA_RETURN_IF_ERROR(db->Exec(kSchemaV4Parts));
    CITEQA_RETURN_IF_ERROR(db->Exec(kSchemaV5Parts));
    CITEQA_RETURN_IF_ERROR(db->Exec(kSchemaV6Parts));
    CITEQA_RETURN_IF_ERROR(db->Exec(kSchemaV7Parts));
    version = 7;
  }
  if (*version == 1) {
    CITEQA_RETURN_IF_ERROR(db->Exec(kDropV1Only));
    CITEQA_RETURN_IF_ERROR(db->Exec(kSchemaV2Parts));
    CITEQA_RETURN_IF_ERROR(RebuildWordVocabulary(db));
    version = 2;
  }
  if (*version == 2) {
    CITEQA_RETURN_IF_ERROR(db->Exec(kSchemaV3Parts));
    version = 3;
  }
  if (*version == 3) {
    CITEQA_RETURN_IF_ERROR(db->Exec(kSchemaV4Parts));
    version = 4;
  }
  if (*version == 4) {
    CITEQA_RETURN_IF_ERROR(db->Exec(kSchemaV5Parts));
    CITEQA_RETURN_IF_ERROR(RebuildStemFrequency(db));
    version = 5;
  }
  if (*version == 5) {
    CITEQA_RETURN_IF_ERROR(db->Exec(kSchemaV6Parts));
    version = 6;
  }
  if (*version == 6) {
    CITEQA_RETURN_IF_ERROR(db->Exec(kSchemaV7Parts));
    version = 7;
  }
  // Later versions add `if (*version == N) { ...; version = N + 1; }` steps here.
  return db->Exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
}

Status CheckSchema(Database* db) {
  auto version = ReadUserVersion(db);
  if (!version.ok()) return version.status();
  if (*version == 0) return Status::Corruption("the database is not a citeqa index");
  if (*version > kSchemaVersion) {
    return Status::Corruption("index schema version " + std::to_string(*version) +
                              " is newer than this citeqa");
  }
  if (*version < kOldestReadableSchemaVersion) {
    return Status::Corruption("index schema version " + std::to_string(*version) +
                              " is old: re-run `citeqa index` to migrate it");
  }
  return Status::Ok();
}

Result<int64_t> ReadGeneration(Database* db) {
  auto stmt =
      db->PrepareReused("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'generation'");
  if (!stmt.ok()) return stmt.status();
  if (!stmt->Step()) {
    return stmt->status().ok() ? Status::Corruption("the index has no generation") : stmt->status();
  }
  return stmt->ColumnInt(0);
}

Result<std::optional<IndexCounts>> ReadKeptCounts(Database* db) {
  auto stmt = db->PrepareReused(
      "SELECT (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'documents'), "
      "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'passages')");
  if (!stmt.ok()) return stmt.status();
  if (!stmt->Step()) return stmt->status().ok() ? Status::Corruption("no counts") : stmt->status();
  if (stmt->ColumnIsNull(0) || stmt->ColumnIsNull(1)) return std::optional<IndexCounts>();
  return std::optional<IndexCounts>(IndexCounts{stmt->ColumnInt(0), stmt->ColumnInt(1)});
}

Result<IndexCounts> CountRows(Database* db) {
  auto stmt =
      db->Prepare("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM passages)");
  if (!stmt.ok()) return stmt.status();
  if (!stmt->Step()) return stmt->status().ok() ? Status::Corruption("no counts") : stmt->status();
  return IndexCounts{stmt->ColumnInt(0), stmt->ColumnInt(1)};
}

Status CreateQuestionLogTables(Database* db) { return db->Exec(kSchemaV3Parts); }

}  // namespace citeqa::indexer
