// Writes documents and their passages into an open citeqa index, inside the caller's
// transaction, in large batches.
//
// Why batches: `passages` feeds its two FTS5 indexes through triggers, and a statement that
// fires triggers runs inside a statement savepoint, at which FTS5 flushes its pending terms
// to disk as a new segment. One INSERT per passage therefore wrote one tiny segment per
// passage (and spent most of the run merging them). Passages are instead staged in a TEMP
// table and moved with one INSERT ... SELECT per batch: one segment per batch, and the
// same rows, ids and order as one INSERT per passage. The writer also keeps passage_vocab
// (the unstemmed word counts) in step with the passages it adds and deletes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "indexer/chunker.h"
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
// all calls. Call Flush() before reading `passages` or committing.
class PassageWriter {
 public:
  // Creates the staging table (TEMP, so never part of the index file).
  static Result<PassageWriter> Create(Database* db, int64_t batch_bytes = 32 << 20);

  // Inserts the document row (its id is assigned at once) and stages its passages.
  // Their words and terms are not counted here, so that the caller can count them on
  // another thread: VocabularyDelta::AddPassages, handed over with AddVocabulary before
  // Finish.
  Status AddDocument(const DocumentRecord& doc, const std::vector<Passage>& passages);
  // Takes the vocabulary counts of added passages (see AddDocument).
  void AddVocabulary(VocabularyDelta&& added) { vocabulary_.Merge(std::move(added)); }
  // Deletes a document, its passages (through the FTS5 delete triggers) and its line keys.
  Status DeleteDocument(int64_t id);
  // Stores the line keys of a document written by an earlier run that had none.
  Status StoreLineKeys(int64_t id, const std::string& line_keys);
  // Records the stamp of an unchanged document's file (DocumentRecord::file_stamp).
  Status SetFileStamp(int64_t id, const std::string& file_stamp);
  // Moves the staged passages into `passages` and writes the changes to passage_vocab and
  // stem_frequency.
  // Call before reading either or committing; the writer can go on being used after.
  Status Finish();

 private:
  Status FlushPassages();

  PassageWriter(Database* db, int64_t batch_bytes, Statement insert_doc, Statement stage,
                Statement move, Statement clear, Statement delete_passages,
                Statement delete_doc, Statement doc_texts, Statement store_lines,
                Statement delete_lines)
      : db_(db),
        batch_bytes_(batch_bytes),
        insert_doc_(std::move(insert_doc)),
        stage_(std::move(stage)),
        move_(std::move(move)),
        clear_(std::move(clear)),
        delete_passages_(std::move(delete_passages)),
        delete_doc_(std::move(delete_doc)),
        doc_texts_(std::move(doc_texts)),
        store_lines_(std::move(store_lines)),
        delete_lines_(std::move(delete_lines)) {}

  Database* db_;
  int64_t batch_bytes_;
  int64_t staged_bytes_ = 0;
  int64_t staged_rows_ = 0;
  Statement insert_doc_;
  Statement stage_;
  Statement move_;
  Statement clear_;
  Statement delete_passages_;
  Statement delete_doc_;
  Statement doc_texts_;
  Statement store_lines_;
  Statement delete_lines_;
  std::optional<Statement> set_stamp_;  // prepared on first use: most runs never need it
  VocabularyDelta vocabulary_;
};

}  // namespace citeqa::indexer
