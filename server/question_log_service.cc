#include "server/question_log_service.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

#include "indexer/question_text.h"
#include "server/conversation_token.h"
#include "server/feedback_codec.h"

namespace citeqa::server {
namespace {

using indexer::AbstentionEntry;
using indexer::FeedbackEntry;
using indexer::LoggedPassage;

constexpr int64_t kSecondsPerDay = 24 * 60 * 60;
// Answers remembered for the votes that follow them.
constexpr size_t kRememberedAnswers = 4096;
// The writer prunes old entries at least this often, written or not.
constexpr std::chrono::minutes kPruneEvery{60};
// How long Unanswered waits for queued entries, and Forget for the writer.
constexpr int kReadAfterWritesMs = 5000;
constexpr int kForgetTimeoutMs = 30000;

// Something for the writer to do in order with the entries: forget (a group or all), or
// only report that it got there (Flush).
struct Job {
  bool forget = false;
  std::string normalized;
  std::promise<Result<int64_t>> done;
};

using Item = std::variant<AbstentionEntry, FeedbackEntry, std::shared_ptr<Job>>;

std::optional<LoggedPassage> ToLogged(const std::optional<retriever::ConsideredPassage>& p) {
  if (!p.has_value()) return std::nullopt;
  return LoggedPassage{p->passage_id, p->doc, p->title};
}

// A conversation as the log names it: a token by its key (the token itself carries earlier,
// answered questions, which the log never keeps), any other id as it is.
std::string LoggedConversationId(const std::string& conversation_id) {
  return LooksLikeConversationToken(conversation_id) ? ConversationLogKey(conversation_id)
                                                     : conversation_id;
}

// What a vote on an answer needs from the answer: its group key and top passage.
struct Remembered {
  std::string normalized;
  std::optional<LoggedPassage> considered;
};

// The writer opens a connection per batch and closes it after: an operator may move or
// restore the log file, and opening by path follows it.
void PruneNow(const std::string& log_path, const indexer::RetentionLimits& limits) {
  auto log = indexer::QuestionLog::Open(log_path, indexer::QuestionLogAccess::kWrite);
  if (log.ok()) {
    auto pruned = log->Prune(limits);
    if (!pruned.ok()) log = pruned.status();
  }
  if (!log.ok()) {
    std::fprintf(stderr, "citeqa: question log: cannot prune: %s\n",
                 log.status().ToString().c_str());
  }
}

// Writes the entries of `batch` in order, each run of entries between two jobs in one
// transaction, and does the jobs. Entries that cannot be written are counted as dropped.
void WriteBatch(std::deque<Item>* batch, const std::string& log_path,
                const indexer::RetentionLimits& limits, ServerMetrics* metrics) {
  std::optional<indexer::QuestionLog> log;
  auto open = [&]() -> Status {
    if (log.has_value()) return Status::Ok();
    auto fresh = indexer::QuestionLog::Open(log_path, indexer::QuestionLogAccess::kWrite);
    if (!fresh.ok()) return fresh.status();
    log.emplace(std::move(*fresh));
    return Status::Ok();
  };
  std::vector<AbstentionEntry> abstentions;
  std::vector<FeedbackEntry> feedback;
  auto write = [&] {
    if (abstentions.empty() && feedback.empty()) return;
    Status written = open();
    if (written.ok()) written = log->Append(abstentions, feedback, limits);
    const double entries = static_cast<double>(abstentions.size() + feedback.size());
    if (written.ok()) {
      if (metrics != nullptr) {
        metrics->RecordAbstentionLogged(static_cast<double>(abstentions.size()));
      }
    } else {
      std::fprintf(stderr, "citeqa: question log: %g entries not kept: %s\n", entries,
                   written.ToString().c_str());
      if (metrics != nullptr) metrics->RecordQuestionLogDropped(entries);
    }
    abstentions.clear();
    feedback.clear();
  };
  for (Item& item : *batch) {
    if (auto* a = std::get_if<AbstentionEntry>(&item)) {
      abstentions.push_back(std::move(*a));
    } else if (auto* f = std::get_if<FeedbackEntry>(&item)) {
      feedback.push_back(std::move(*f));
    } else {
      write();
      Job& job = *std::get<std::shared_ptr<Job>>(item);
      if (!job.forget) {
        job.done.set_value(int64_t{0});
        continue;
      }
      const Status ready = open();
      job.done.set_value(ready.ok() ? log->Forget(job.normalized) : Result<int64_t>(ready));
    }
  }
  write();
}

}  // namespace

struct QuestionLogService::Impl {
  std::mutex mu;
  std::condition_variable wake;
  std::deque<Item> queue;
  size_t queued_entries = 0;
  size_t queued_jobs = 0;
  bool started = false;
  bool stopping = false;
  std::thread writer;

