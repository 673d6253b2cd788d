// Writes documents and their passages into an open citeqa index, inside the caller's
// transaction, one statement per row.
//
// The writer feeds passages_fts itself (schema version 6 has no triggers). A statement that
// fires triggers, or may delete rows (INSERT OR REPLACE, a multi-row DELETE), runs inside a
// statement savepoint, at which FTS5 writes its pending terms to disk as a new segment.
// Plain single-row INSERTs into `documents`, `document_lines`, `passages` and then
// passages_fts open none, so FTS5 gathers terms until its hash is full (16 MB) and a build
// writes few, large segments, spread over the run while the preparing threads work.
// (Version 5 staged passages in a TEMP table and moved them through the triggers in 32 MB
// batches: each move was a pause of over a second at 100k passages, and the last one had
// nothing left to overlap.) The writer also keeps passage_vocab and stem_frequency in step
// with the passages it adds and deletes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "indexer/chunker.h"
#include "indexer/frequency_changes.h"
#include "indexer/sqlite_db.h"
#include "indexer/status.h"
#include "indexer/vocabulary_delta.h"

namespace citeqa::indexer {

struct DocumentRecord {
  std::string file;
  std::string title;
  std::string content_hash;
  int64_t bytes = 0;
  std::string indexed_at;
  std::string line_keys;  // EncodeLineKeys of its RepeatedLineCounter::KeysOf
  std::string file_stamp;  // CorpusEntry::stamp of the file as read
};

// Not thread-safe; `db` must outlive the writer and be inside a write transaction for
// all calls. Call Finish() before reading the vocabulary tables or committing.
class PassageWriter {
 public:
  // Prepares the writer's statements. The index must be at kSchemaVersion (no triggers).
  static Result<PassageWriter> Create(Database* db);

  // Inserts the document row, its passages and their full-text entries.
  // Their words and terms are not counted here, so that the caller can count them on
  // another thread: VocabularyDelta::AddPassages, handed over with AddVocabulary before
  // Finish.
  Status AddDocument(const DocumentRecord& doc, const std::vector<Passage>& passages);
  // Takes the vocabulary counts of added passages (see AddDocument).
  void AddVocabulary(VocabularyDelta&& added) { vocabulary_.Merge(std::move(added)); }
  // Deletes a document, its passages with their full-text entries, and its line keys.
  Status DeleteDocument(int64_t id);
  // Stores the line keys of a document written by an earlier run that had none.
  Status StoreLineKeys(int64_t id, const std::string& line_keys);
  // Records the stamp of an unchanged document's file (DocumentRecord::file_stamp).
  Status SetFileStamp(int64_t id, const std::string& file_stamp);
  // Writes the changes to passage_vocab and stem_frequency.
  // Call before reading either or committing; the writer can go on being used after.
  Status Finish();
  // Records what every Finish so far changed as the changes of version `generation`, the
  // version the caller's transaction commits (frequency_changes.h). Call once, when the
  // run changed the index, after the last Finish.
  Status RecordVersion(int64_t generation) {
    return RecordFrequencyVersion(db_, generation, applied_);
  }
  // Documents and passages added minus deleted so far.
  int64_t documents_added() const { return documents_added_; }
  int64_t passages_added() const { return passages_added_; }

 private:
  struct Statements {
    Statement insert_doc;
    Statement insert_lines;
    Statement insert_passage;
    Statement insert_fts;
    Statement delete_fts;
    Statement delete_passages;
    Statement delete_doc;
    Statement doc_passages;
    Statement store_lines;
    Statement delete_lines;
  };
  PassageWriter(Database* db, Statements statements)
      : db_(db), sql_(std::move(statements)) {}

  Database* db_;
  Statements sql_;
  FrequencyChanges applied_;  // by Finish, for RecordVersion
  int64_t documents_added_ = 0;
  int64_t passages_added_ = 0;
  std::optional<Statement> set_stamp_;  // prepared on first use: most runs never need it
  VocabularyDelta vocabulary_;
};

}  // namespace citeqa::indexer
