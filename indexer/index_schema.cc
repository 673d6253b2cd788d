#include "indexer/index_schema.h"

#include <string>

namespace citeqa::indexer {
namespace {

// Version 1. Passages get AUTOINCREMENT ids so that an id once cited never comes back
// naming a different passage after a re-index. Two FTS5 indexes share the passage text:
// passages_fts (porter stems) answers questions and its vocabulary gives document
// frequencies; passage_words (unstemmed) feeds the vocabulary that typo correction draws
// on. meta.generation grows with every indexing run that changes something, so readers
// know when to refresh what they cache.
constexpr const char* kSchemaV1 = R"sql(
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
CREATE VIRTUAL TABLE passage_words USING fts5(
  text, content='passages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE passage_vocab USING fts5vocab(passage_words, 'row');
CREATE VIRTUAL TABLE stem_vocab USING fts5vocab(passages_fts, 'row');
CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
  INSERT INTO passages_fts(rowid, heading, text) VALUES (new.id, new.heading, new.text);
  INSERT INTO passage_words(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
  INSERT INTO passages_fts(passages_fts, rowid, heading, text)
    VALUES ('delete', old.id, old.heading, old.text);
  INSERT INTO passage_words(passage_words, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta(key, value) VALUES ('generation', '0');
)sql";

Result<int> ReadUserVersion(Database* db) {
  auto stmt = db->Prepare("PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  if (!stmt->Step()) {
    return stmt->status().ok() ? Status::Corruption("no user_version") : stmt->status();
  }
  return static_cast<int>(stmt->ColumnInt(0));
}

Result<bool> HasUserTables(Database* db) {
  auto stmt = db->Prepare("SELECT count(*) FROM sqlite_master WHERE type='table'");
  if (!stmt.ok()) return stmt.status();
  if (!stmt->Step()) return stmt->status();
  return stmt->ColumnInt(0) > 0;
}

}  // namespace

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
    CITEQA_RETURN_IF_ERROR(db->Exec(kSchemaV1));
    version = 1;
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
  if (*version < kSchemaVersion) {
    return Status::Corruption("index schema version " + std::to_string(*version) +
                              " is old: re-run `citeqa index` to migrate it");
  }
  return Status::Ok();
}

}  // namespace citeqa::indexer