  std::mutex remembered_mu;
  std::unordered_map<std::string, Remembered> remembered;
  std::deque<std::string> remembered_order;  // oldest first

  // False when the queue is full or the writer is not running (the caller counts the
  // drop). Jobs are never refused for a full queue.
  bool Enqueue(Item item, size_t max_queued) {
    const bool is_entry = !std::holds_alternative<std::shared_ptr<Job>>(item);
    bool wake_writer = false;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!started || stopping) return false;
      if (is_entry && queued_entries >= max_queued) return false;
      // The writer waits for a first entry, then for a reason to stop waiting (WriteNow):
      // other entries need not wake it.
      wake_writer = queue.empty();
      queue.push_back(std::move(item));
      if (is_entry) {
        ++queued_entries;
      } else {
        ++queued_jobs;
      }
      wake_writer = wake_writer || WriteNow(max_queued);
    }
    if (wake_writer) wake.notify_one();
    return true;
  }

  // Whether the writer should write what is queued without waiting for more. Under `mu`.
  bool WriteNow(size_t max_queued) const {
    return stopping || queued_jobs > 0 || queued_entries * 2 >= max_queued;
  }

  void Remember(const std::string& key, Remembered value) {
    std::lock_guard<std::mutex> lock(remembered_mu);
    auto [it, inserted] = remembered.insert_or_assign(key, std::move(value));
    if (!inserted) return;
    remembered_order.push_back(key);
    if (remembered_order.size() > kRememberedAnswers) {
      remembered.erase(remembered_order.front());
      remembered_order.pop_front();
    }
  }

  std::optional<Remembered> Recall(const std::string& key) {
    std::lock_guard<std::mutex> lock(remembered_mu);
    const auto it = remembered.find(key);
    if (it == remembered.end()) return std::nullopt;
    return it->second;
  }
};

QuestionLogService::QuestionLogService(QuestionLogOptions options, ServerMetrics* metrics)
    : options_(std::move(options)), impl_(std::make_unique<Impl>()), metrics_(metrics) {
  if (options_.retention_days <= 0) return;
  auto log = indexer::QuestionLog::Open(options_.log_path, indexer::QuestionLogAccess::kWrite);
  if (!log.ok()) {
    unwritable_ = "cannot write " + options_.log_path + ": " + log.status().message();
    std::fprintf(stderr, "citeqa: question log off: %s\n", unwritable_.c_str());
  }
}

QuestionLogService::~QuestionLogService() { Stop(); }

std::string QuestionLogService::OffReason() const {
  return unwritable_.empty() ? "the question log is off (--question-log-days 0)"
                             : "the question log is off: " + unwritable_;
}

int64_t QuestionLogService::Now() const {
  if (options_.now) return options_.now();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

indexer::RetentionLimits QuestionLogService::Limits() const {
  return {Now() - options_.retention_days * kSecondsPerDay, options_.max_rows};
}

void QuestionLogService::Start() {
  if (!enabled()) return;
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (impl_->started) return;
  impl_->started = true;
  impl_->writer = std::thread([this] { WriterLoop(); });
}

void QuestionLogService::Stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (!impl_->started || impl_->stopping) return;
    impl_->stopping = true;
  }
  impl_->wake.notify_one();
  if (impl_->writer.joinable()) impl_->writer.join();
}

