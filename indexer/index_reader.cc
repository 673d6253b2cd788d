#include "indexer/index_reader.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_set>

#include "indexer/index_schema.h"
#include "indexer/text.h"

namespace citeqa::indexer {
namespace {

// A wording as an FTS5 string literal: "w1 w2". Words are tokenizer output, which never
// holds '"'; a '"' is doubled anyway (FTS5's escape), so no text can break out of the quotes.
std::string Quoted(const Words& words) {
  std::string out = "\"";
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += ' ';
    for (const char c : words[i]) {
      if (c == '"') out += '"';
      out += c;
    }
  }
  out += '"';
  return out;
}

// A group's distinct wordings as FTS5 string literals with their words, sorted so that
// equal queries give equal expressions.
std::vector<QuotedWording> QuotedWordings(const std::vector<Words>& group) {
  std::vector<QuotedWording> wordings;
  for (const Words& w : group) {
    if (!w.empty()) wordings.push_back({Quoted(w), &w});
  }
  std::sort(wordings.begin(), wordings.end(),
            [](const auto& a, const auto& b) { return a.quoted < b.quoted; });
  wordings.erase(std::unique(wordings.begin(), wordings.end(),
                             [](const auto& a, const auto& b) { return a.quoted == b.quoted; }),
                 wordings.end());
  return wordings;
}

// "(" "a" OR "b c" ")": a group's wordings. Empty for a group without words.
std::string GroupExpression(const std::vector<QuotedWording>& wordings) {
  if (wordings.empty()) return "";
  std::string out(1, '(');
  for (size_t i = 0; i < wordings.size(); ++i) {
    if (i > 0) out += " OR ";
    out += wordings[i].quoted;
  }
  out += ')';
  return out;
}

// The columns ReadPassageRow reads, in its order: a passage with its document's file and
// title, then a score. `score` is the eighth column's expression ("0.0" for none); `rest`
// is the query from its FROM on, with "p" the passages and "d" the documents.
std::string PassageQuery(std::string_view score, std::string_view rest) {
  std::string sql = "SELECT p.id, p.doc_id, p.ordinal, d.file, d.title, p.heading, p.text, ";
  sql += score;
  sql += ' ';
  sql += rest;
  return sql;
}

PassageRow ReadPassageRow(const Statement& stmt) {
  PassageRow row;
  row.passage_id = stmt.ColumnInt(0);
  row.doc_id = stmt.ColumnInt(1);
  row.ordinal = static_cast<int>(stmt.ColumnInt(2));
  row.doc = stmt.ColumnText(3);
  row.title = stmt.ColumnText(4);
  row.heading = stmt.ColumnText(5);
  row.text = stmt.ColumnText(6);
  row.bm25 = stmt.ColumnDouble(7);
  return row;
}

}  // namespace

std::vector<std::vector<QuotedWording>> QuotedWordingsOf(const TermQuery& query) {
  std::vector<std::vector<QuotedWording>> wordings;
  wordings.reserve(query.groups.size());
  for (const auto& group : query.groups) wordings.push_back(QuotedWordings(group));
  return wordings;
}

std::string MatchExpression(const TermQuery& query) {
  return MatchExpression(query, QuotedWordingsOf(query));
}

std::string MatchExpression(const TermQuery& query,
                            const std::vector<std::vector<QuotedWording>>& wordings) {
  const char* joint = query.combine == TermQuery::Combine::kAll ? " AND " : " OR ";
  std::string match;
  for (const auto& group : wordings) {
    const std::string expression = GroupExpression(group);
    if (expression.empty()) continue;
    if (!match.empty()) match += joint;
    match += expression;
  }
  return match;
}

Result<IndexReader> IndexReader::Open(const std::string& path) {
  auto db = Database::Open(path, OpenMode::kReadOnly);
  if (!db.ok()) return db.status();
  CITEQA_RETURN_IF_ERROR(CheckSchema(&*db));
  CITEQA_RETURN_IF_ERROR(RegisterPassageRanking(db->raw()));
  return IndexReader(std::move(*db));
}

// Every question begins and ends a read: the two statements are parsed once per connection.
Status IndexReader::BeginRead() {
  read_generation_.reset();
  CITEQA_RETURN_IF_ERROR(RunReused("BEGIN"));
  in_read_ = true;
  return Status::Ok();
}

Status IndexReader::EndRead() {
  in_read_ = false;
  read_generation_.reset();
  return RunReused("COMMIT");
}

