// QuestionLogService over a real index file: abstentions and votes written by the
// background writer, grouped with the answer they are about, counted in the metrics,
// forgotten, refused when off or full, and written to a file moved over the index.
#include "server/question_log_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "indexer/corpus_indexer.h"
#include "indexer/question_log.h"
#include "indexer/sqlite_db.h"

namespace citeqa::server {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kNow = 1796382133;  // 2026-12-04T11:02:13Z

class QuestionLogServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("citeqa_question_log_service_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    db_path_ = (root_ / "index.db").string();
    MakeIndex(root_ / "corpus", db_path_);
  }
  void TearDown() override { fs::remove_all(root_); }

  static void MakeIndex(const fs::path& corpus, const std::string& db_path) {
    fs::create_directories(corpus);
    std::ofstream(corpus / "notice.txt") << "Notice periods\n\nStaff give four weeks of notice.\n";
    indexer::IndexOptions options;
    options.corpus_dir = corpus.string();
    options.db_path = db_path;
    ASSERT_TRUE(indexer::IndexCorpus(options).ok());
  }

  QuestionLogOptions Options(int days = 30) {
    QuestionLogOptions options;
    options.log_path = indexer::QuestionLogPathFor(db_path_);
    options.retention_days = days;
    options.now = [] { return kNow; };
    return options;
  }

  static retriever::AskResponse Answer(bool found, std::string normalized,
                                       std::optional<retriever::ConsideredPassage> top) {
    retriever::AskResponse response;
    response.found = found;
    response.answer = found ? "Four weeks [1]." : "I could not find an answer.";
    response.conversation_id = "conv";
    response.normalized_question = std::move(normalized);
    response.considered = std::move(top);
    return response;
  }

  static retriever::AskRequest Asked(std::string question) {
    retriever::AskRequest request;
    request.question = std::move(question);
    return request;
  }

  static Feedback Vote(std::string question, bool helpful, std::string comment = "") {
    Feedback f;
    f.question = std::move(question);
    f.answer = "Four weeks [1].";
    f.helpful = helpful;
    f.comment = std::move(comment);
    f.source = "web";
    return f;
  }

  fs::path root_;
  std::string db_path_;
  ServerMetrics metrics_;
};

TEST_F(QuestionLogServiceTest, KeepsAbstentionsAndVotesGroupedWithTheirAnswer) {
  QuestionLogService log(Options(), &metrics_);
  log.Start();
  const retriever::ConsideredPassage notice{1, "notice.txt", "Notice periods"};
  // Answered (typo corrected by the engine), then voted down as typed.
  log.OnAnswer(Asked("What is the notice perod?"),
               Answer(true, "what is the notice period", notice), "web");
  ASSERT_TRUE(log.Record(Vote("What is the notice perod?", false, "It did not say")).ok());
  // The same question abstained when asked another way, and an up vote elsewhere.
  log.OnAnswer(Asked("what is the NOTICE period"),
               Answer(false, "what is the notice period", std::nullopt), "slack");
  log.OnAnswer(Asked("Who is the CEO?"), Answer(false, "who is the ceo", std::nullopt), "api");
  ASSERT_TRUE(log.Record(Vote("Unrelated question", true)).ok());

  auto report = log.Unanswered({0, 10});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->groups.size(), 2u);
  const indexer::UnansweredGroup& g = report->groups[0];
  EXPECT_EQ(g.question, "what is the notice period");
  EXPECT_EQ(g.count, 2);
  EXPECT_EQ(g.abstained, 1);
  EXPECT_EQ(g.down_votes, 1);
  EXPECT_EQ(g.last_seen, kNow);
  EXPECT_EQ(g.asked_as.size(), 2u);
  EXPECT_EQ(g.comments, std::vector<std::string>{"It did not say"});
  ASSERT_TRUE(g.top_passage.has_value()) << "the down-voted answer's passage";
  EXPECT_EQ(g.top_passage->title, "Notice periods");
  EXPECT_EQ(report->groups[1].question, "who is the ceo");

  EXPECT_EQ(metrics_.FeedbackCount(false), 1);
  EXPECT_EQ(metrics_.FeedbackCount(true), 1);
  EXPECT_EQ(metrics_.AbstentionsLoggedCount(), 2);
  EXPECT_EQ(metrics_.QuestionLogDroppedCount(), 0);
  const std::string text = metrics_.Render(std::nullopt);
  EXPECT_NE(text.find("citeqa_feedback_total{vote=\"down\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("citeqa_question_log_abstentions_total 2"), std::string::npos);
  EXPECT_NE(text.find("citeqa_question_log_dropped_total 0"), std::string::npos);

  auto forgotten = log.Forget("what is the notice period");
  ASSERT_TRUE(forgotten.ok()) << forgotten.status().ToString();
  EXPECT_EQ(*forgotten, 2);
  report = log.Unanswered({0, 10});
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->groups.size(), 1u);
  EXPECT_EQ(report->groups[0].question, "who is the ceo");
}

