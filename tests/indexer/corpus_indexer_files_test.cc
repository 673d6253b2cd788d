// IndexCorpus over a corpus folder with hostile entries (links out of it, loops, dangling
// links, FIFOs, two links to one outside file, a link to a file also listed directly), and
// files that cannot be read for a moment: they keep their indexed version; only a file
// that is gone loses its document.
//
// "Cannot be read for a moment" is made real between the listing and the read (the
// IndexOptions::on_listed hook): the file loses its permissions (in a child process as
// "nobody" when the tests run as root, which reads a chmod 000 file anyway), or is
// replaced by a folder, a FIFO or a link out of the corpus.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>

#include "indexer/corpus_indexer.h"
#include "indexer/sqlite_db.h"
#include "tests/indexer/unprivileged_child.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

class CorpusIndexerFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("citeqa_indexer_files_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "corpus");
    corpus_ = root_ / "corpus";
    options_.corpus_dir = corpus_.string();
    options_.db_path = (root_ / "index.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  void Write(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
  }

  static std::string Article(const std::string& topic) {
    return "About " + topic + "\nThe " + topic +
           " is described here in enough words to make a passage of its own. It has a "
           "second sentence that talks about the " +
           topic + " and its many duties.\n";
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

  static bool HasMessage(const IndexSummary& summary, const std::string& text) {
    for (const std::string& message : summary.messages) {
      if (message.find(text) != std::string::npos) return true;
    }
    return false;
  }

  fs::path root_;
  fs::path corpus_;
  IndexOptions options_;
};

TEST_F(CorpusIndexerFilesTest, HostileEntriesAreSkippedNamedAndNeverFailTheRun) {
  Write(root_ / "outside_secret.txt", Article("xylophone"));
  Write(corpus_ / "a.txt", Article("zebra"));
  Write(corpus_ / ".drafts" / "draft.txt", Article("giraffe"));
  fs::create_symlink("../outside_secret.txt", corpus_ / "secret1.txt");
  fs::create_symlink("../outside_secret.txt", corpus_ / "secret2.txt");
  fs::create_symlink("loop_b.txt", corpus_ / "loop_a.txt");
  fs::create_symlink("loop_a.txt", corpus_ / "loop_b.txt");
  fs::create_symlink("gone.txt", corpus_ / "dangling.txt");
  fs::create_symlink("a.txt", corpus_ / "alias.txt");
  fs::create_symlink(".drafts/draft.txt", corpus_ / "draft.txt");
  ASSERT_EQ(::mkfifo((corpus_ / "pipe.txt").c_str(), 0644), 0);

  for (int run = 0; run < 2; ++run) {
    auto summary = IndexCorpus(options_);
    ASSERT_TRUE(summary.ok()) << "run " << run << ": " << summary.status().ToString();
    EXPECT_EQ(summary->added + summary->unchanged, 2) << run;
    EXPECT_EQ(summary->removed, 0) << run;
    EXPECT_EQ(summary->skipped, 7) << run;
    const struct {
      std::string message;
    } cases[] = {
        {"skipped secret1.txt: a symbolic link out of the corpus folder"},
        {"skipped secret2.txt: a symbolic link out of the corpus folder"},
        {"skipped loop_a.txt: a symbolic link that loops"},
        {"skipped loop_b.txt: a symbolic link that loops"},
        {"skipped dangling.txt: a symbolic link to nothing"},
        {"skipped alias.txt: a symbolic link to a.txt"},
        {"skipped pipe.txt: not a regular file (a FIFO)"},
    };
    for (const auto& c : cases) EXPECT_TRUE(HasMessage(*summary, c.message)) << c.message;
    EXPECT_FALSE(HasMessage(*summary, "outside_secret")) << "the target is never named";
  }
  const auto snapshot = Snapshot();
  EXPECT_EQ(snapshot.size(), 2u);
  EXPECT_EQ(snapshot.count("a.txt"), 1u);
  EXPECT_EQ(snapshot.count("draft.txt"), 1u) << "a link to a file inside is read under its name";
  EXPECT_EQ(FtsMatches("xylophone"), 0) << "the outside file is not searchable";
  EXPECT_EQ(FtsMatches("giraffe"), 1);
}

// An index written before links were checked holds the outside file under the name the
// old listing gave it; the next run removes it.
TEST_F(CorpusIndexerFilesTest, OutsideDocumentsOfAnOlderIndexAreRemoved) {
  Write(corpus_ / "a.txt", Article("zebra"));
  Write(corpus_ / "leak.txt", Article("xylophone"));
  ASSERT_TRUE(IndexCorpus(options_).ok());
  ASSERT_EQ(FtsMatches("xylophone"), 1);
  fs::rename(corpus_ / "leak.txt", root_ / "outside_secret.txt");
  fs::create_symlink("../outside_secret.txt", corpus_ / "leak.txt");
  auto summary = IndexCorpus(options_);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->removed, 1);
  EXPECT_TRUE(HasMessage(*summary, "skipped leak.txt: a symbolic link out of the corpus folder"));
  EXPECT_EQ(FtsMatches("xylophone"), 0);
}