Status IndexReader::RunReused(std::string_view sql) {
  auto stmt = db_.PrepareReused(sql);
  if (!stmt.ok()) return stmt.status();
  return stmt->Run();
}

Result<int64_t> IndexReader::Generation() {
  if (read_generation_) return *read_generation_;
  auto generation = ReadGeneration(&db_);
  if (generation.ok() && in_read_) read_generation_ = *generation;
  return generation;
}

Result<IndexCounts> IndexReader::Counts() {
  auto kept = ReadKeptCounts(&db_);
  if (!kept.ok()) return kept.status();
  if (kept->has_value()) return **kept;
  return CountRows(&db_);  // an index whose indexer kept no counts (before version 7)
}

Result<std::string> IndexReader::StoredSynonyms() {
  auto stmt = db_.Prepare("SELECT value FROM meta WHERE key = 'synonyms'");
  if (!stmt.ok()) return stmt.status();
  std::string text;
  if (stmt->Step()) text = stmt->ColumnText(0);
  if (!stmt->status().ok()) return stmt->status();
  return text;
}

Status IndexReader::ForEachWordFrequency(
    const std::function<void(std::string_view, int64_t)>& visit) {
  auto stmt = db_.Prepare("SELECT term, doc FROM passage_vocab");
  if (!stmt.ok()) return stmt.status();
  while (stmt->Step()) visit(stmt->ColumnTextView(0), stmt->ColumnInt(1));
  return stmt->status();
}

// Whether the index keeps its own stem counts (version 5 on). Asked each time: an index
// served while a newer citeqa migrates it changes version.
Result<bool> IndexReader::KeepsStemFrequencies() {
  auto version = ReadUserVersion(&db_);
  if (!version.ok()) return version.status();
  return *version >= kStemFrequencySchemaVersion;
}

Result<FrequencyRows> IndexReader::CountFrequencyRows() {
  auto kept = KeepsStemFrequencies();
  if (!kept.ok()) return kept.status();
  auto stmt = db_.Prepare(*kept ? "SELECT (SELECT count(*) FROM passage_vocab), "
                                  "(SELECT count(*) FROM stem_frequency)"
                                : "SELECT (SELECT count(*) FROM passage_vocab), 0");
  if (!stmt.ok()) return stmt.status();
  if (!stmt->Step()) return stmt->status().ok() ? Status::Corruption("no count") : stmt->status();
  return FrequencyRows{stmt->ColumnInt(0), stmt->ColumnInt(1)};
}

