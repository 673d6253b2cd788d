#include "retriever/passage_search.h"

#include <algorithm>
#include <set>

#include "indexer/text.h"

namespace citeqa::retriever {
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

Result<int64_t> PhraseDocumentFrequency(indexer::Database* db, const Phrase& words,
                                        int64_t sample) {
  // FTS5 returns matches in rowid order, so the last one read marks how far the sample got.
  auto stmt = db->Prepare("SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?1 LIMIT ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, QuotePhrase(words)).Bind(2, sample);
  int64_t count = 0;
  int64_t last_id = 0;
  while (stmt->Step()) {
    ++count;
    last_id = stmt->ColumnInt(0);
  }
  if (!stmt->status().ok()) return stmt->status();
  if (count < sample) return count;
  auto span = db->Prepare("SELECT (SELECT min(id) FROM passages), (SELECT max(id) FROM passages)");
  if (!span.ok()) return span.status();
  if (!span->Step()) return span->status();
  const int64_t first_id = span->ColumnInt(0);
  const int64_t max_id = span->ColumnInt(1);
  const double reached = static_cast<double>(last_id - first_id + 1);
  const double all = static_cast<double>(max_id - first_id + 1);
  return std::max(count, static_cast<int64_t>(static_cast<double>(count) * all / std::max(reached, 1.0)));
}

Result<bool> BigramExists(indexer::Database* db, const std::string& left, const std::string& right) {
  // The index keeps stems only: it finds the passages in which the two words' stems stand
  // next to each other, and the words themselves are then looked for in their text. Past
  // kBigramCandidates such passages without the exact words, the answer is no: the check
  // stays cheap even for stems that are everywhere.
  constexpr int64_t kBigramCandidates = 64;
  auto stmt = db->Prepare(
      "SELECT p.text FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid "
      "WHERE passages_fts MATCH ?1 LIMIT ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, "text : " + QuotePhrase({left, right})).Bind(2, kBigramCandidates);
  while (stmt->Step()) {
    bool after_left = false;
    bool found = false;
    indexer::ForEachWord(stmt->ColumnText(0), [&](std::string_view word) {
      found = found || (after_left && word == right);
      after_left = word == left;
    });
    if (found) return true;
  }
  if (!stmt->status().ok()) return stmt->status();
  return false;
}

}  // namespace citeqa::retriever
