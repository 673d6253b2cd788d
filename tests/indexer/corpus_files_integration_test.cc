// Corpus files that cannot hurt the index, with the real binary: `citeqa index` over a copy
// of corpus/ holding links out of it, loops, a dangling link, a FIFO and a duplicate link
// (exit 0, every skip named, the outside file's text never searchable); a file unreadable
// for a moment keeps its document (the run made as "nobody" when the tests run as root);
// and `citeqa serve --corpus --watch` re-indexes, uploads and watches with a loop in the
// folder. Skipped only when the binary has not been built.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>

#include "tests/server/admin_test_process.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using server::testing::EnvChanges;
using server::testing::ProcessResult;

const std::string kBinary = CITEQA_BINARY;
constexpr const char* kToken = "corpus-files-admin-token-0123456789";
constexpr const char* kSetpriv = "/usr/bin/setpriv";

// The outside file: text that must never be found through citeqa.
constexpr const char* kSecret =
    "The Vorpal treasury\n\nThe Vorpal treasury is kept in the Quixbridge vault under the old "
    "mill. Only the Vorpal steward knows that the vault opens with the word marmalade, and "
    "the steward changes it every winter.\n";
constexpr const char* kSecretQuestion = "Where is the Vorpal treasury kept?";

constexpr const char* kFestival =
    "The Zorblax festival\n\nThe Zorblax festival is held every spring in the town of "
    "Quendale. Dancers wear blue masks and the whole town eats roasted chestnuts while the "
    "bells ring from noon until midnight.\n";
constexpr const char* kFestivalQuestion = "Where is the Zorblax festival held?";

template <typename Predicate>
bool Eventually(Predicate done, int seconds = 30) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

class CorpusFilesIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (kBinary.empty() || !fs::exists(kBinary)) {
      GTEST_SKIP() << "the citeqa binary is not built (" << kBinary << ")";
    }
    root_ = citeqa::server::testing::MakeTestRootWithSeedCorpus(
        "citeqa_corpus_files_it", ::testing::UnitTest::GetInstance()->current_test_info()->name(),
        CITEQA_CORPUS_DIR, &seed_files_);
    std::sort(seed_files_.begin(), seed_files_.end());
    ASSERT_FALSE(seed_files_.empty());
  }
  void TearDown() override {
    if (!root_.empty()) fs::remove_all(root_);
  }

  std::string Corpus() const { return (root_ / "corpus").string(); }
  std::string Db() const { return (root_ / "index.db").string(); }

  ProcessResult Run(const std::vector<std::string>& args) const {
    return server::testing::RunProcess(kBinary, args, root_, {}, 120);
  }
  ProcessResult Index() const { return Run({"index", "--corpus", Corpus(), "--db", Db()}); }

  // Links out of the folder (two to one file), a loop, a dangling link, a FIFO and a link to
  // a file that is also listed directly: 7 skips.
  void AddHostileEntries() {
    std::ofstream(root_ / "outside_secret.txt") << kSecret;
    fs::create_symlink("../outside_secret.txt", root_ / "corpus" / "secret1.txt");
    fs::create_symlink("../outside_secret.txt", root_ / "corpus" / "secret2.txt");
    fs::create_symlink("loop_b.txt", root_ / "corpus" / "loop_a.txt");
    fs::create_symlink("loop_a.txt", root_ / "corpus" / "loop_b.txt");
    fs::create_symlink("nothing.txt", root_ / "corpus" / "dangling.txt");
    fs::create_symlink(seed_files_[0], root_ / "corpus" / "alias.txt");
    ASSERT_EQ(::mkfifo((root_ / "corpus" / "pipe.txt").c_str(), 0644), 0);
  }

  static constexpr const char* kHostileSkips[] = {
      "skipped alias.txt: a symbolic link to ",
      "skipped dangling.txt: a symbolic link to nothing (dangling)",
      "skipped loop_a.txt: a symbolic link that loops",
      "skipped loop_b.txt: a symbolic link that loops",
      "skipped pipe.txt: not a regular file (a FIFO)",
      "skipped secret1.txt: a symbolic link out of the corpus folder (not followed)",
      "skipped secret2.txt: a symbolic link out of the corpus folder (not followed)",
  };

  // The /api/ask body for `question`, from `citeqa ask --json`.
  json AskOnTheCommandLine(const std::string& question) const {
    const ProcessResult asked = Run({"ask", "--db", Db(), "--json", question});
    EXPECT_EQ(asked.exit_code, 0) << asked.err;
    return json::parse(asked.out, nullptr, false);
  }

  std::string Summary(int added, int unchanged, int removed, int skipped) const {
    return "documents: " + std::to_string(added) + " added, 0 updated, " + std::to_string(removed) +
           " removed, " + std::to_string(unchanged) + " unchanged, " + std::to_string(skipped) +
           " skipped; passages: ";
  }

  fs::path root_;
  std::vector<std::string> seed_files_;
};

TEST_F(CorpusFilesIntegrationTest, IndexSkipsAndNamesEveryHostileEntry) {
  AddHostileEntries();
  const int n = static_cast<int>(seed_files_.size());
  for (int run = 0; run < 2; ++run) {
    const ProcessResult indexed = Index();
    ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
    EXPECT_EQ(indexed.out.rfind(run == 0 ? Summary(n, 0, 0, 7) : Summary(0, n, 0, 7), 0), 0u)
        << indexed.out;
    for (const char* skip : kHostileSkips) {
      EXPECT_NE(indexed.err.find(skip), std::string::npos) << skip << "\n" << indexed.err;
    }
    EXPECT_EQ(indexed.err.find("outside_secret"), std::string::npos)
        << "a link's target outside the corpus is never named:\n"
        << indexed.err;
  }
  const json answer = AskOnTheCommandLine(kSecretQuestion);
  ASSERT_TRUE(answer.is_object());
  const std::string body = answer.dump();
  for (const char* secret : {"Quixbridge", "marmalade", "secret1", "secret2", "outside"}) {
    EXPECT_EQ(body.find(secret), std::string::npos) << secret << " in " << body;
  }
}

