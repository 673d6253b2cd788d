#include "indexer/sqlite_db.h"

#include <filesystem>
#include <mutex>

namespace citeqa::indexer {
namespace {
constexpr int kBusyTimeoutMs = 10000;
}  // namespace

StatementShelf::~StatementShelf() {
  for (auto& [sql, statements] : kept_) {
    for (sqlite3_stmt* stmt : statements) sqlite3_finalize(stmt);
  }
}

sqlite3_stmt* StatementShelf::Take(std::string_view sql) {
  const auto it = kept_.find(std::string(sql));
  if (it == kept_.end() || it->second.empty()) return nullptr;
  sqlite3_stmt* stmt = it->second.back();
  it->second.pop_back();
  return stmt;
}

void StatementShelf::Put(sqlite3_stmt* stmt) { kept_[sqlite3_sql(stmt)].push_back(stmt); }

Statement::~Statement() {
  if (shelf_ == nullptr || stmt_ == nullptr) return;
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  shelf_->Put(stmt_.release());
}

Statement& Statement::Bind(int index, int64_t value) {
  if (status_.ok()) Check(sqlite3_bind_int64(stmt_.get(), index, value), "bind");
  return *this;
}
Statement& Statement::Bind(int index, double value) {
  if (status_.ok()) Check(sqlite3_bind_double(stmt_.get(), index, value), "bind");
  return *this;
}
Statement& Statement::Bind(int index, std::string_view value) {
  if (status_.ok()) {
    Check(sqlite3_bind_text64(stmt_.get(), index, value.data(), value.size(), SQLITE_TRANSIENT,
                              SQLITE_UTF8),
          "bind");
  }
  return *this;
}
Statement& Statement::BindBlob(int index, std::string_view bytes) {
  if (status_.ok()) {
    Check(sqlite3_bind_blob64(stmt_.get(), index, bytes.data(), bytes.size(), SQLITE_TRANSIENT),
          "bind");
  }
  return *this;
}
Statement& Statement::BindNull(int index) {
  if (status_.ok()) Check(sqlite3_bind_null(stmt_.get(), index), "bind");
  return *this;
}

fts5_api* Fts5Api(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) return nullptr;
  sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  return api;
}

Statement& Statement::BindPointer(int index, void* pointer, const char* type) {
  if (status_.ok()) Check(sqlite3_bind_pointer(stmt_.get(), index, pointer, type, nullptr), "bind");
  return *this;
}

bool Statement::Step() {
  if (!status_.ok()) return false;
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) Check(rc, "step");
  return false;
}

Status Statement::Run() {
  while (Step()) {
  }
  return status_;
}

void Statement::Reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  status_ = Status::Ok();
}

int64_t Statement::ColumnInt(int col) const { return sqlite3_column_int64(stmt_.get(), col); }
double Statement::ColumnDouble(int col) const { return sqlite3_column_double(stmt_.get(), col); }
std::string Statement::ColumnText(int col) const { return std::string(ColumnTextView(col)); }
std::string_view Statement::ColumnTextView(int col) const {
  const auto* text = sqlite3_column_text(stmt_.get(), col);
  if (text == nullptr) return "";
  return std::string_view(reinterpret_cast<const char*>(text),
                          static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), col)));
}
std::string_view Statement::ColumnBlobView(int col) const {
  const void* bytes = sqlite3_column_blob(stmt_.get(), col);
  if (bytes == nullptr) return "";
  return std::string_view(static_cast<const char*>(bytes),
                          static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), col)));
}
bool Statement::ColumnIsNull(int col) const {
  return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL;
}

void Statement::Check(int rc, const char* what) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  std::string message = std::string("sqlite ") + what + ": " + sqlite3_errmsg(db_);
  const int primary = rc & 0xFF;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    status_ = Status::Corruption(std::move(message));
  } else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    status_ = Status::Unavailable(std::move(message));
  } else {
    status_ = Status::IoError(std::move(message));
  }
}

void ConfigureSqlite() {
  // Before SQLite initialises itself, which its first connection does; afterwards the call
  // fails harmlessly (SQLITE_MISUSE), as when a library in the process was first.
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

Result<Database> Database::Open(const std::string& path, OpenMode mode) {
  ConfigureSqlite();
  if (mode == OpenMode::kReadOnly && path != ":memory:" && !std::filesystem::exists(path)) {
    return Status::NotFound("no index at " + path + " (run `citeqa index` first)");
  }
  sqlite3* raw = nullptr;
  // Readers open read-write but query-only: a WAL database needs its -shm file writable
  // even by readers, and a truly read-only handle cannot recreate it after a checkpoint.
  const int flags = (mode == OpenMode::kReadOnly ? SQLITE_OPEN_READWRITE
                                                 : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                    SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  DbHandle db(raw);
  if (rc != SQLITE_OK) {
    return Status::IoError("cannot open " + path + ": " +
                           (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  sqlite3_extended_result_codes(db.get(), 1);
  Database database(std::move(db));
  if (mode == OpenMode::kReadWrite) {
    CITEQA_RETURN_IF_ERROR(database.Exec("PRAGMA journal_mode=WAL"));
    CITEQA_RETURN_IF_ERROR(database.Exec("PRAGMA synchronous=NORMAL"));
  } else {
    CITEQA_RETURN_IF_ERROR(database.Exec("PRAGMA query_only=ON"));
    // Readers map the file instead of copying pages through read(): FTS5 posting lists are
    // read many times over. The pages are the OS's cache, shared by all connections.
    CITEQA_RETURN_IF_ERROR(database.Exec("PRAGMA mmap_size=1073741824"));
  }
  CITEQA_RETURN_IF_ERROR(database.Exec("PRAGMA foreign_keys=ON"));
  return database;
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, SqliteFinalizer> stmt(raw);
  if (rc != SQLITE_OK) {
    const int primary = rc & 0xFF;
    std::string message = "sqlite prepare: " + ErrorMessage();
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
      return Status::Corruption(std::move(message));
    }
    return Status::IoError(std::move(message));
  }
  return Statement(db_.get(), std::move(stmt));
}

Result<Statement> Database::PrepareReused(std::string_view sql) {
  if (sqlite3_stmt* kept = shelf_->Take(sql)) {
    return Statement(db_.get(), std::unique_ptr<sqlite3_stmt, SqliteFinalizer>(kept), shelf_);
  }
  auto fresh = Prepare(sql);
  if (!fresh.ok()) return fresh.status();
  Statement statement = std::move(*fresh);
  statement.shelf_ = shelf_;
  return statement;
}

Status Database::Exec(std::string_view sql) {
  char* error = nullptr;
  const std::string owned(sql);
  const int rc = sqlite3_exec(db_.get(), owned.c_str(), nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string message = error != nullptr ? error : sqlite3_errstr(rc);
  sqlite3_free(error);
  const int primary = rc & 0xFF;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    return Status::Corruption("sqlite: " + message);
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Status::Unavailable("sqlite: " + message);
  }
  return Status::IoError("sqlite: " + message);
}

int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_.get()); }
std::string Database::ErrorMessage() const { return sqlite3_errmsg(db_.get()); }

Transaction::~Transaction() {
  if (active_) (void)db_->Exec("ROLLBACK");
}

Status Transaction::Begin() {
  CITEQA_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  active_ = true;
  return Status::Ok();
}

Status Transaction::Commit() {
  CITEQA_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  active_ = false;
  return Status::Ok();
}

}  // namespace citeqa::indexer
