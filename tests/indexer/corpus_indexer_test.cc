#include "indexer/corpus_indexer.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "indexer/sqlite_db.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

class CorpusIndexerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("citeqa_indexer_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "corpus");
    options_.corpus_dir = (root_ / "corpus").string();
    options_.db_path = (root_ / "index.db").string();
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& name, const std::string& content) {
    std::ofstream(root_ / "corpus" / name, std::ios::binary) << content;
  }

  // file -> passage texts, read straight from the database.
  std::map<std::string, std::vector<std::string>> Snapshot() {
    auto db = Database::Open(options_.db_path, OpenMode::kReadOnly);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    auto stmt = db->Prepare(
        "SELECT d.file, p.text FROM passages p JOIN documents d ON d.id = p.doc_id "
        "ORDER BY d.file, p.ordinal");
    std::map<std::string, std::vector<std::string>> out;
    while (stmt->Step()) out[stmt->ColumnText(0)].push_back(stmt->ColumnText(1));
    return out;
  }

  int64_t FtsMatches(const std::string& word) {
    auto db = Database::Open(options_.db_path, OpenMode::kReadOnly);
    auto stmt = db->Prepare("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?1");
    stmt->Bind(1, word);
    EXPECT_TRUE(stmt->Step()) << stmt->status().ToString();
    return stmt->ColumnInt(0);
  }

  static std::string Article(const std::string& topic) {
    return "About " + topic + "\nThe " + topic +
           " is described here in enough words to make a passage of its own. It has a "
           "second sentence that talks about the " + topic + " and its many duties.\n";
  }

  fs::path root_;
  IndexOptions options_;
};

TEST_F(CorpusIndexerTest, AddsChangesRemovesAndSkips) {
  Write("a.txt", Article("zebra"));
  Write("b.md", Article("giraffe"));
  Write("notes.pdf", "%PDF-1.4");
  Write("binary.txt", std::string("\x7F" "ELF\0\0\0\x01\x02", 9));
  auto first = IndexCorpus(options_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->added, 2);
  EXPECT_EQ(first->skipped, 2);
  EXPECT_EQ(first->messages.size(), 2u);
  EXPECT_EQ(FtsMatches("zebra"), 1);
  EXPECT_EQ(FtsMatches("giraffes"), 1) << "porter stemming";

  auto again = IndexCorpus(options_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 2);
  EXPECT_EQ(again->added + again->updated + again->removed, 0);
  EXPECT_EQ(again->ToLine(),
            "documents: 0 added, 0 updated, 0 removed, 2 unchanged, 2 skipped; passages: " +
                std::to_string(first->passages));

  Write("a.txt", Article("okapi"));
  fs::remove(root_ / "corpus" / "b.md");
  auto third = IndexCorpus(options_);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->updated, 1);
  EXPECT_EQ(third->removed, 1);
  EXPECT_EQ(FtsMatches("zebra"), 0);
  EXPECT_EQ(FtsMatches("giraffe"), 0);
  EXPECT_EQ(FtsMatches("okapi"), 1);
  EXPECT_EQ(Snapshot().size(), 1u);
}

// The listed files meet the stored documents in one pass in name order: a removed document
// between listed files, names that sort differently by their '-', '.' and '/', a changed
// and an added file among them. Each document gets what its own file says.
TEST_F(CorpusIndexerTest, ChangesInterleavedInNameOrderReachTheirOwnDocuments) {
  fs::create_directories(root_ / "corpus" / "a");
  Write("a-b.txt", Article("walrus"));
  Write("a.txt", Article("zebra"));
  Write("a/b.txt", Article("giraffe"));
  Write("b.txt", Article("okapi"));
  ASSERT_TRUE(IndexCorpus(options_).ok());
  fs::remove(root_ / "corpus" / "a-b.txt");
  Write("a/b.txt", Article("heron"));
  Write("a/a.txt", Article("otter"));
  auto run = IndexCorpus(options_);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->removed, 1);
  EXPECT_EQ(run->updated, 1);
  EXPECT_EQ(run->added, 1);
  EXPECT_EQ(run->unchanged, 2);
  const auto snapshot = Snapshot();
  std::map<std::string, std::string> about;  // file -> its passages' text
  for (const auto& [file, texts] : snapshot) {
    for (const std::string& text : texts) about[file] += text;
  }
  ASSERT_EQ(about.size(), 4u);
  const std::pair<const char*, const char*> expected[] = {
      {"a.txt", "zebra"}, {"a/a.txt", "otter"}, {"a/b.txt", "heron"}, {"b.txt", "okapi"}};
  for (const auto& [file, topic] : expected) {
    EXPECT_NE(about[file].find(topic), std::string::npos) << file;
  }
  EXPECT_EQ(FtsMatches("walrus"), 0);
  EXPECT_EQ(FtsMatches("giraffe"), 0);
}

