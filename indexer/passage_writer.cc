#include "indexer/passage_writer.h"

#include <string>
#include <utility>
#include <vector>

namespace citeqa::indexer {

Result<PassageWriter> PassageWriter::Create(Database* db, int64_t batch_bytes) {
  CITEQA_RETURN_IF_ERROR(db->Exec(
      "CREATE TEMP TABLE IF NOT EXISTS passage_staging("
      "doc_id INTEGER NOT NULL, ordinal INTEGER NOT NULL, heading TEXT NOT NULL, "
      "text TEXT NOT NULL);"
      "DELETE FROM temp.passage_staging"));
  auto insert_doc = db->Prepare(
      "INSERT INTO documents(file, title, content_hash, bytes, indexed_at, file_stamp) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!insert_doc.ok()) return insert_doc.status();
  auto stage = db->Prepare(
      "INSERT INTO temp.passage_staging(doc_id, ordinal, heading, text) VALUES (?1, ?2, ?3, ?4)");
  if (!stage.ok()) return stage.status();
  auto move = db->Prepare(
      "INSERT INTO passages(doc_id, ordinal, heading, text) "
      "SELECT doc_id, ordinal, heading, text FROM temp.passage_staging ORDER BY rowid");
  if (!move.ok()) return move.status();
  auto clear = db->Prepare("DELETE FROM temp.passage_staging");
  if (!clear.ok()) return clear.status();
  // Passages are deleted explicitly so that the FTS5 triggers see each row.
  auto delete_passages = db->Prepare("DELETE FROM passages WHERE doc_id = ?1");
  if (!delete_passages.ok()) return delete_passages.status();
  auto delete_doc = db->Prepare("DELETE FROM documents WHERE id = ?1");
  if (!delete_doc.ok()) return delete_doc.status();
  auto doc_texts = db->Prepare("SELECT heading, text FROM passages WHERE doc_id = ?1");
  if (!doc_texts.ok()) return doc_texts.status();
  auto store_lines =
      db->Prepare("INSERT OR REPLACE INTO document_lines(doc_id, keys) VALUES (?1, ?2)");
  if (!store_lines.ok()) return store_lines.status();
  auto delete_lines = db->Prepare("DELETE FROM document_lines WHERE doc_id = ?1");
  if (!delete_lines.ok()) return delete_lines.status();
  return PassageWriter(db, batch_bytes, std::move(*insert_doc), std::move(*stage),
                       std::move(*move), std::move(*clear), std::move(*delete_passages),
                       std::move(*delete_doc), std::move(*doc_texts), std::move(*store_lines),
                       std::move(*delete_lines));
}

Status PassageWriter::AddDocument(const DocumentRecord& doc,
                                  const std::vector<Passage>& passages) {
  insert_doc_.Reset();
  CITEQA_RETURN_IF_ERROR(insert_doc_.Bind(1, doc.file)
                             .Bind(2, doc.title)
                             .Bind(3, doc.content_hash)
                             .Bind(4, doc.bytes)
                             .Bind(5, doc.indexed_at)
                             .Bind(6, doc.file_stamp)
                             .Run());
  const int64_t doc_id = db_->LastInsertRowId();
  CITEQA_RETURN_IF_ERROR(StoreLineKeys(doc_id, doc.line_keys));
  for (const Passage& p : passages) {
    stage_.Reset();
    CITEQA_RETURN_IF_ERROR(stage_.Bind(1, doc_id)
                               .Bind(2, static_cast<int64_t>(p.ordinal))
                               .Bind(3, p.heading)
                               .Bind(4, p.text)
                               .Run());
    staged_bytes_ += static_cast<int64_t>(p.heading.size() + p.text.size());
    ++staged_rows_;
  }
  if (staged_bytes_ >= batch_bytes_) return FlushPassages();
  return Status::Ok();
}

Status PassageWriter::DeleteDocument(int64_t id) {
  doc_texts_.Reset();
  doc_texts_.Bind(1, id);
  std::vector<Passage> passages;
  while (doc_texts_.Step()) {
    passages.push_back(Passage{doc_texts_.ColumnText(0), doc_texts_.ColumnText(1), 0});
  }
  CITEQA_RETURN_IF_ERROR(doc_texts_.status());
  vocabulary_.AddPassages(passages, -1);
  delete_passages_.Reset();
  CITEQA_RETURN_IF_ERROR(delete_passages_.Bind(1, id).Run());
  delete_lines_.Reset();
  CITEQA_RETURN_IF_ERROR(delete_lines_.Bind(1, id).Run());
  delete_doc_.Reset();
  return delete_doc_.Bind(1, id).Run();
}

Status PassageWriter::StoreLineKeys(int64_t id, const std::string& line_keys) {
  store_lines_.Reset();
  return store_lines_.Bind(1, id).BindBlob(2, line_keys).Run();
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

Status PassageWriter::Finish() {
  CITEQA_RETURN_IF_ERROR(FlushPassages());
  return vocabulary_.Apply(db_);
}

Status PassageWriter::FlushPassages() {
  if (staged_rows_ == 0) return Status::Ok();
  move_.Reset();
  CITEQA_RETURN_IF_ERROR(move_.Run());
  clear_.Reset();
  CITEQA_RETURN_IF_ERROR(clear_.Run());
  staged_bytes_ = 0;
  staged_rows_ = 0;
  return Status::Ok();
}

}  // namespace citeqa::indexer
