// The server's question log: keeps the questions /api/ask and Slack could not answer and
// readers' votes (FeedbackRecorder) in the index database, through one background writer
// thread with a bounded queue, so no request ever waits for SQLite's write lock (an indexing
// run can hold it for seconds). Also reads the unanswered-questions report and forgets.
//
// The writer follows the index file as the engine does: when a file is moved over the index
// path, the next batch is written to the new file (whose own log, if any, it continues); the
// entries kept in the replaced file go with it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "indexer/question_log.h"
#include "indexer/status.h"
#include "server/answer_observer.h"
#include "server/feedback_recorder.h"
#include "server/metrics.h"
#include "server/report_handlers.h"

namespace citeqa::server {

inline constexpr int kDefaultQuestionLogDays = 30;

struct QuestionLogOptions {
  std::string log_path;  // indexer::QuestionLogPathFor(the index), created when first written
  int retention_days = kDefaultQuestionLogDays;  // 0: nothing is kept (the log is off)
  int64_t max_rows = 100000;                     // per table; the oldest go first
  size_t max_queued = 10000;                     // entries waiting for the writer
  // How long the writer lets entries gather before it writes them in one transaction:
  // every write opens the log and prunes it (a pass over up to max_rows rows), so under
  // load a write per entry cost a fifth of the server's CPU. Flush, Forget and Stop do not
  // wait, nor does a queue half full.
  std::chrono::milliseconds write_delay{1000};
  // Seconds since the Unix epoch; tests set a clock.
  std::function<int64_t()> now;
};

class QuestionLogService : public FeedbackRecorder, public AnswerObserver, public QuestionReports {
 public:
  // `metrics` may be null and must outlive the service. Nothing runs until Start(), but the
  // log file is opened for writing once here (creating it): a log that cannot be written
  // (a read-only folder) is off from the start, saying why on stderr and in its refusals,
  // rather than accepting votes it would drop.
  QuestionLogService(QuestionLogOptions options, ServerMetrics* metrics);
  ~QuestionLogService() override;  // Stop()
  QuestionLogService(const QuestionLogService&) = delete;
  QuestionLogService& operator=(const QuestionLogService&) = delete;

  // Starts the writer thread (not when the log is off). Idempotent.
  void Start();
  // Writes what is queued, then stops the writer. Idempotent; entries offered later are
  // refused (feedback: kUnavailable) or dropped.
  void Stop();

  // Why enabled() is false.
  std::string OffReason() const;
  bool enabled() const { return options_.retention_days > 0 && unwritable_.empty(); }
  int retention_days() const override { return options_.retention_days; }
  int64_t Now() const override;

  // FeedbackRecorder: ValidateFeedback, then queued. kUnavailable when the log is off or
  // stopped; kResourceExhausted (counted as dropped) when the queue is full.
  Status Record(const Feedback& feedback) override;

  // AnswerObserver: an unanswered question is queued (dropped and counted when the queue is
  // full); every answer's normalised form is remembered for a while, so that a vote on it
  // (which carries only the question as asked) groups with it and names its top passage.
  void OnAnswer(const retriever::AskRequest& request, const retriever::AskResponse& response,
                std::string_view source) override;

  // QuestionReports: waits (up to a few seconds) for what is queued to be written, then
  // reads the report on a read-only connection of its own.
  Result<indexer::UnansweredReport> Unanswered(const indexer::UnansweredQuery& query) override;
  // Done by the writer after what was queued before it. Errors: kUnavailable when the log
  // is off or the writer does not get to it within a few seconds.
  Result<int64_t> Forget(const std::string& normalized) override;

  // Waits until everything queued before the call is written (or failed). False on timeout
  // or when the log is off.
  bool Flush(int timeout_ms);

 private:
  struct Impl;
  indexer::RetentionLimits Limits() const;
  void WriterLoop();

  const QuestionLogOptions options_;
  std::string unwritable_;  // why the log file cannot be written; "" when it can
  std::unique_ptr<Impl> impl_;
  ServerMetrics* metrics_;
};

}  // namespace citeqa::server