TEST_F(QuestionLogServiceTest, RefusesWhenOffStoppedOrFullAndChecksInput) {
  {
    QuestionLogService off(Options(0), &metrics_);
    off.Start();
    EXPECT_FALSE(off.enabled());
    EXPECT_EQ(off.Record(Vote("Q?", false)).code(), StatusCode::kUnavailable);
    EXPECT_EQ(off.Unanswered({0, 10}).status().code(), StatusCode::kUnavailable);
    EXPECT_EQ(off.Forget("").status().code(), StatusCode::kUnavailable);
  }
  {
    QuestionLogService not_started(Options(), &metrics_);
    EXPECT_EQ(not_started.Record(Vote("Q?", false)).code(), StatusCode::kUnavailable);
  }
  QuestionLogOptions full_options = Options();
  full_options.max_queued = 0;
  QuestionLogService full(full_options, &metrics_);
  full.Start();
  EXPECT_EQ(full.Record(Vote("Q?", false)).code(), StatusCode::kResourceExhausted);
  full.OnAnswer(Asked("Q?"), Answer(false, "q", std::nullopt), "api");
  EXPECT_EQ(metrics_.QuestionLogDroppedCount(), 2);
  EXPECT_EQ(metrics_.FeedbackCount(false), 0);

  QuestionLogService log(Options(), &metrics_);
  log.Start();
  const struct {
    Feedback feedback;
    const char* field;
  } bad[] = {
      {Vote("", false), "question"},
      {Vote("?!", false), "question"},
      {Vote(std::string(kMaxFeedbackQuestionBytes + 1, 'q'), false), "question"},
      {Vote("Q", false, std::string(kMaxFeedbackCommentBytes + 1, 'c')), "comment"},
      {Vote("Q \xff", false), "question"},
  };
  for (const auto& c : bad) {
    const Status status = log.Record(c.feedback);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.field;
    EXPECT_NE(status.message().find(c.field), std::string::npos) << status.message();
  }
  log.Stop();
  EXPECT_EQ(log.Record(Vote("Q?", false)).code(), StatusCode::kUnavailable) << "after Stop";
}

TEST_F(QuestionLogServiceTest, PrunesWhatIsOlderThanTheRetention) {
  int64_t now = kNow;
  QuestionLogOptions options = Options(1);
  options.now = [&now] { return now; };
  QuestionLogService log(options, &metrics_);
  log.Start();
  log.OnAnswer(Asked("Old?"), Answer(false, "old", std::nullopt), "api");
  ASSERT_TRUE(log.Flush(10000));
  now += 2 * 86400;
  log.OnAnswer(Asked("New?"), Answer(false, "new", std::nullopt), "api");
  auto report = log.Unanswered({0, 10});
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->groups.size(), 1u) << "the old entry was pruned when the new one was written";
  EXPECT_EQ(report->groups[0].question, "new");
}

// The abstentions the log file holds now, read past the service (whose own reads flush).
int64_t AbstentionsInFile(const std::string& log_path) {
  auto log = indexer::QuestionLog::Open(log_path, indexer::QuestionLogAccess::kRead);
  if (!log.ok()) return -1;
  auto report = log->Unanswered({0, 1000});
  if (!report.ok()) return -1;
  int64_t count = 0;
  for (const auto& group : report->groups) count += group.abstained;
  return count;
}

