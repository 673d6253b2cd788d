// Thin RAII layer over the SQLite C API: owned connections and statements, values always
// bound as parameters, every return code turned into a Status. Not for server/.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "indexer/status.h"

namespace citeqa::indexer {

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct SqliteFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using DbHandle = std::unique_ptr<sqlite3, SqliteCloser>;

// kReadOnly: an existing database, never written through this handle (query_only).
// kReadWrite: created if missing, WAL journal.
enum class OpenMode { kReadOnly, kReadWrite };

// Prepared statements a connection keeps for reuse, by SQL text; finalized with it.
class StatementShelf {
 public:
  StatementShelf() = default;
  StatementShelf(const StatementShelf&) = delete;
  StatementShelf& operator=(const StatementShelf&) = delete;
  ~StatementShelf();
  // A kept statement of `sql`, or null.
  sqlite3_stmt* Take(std::string_view sql);
  // Keeps a reset statement.
  void Put(sqlite3_stmt* stmt);

 private:
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>> kept_;
};

// A prepared statement. Bind indexes are 1-based as in SQLite. Not thread-safe.
class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::unique_ptr<sqlite3_stmt, SqliteFinalizer> stmt,
            std::shared_ptr<StatementShelf> shelf = nullptr)
      : db_(db), stmt_(std::move(stmt)), shelf_(std::move(shelf)) {}
  Statement(Statement&&) = default;
  Statement& operator=(Statement&&) = default;
  // A statement from Database::PrepareReused goes back to its connection's shelf.
  ~Statement();

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);      // copied by SQLite
  Statement& BindBlob(int index, std::string_view bytes);  // copied by SQLite
  Statement& BindNull(int index);
  // A pointer for an SQL function that asks for it by `type` (SQLite's pointer passing: SQL
  // cannot read or forge it), which may read and write the pointee. `type` must be a string
  // constant; the pointee must outlive the statement's run.
  Statement& BindPointer(int index, void* pointer, const char* type);

  // Steps once: true when a row is available, false when done. A failure is reported by
  // status() (and makes Step return false).
  bool Step();
  // Runs to completion, ignoring rows.
  Status Run();
  // Resets for reuse and clears bindings and any failure.
  void Reset();
  const Status& status() const { return status_; }

  int64_t ColumnInt(int col) const;
  double ColumnDouble(int col) const;
  std::string ColumnText(int col) const;
  // The same without a copy: valid until the next Step or Reset.
  std::string_view ColumnTextView(int col) const;
  std::string_view ColumnBlobView(int col) const;  // the same for a blob
  bool ColumnIsNull(int col) const;

 private:
  friend class Database;  // gives PrepareReused's statements their shelf
  void Check(int rc, const char* what);

  sqlite3* db_ = nullptr;
  std::unique_ptr<sqlite3_stmt, SqliteFinalizer> stmt_;
  std::shared_ptr<StatementShelf> shelf_;  // where it goes back to, or null: finalized
  Status status_;
};

// Process-wide SQLite settings, applied by the first call (Database::Open makes it; code
// that opens connections itself calls it first): no memory statistics, which SQLite keeps
// under one process-wide mutex taken on every allocation of every connection, so that a
// server's threads queue on it. Thread-safe.
void ConfigureSqlite();

// The connection's FTS5 API (for registering tokenizers and ranking functions), through the
// pointer-passing interface SQLite documents for it; null when its SQLite has no FTS5.
fts5_api* Fts5Api(sqlite3* db);

// An owned connection. Not thread-safe: use one per thread.
class Database {
 public:
  // Opens (and for kReadWrite creates) the file with WAL journaling and a busy timeout.
  // Errors: kNotFound if a read-only open finds no file, kIoError otherwise.
  static Result<Database> Open(const std::string& path, OpenMode mode);

  Result<Statement> Prepare(std::string_view sql);
  // The same for SQL this connection runs again and again (a question's look-ups): parsed
  // once, then taken from and put back on the connection's shelf.
  Result<Statement> PrepareReused(std::string_view sql);
  Status Exec(std::string_view sql);  // for statements without parameters or rows
  sqlite3* raw() const { return db_.get(); }
  int64_t LastInsertRowId() const;
  std::string ErrorMessage() const;

 private:
  explicit Database(DbHandle db) : db_(std::move(db)), shelf_(std::make_shared<StatementShelf>()) {}
  DbHandle db_;
  // Destroyed before db_ (finalizing what it keeps); a statement still out holds it until
  // then, and sqlite3_close_v2 waits for that.
  std::shared_ptr<StatementShelf> shelf_;
};

// A transaction that rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(Database* db) : db_(db) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  Status Begin();  // BEGIN IMMEDIATE: takes the write lock up front
  Status Commit();

 private:
  Database* db_;
  bool active_ = false;
};

}  // namespace citeqa::indexer
