#include "retriever/passage_search.h"

#include <set>

namespace citeqa::retriever {
namespace {


}  // namespace

std::string QuotePhrase(const Phrase& words) {
  std::string out = "\"";
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += ' ';
    out += words[i];
  }
  out += '"';
  return out;
}

std::string BuildMatchExpression(const std::vector<Concept>& concepts) {
  std::set<std::string> terms;  // ordered and unique, so equal questions give equal queries
  for (const Concept& c : concepts) {
    for (const Phrase& alt : c.alternatives) {
      terms.insert(QuotePhrase(alt));
      if (alt.size() > 1) {
        for (const std::string& w : alt) terms.insert(QuotePhrase({w}));
      }
    }
  }
  std::string match;
  for (const std::string& t : terms) {
    if (!match.empty()) match += " OR ";
    match += t;
  }
  return match;
}

Result<std::vector<Candidate>> SearchPassages(indexer::Database* db, const std::string& match,
                                              int limit) {
  std::vector<Candidate> out;
  if (match.empty()) return out;
  // Headings weigh more than body text: a passage under "Salary" is about salaries.
  auto stmt = db->Prepare(
      "SELECT p.id, p.doc_id, p.ordinal, d.file, d.title, p.heading, p.text, "
      "       bm25(passages_fts, 2.0, 1.0) AS score "
      "FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid "
      "JOIN documents d ON d.id = p.doc_id "
      "WHERE passages_fts MATCH ?1 ORDER BY score LIMIT ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, match).Bind(2, static_cast<int64_t>(limit));
  while (stmt->Step()) {
    Candidate c;
    c.passage_id = stmt->ColumnInt(0);
    c.doc_id = stmt->ColumnInt(1);
    c.ordinal = static_cast<int>(stmt->ColumnInt(2));
    c.doc = stmt->ColumnText(3);
    c.title = stmt->ColumnText(4);
    c.heading = stmt->ColumnText(5);
    c.text = stmt->ColumnText(6);
    c.bm25 = stmt->ColumnDouble(7);
    out.push_back(std::move(c));
  }
  if (!stmt->status().ok()) return stmt->status();
  return out;
}

Result<int64_t> PhraseDocumentFrequency(indexer::Database* db, const Phrase& words, int64_t cap) {
  auto stmt = db->Prepare(
      "SELECT count(*) FROM (SELECT 1 FROM passages_fts WHERE passages_fts MATCH ?1 LIMIT ?2)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, QuotePhrase(words)).Bind(2, cap);
  if (!stmt->Step()) return stmt->status();
  return stmt->ColumnInt(0);
}

Result<bool> BigramExists(indexer::Database* db, const std::string& left, const std::string& right) {
  auto stmt = db->Prepare("SELECT 1 FROM passage_words WHERE passage_words MATCH ?1 LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, QuotePhrase({left, right}));
  const bool found = stmt->Step();
  if (!stmt->status().ok()) return stmt->status();
  return found;
}

}  // namespace citeqa::retriever