Result<int64_t> IndexReader::FrequencyToken(int64_t generation) {
  auto version = ReadUserVersion(&db_);
  if (!version.ok()) return version.status();
  if (*version < kFrequencyChangesSchemaVersion) return int64_t{0};
  auto stmt = db_.PrepareReused("SELECT token FROM frequency_versions WHERE generation = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, generation);
  const int64_t token = stmt->Step() ? stmt->ColumnInt(0) : 0;
  if (!stmt->status().ok()) return stmt->status();
  return token;
}

Result<int64_t> IndexReader::CountFrequencyChanges(int64_t generation) {
  auto stmt = db_.Prepare("SELECT count(*) FROM frequency_changes WHERE generation > ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, generation);
  if (!stmt->Step()) return stmt->status().ok() ? Status::Corruption("no count") : stmt->status();
  return stmt->ColumnInt(0);
}

Status IndexReader::ForEachFrequencyChange(
    int64_t generation,
    const std::function<void(FrequencyKind, std::string_view, int64_t)>& visit) {
  auto stmt = db_.Prepare(
      "SELECT kind, term, delta FROM frequency_changes WHERE generation > ?1 ORDER BY generation");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, generation);
  while (stmt->Step()) {
    const int64_t kind = stmt->ColumnInt(0);
    if (kind != static_cast<int64_t>(FrequencyKind::kWord) &&
        kind != static_cast<int64_t>(FrequencyKind::kStem)) {
      return Status::Corruption("frequency_changes: unknown kind " + std::to_string(kind));
    }
    visit(static_cast<FrequencyKind>(kind), stmt->ColumnTextView(1), stmt->ColumnInt(2));
  }
  return stmt->status();
}

Status IndexReader::ForEachStemFrequency(
    const std::function<void(std::string_view, int64_t)>& visit) {
  auto kept = KeepsStemFrequencies();
  if (!kept.ok()) return kept.status();
  auto stmt = db_.Prepare(*kept ? "SELECT term, doc FROM stem_frequency"
                                : "SELECT term, doc FROM stem_vocab");
  if (!stmt.ok()) return stmt.status();
  while (stmt->Step()) visit(stmt->ColumnTextView(0), stmt->ColumnInt(1));
  return stmt->status();
}

Result<std::vector<PassageRow>> IndexReader::Candidates(const TermQuery& query) {
  // The inner query picks row ids (and scores) from the index alone; only the chosen rows
  // are joined to their text. Headings weigh double: a passage under "Salary" is about it.
  // The rows are put in score order here, after the join: an ORDER BY on the joined rows
  // made SQLite copy every passage's text into a sorter.
  static const std::string kRanked = PassageQuery(
      "top.score",
      "FROM (SELECT rowid AS id, bm25(passages_fts, 2.0, 1.0) AS score FROM passages_fts "
      "      WHERE passages_fts MATCH ?1 ORDER BY score LIMIT ?2) AS top "
      "JOIN passages p ON p.id = top.id JOIN documents d ON d.id = p.doc_id");
  // The same scores, with what the caller holds (passage_ranking.h).
  static const std::string kRankedWithInput = PassageQuery(
      "top.score",
      "FROM (SELECT rowid AS id, citeqa_bm25(passages_fts, 2.0, 1.0, ?3) AS score "
      "      FROM passages_fts WHERE passages_fts MATCH ?1 ORDER BY score LIMIT ?2) AS top "
      "JOIN passages p ON p.id = top.id JOIN documents d ON d.id = p.doc_id");
  static const std::string kUnranked = PassageQuery(
      "0.0",
      "FROM (SELECT rowid AS id FROM passages_fts WHERE passages_fts MATCH ?1 LIMIT ?2) AS top "
      "JOIN passages p ON p.id = top.id JOIN documents d ON d.id = p.doc_id");
  std::vector<PassageRow> out;
  const auto wordings = QuotedWordingsOf(query);
  const std::string match = MatchExpression(query, wordings);
  if (match.empty() || query.limit <= 0) return out;
  const bool given_input =
      query.ranked && (query.ranking.lengths != nullptr || query.ranking.term_counts != nullptr);
  std::vector<std::string> phrases;
  RankingInput input = given_input ? RankingInputFor(query, wordings, &phrases) : RankingInput();
  auto stmt = db_.PrepareReused(!query.ranked ? kUnranked
                                : given_input ? kRankedWithInput
                                              : kRanked);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, match).Bind(2, static_cast<int64_t>(query.limit));
  if (given_input) stmt->BindPointer(3, &input, kRankingInputPointer);
  while (stmt->Step()) out.push_back(ReadPassageRow(*stmt));
  if (!stmt->status().ok()) return stmt->status();
  if (query.ranked) {
    // Best (most negative) first; equal scores stay in the order the join returned them
    // (the materialized inner query's, as under the ORDER BY this replaced).
    std::stable_sort(out.begin(), out.end(),
                     [](const PassageRow& a, const PassageRow& b) { return a.bm25 < b.bm25; });
  } else {
    // The inner query's order, which the join need not keep.
    std::sort(out.begin(), out.end(),
              [](const PassageRow& a, const PassageRow& b) { return a.passage_id < b.passage_id; });
  }
  const TermCounts* counts = given_input ? query.ranking.term_counts : nullptr;
  if (counts != nullptr && input.counted.size() == phrases.size()) {
    for (size_t i = 0; i < phrases.size(); ++i) {
      // (A one-term phrase's count was known, unless FTS5 made no term of it.)
      if (input.counted[i] >= 0 && input.phrase_terms[i] > 1) {
        counts->Remember(phrases[i], input.counted[i]);
      }
    }
  }
  return out;
}

