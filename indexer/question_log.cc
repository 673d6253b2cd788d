#include "indexer/question_log.h"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "indexer/index_schema.h"
#include "indexer/sqlite_db.h"

namespace citeqa::indexer {
namespace {

constexpr const char* kInsertAbstention = R"sql(
INSERT INTO question_abstentions(at, question, normalized, source, conversation_id,
                                 passage_id, doc, title)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8))sql";

constexpr const char* kInsertFeedback = R"sql(
INSERT INTO answer_feedback(at, question, normalized, source, conversation_id, answer, vote,
                            comment, passage_id, doc, title)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11))sql";

// Every entry since ?1, one row per normalised question with abstentions or down votes; the
// window count is taken after HAVING, so it is the number of groups before the LIMIT.
constexpr const char* kGroups = R"sql(
WITH entries(normalized, at, abstained, down, up) AS (
  SELECT normalized, at, 1, 0, 0 FROM question_abstentions WHERE at >= ?1
  UNION ALL
  SELECT normalized, at, 0, vote = 'down', vote = 'up' FROM answer_feedback WHERE at >= ?1
)
SELECT normalized, sum(abstained), sum(down), sum(up),
       min(CASE WHEN up = 0 THEN at END) AS first_seen,
       max(CASE WHEN up = 0 THEN at END) AS last_seen,
       count(*) OVER ()
FROM entries
GROUP BY normalized
HAVING sum(abstained) + sum(down) > 0
ORDER BY sum(abstained) + sum(down) DESC, last_seen DESC, normalized
LIMIT ?2)sql";

// The counted entries (abstentions and down votes) of one group: ?1 the normalised question,
// ?2 the report's start.
constexpr const char* kWordings = R"sql(
SELECT question FROM (
  SELECT question, at FROM question_abstentions WHERE normalized = ?1 AND at >= ?2
  UNION ALL
  SELECT question, at FROM answer_feedback WHERE normalized = ?1 AND at >= ?2 AND vote = 'down'
)
GROUP BY question ORDER BY max(at) DESC, question LIMIT 3)sql";

constexpr const char* kComments = R"sql(
SELECT comment FROM answer_feedback
WHERE normalized = ?1 AND at >= ?2 AND vote = 'down' AND comment <> ''
ORDER BY at DESC, id DESC LIMIT 3)sql";

constexpr const char* kTopPassage = R"sql(
SELECT passage_id, doc, title FROM (
  SELECT passage_id, doc, title, at, id FROM question_abstentions
  WHERE normalized = ?1 AND at >= ?2 AND passage_id IS NOT NULL
  UNION ALL
  SELECT passage_id, doc, title, at, id FROM answer_feedback
  WHERE normalized = ?1 AND at >= ?2 AND vote = 'down' AND passage_id IS NOT NULL
)
ORDER BY at DESC, id DESC LIMIT 1)sql";

constexpr const char* kLogTables[] = {"question_abstentions", "answer_feedback"};

// How many of the log's two tables a file has.
constexpr const char* kCountLogTables =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
    "('question_abstentions', 'answer_feedback')";

Result<int64_t> SingleInt(Database* db, std::string_view sql) {
  auto stmt = db->Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  if (!stmt->Step()) {
    return stmt->status().ok() ? Status::Corruption("no row from " + std::string(sql))
                               : stmt->status();
  }
  return stmt->ColumnInt(0);
}

void BindPassage(Statement* stmt, int first, const std::optional<LoggedPassage>& passage) {
  if (passage.has_value()) {
    stmt->Bind(first, passage->passage_id)
        .Bind(first + 1, std::string_view(passage->doc))
        .Bind(first + 2, std::string_view(passage->title));
  } else {
    stmt->BindNull(first).BindNull(first + 1).BindNull(first + 2);
  }
}

std::optional<LoggedPassage> ColumnPassage(const Statement& stmt, int first) {
  if (stmt.ColumnIsNull(first)) return std::nullopt;
  return LoggedPassage{stmt.ColumnInt(first), stmt.ColumnText(first + 1),
                       stmt.ColumnText(first + 2)};
}

// The rows of `sql` (first column, text) for one group.
Result<std::vector<std::string>> GroupTexts(Statement* stmt, const std::string& normalized,
                                            int64_t since) {
  stmt->Reset();
  stmt->Bind(1, std::string_view(normalized)).Bind(2, since);
  std::vector<std::string> out;
  while (stmt->Step()) out.push_back(stmt->ColumnText(0));
  if (!stmt->status().ok()) return stmt->status();
  return out;
}

}  // namespace

struct QuestionLog::Impl {
  explicit Impl(Database database) : db(std::move(database)) {}
  Database db;
  bool writable = false;
  bool has_tables = false;  // false: a log never written, opened for reading

  Status RequireWritable() const {
    if (!writable) return Status::InvalidArgument("the question log was opened read-only");
    return Status::Ok();
  }

