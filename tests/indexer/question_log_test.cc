// The question log's tables (schema version 3): normalised questions, appending, the grouped
// report, pruning, forgetting, the migration of a version-2 index, and indexing runs that
// leave the log alone.
#include "indexer/question_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "indexer/corpus_indexer.h"
#include "indexer/index_schema.h"
#include "indexer/question_text.h"
#include "indexer/sqlite_db.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

TEST(NormalizeQuestionTest, GroupsWhatReadersTypeDifferently) {
  const struct {
    const char* question;
    WordCorrections corrections;
    const char* expected;
  } cases[] = {
      {"What is the notice period?", {}, "what is the notice period"},
      {"  What   is the\tnotice period ?!  ", {}, "what is the notice period"},
      {"WHAT IS THE NOTICE PERIOD.", {}, "what is the notice period"},
      {"What is the notice perod?", {{"perod", "period"}}, "what is the notice period"},
      {"Perod perod, perod?", {{"perod", "period"}}, "period period, period"},
      {"Who runs the U.S. team?", {}, "who runs the u.s. team"},
      {"is it 'done'?", {}, "is it 'done'"},
      {"Café hours?", {}, "café hours"},
      {"?!...", {}, ""},
      {"periodic perod", {{"perod", "period"}}, "periodic period"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(NormalizeQuestion(c.question, c.corrections), c.expected) << c.question;
  }
}

class QuestionLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("citeqa_question_log_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "corpus");
    std::ofstream(root_ / "corpus" / "heron.txt") << "Herons\n\nThe grey heron waits by the "
                                                     "river and fishes at dawn.\n";
    std::ofstream(root_ / "corpus" / "otter.txt") << "Otters\n\nThe otter swims in the river "
                                                     "and eats fish and frogs.\n";
    options_.corpus_dir = (root_ / "corpus").string();
    options_.db_path = (root_ / "index.db").string();
    auto summary = IndexCorpus(options_);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  }
  void TearDown() override { fs::remove_all(root_); }

  QuestionLog OpenLog(QuestionLogAccess access = QuestionLogAccess::kWrite) {
    auto log = QuestionLog::Open(LogPath(), access);
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    return std::move(*log);
  }

  std::string LogPath() const { return QuestionLogPathFor(options_.db_path); }

  int64_t Count(const std::string& sql) {
    auto db = Database::Open(options_.db_path, OpenMode::kReadOnly);
    EXPECT_TRUE(db.ok());
    auto stmt = db->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << sql;
    EXPECT_TRUE(stmt->Step()) << sql;
    return stmt->ColumnInt(0);
  }

  static AbstentionEntry Abstained(int64_t at, std::string question, std::string normalized,
                                   std::optional<LoggedPassage> considered = std::nullopt) {
    return {at, std::move(question), std::move(normalized), "web", "c1", std::move(considered)};
  }

  static FeedbackEntry Vote(int64_t at, std::string question, std::string normalized, bool up,
                            std::string comment = "") {
    FeedbackEntry e;
    e.at = at;
    e.question = std::move(question);
    e.normalized = std::move(normalized);
    e.source = "api";
    e.answer = "An answer [1].";
    e.helpful = up;
    e.comment = std::move(comment);
    return e;
  }

  fs::path root_;
  IndexOptions options_;
  RetentionLimits keep_all_{0, 100000};
};