RankingInput IndexReader::RankingInputFor(const TermQuery& query,
                                          const std::vector<std::vector<QuotedWording>>& wordings,
                                          std::vector<std::string>* phrases) {
  RankingInput input;
  input.lengths = query.ranking.lengths;
  const TermCounts* counts = query.ranking.term_counts;
  if (counts == nullptr || !in_read_ || tokenizer_failed_) return input;
  auto generation = Generation();
  if (!generation.ok() || *generation != counts->version()) return input;
  if (!tokenizer_) {
    auto opened = PassageTokenizer::Open();
    if (!opened.ok()) {
      tokenizer_failed_ = true;  // FTS5 counts, as bm25() does
      return input;
    }
    tokenizer_.emplace(std::move(*opened));
  }
  // The phrases in the order MatchExpression names them, each made into FTS5 terms as
  // FTS5 makes them of the quoted wording.
  std::string text;
  for (const auto& group : wordings) {
    for (const QuotedWording& wording : group) {
      text.clear();
      for (const std::string& w : *wording.words) (text += w) += ' ';
      int terms = 0;
      std::string joined;
      tokenizer_->ForEachTerm(text, [&](std::string_view term) {
        if (terms++ > 0) joined += ' ';
        joined += term;
      });
      input.phrase_terms.push_back(terms);
      input.phrase_passages.push_back(terms > 0 ? counts->Passages(joined) : -1);
      phrases->push_back(std::move(joined));
    }
  }
  return input;
}

Result<PassageLengths> IndexReader::ReadPassageLengths(const PassageLengths* known) {
  auto same = known != nullptr ? HoldsTheLastLength(*known) : false;
  if (!same.ok()) return same.status();
  PassageLengths lengths = *same ? *known : PassageLengths();
  auto stmt = db_.Prepare("SELECT id, sz FROM passages_fts_docsize WHERE id >= ?1 ORDER BY id");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, lengths.end_id());
  while (stmt->Step()) {
    const std::string_view sizes = stmt->ColumnBlobView(1);
    lengths.Append(stmt->ColumnInt(0), reinterpret_cast<const unsigned char*>(sizes.data()),
                   static_cast<int>(sizes.size()));
  }
  if (!stmt->status().ok()) return stmt->status();
  return lengths;
}

