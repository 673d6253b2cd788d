#include "indexer/passage_writer.h"

#include <string>
#include <utility>
#include <vector>

namespace citeqa::indexer {

Result<PassageWriter> PassageWriter::Create(Database* db) {
  auto prepare = [&](const char* sql, std::optional<Statement>* out) -> Status {
    auto stmt = db->Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    out->emplace(std::move(*stmt));
    return Status::Ok();
  };
  std::optional<Statement> insert_doc, insert_lines, insert_passage, insert_fts, delete_fts,
      delete_passages, delete_doc, doc_passages, store_lines, delete_lines;
  CITEQA_RETURN_IF_ERROR(prepare(
      "INSERT INTO documents(file, title, content_hash, bytes, indexed_at, file_stamp) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      &insert_doc));
  // A new document's line keys go in with a plain INSERT: INSERT OR REPLACE may delete a row,
  // so it runs in a statement savepoint, and FTS5 would write a segment at each one.
  CITEQA_RETURN_IF_ERROR(
      prepare("INSERT INTO document_lines(doc_id, keys) VALUES (?1, ?2)", &insert_lines));
  CITEQA_RETURN_IF_ERROR(prepare(
      "INSERT INTO passages(doc_id, ordinal, heading, text) VALUES (?1, ?2, ?3, ?4)",
      &insert_passage));
  CITEQA_RETURN_IF_ERROR(prepare(
      "INSERT INTO passages_fts(rowid, heading, text) VALUES (?1, ?2, ?3)", &insert_fts));
  // An external-content FTS5 table forgets a row by being told its indexed values.
  CITEQA_RETURN_IF_ERROR(prepare(
      "INSERT INTO passages_fts(passages_fts, rowid, heading, text) "
      "VALUES ('delete', ?1, ?2, ?3)",
      &delete_fts));
  CITEQA_RETURN_IF_ERROR(prepare("DELETE FROM passages WHERE doc_id = ?1", &delete_passages));
  CITEQA_RETURN_IF_ERROR(prepare("DELETE FROM documents WHERE id = ?1", &delete_doc));
  CITEQA_RETURN_IF_ERROR(
      prepare("SELECT id, heading, text FROM passages WHERE doc_id = ?1", &doc_passages));
  CITEQA_RETURN_IF_ERROR(prepare(
      "INSERT OR REPLACE INTO document_lines(doc_id, keys) VALUES (?1, ?2)", &store_lines));
  CITEQA_RETURN_IF_ERROR(prepare("DELETE FROM document_lines WHERE doc_id = ?1", &delete_lines));
  return PassageWriter(
      db, Statements{std::move(*insert_doc), std::move(*insert_lines), std::move(*insert_passage),
                     std::move(*insert_fts), std::move(*delete_fts), std::move(*delete_passages),
                     std::move(*delete_doc), std::move(*doc_passages), std::move(*store_lines),
                     std::move(*delete_lines)});
}

Status PassageWriter::AddDocument(const DocumentRecord& doc,
                                  const std::vector<Passage>& passages) {
  sql_.insert_doc.Reset();
  CITEQA_RETURN_IF_ERROR(sql_.insert_doc.Bind(1, doc.file)
                             .Bind(2, doc.title)
                             .Bind(3, doc.content_hash)
                             .Bind(4, doc.bytes)
                             .Bind(5, doc.indexed_at)
                             .Bind(6, doc.file_stamp)
                             .Run());
  const int64_t doc_id = db_->LastInsertRowId();
  ++documents_added_;
  passages_added_ += static_cast<int64_t>(passages.size());
  sql_.insert_lines.Reset();
  CITEQA_RETURN_IF_ERROR(sql_.insert_lines.Bind(1, doc_id).BindBlob(2, doc.line_keys).Run());
  for (const Passage& p : passages) {
    sql_.insert_passage.Reset();
    CITEQA_RETURN_IF_ERROR(sql_.insert_passage.Bind(1, doc_id)
                               .Bind(2, static_cast<int64_t>(p.ordinal))
                               .Bind(3, p.heading)
                               .Bind(4, p.text)
                               .Run());
    sql_.insert_fts.Reset();
    CITEQA_RETURN_IF_ERROR(
        sql_.insert_fts.Bind(1, db_->LastInsertRowId()).Bind(2, p.heading).Bind(3, p.text).Run());
  }
  return Status::Ok();
}

Status PassageWriter::DeleteDocument(int64_t id) {
  sql_.doc_passages.Reset();
  sql_.doc_passages.Bind(1, id);
  std::vector<Passage> passages;
  std::vector<int64_t> passage_ids;
  while (sql_.doc_passages.Step()) {
    passage_ids.push_back(sql_.doc_passages.ColumnInt(0));
    passages.push_back(
        Passage{sql_.doc_passages.ColumnText(1), sql_.doc_passages.ColumnText(2), 0});
  }
  CITEQA_RETURN_IF_ERROR(sql_.doc_passages.status());
  for (size_t i = 0; i < passages.size(); ++i) {
    sql_.delete_fts.Reset();
    CITEQA_RETURN_IF_ERROR(sql_.delete_fts.Bind(1, passage_ids[i])
                               .Bind(2, passages[i].heading)
                               .Bind(3, passages[i].text)
                               .Run());
  }
  vocabulary_.AddPassages(passages, -1);
  --documents_added_;
  passages_added_ -= static_cast<int64_t>(passages.size());
  sql_.delete_passages.Reset();
  CITEQA_RETURN_IF_ERROR(sql_.delete_passages.Bind(1, id).Run());
  sql_.delete_lines.Reset();
  CITEQA_RETURN_IF_ERROR(sql_.delete_lines.Bind(1, id).Run());
  sql_.delete_doc.Reset();
  return sql_.delete_doc.Bind(1, id).Run();
}

Status PassageWriter::StoreLineKeys(int64_t id, const std::string& line_keys) {
  sql_.store_lines.Reset();
  return sql_.store_lines.Bind(1, id).BindBlob(2, line_keys).Run();
}

Status PassageWriter::SetFileStamp(int64_t id, const std::string& file_stamp) {
  if (!set_stamp_.has_value()) {
    auto prepared = db_->Prepare("UPDATE documents SET file_stamp = ?2 WHERE id = ?1");
    if (!prepared.ok()) return prepared.status();
    set_stamp_.emplace(std::move(*prepared));
  }
  set_stamp_->Reset();
  return set_stamp_->Bind(1, id).Bind(2, file_stamp).Run();
}

Status PassageWriter::Finish() { return vocabulary_.Apply(db_, &applied_); }

}  // namespace citeqa::indexer
