// The index's SQLite schema, its version number and the migration path between versions.
#pragma once

#include <cstdint>
#include <optional>

#include "indexer/index_rows.h"
#include "indexer/sqlite_db.h"
#include "indexer/status.h"

namespace citeqa::indexer {

// PRAGMA user_version of an index this build writes. Version 3 added the question log's
// tables (unused since the log has a file of its own), version 4 the documents' file
// stamps, version 5 the indexer's stem counts (stem_frequency) and version 6 dropped the
// triggers that fed passages_fts (the indexer feeds it), version 7 added the vocabulary
// changes of recent versions (frequency_changes.h), none of which readers need (an older
// index's term counts are read from FTS5, and its counts are read whole at every version),
// so readers accept 2 to 6 too.
inline constexpr int kSchemaVersion = 7;
// The first version with stem_frequency.
inline constexpr int kStemFrequencySchemaVersion = 5;
// The first version with frequency_versions and frequency_changes.
inline constexpr int kFrequencyChangesSchemaVersion = 7;
inline constexpr int kOldestReadableSchemaVersion = 2;

// The database's PRAGMA user_version: its schema version, 0 for a new database. Errors:
// SQLite's, or kCorruption when the pragma returns no row.
Result<int> ReadUserVersion(Database* db);

// Creates the schema in an empty database or migrates an older one to kSchemaVersion,
// inside the caller's transaction. Errors: kCorruption for a database that is not a citeqa
// index or is newer than this build understands.
Status MigrateSchema(Database* db);

// For readers: OK if the database holds a citeqa index of a version this build reads
// (kOldestReadableSchemaVersion..kSchemaVersion).
Status CheckSchema(Database* db);

// Creates the question log's tables (question_log.h), in the caller's transaction. The
// question log lives in a file of its own (QuestionLogPathFor); indexes of version 3 carry
// the same, unused, tables.
Status CreateQuestionLogTables(Database* db);

// meta.generation: grows with every committed run that changed the index, so a reader
// (or a writer that waited) can tell the index has changed since it last looked.
// Errors: kIoError / kCorruption when the database holds no citeqa index.
Result<int64_t> ReadGeneration(Database* db);

// The documents and passages as the indexer keeps them in meta after each run (version 7
// on), or nullopt when meta keeps none.
Result<std::optional<IndexCounts>> ReadKeptCounts(Database* db);
// The same counted, which reads every page of an index of each table: a tenth of a
// second at a million passages.
Result<IndexCounts> CountRows(Database* db);

}  // namespace citeqa::indexer