TEST_F(QuestionLogTest, ANewIndexHasTheLogTables) {
  EXPECT_EQ(Count("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(kSchemaVersion, 7);
  EXPECT_EQ(Count("SELECT count(*) FROM sqlite_master WHERE name IN "
                  "('question_abstentions', 'answer_feedback')"),
            2);
}

TEST_F(QuestionLogTest, GroupsByNormalisedQuestion) {
  const LoggedPassage heron{1, "heron.txt", "Herons"};
  const LoggedPassage otter{2, "otter.txt", "Otters"};
  QuestionLog log = OpenLog();
  ASSERT_TRUE(
      log.Append({Abstained(100, "What is the notice perod?", "what is the notice period", heron),
                  Abstained(300, "what is the notice period", "what is the notice period", otter),
                  Abstained(200, "Who feeds the herons?", "who feeds the herons")},
                 {Vote(400, "What is the notice period?", "what is the notice period", false,
                       "It did not say how long"),
                  Vote(150, "What is the notice period?", "what is the notice period", true),
                  Vote(500, "Do otters swim?", "do otters swim", true),
                  Vote(250, "Who feeds the herons?", "who feeds the herons", false)},
                 keep_all_)
          .ok());
  auto report = log.Unanswered({0, 10});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->total_groups, 2) << "a group of up votes only is left out";
  ASSERT_EQ(report->groups.size(), 2u);
  const UnansweredGroup& first = report->groups[0];
  EXPECT_EQ(first.question, "what is the notice period");
  EXPECT_EQ(first.count, 3);
  EXPECT_EQ(first.abstained, 2);
  EXPECT_EQ(first.down_votes, 1);
  EXPECT_EQ(first.up_votes, 1);
  EXPECT_EQ(first.first_seen, 100);
  EXPECT_EQ(first.last_seen, 400);
  EXPECT_EQ(first.asked_as,
            (std::vector<std::string>{"What is the notice period?", "what is the notice period",
                                      "What is the notice perod?"}));
  EXPECT_EQ(first.comments, std::vector<std::string>{"It did not say how long"});
  ASSERT_TRUE(first.top_passage.has_value());
  EXPECT_EQ(*first.top_passage, otter) << "the latest entry's passage";
  const UnansweredGroup& second = report->groups[1];
  EXPECT_EQ(second.question, "who feeds the herons");
  EXPECT_EQ(second.count, 2);
  EXPECT_FALSE(second.top_passage.has_value());
  EXPECT_TRUE(second.comments.empty());
}

TEST_F(QuestionLogTest, OrdersByCountThenLastSeenAndHonoursSinceAndLimit) {
  QuestionLog log = OpenLog();
  ASSERT_TRUE(log.Append({Abstained(10, "a", "a"), Abstained(20, "b", "b"), Abstained(30, "b", "b"),
                          Abstained(40, "c", "c"), Abstained(50, "d", "d")},
                         {}, keep_all_)
                  .ok());
  const struct {
    int64_t since;
    int limit;
    std::vector<std::string> expected;
    int64_t total;
  } cases[] = {
      {0, 10, {"b", "d", "c", "a"}, 4},
      {0, 2, {"b", "d"}, 4},
      {25, 10, {"d", "c", "b"}, 3},
      {60, 10, {}, 0},
  };
  for (const auto& c : cases) {
    auto report = log.Unanswered({c.since, c.limit});
    ASSERT_TRUE(report.ok());
    std::vector<std::string> got;
    for (const auto& g : report->groups) got.push_back(g.question);
    EXPECT_EQ(got, c.expected) << "since " << c.since << " limit " << c.limit;
    EXPECT_EQ(report->total_groups, c.total) << "since " << c.since;
  }
  EXPECT_EQ(log.Unanswered({0, 0}).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(QuestionLogTest, PrunesByAgeAndRowCap) {
  QuestionLog log = OpenLog();
  std::vector<AbstentionEntry> abstentions;
  std::vector<FeedbackEntry> votes;
  for (int i = 1; i <= 10; ++i) {
    abstentions.push_back(Abstained(i * 10, "q" + std::to_string(i), "q" + std::to_string(i)));
    votes.push_back(Vote(i * 10, "q", "q", false));
  }
  ASSERT_TRUE(log.Append(abstentions, votes, keep_all_).ok());
  const struct {
    RetentionLimits limits;
    int64_t abstentions_left;
    int64_t feedback_left;
  } cases[] = {
      {{0, 100}, 10, 10},  // nothing to prune
      {{35, 100}, 7, 7},   // older than 35 s go
      {{0, 5}, 5, 5},      // the newest 5 of each stay
      {{95, 5}, 1, 1},    {{0, 0}, 0, 0},
  };
  for (const auto& c : cases) {
    auto pruned = log.Prune(c.limits);
    ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
    EXPECT_EQ(*log.CountAbstentions(), c.abstentions_left) << c.limits.keep_since;
    EXPECT_EQ(*log.CountFeedback(), c.feedback_left) << c.limits.keep_since;
  }
  // Append applies the limits too: the oldest entry of the newest 3 is at 70.
  ASSERT_TRUE(log.Append({Abstained(70, "x", "x"), Abstained(80, "y", "y"), Abstained(90, "z", "z"),
                          Abstained(5, "old", "old")},
                         {}, {60, 3})
                  .ok());
  auto report = log.Unanswered({0, 10});
  ASSERT_TRUE(report.ok());
  std::vector<std::string> got;
  for (const auto& g : report->groups) got.push_back(g.question);
  EXPECT_EQ(got, (std::vector<std::string>{"z", "y", "x"}));
}

// The cap keeps the rows among the newest max_rows ids: rows Forget removed count among
// them, so the log does not refill the cap with older rows.
TEST_F(QuestionLogTest, TheRowCapCountsTheNewestIdsForgottenOrNot) {
  QuestionLog log = OpenLog();
  std::vector<AbstentionEntry> abstentions;
  for (int i = 1; i <= 6; ++i) {
    abstentions.push_back(Abstained(i, "q" + std::to_string(i), "q" + std::to_string(i)));
  }
  ASSERT_TRUE(log.Append(abstentions, {}, keep_all_).ok());
  ASSERT_EQ(*log.Forget("q6"), 1);
  ASSERT_EQ(*log.Forget("q5"), 1);
  ASSERT_TRUE(log.Append({Abstained(7, "q7", "q7")}, {}, {0, 4}).ok());
  auto report = log.Unanswered({0, 10});
  ASSERT_TRUE(report.ok());
  std::vector<std::string> left;
  for (const auto& g : report->groups) left.push_back(g.question);
  EXPECT_EQ(left, (std::vector<std::string>{"q7", "q4"}));
}

TEST_F(QuestionLogTest, ForgetsOneGroupOrAll) {
  QuestionLog log = OpenLog();
  ASSERT_TRUE(log.Append({Abstained(1, "A?", "a"), Abstained(2, "b", "b")},
                         {Vote(3, "A", "a", false), Vote(4, "c", "c", true)}, keep_all_)
                  .ok());
  auto one = log.Forget("a");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, 2);
  EXPECT_EQ(*log.Forget("no such question"), 0);
  EXPECT_EQ(*log.CountAbstentions(), 1);
  auto all = log.Forget("");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, 2);
  EXPECT_EQ(*log.CountAbstentions() + *log.CountFeedback(), 0);
}

TEST_F(QuestionLogTest, ReadOnlyLogRefusesWrites) {
  QuestionLog log = OpenLog(QuestionLogAccess::kRead);
  EXPECT_FALSE(log.Append({Abstained(1, "a", "a")}, {}, keep_all_).ok());
  EXPECT_FALSE(log.Forget("").ok());
}

TEST_F(QuestionLogTest, LivesInAFileOfItsOwnBesideTheIndex) {
  EXPECT_EQ(QuestionLogPathFor("/var/lib/citeqa/citeqa.db"), "/var/lib/citeqa/citeqa.questions.db");
  EXPECT_EQ(QuestionLogPathFor("index"), "index.questions.db");
  EXPECT_EQ(QuestionLogPathFor("dir/.db"), "dir/.db.questions.db");
  ASSERT_FALSE(fs::exists(LogPath()));

  // Reading a log never written: empty, and nothing created.
  QuestionLog reader = OpenLog(QuestionLogAccess::kRead);
  EXPECT_EQ(*reader.CountAbstentions(), 0);
  EXPECT_TRUE(reader.Unanswered({0, 10})->groups.empty());
  EXPECT_FALSE(fs::exists(LogPath()));

  const auto index_bytes = fs::file_size(options_.db_path);
  {
    QuestionLog writer = OpenLog();
    ASSERT_TRUE(writer.Append({Abstained(1, "Who feeds herons?", "who feeds herons")}, {},
                              keep_all_)
                    .ok());
  }
  EXPECT_TRUE(fs::exists(LogPath()));
  EXPECT_EQ(Count("SELECT count(*) FROM question_abstentions"), 0) << "the index is not written";
  EXPECT_EQ(fs::file_size(options_.db_path), index_bytes);

  // Another index moved over this one (a published snapshot): the log stays.
  IndexOptions other = options_;
  other.db_path = (root_ / "other.db").string();
  ASSERT_TRUE(IndexCorpus(other).ok());
  fs::rename(other.db_path, options_.db_path);
  EXPECT_EQ(*OpenLog(QuestionLogAccess::kRead).CountAbstentions(), 1);
}

TEST_F(QuestionLogTest, RefusesAFileThatIsNotALog) {
  const std::string junk = (root_ / "junk.questions.db").string();
  std::ofstream(junk) << std::string(4096, 'x');
  EXPECT_FALSE(QuestionLog::Open(junk, QuestionLogAccess::kWrite).ok());
  EXPECT_FALSE(QuestionLog::Open(junk, QuestionLogAccess::kRead).ok());

  const std::string half = (root_ / "half.questions.db").string();
  {
    auto db = Database::Open(half, OpenMode::kReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("CREATE TABLE answer_feedback (id INTEGER PRIMARY KEY)").ok());
  }
  auto opened = QuestionLog::Open(half, QuestionLogAccess::kWrite);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kCorruption);
}