  Result<int64_t> Changes() { return SingleInt(&db, "SELECT changes()"); }

  Result<int64_t> PruneLocked(const RetentionLimits& limits) {
    int64_t deleted = 0;
    for (const char* table : kLogTables) {
      const std::string name(table);
      auto by_age = db.Prepare("DELETE FROM " + name + " WHERE at < ?1");
      if (!by_age.ok()) return by_age.status();
      CITEQA_RETURN_IF_ERROR(by_age->Bind(1, limits.keep_since).Run());
      auto changed = Changes();
      if (!changed.ok()) return changed.status();
      deleted += *changed;
      // The rows among the newest max_rows ids stay. Ids only grow, and only the oldest rows
      // go by age, so these are the newest max_rows rows, or fewer after a Forget. Finding
      // the (max_rows + 1)-th newest row instead walks max_rows index entries: 17 ms per
      // written batch at 100,000 rows, where max(id) is one b-tree descent.
      auto by_count = db.Prepare("DELETE FROM " + name + " WHERE id <= (SELECT max(id) FROM " +
                                 name + ") - ?1");
      if (!by_count.ok()) return by_count.status();
      CITEQA_RETURN_IF_ERROR(by_count->Bind(1, std::max<int64_t>(limits.max_rows, 0)).Run());
      changed = Changes();
      if (!changed.ok()) return changed.status();
      deleted += *changed;
    }
    return deleted;
  }
};

QuestionLog::QuestionLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
QuestionLog::QuestionLog(QuestionLog&&) noexcept = default;
QuestionLog& QuestionLog::operator=(QuestionLog&&) noexcept = default;
QuestionLog::~QuestionLog() = default;

std::string QuestionLogPathFor(const std::string& index_path) {
  constexpr std::string_view kDb = ".db";
  const std::string_view path(index_path);
  const bool ends_in_db = path.size() > kDb.size() && path.substr(path.size() - kDb.size()) == kDb &&
                          path[path.size() - kDb.size() - 1] != '/';
  const std::string_view stem = ends_in_db ? path.substr(0, path.size() - kDb.size()) : path;
  return std::string(stem) + ".questions.db";
}

Result<QuestionLog> QuestionLog::Open(const std::string& path, QuestionLogAccess access) {
  const bool write = access == QuestionLogAccess::kWrite;
  std::error_code error;
  const bool exists = std::filesystem::exists(path, error);
  if (!write && !exists) {
    // Nothing logged yet: an empty in-memory log answers every read.
    auto empty = Database::Open(":memory:", OpenMode::kReadWrite);
    if (!empty.ok()) return empty.status();
    return QuestionLog(std::make_unique<Impl>(std::move(*empty)));
  }
  auto db = Database::Open(path, write ? OpenMode::kReadWrite : OpenMode::kReadOnly);
  if (!db.ok()) return db.status();
  auto impl = std::make_unique<Impl>(std::move(*db));
  impl->writable = write;
  auto tables = SingleInt(&impl->db, kCountLogTables);
  if (!tables.ok()) return tables.status();
  if (write && *tables < 2) {
    Transaction transaction(&impl->db);
    CITEQA_RETURN_IF_ERROR(transaction.Begin());
    // Another writer may have made them since the count: look again under the lock.
    tables = SingleInt(&impl->db, kCountLogTables);
    if (!tables.ok()) return tables.status();
    if (*tables == 0) {
      CITEQA_RETURN_IF_ERROR(CreateQuestionLogTables(&impl->db));
      CITEQA_RETURN_IF_ERROR(transaction.Commit());
      tables = 2;
    }
  }
  if (*tables == 1) {
    return Status::Corruption(path + " holds only part of a question log");
  }
  impl->has_tables = *tables == 2;
  return QuestionLog(std::move(impl));
}

Status QuestionLog::Append(const std::vector<AbstentionEntry>& abstentions,
                           const std::vector<FeedbackEntry>& feedback,
                           const RetentionLimits& limits) {
  CITEQA_RETURN_IF_ERROR(impl_->RequireWritable());
  Database& db = impl_->db;
  Transaction transaction(&db);
  CITEQA_RETURN_IF_ERROR(transaction.Begin());
  auto insert_abstention = db.Prepare(kInsertAbstention);
  if (!insert_abstention.ok()) return insert_abstention.status();
  for (const AbstentionEntry& e : abstentions) {
    insert_abstention->Reset();
    insert_abstention->Bind(1, e.at)
        .Bind(2, std::string_view(e.question))
        .Bind(3, std::string_view(e.normalized))
        .Bind(4, std::string_view(e.source))
        .Bind(5, std::string_view(e.conversation_id));
    BindPassage(&*insert_abstention, 6, e.considered);
    CITEQA_RETURN_IF_ERROR(insert_abstention->Run());
  }
  auto insert_feedback = db.Prepare(kInsertFeedback);
  if (!insert_feedback.ok()) return insert_feedback.status();
  for (const FeedbackEntry& e : feedback) {
    insert_feedback->Reset();
    insert_feedback->Bind(1, e.at)
        .Bind(2, std::string_view(e.question))
        .Bind(3, std::string_view(e.normalized))
        .Bind(4, std::string_view(e.source))
        .Bind(5, std::string_view(e.conversation_id))
        .Bind(6, std::string_view(e.answer))
        .Bind(7, std::string_view(e.helpful ? "up" : "down"))
        .Bind(8, std::string_view(e.comment));
    BindPassage(&*insert_feedback, 9, e.considered);
    CITEQA_RETURN_IF_ERROR(insert_feedback->Run());
  }
  auto pruned = impl_->PruneLocked(limits);
  if (!pruned.ok()) return pruned.status();
  return transaction.Commit();
}