// Entries wait (write_delay) so that many share one write; what must not wait does not.
TEST_F(QuestionLogServiceTest, EntriesWaitForCompanyButFlushStopAndAFullQueueDoNot) {
  struct Case {
    const char* name;
    size_t max_queued;
    int entries;
    bool flush;
    bool stop;
    int64_t expected_in_file;  // after the action, before any delay could pass
  };
  const Case cases[] = {
      {"entries alone wait", 100, 3, false, false, 0},
      {"a flush writes them at once", 100, 3, true, false, 3},
      {"stopping writes them at once", 100, 3, false, true, 3},
  };
  for (const Case& c : cases) {
    QuestionLogOptions options = Options();
    options.max_queued = c.max_queued;
    options.write_delay = std::chrono::hours(1);
    QuestionLogService log(options, &metrics_);
    log.Start();
    ASSERT_TRUE(log.Flush(10000)) << c.name;  // the writer has started and pruned
    const int64_t before = AbstentionsInFile(options.log_path);
    for (int i = 0; i < c.entries; ++i) {
      const std::string n = std::to_string(i);
      log.OnAnswer(Asked("Question " + n), Answer(false, "question " + n, std::nullopt), "api");
    }
    if (c.flush) {
      EXPECT_TRUE(log.Flush(10000)) << c.name;
    }
    if (c.stop) log.Stop();
    EXPECT_EQ(AbstentionsInFile(options.log_path) - before, c.expected_in_file) << c.name;
    log.Stop();
    EXPECT_EQ(AbstentionsInFile(options.log_path) - before, c.entries) << c.name << ": all kept";
  }
}

TEST_F(QuestionLogServiceTest, AQueueHalfFullIsWrittenWithoutWaiting) {
  QuestionLogOptions options = Options();
  options.max_queued = 4;
  options.write_delay = std::chrono::hours(1);
  QuestionLogService log(options, &metrics_);
  log.Start();
  log.OnAnswer(Asked("One?"), Answer(false, "one", std::nullopt), "api");
  log.OnAnswer(Asked("Two?"), Answer(false, "two", std::nullopt), "api");
  // Not a timing bound: the hour-long delay is what this waits not to need.
  int64_t in_file = 0;
  for (int i = 0; i < 600 && in_file < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    in_file = AbstentionsInFile(options.log_path);
  }
  EXPECT_EQ(in_file, 2);
  EXPECT_EQ(metrics_.QuestionLogDroppedCount(), 0);
}

// What publishing does (a snapshot renamed over the served index): the log, in its own
// file, keeps its entries, and the new index is never written.
TEST_F(QuestionLogServiceTest, KeepsItsLogWhenAnIndexIsMovedOverTheServedOne) {
  QuestionLogService log(Options(), &metrics_);
  log.Start();
  log.OnAnswer(Asked("First?"), Answer(false, "first", std::nullopt), "api");
  ASSERT_TRUE(log.Flush(10000));
  const std::string other = (root_ / "other.db").string();
  MakeIndex(root_ / "other_corpus", other);
  fs::rename(other, db_path_);
  log.OnAnswer(Asked("Second?"), Answer(false, "second", std::nullopt), "api");
  auto report = log.Unanswered({0, 10});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->groups.size(), 2u);
  EXPECT_NE(report->groups[0].question, report->groups[1].question);
  for (const auto& group : report->groups) {
    EXPECT_TRUE(group.question == "first" || group.question == "second") << group.question;
  }
  auto index = indexer::Database::Open(db_path_, indexer::OpenMode::kReadOnly);
  ASSERT_TRUE(index.ok());
  auto rows = index->Prepare("SELECT count(*) FROM question_abstentions");
  ASSERT_TRUE(rows.ok() && rows->Step());
  EXPECT_EQ(rows->ColumnInt(0), 0);
  EXPECT_FALSE(fs::exists(db_path_ + "-wal") && fs::file_size(db_path_ + "-wal") > 0)
      << "nothing was written beside the new index";
}

}  // namespace
}  // namespace citeqa::server