TEST_F(CorpusIndexerFilesTest, AFileThatCannotBeReadForAMomentKeepsItsDocument) {
  const struct {
    std::string name;
    std::function<void(const fs::path&)> make_unreadable;  // a.txt, between listing and read
    bool as_unprivileged_user;                             // root would read it anyway
    std::string reason;                                    // in "skipped a.txt: ..."
    bool kept_when_listed;  // on the next run, which lists the changed entry itself
  } cases[] = {
      {"permissions taken away",
       [](const fs::path& path) { fs::permissions(path, fs::perms::none); }, true,
       "cannot open: Permission denied", true},
      {"replaced by a folder",
       [](const fs::path& path) {
         fs::remove(path);
         fs::create_directory(path);
       },
       false, "not a regular file (a folder)", false},
      {"replaced by a FIFO",
       [](const fs::path& path) {
         fs::remove(path);
         ASSERT_EQ(::mkfifo(path.c_str(), 0644), 0);
       },
       false, "not a regular file (a FIFO)", false},
      {"replaced by a link out of the folder",
       [](const fs::path& path) {
         fs::remove(path);
         fs::create_symlink("../../outside_secret.txt", path);
       },
       false, "a symbolic link", false},
  };
  Write(root_ / "outside_secret.txt", Article("xylophone"));
  testing::LetAnyoneWriteIn(root_);
  int n = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path dir = root_ / ("case" + std::to_string(n++));
    const auto run_case = [&] {
      IndexOptions options;
      options.corpus_dir = (dir / "corpus").string();
      options.db_path = (dir / "index.db").string();
      Write(dir / "corpus" / "a.txt", Article("zebra"));
      Write(dir / "corpus" / "b.txt", Article("giraffe"));
      ASSERT_TRUE(IndexCorpus(options).ok());
      options_ = options;
      const auto before = Snapshot();
      ASSERT_EQ(before.count("a.txt"), 1u);

      IndexOptions racing = options;
      racing.verify = true;  // listed with its indexed stamp: only --verify reads it now
      racing.on_listed = [&] { c.make_unreadable(dir / "corpus" / "a.txt"); };
      auto summary = IndexCorpus(racing);
      ASSERT_TRUE(summary.ok()) << summary.status().ToString();
      EXPECT_EQ(summary->removed, 0);
      EXPECT_EQ(summary->skipped, 1);
      ASSERT_EQ(summary->messages.size(), 1u);
      EXPECT_EQ(summary->messages[0].rfind("skipped a.txt: ", 0), 0u) << summary->messages[0];
      EXPECT_NE(summary->messages[0].find(c.reason), std::string::npos) << summary->messages[0];
      EXPECT_NE(summary->messages[0].find("(its indexed version is kept)"), std::string::npos)
          << summary->messages[0];
      EXPECT_EQ(Snapshot(), before) << "the document and its passages are as they were";
      EXPECT_EQ(FtsMatches("xylophone"), 0);

      // The next run lists the entry as it now is: still a file that cannot be read (kept),
      // or no file any more (the document goes).
      auto next = IndexCorpus(options);
      ASSERT_TRUE(next.ok()) << next.status().ToString();
      EXPECT_EQ(Snapshot().count("a.txt"), c.kept_when_listed ? 1u : 0u);
      EXPECT_EQ(next->removed, c.kept_when_listed ? 0 : 1);
      EXPECT_EQ(FtsMatches("xylophone"), 0);
    };
    if (c.as_unprivileged_user) {
      EXPECT_EQ(testing::RunAsUnprivilegedChild(run_case), 0) << "see the child's failures above";
    } else {
      run_case();
    }
  }
}

TEST_F(CorpusIndexerFilesTest, AFileDeletedBetweenListingAndReadingIsRemoved) {
  Write(corpus_ / "a.txt", Article("zebra"));
  Write(corpus_ / "b.txt", Article("giraffe"));
  ASSERT_TRUE(IndexCorpus(options_).ok());
  IndexOptions racing = options_;
  racing.verify = true;  // listed with its indexed stamp: only --verify reads it now
  racing.on_listed = [&] { fs::remove(corpus_ / "a.txt"); };
  auto summary = IndexCorpus(racing);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->removed, 1);
  EXPECT_EQ(summary->skipped, 0);
  EXPECT_TRUE(summary->messages.empty());
  EXPECT_EQ(Snapshot().count("a.txt"), 0u);
  EXPECT_EQ(FtsMatches("zebra"), 0);
}

TEST_F(CorpusIndexerFilesTest, AFolderThatCannotBeListedKeepsItsDocuments) {
  testing::LetAnyoneWriteIn(root_);
  const int code = testing::RunAsUnprivilegedChild([&] {
    Write(corpus_ / "a.txt", Article("zebra"));
    Write(corpus_ / "sub" / "b.txt", Article("giraffe"));
    ASSERT_TRUE(IndexCorpus(options_).ok());
    fs::permissions(corpus_ / "sub", fs::perms::none);
    auto summary = IndexCorpus(options_);
    fs::permissions(corpus_ / "sub", fs::perms::owner_all);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    EXPECT_EQ(summary->removed, 0);
    ASSERT_EQ(summary->messages.size(), 1u);
    EXPECT_EQ(summary->messages[0],
              "skipped sub/: cannot open the folder: Permission denied (its indexed documents "
              "are kept)");
    EXPECT_EQ(Snapshot().count("sub/b.txt"), 1u);
  });
  EXPECT_EQ(code, 0) << "see the child's failures above";
}

}  // namespace
}  // namespace citeqa::indexer