Result<bool> IndexReader::HoldsTheLastLength(const PassageLengths& known) {
  // Another file put in this one's place (a copy over it, a reused inode) has other
  // passages under the same ids: the last one is likely to differ.
  auto stmt =
      db_.Prepare("SELECT id, sz FROM passages_fts_docsize WHERE id < ?1 ORDER BY id DESC LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, known.end_id());
  if (!stmt->Step()) return false;
  const int64_t id = stmt->ColumnInt(0);
  const std::string_view sizes = stmt->ColumnBlobView(1);
  const uint32_t length = PassageLengths::LengthOf(
      reinterpret_cast<const unsigned char*>(sizes.data()), static_cast<int>(sizes.size()));
  const bool same = length != PassageLengths::kUnknown && length == known.Of(id);
  if (!stmt->status().ok()) return stmt->status();
  return same;
}

Result<int64_t> IndexReader::PhraseFrequency(const Words& phrase, int64_t sample) {
  // FTS5 returns matches in rowid order, so the last one read marks how far the sample got.
  auto stmt =
      db_.PrepareReused("SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?1 LIMIT ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, Quoted(phrase)).Bind(2, sample);
  int64_t count = 0;
  int64_t last_id = 0;
  while (stmt->Step()) {
    ++count;
    last_id = stmt->ColumnInt(0);
  }
  if (!stmt->status().ok()) return stmt->status();
  if (count < sample) return count;
  auto span =
      db_.PrepareReused("SELECT (SELECT min(id) FROM passages), (SELECT max(id) FROM passages)");
  if (!span.ok()) return span.status();
  if (!span->Step()) return span->status();
  const int64_t first_id = span->ColumnInt(0);
  const int64_t max_id = span->ColumnInt(1);
  const double reached = static_cast<double>(last_id - first_id + 1);
  const double all = static_cast<double>(max_id - first_id + 1);
  return std::max(count,
                  static_cast<int64_t>(static_cast<double>(count) * all / std::max(reached, 1.0)));
}

Result<bool> IndexReader::BigramExists(std::string_view left, std::string_view right) {
  // The index keeps stems only: it finds the passages in which the two words' stems stand
  // next to each other, and the words themselves are then looked for in their text. Past
  // kBigramCandidates such passages without the exact words, the answer is no: the check
  // stays cheap even for stems that are everywhere.
  constexpr int64_t kBigramCandidates = 64;
  auto stmt = db_.PrepareReused(
      "SELECT p.text FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid "
      "WHERE passages_fts MATCH ?1 LIMIT ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, "text : " + Quoted({std::string(left), std::string(right)}))
      .Bind(2, kBigramCandidates);
  while (stmt->Step()) {
    bool after_left = false;
    bool found = false;
    ForEachWord(stmt->ColumnText(0), [&](std::string_view word) {
      found = found || (after_left && word == right);
      after_left = word == left;
    });
    if (found) return true;
  }
  if (!stmt->status().ok()) return stmt->status();
  return false;
}

Status IndexReader::ForEachPassage(const std::function<bool(const PassageRow&)>& visit) {
  auto stmt = db_.Prepare(
      PassageQuery("0.0", "FROM passages p JOIN documents d ON d.id = p.doc_id ORDER BY p.id"));
  if (!stmt.ok()) return stmt.status();
  while (stmt->Step()) {
    if (!visit(ReadPassageRow(*stmt))) return Status::Ok();
  }
  return stmt->status();
}

Result<PassageWithNeighbours> IndexReader::Passage(int64_t passage_id, int context) {
  static const std::string kById =
      PassageQuery("0.0", "FROM passages p JOIN documents d ON d.id = p.doc_id WHERE p.id = ?1");
  auto stmt = db_.PrepareReused(kById);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, passage_id);
  if (!stmt->Step()) {
    if (!stmt->status().ok()) return stmt->status();
    return Status::NotFound("no passage " + std::to_string(passage_id));
  }
  PassageWithNeighbours out;
  out.passage = ReadPassageRow(*stmt);
  if (context <= 0) return out;
  const int64_t ordinal = out.passage.ordinal;
  auto around = db_.PrepareReused(
      "SELECT ordinal, text FROM passages WHERE doc_id = ?1 AND ordinal BETWEEN ?2 AND ?3 "
      "AND ordinal != ?4 ORDER BY ordinal");
  if (!around.ok()) return around.status();
  around->Bind(1, out.passage.doc_id)
      .Bind(2, ordinal - context)
      .Bind(3, ordinal + context)
      .Bind(4, ordinal);
  while (around->Step()) {
    (around->ColumnInt(0) < ordinal ? out.before : out.after).push_back(around->ColumnText(1));
  }
  if (!around->status().ok()) return around->status();
  return out;
}

Result<std::optional<PassageRow>> IndexReader::PassageAt(int64_t doc_id, int ordinal) {
  static const std::string kByOrdinal =
      PassageQuery("0.0",
                   "FROM passages p JOIN documents d ON d.id = p.doc_id "
                   "WHERE p.doc_id = ?1 AND p.ordinal = ?2");
  auto stmt = db_.PrepareReused(kByOrdinal);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, doc_id).Bind(2, static_cast<int64_t>(ordinal));
  if (!stmt->Step()) {
    if (!stmt->status().ok()) return stmt->status();
    return std::optional<PassageRow>();
  }
  return std::optional<PassageRow>(ReadPassageRow(*stmt));
}

Result<std::vector<DocumentRow>> IndexReader::Documents() {
  auto stmt = db_.Prepare(
      "SELECT d.id, d.file, d.title, d.bytes, d.indexed_at, "
      "       (SELECT count(*) FROM passages p WHERE p.doc_id = d.id) "
      "FROM documents d ORDER BY d.file");
  if (!stmt.ok()) return stmt.status();
  std::vector<DocumentRow> docs;
  while (stmt->Step()) {
    DocumentRow row;
    row.id = stmt->ColumnInt(0);
    row.file = stmt->ColumnText(1);
    row.title = stmt->ColumnText(2);
    row.bytes = stmt->ColumnInt(3);
    row.indexed_at = stmt->ColumnText(4);
    row.passages = static_cast<int>(stmt->ColumnInt(5));
    docs.push_back(std::move(row));
  }
  if (!stmt->status().ok()) return stmt->status();
  return docs;
}

Result<std::vector<PassageRow>> IndexReader::SectionOpenings(int limit) {
  // A section's rank within its document orders the rows, so that a limit cuts the later
  // sections of long documents rather than whole documents.
  auto stmt = db_.Prepare(PassageQuery(
      "0.0",
      "FROM (SELECT doc_id, min(ordinal) AS first, "
      "             row_number() OVER (PARTITION BY doc_id ORDER BY min(ordinal)) AS section "
      "      FROM passages GROUP BY doc_id, heading) AS s "
      "JOIN passages p ON p.doc_id = s.doc_id AND p.ordinal = s.first "
      "JOIN documents d ON d.id = p.doc_id "
      "ORDER BY s.section, d.file LIMIT ?1"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(std::max(limit, 0)));
  std::vector<PassageRow> out;
  while (stmt->Step()) out.push_back(ReadPassageRow(*stmt));
  if (!stmt->status().ok()) return stmt->status();
  return out;
}

}  // namespace citeqa::indexer