// A file whose stamp (size, times, inode) is as indexed is not read again; one that was
// touched is read, found unchanged, and remembered under its new stamp; --verify reads all.
TEST_F(CorpusIndexerTest, ReadsOnlyFilesWhoseStampChanged) {
  Write("a.txt", Article("zebra"));
  Write("b.txt", Article("giraffe"));
  Write("c.txt", Article("okapi"));
  auto first = IndexCorpus(options_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->files_read, 3);

  auto again = IndexCorpus(options_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->files_read, 0);
  EXPECT_EQ(again->unchanged, 3);

  // Touched: same bytes, new times.
  const fs::path b = root_ / "corpus" / "b.txt";
  fs::last_write_time(b, fs::last_write_time(b) + std::chrono::seconds(5));
  auto touched = IndexCorpus(options_);
  ASSERT_TRUE(touched.ok());
  EXPECT_EQ(touched->files_read, 1);
  EXPECT_EQ(touched->unchanged, 3);
  EXPECT_EQ(touched->updated, 0);
  EXPECT_EQ(IndexCorpus(options_)->files_read, 0) << "the new stamp was remembered";

  // Rewritten in place with the same size and its old modification time put back (as
  // `cp -p` or `touch -d` would): the status-change time still differs.
  const auto modified = fs::last_write_time(b);
  Write("b.txt", Article("gazelle").substr(0, Article("giraffe").size()));
  fs::last_write_time(b, modified);
  auto rewritten = IndexCorpus(options_);
  ASSERT_TRUE(rewritten.ok());
  EXPECT_EQ(rewritten->files_read, 1);
  EXPECT_EQ(rewritten->updated, 1);
  EXPECT_EQ(FtsMatches("gazell*"), 1);

  IndexOptions verify = options_;
  verify.verify = true;
  auto verified = IndexCorpus(verify);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->files_read, 3);
  EXPECT_EQ(verified->unchanged, 3);
}

// An index written before stamps (schema version 3) reads every file once, then stamps them.
TEST_F(CorpusIndexerTest, AnIndexWithoutStampsReadsEveryFileOnce) {
  Write("a.txt", Article("zebra"));
  Write("b.txt", Article("giraffe"));
  ASSERT_TRUE(IndexCorpus(options_).ok());
  {
    auto db = Database::Open(options_.db_path, OpenMode::kReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("UPDATE documents SET file_stamp = ''").ok());
  }
  auto upgraded = IndexCorpus(options_);
  ASSERT_TRUE(upgraded.ok());
  EXPECT_EQ(upgraded->files_read, 2);
  EXPECT_EQ(upgraded->unchanged, 2);
  EXPECT_EQ(IndexCorpus(options_)->files_read, 0);
}

// A document indexed by another pipeline version (an older build's reading, cleaning or
// chunking) is read and cut again, even when neither its bytes nor its stamp changed; then
// later runs read nothing.
TEST_F(CorpusIndexerTest, DocumentsOfAnotherPipelineVersionAreCutAgainOnce) {
  // One paragraph of 150 words: pipeline-3 cut it in two, this pipeline keeps it whole.
  std::string paragraph;
  for (int i = 0; i < 15; ++i) {
    paragraph += "The zebra number " + std::to_string(i) + " grazes on the open plain today. ";
  }
  Write("a.txt", "Zebras\n" + paragraph + "\n");
  Write("b.txt", Article("giraffe"));
  ASSERT_TRUE(IndexCorpus(options_).ok());
  ASSERT_EQ(Snapshot()["a.txt"].size(), 1u);
  {  // As the older build left it: a.txt's hash is of its pipeline, b.txt's of this one.
    auto db = Database::Open(options_.db_path, OpenMode::kReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("UPDATE documents SET content_hash = replace(content_hash, ':" +
                         std::string(kPipelineVersion) + "', ':pipeline-3') WHERE file = 'a.txt'")
                    .ok());
  }
  auto recut = IndexCorpus(options_);
  ASSERT_TRUE(recut.ok()) << recut.status().ToString();
  EXPECT_EQ(recut->files_read, 1);
  EXPECT_EQ(recut->updated, 1);
  EXPECT_EQ(recut->unchanged, 1);
  EXPECT_EQ(Snapshot()["a.txt"].size(), 1u);
  EXPECT_EQ(FtsMatches("zebra"), 1);
  auto again = IndexCorpus(options_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->files_read, 0);
  EXPECT_EQ(again->unchanged, 2);
}

TEST_F(CorpusIndexerTest, MissingCorpusIsNotFound) {
  options_.corpus_dir = (root_ / "nope").string();
  auto result = IndexCorpus(options_);
  EXPECT_EQ(result.status().code(), StatusCode::kNotFound);
}

TEST_F(CorpusIndexerTest, RefusesADatabaseThatIsNotAnIndex) {
  {
    auto db = Database::Open(options_.db_path, OpenMode::kReadWrite);
    ASSERT_TRUE(db->Exec("CREATE TABLE other(x)").ok());
  }
  Write("a.txt", Article("zebra"));
  EXPECT_EQ(IndexCorpus(options_).status().code(), StatusCode::kCorruption);
}