TEST_F(QuestionLogTest, IndexingLeavesTheLogAlone) {
  {
    QuestionLog log = OpenLog();
    ASSERT_TRUE(log.Append({Abstained(1, "Who feeds herons?", "who feeds herons",
                                      LoggedPassage{1, "heron.txt", "Herons"})},
                           {Vote(2, "Do otters swim?", "do otters swim", false)}, keep_all_)
                    .ok());
  }
  // A changed, a removed and a new document: passages are deleted and written again.
  std::ofstream(root_ / "corpus" / "heron.txt") << "Herons\n\nThe heron nests in tall trees.\n";
  fs::remove(root_ / "corpus" / "otter.txt");
  std::ofstream(root_ / "corpus" / "kingfisher.txt") << "Kingfishers\n\nThe kingfisher dives.\n";
  auto summary = IndexCorpus(options_);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->removed, 1);
  EXPECT_EQ(summary->updated, 1);
  QuestionLog log = OpenLog(QuestionLogAccess::kRead);
  EXPECT_EQ(*log.CountAbstentions(), 1);
  EXPECT_EQ(*log.CountFeedback(), 1);
  auto report = log.Unanswered({0, 10});
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->groups.size(), 2u);
  ASSERT_TRUE(report->groups[1].top_passage.has_value() ||
              report->groups[0].top_passage.has_value());
}

TEST_F(QuestionLogTest, IndexingMigratesAVersion2Index) {
  {
    auto db = Database::Open(options_.db_path, OpenMode::kReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("DROP TABLE question_abstentions; DROP TABLE answer_feedback; "
                         "ALTER TABLE documents DROP COLUMN file_stamp; "
                         "DROP TABLE stem_frequency; PRAGMA user_version = 2")
                    .ok());
  }
  auto summary = IndexCorpus(options_);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->unchanged, 2);
  EXPECT_EQ(Count("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(Count("SELECT count(*) FROM answer_feedback"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM stem_frequency"),
            Count("SELECT count(*) FROM stem_vocab"));
  EXPECT_GT(Count("SELECT count(*) FROM stem_frequency"), 0);
}

}  // namespace
}  // namespace citeqa::indexer