Status QuestionLogService::Record(const Feedback& feedback) {
  if (!enabled()) {
    return Status::Unavailable(unwritable_.empty() ? "feedback is not kept (--question-log-days 0)"
                                                   : "feedback is not kept: " + unwritable_);
  }
  CITEQA_RETURN_IF_ERROR(ValidateFeedback(feedback));
  const std::string key = indexer::NormalizeQuestion(feedback.question);
  if (key.empty()) return Status::InvalidArgument("question has no words");
  FeedbackEntry entry;
  entry.at = Now();
  entry.question = feedback.question;
  entry.normalized = key;
  if (auto answer = impl_->Recall(key)) {
    entry.normalized = std::move(answer->normalized);
    entry.considered = std::move(answer->considered);
  }
  entry.source = feedback.source.empty() ? "api" : feedback.source;
  entry.conversation_id = LoggedConversationId(feedback.conversation_id);
  entry.answer = feedback.answer;
  entry.helpful = feedback.helpful;
  entry.comment = feedback.comment;
  bool running = false;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    running = impl_->started && !impl_->stopping;
  }
  if (!running) return Status::Unavailable("the question log is not running");
  if (!impl_->Enqueue(std::move(entry), options_.max_queued)) {
    if (metrics_ != nullptr) metrics_->RecordQuestionLogDropped();
    return Status::ResourceExhausted("too many votes wait to be written");
  }
  if (metrics_ != nullptr) metrics_->RecordFeedback(feedback.helpful);
  return Status::Ok();
}

void QuestionLogService::OnAnswer(const retriever::AskRequest& request,
                                  const retriever::AskResponse& response, std::string_view source) {
  if (!enabled()) return;
  const std::string key = indexer::NormalizeQuestion(request.question);
  std::string normalized =
      response.normalized_question.empty() ? key : response.normalized_question;
  impl_->Remember(key, {normalized, ToLogged(response.considered)});
  if (response.found) return;
  AbstentionEntry entry;
  entry.at = Now();
  entry.question = request.question;
  entry.normalized = std::move(normalized);
  entry.source = std::string(source);
  entry.conversation_id = LoggedConversationId(response.conversation_id);
  entry.considered = ToLogged(response.considered);
  if (!impl_->Enqueue(std::move(entry), options_.max_queued) && metrics_ != nullptr) {
    metrics_->RecordQuestionLogDropped();
  }
}

bool QuestionLogService::Flush(int timeout_ms) {
  auto job = std::make_shared<Job>();
  auto done = job->done.get_future();
  if (!impl_->Enqueue(job, options_.max_queued)) return false;
  return done.wait_for(std::chrono::milliseconds(timeout_ms)) == std::future_status::ready;
}

Result<indexer::UnansweredReport> QuestionLogService::Unanswered(
    const indexer::UnansweredQuery& query) {
  if (!enabled()) return Status::Unavailable(OffReason());
  (void)Flush(kReadAfterWritesMs);  // a slow writer delays the newest entries, not the report
  auto log = indexer::QuestionLog::Open(options_.log_path, indexer::QuestionLogAccess::kRead);
  if (!log.ok()) return log.status();
  return log->Unanswered(query);
}

Result<int64_t> QuestionLogService::Forget(const std::string& normalized) {
  if (!enabled()) return Status::Unavailable(OffReason());
  auto job = std::make_shared<Job>();
  job->forget = true;
  job->normalized = normalized;
  auto done = job->done.get_future();
  if (!impl_->Enqueue(job, options_.max_queued)) {
    return Status::Unavailable("the question log is not running");
  }
  if (done.wait_for(std::chrono::milliseconds(kForgetTimeoutMs)) != std::future_status::ready) {
    return Status::Unavailable("the question log is busy; try again");
  }
  return done.get();
}

// --- The writer thread --------------------------------------------------------------------

void QuestionLogService::WriterLoop() {
  PruneNow(options_.log_path, Limits());
  while (true) {
    std::deque<Item> batch;
    {
      std::unique_lock<std::mutex> lock(impl_->mu);
      impl_->wake.wait_for(lock, kPruneEvery,
                           [this] { return impl_->stopping || !impl_->queue.empty(); });
      if (impl_->queue.empty() && impl_->stopping) return;
      if (!impl_->queue.empty()) {
        // Entries arriving within the delay share the write (see write_delay).
        impl_->wake.wait_for(lock, options_.write_delay,
                             [this] { return impl_->WriteNow(options_.max_queued); });
      }
      batch.swap(impl_->queue);
      impl_->queued_entries = 0;
      impl_->queued_jobs = 0;
    }
    if (batch.empty()) {
      PruneNow(options_.log_path, Limits());
      continue;
    }
    WriteBatch(&batch, options_.log_path, Limits(), metrics_);
  }
}

}  // namespace citeqa::server