Result<int64_t> QuestionLog::Prune(const RetentionLimits& limits) {
  CITEQA_RETURN_IF_ERROR(impl_->RequireWritable());
  Transaction transaction(&impl_->db);
  CITEQA_RETURN_IF_ERROR(transaction.Begin());
  auto deleted = impl_->PruneLocked(limits);
  if (!deleted.ok()) return deleted.status();
  CITEQA_RETURN_IF_ERROR(transaction.Commit());
  return deleted;
}

Result<UnansweredReport> QuestionLog::Unanswered(const UnansweredQuery& query) {
  if (query.limit < 1) return Status::InvalidArgument("limit must be at least 1");
  UnansweredReport report;
  if (!impl_->has_tables) return report;
  Database& db = impl_->db;
  // One read transaction: the groups and their details see the same rows.
  CITEQA_RETURN_IF_ERROR(db.Exec("BEGIN"));
  auto fill = [&]() -> Status {
    auto groups = db.Prepare(kGroups);
    if (!groups.ok()) return groups.status();
    groups->Bind(1, query.since).Bind(2, static_cast<int64_t>(query.limit));
    while (groups->Step()) {
      UnansweredGroup g;
      g.question = groups->ColumnText(0);
      g.abstained = groups->ColumnInt(1);
      g.down_votes = groups->ColumnInt(2);
      g.up_votes = groups->ColumnInt(3);
      g.count = g.abstained + g.down_votes;
      g.first_seen = groups->ColumnInt(4);
      g.last_seen = groups->ColumnInt(5);
      report.total_groups = groups->ColumnInt(6);
      report.groups.push_back(std::move(g));
    }
    CITEQA_RETURN_IF_ERROR(groups->status());
    auto wordings = db.Prepare(kWordings);
    auto comments = db.Prepare(kComments);
    auto top = db.Prepare(kTopPassage);
    if (!wordings.ok()) return wordings.status();
    if (!comments.ok()) return comments.status();
    if (!top.ok()) return top.status();
    for (UnansweredGroup& g : report.groups) {
      auto asked = GroupTexts(&*wordings, g.question, query.since);
      if (!asked.ok()) return asked.status();
      g.asked_as = std::move(*asked);
      auto said = GroupTexts(&*comments, g.question, query.since);
      if (!said.ok()) return said.status();
      g.comments = std::move(*said);
      top->Reset();
      top->Bind(1, std::string_view(g.question)).Bind(2, query.since);
      if (top->Step()) g.top_passage = ColumnPassage(*top, 0);
      CITEQA_RETURN_IF_ERROR(top->status());
    }
    return Status::Ok();
  };
  const Status filled = fill();
  const Status ended = db.Exec(filled.ok() ? "COMMIT" : "ROLLBACK");
  if (!filled.ok()) return filled;
  if (!ended.ok()) return ended;
  return report;
}

Result<int64_t> QuestionLog::Forget(std::string_view normalized) {
  CITEQA_RETURN_IF_ERROR(impl_->RequireWritable());
  Database& db = impl_->db;
  Transaction transaction(&db);
  CITEQA_RETURN_IF_ERROR(transaction.Begin());
  int64_t deleted = 0;
  for (const char* table : kLogTables) {
    auto stmt =
        db.Prepare("DELETE FROM " + std::string(table) + " WHERE ?1 = '' OR normalized = ?1");
    if (!stmt.ok()) return stmt.status();
    CITEQA_RETURN_IF_ERROR(stmt->Bind(1, normalized).Run());
    auto changed = impl_->Changes();
    if (!changed.ok()) return changed.status();
    deleted += *changed;
  }
  CITEQA_RETURN_IF_ERROR(transaction.Commit());
  return deleted;
}

Result<int64_t> QuestionLog::CountAbstentions() {
  if (!impl_->has_tables) return int64_t{0};
  return SingleInt(&impl_->db, "SELECT count(*) FROM question_abstentions");
}

Result<int64_t> QuestionLog::CountFeedback() {
  if (!impl_->has_tables) return int64_t{0};
  return SingleInt(&impl_->db, "SELECT count(*) FROM answer_feedback");
}

}  // namespace citeqa::indexer