TEST_F(CorpusFilesIntegrationTest, AFileThatCannotBeReadKeepsItsDocument) {
  const bool root = ::geteuid() == 0;
  if (root && !fs::exists(kSetpriv)) GTEST_SKIP() << "as root this needs " << kSetpriv;
  const int n = static_cast<int>(seed_files_.size());
  const ProcessResult first = Index();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string locked = seed_files_[0];
  std::string program = kBinary;
  std::vector<std::string> args = {"index", "--corpus", Corpus(), "--db", Db()};
  if (root) {
    // Root reads any file: the run is made as "nobody", who owns the folder and the index.
    for (const auto& entry : fs::recursive_directory_iterator(root_)) {
      ASSERT_EQ(::lchown(entry.path().c_str(), 65534, 65534), 0) << entry.path();
    }
    ASSERT_EQ(::chown(root_.c_str(), 65534, 65534), 0);
    args.insert(args.begin(), {"--reuid=65534", "--regid=65534", "--clear-groups", kBinary});
    program = kSetpriv;
  }
  fs::permissions(root_ / "corpus" / locked, fs::perms::none);
  const ProcessResult unreadable = server::testing::RunProcess(program, args, root_, {}, 120);
  ASSERT_EQ(unreadable.exit_code, 0) << unreadable.err;
  EXPECT_EQ(unreadable.out.rfind(Summary(0, n - 1, 0, 1), 0), 0u) << unreadable.out;
  EXPECT_NE(unreadable.err.find("skipped " + locked +
                                ": cannot open: Permission denied (its indexed version is kept)"),
            std::string::npos)
      << unreadable.err;

  // Readable again: the document was there all along, so nothing is added.
  fs::permissions(root_ / "corpus" / locked, fs::perms::owner_read | fs::perms::owner_write);
  const ProcessResult again = Index();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out.rfind(Summary(0, n, 0, 0), 0), 0u) << again.out;
}

TEST_F(CorpusFilesIntegrationTest, ReindexUploadAndWatchWorkWithHostileEntriesInTheFolder) {
  AddHostileEntries();
  const ProcessResult indexed = Index();
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  server::testing::ServeProcess server;
  ASSERT_EQ(server.Start(kBinary,
                         {"serve", "--db", Db(), "--corpus", Corpus(), "--watch", "--port", "0",
                          "--threads", "4"},
                         EnvChanges{{"CITEQA_ADMIN_TOKEN", kToken}}, root_ / "serve.stderr"),
            "");
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(60, 0);
  const httplib::Headers auth = {{"Authorization", std::string("Bearer ") + kToken}};
  const auto listed = [&](const std::string& file) {
    auto result = client.Get("/api/documents");
    return result && result->status == 200 &&
           result->body.find("\"" + file + "\"") != std::string::npos;
  };

  auto reindexed = client.Post("/api/reindex", auth, "", "application/json");
  ASSERT_TRUE(reindexed);
  ASSERT_EQ(reindexed->status, 200) << reindexed->body;
  const json run = json::parse(reindexed->body);
  EXPECT_EQ(run["skipped"], 7) << run.dump();
  const std::string messages = run["messages"].dump();
  for (const char* skip : kHostileSkips) {
    EXPECT_NE(messages.find(skip), std::string::npos) << skip << " in " << messages;
  }

  auto uploaded = client.Post("/api/articles?file=festival.txt", auth, kFestival, "text/plain");
  ASSERT_TRUE(uploaded);
  ASSERT_EQ(uploaded->status, 201) << uploaded->body;
  EXPECT_EQ(json::parse(uploaded->body)["reindex"]["skipped"], 7);

  // --watch: a file moved in, then a link to a file inside the folder (a link is created
  // whole: no close-after-write follows).
  std::ofstream(root_ / "owls.txt")
      << "Owls\n\nOwls hunt at night and can turn their heads very far around to look.\n";
  fs::rename(root_ / "owls.txt", root_ / "corpus" / "owls.txt");
  ASSERT_TRUE(Eventually([&] { return listed("owls.txt"); })) << server.Stderr();
  fs::create_directories(root_ / "corpus" / ".drafts");
  std::ofstream(root_ / "corpus" / ".drafts" / "bees.txt")
      << "Bees\n\nBees dance to tell the hive where the flowers are and how far away.\n";
  fs::create_symlink(".drafts/bees.txt", root_ / "corpus" / "bees.txt");
  ASSERT_TRUE(Eventually([&] { return listed("bees.txt"); })) << server.Stderr();

  auto asked =
      client.Post("/api/ask", json{{"question", kSecretQuestion}}.dump(), "application/json");
  ASSERT_TRUE(asked);
  EXPECT_EQ(asked->body.find("Quixbridge"), std::string::npos) << asked->body;
  EXPECT_FALSE(listed("secret1.txt"));
  EXPECT_EQ(server.Stderr().find("re-index failed"), std::string::npos) << server.Stderr();
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Stderr();
}

}  // namespace
}  // namespace citeqa::indexer
