// The question log: questions citeqa could not answer and readers' votes on answers, kept in
// a SQLite file of its own beside the index (QuestionLogPathFor), and the grouped
// unanswered-questions report over them. Not in the index itself: an index is replaced
// whole (a published snapshot renamed over it), and a server writing into the file it
// serves would lose its log with every replacement, or worse, leave its write-ahead log
// beside a file it does not belong to. The only code that reads or writes those
// tables. No SQLite types here, so server/ can use it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/status.h"

namespace citeqa::indexer {

// The passage citeqa ranked first for a question, copied by value (it may later be
// re-indexed away).
struct LoggedPassage {
  int64_t passage_id = 0;
  std::string doc;    // file name
  std::string title;  // the article's title
  friend bool operator==(const LoggedPassage&, const LoggedPassage&) = default;
};

// A question the engine did not answer (found == false).
struct AbstentionEntry {
  int64_t at = 0;               // seconds since the Unix epoch, UTC
  std::string question;         // as asked
  std::string normalized;       // NormalizeQuestion's form: the report's group key
  std::string source;           // "web", "api" or "slack"
  std::string conversation_id;  // may be empty
  std::optional<LoggedPassage> considered;
};

// A reader's vote on an answer.
struct FeedbackEntry {
  int64_t at = 0;
  std::string question;
  std::string normalized;
  std::string source;
  std::string conversation_id;
  std::string answer;
  bool helpful = false;                     // up vote: true
  std::string comment;                      // may be empty
  std::optional<LoggedPassage> considered;  // when known
};

// What the log keeps: nothing older than `keep_since` (seconds since the epoch) and at most
// `max_rows` rows per table, the oldest going first: those among the table's newest
// `max_rows` ids (after a Forget, the rows it removed count among them).
struct RetentionLimits {
  int64_t keep_since = 0;
  int64_t max_rows = 100000;
};

struct UnansweredQuery {
  int64_t since = 0;  // only entries at or after this time (seconds since the epoch)
  int limit = 100;    // groups returned, 1..
};

// The entries of one normalised question since the query's time. A group is in the report
// when it has abstentions or down votes; `count` is their sum.
struct UnansweredGroup {
  std::string question;               // the normalised form
  std::vector<std::string> asked_as;  // up to 3 distinct wordings, latest first
  int64_t count = 0;
  int64_t abstained = 0;
  int64_t down_votes = 0;
  int64_t up_votes = 0;
  int64_t first_seen = 0;  // first and last abstention or down vote, seconds since the epoch
  int64_t last_seen = 0;
  std::optional<LoggedPassage> top_passage;  // of the latest entry that has one
  std::vector<std::string> comments;         // of down votes, up to 3, latest first
};

struct UnansweredReport {
  int64_t total_groups = 0;             // before the limit
  std::vector<UnansweredGroup> groups;  // by count, then last_seen, both descending
};

enum class QuestionLogAccess { kRead, kWrite };

// The question log of the index at `index_path`: "citeqa.db" -> "citeqa.questions.db"
// (a final ".db" is replaced; any other name gets ".questions.db" appended).
std::string QuestionLogPathFor(const std::string& index_path);

// One connection to an index's question log. Not thread-safe: one per thread. Move-only.
class QuestionLog {
 public:
  // Opens the question log at `path` (QuestionLogPathFor of the index). kWrite creates the
  // file and its tables when missing; kRead never writes, and reads a missing file as an
  // empty log. Errors: kCorruption when the file is not a SQLite database, or has a table
  // of the log's name with other columns; kUnavailable when it is locked longer than the
  // busy timeout (kWrite); kIoError otherwise (e.g. a folder that cannot be written).
  static Result<QuestionLog> Open(const std::string& path, QuestionLogAccess access);
  QuestionLog(QuestionLog&&) noexcept;
  QuestionLog& operator=(QuestionLog&&) noexcept;
  ~QuestionLog();

  // Inserts the entries and applies `limits`, in one transaction (all or nothing).
  // kWrite only. Errors: kUnavailable when locked, kIoError.
  Status Append(const std::vector<AbstentionEntry>& abstentions,
                const std::vector<FeedbackEntry>& feedback, const RetentionLimits& limits);

  // Deletes what `limits` no longer keep; returns the number of rows deleted. kWrite only.
  Result<int64_t> Prune(const RetentionLimits& limits);

  // The report: entries grouped by normalised question (one GROUP BY), then each returned
  // group's wordings, comments and top passage. Errors: kInvalidArgument for limit < 1.
  Result<UnansweredReport> Unanswered(const UnansweredQuery& query);

  // Deletes the abstentions and votes of one normalised question, or of all when
  // `normalized` is empty; returns the number of rows deleted. kWrite only.
  Result<int64_t> Forget(std::string_view normalized);

  // Rows in each table (for tests and the CLI).
  Result<int64_t> CountAbstentions();
  Result<int64_t> CountFeedback();

 private:
  struct Impl;
  explicit QuestionLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace citeqa::indexer