TEST_F(CorpusIndexerTest, KilledRunLeavesThePreviousIndexIntact) {
  Write("a.txt", Article("zebra"));
  ASSERT_TRUE(IndexCorpus(options_).ok());
  const auto before = Snapshot();

  Write("a.txt", Article("okapi"));
  for (int i = 0; i < 5; ++i) {
    Write("new" + std::to_string(i) + ".txt", Article("lemur" + std::to_string(i)));
  }
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    IndexOptions killed = options_;
    int written = 0;
    killed.on_document_written = [&](const std::string&) {
      if (++written == 3) ::kill(::getpid(), SIGKILL);
    };
    (void)IndexCorpus(killed);
    ::_exit(0);  // not reached: the callback kills the process mid-transaction
  }
  int wstatus = 0;
  ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wstatus));
  EXPECT_EQ(Snapshot(), before);

  auto clean = IndexCorpus(options_);
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  EXPECT_EQ(clean->added, 5);
  EXPECT_EQ(clean->updated, 1);
  EXPECT_EQ(FtsMatches("okapi"), 1);
  EXPECT_EQ(FtsMatches("zebra"), 0);
}

TEST_F(CorpusIndexerTest, IdenticalArticlesKeepTheirText) {
  for (int i = 0; i < 4; ++i) Write("copy" + std::to_string(i) + ".txt", Article("lemur"));
  auto summary = IndexCorpus(options_);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->added, 4);
  EXPECT_EQ(FtsMatches("lemur"), 4);
}

// Two writers: a run that another run overtook between its read of the folder and its
// write lock reads the folder again, or it would remove the file the other run added.
TEST_F(CorpusIndexerTest, RunThatAnotherRunOvertookReadsTheFolderAgain) {
  Write("a.txt", Article("zebra"));
  ASSERT_TRUE(IndexCorpus(options_).ok());
  int scans = 0;
  IndexOptions overtaken = options_;
  overtaken.on_scanned = [&] {
    if (++scans > 1) return;
    Write("b.txt", Article("okapi"));
    auto other = IndexCorpus(options_);
    ASSERT_TRUE(other.ok()) << other.status().ToString();
    EXPECT_EQ(other->added, 1);
  };
  auto run = IndexCorpus(overtaken);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(scans, 2);
  EXPECT_EQ(run->removed, 0);
  EXPECT_EQ(run->unchanged, 2);
  EXPECT_EQ(FtsMatches("okapi"), 1);

  // A run that nobody overtakes, or that only a run changing nothing overtakes, reads the
  // folder once.
  scans = 0;
  overtaken.on_scanned = [&] {
    if (++scans == 1) ASSERT_TRUE(IndexCorpus(options_).ok());
  };
  ASSERT_TRUE(IndexCorpus(overtaken).ok());
  EXPECT_EQ(scans, 1);
}

}  // namespace
}  // namespace citeqa::indexer

namespace citeqa::indexer {
namespace {

// Checks run as an unprivileged user (root reads any folder): in a child process that
// drops to "nobody" when the test runs as root. Returns a description of the first failure.
std::string UnreadableCorpusScenario(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(root / "c", ec);
  std::ofstream(root / "c" / "a.txt")
      << "About zebras\nZebras are striped and live in herds on the plains of Africa, eating grass.\n";
  IndexOptions options;
  options.corpus_dir = (root / "c").string();
  options.db_path = (root / "x.db").string();
  if (!IndexCorpus(options).ok()) return "first run failed";
  fs::permissions(root / "c", fs::perms::none, ec);
  if (ec) return "chmod: " + ec.message();
  auto failed = IndexCorpus(options);
  fs::permissions(root / "c", fs::perms::owner_all, ec);
  if (failed.status().code() != StatusCode::kIoError) return "unreadable folder: " + failed.status().ToString();
  auto again = IndexCorpus(options);
  if (!again.ok() || again->unchanged != 1 || again->removed != 0) return "index was changed";
  return "";
}

TEST(CorpusIndexerFolderTest, UnreadableCorpusIsAnErrorAndKeepsTheIndex) {
  const auto root = std::filesystem::temp_directory_path() / ("citeqa_unreadable_" + std::to_string(::getpid()));
  std::filesystem::create_directories(root);
  std::filesystem::permissions(root, std::filesystem::perms::all);  // the child may be "nobody"
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Only _exit leaves the child: it must never run the rest of the test suite.
    int code = 2;
    try {
      if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
      const std::string failure = UnreadableCorpusScenario(root);
      if (!failure.empty()) std::fprintf(stderr, "%s\n", failure.c_str());
      code = failure.empty() ? 0 : 1;
    } catch (...) {
    }
    ::_exit(code);
  }
  int wstatus = 0;
  ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
  std::filesystem::remove_all(root);
  ASSERT_TRUE(WIFEXITED(wstatus));
  EXPECT_EQ(WEXITSTATUS(wstatus), 0) << "see the child's message on stderr";
}

}  // namespace
}  // namespace citeqa::indexer
