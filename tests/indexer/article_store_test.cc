// The corpus folder as an article store: untrusted names, composed files whose title the
// readers find, atomic writes that never overwrite by accident, deletes.
#include "indexer/article_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "indexer/cleaner.h"
#include "indexer/corpus_indexer.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

std::set<std::string> Listing(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    names.insert(fs::relative(entry.path(), dir).generic_string());
  }
  return names;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class ArticleStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("citeqa_article_store_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "corpus");
    corpus_ = (root_ / "corpus").string();
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
  std::string corpus_;
};

TEST(SanitizeArticleNameTest, AcceptsPlainNamesWithASupportedExtension) {
  for (const char* name : {"a.txt", "Quokka_Facts-2024.md", "x.markdown", "page.HTML", "p.htm",
                           "_draft.txt", "9.txt", "a..b.txt", "v1.2.html"}) {
    auto result = SanitizeArticleName(name);
    ASSERT_TRUE(result.ok()) << name << ": " << result.status().ToString();
    EXPECT_EQ(*result, name);
  }
  const std::string longest = std::string(kMaxArticleNameBytes - 4, 'a') + ".txt";
  EXPECT_TRUE(SanitizeArticleName(longest).ok());
}

TEST(SanitizeArticleNameTest, RefusesEverythingElse) {
  struct Case {
    std::string name;
    std::string message_part;
  } cases[] = {
      {"", "empty"},
      {"../x.txt", "path"},
      {"../../etc/passwd", "path"},
      {"sub/x.txt", "path"},
      {"/etc/passwd.txt", "path"},
      {"/tmp/x.txt", "path"},
      {"..\\x.txt", "path"},
      {"C:\\x.txt", "path"},
      {"..", "start"},
      {".", "start"},
      {"..txt", "start"},
      {".hidden.txt", "start"},
      {"-rf.txt", "start"},
      {"%2e%2e", "letters"},
      {"%2e%2e%2fx.txt", "letters"},
      {std::string("a\0b.txt", 7), "NUL"},
      {std::string("x.txt\0.pdf", 10), "NUL"},
      {"a b.txt", "letters"},
      {"caf\xC3\xA9.txt", "letters"},
      {"x.txt\n", "letters"},
      {"x:y.txt", "letters"},
      {"x.pdf", ".txt"},
      {"x", ".txt"},
      {"x.txt.exe", ".txt"},
      {"x.", ".txt"},
      {std::string(kMaxArticleNameBytes - 3, 'a') + ".txt", "longer"},
      {std::string(5000, 'a') + ".txt", "longer"},
  };
  for (const Case& c : cases) {
    auto result = SanitizeArticleName(c.name);
    ASSERT_FALSE(result.ok()) << "accepted: " << c.name;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_NE(result.status().message().find(c.message_part), std::string::npos)
        << c.name << ": " << result.status().message();
  }
}

TEST(ArticleNameForTitleTest, MakesASafeNameFromAnyTitle) {
  struct Case {
    std::string title;
    DocumentFormat format;
    std::string expected;
  } cases[] = {
      {"Quokka Facts", DocumentFormat::kPlainText, "quokka-facts.txt"},
      {"  What's new in C++20?  ", DocumentFormat::kMarkdown, "what-s-new-in-c-20.md"},
      {"../../etc/passwd", DocumentFormat::kHtml, "etc-passwd.html"},
      {"\xC3\xA9t\xC3\xA9 \xE2\x80\x94 2024", DocumentFormat::kPlainText, "t-2024.txt"},
      {"\xE6\x97\xA5\xE6\x9C\xAC", DocumentFormat::kHtml, "article.html"},
      {"", DocumentFormat::kPlainText, "article.txt"},
      {std::string(300, 'x'), DocumentFormat::kPlainText, std::string(80, 'x') + ".txt"},
  };
  for (const Case& c : cases) {
    const std::string name = ArticleNameForTitle(c.title, c.format);
    EXPECT_EQ(name, c.expected) << c.title;
    EXPECT_TRUE(SanitizeArticleName(name).ok()) << name;
  }
}

TEST(NormalizeArticleTitleTest, CollapsesSpaceAndRefusesControlsAndLength) {
  EXPECT_EQ(*NormalizeArticleTitle("  The\t new \n topic "), "The new topic");
  for (const std::string& bad : {std::string(""), std::string("  \n "),
                                 std::string("a\x01"
                                             "b"),
                                 std::string("a\0b", 3), std::string("del\x7F"),
                                 std::string(kMaxArticleTitleBytes + 1, 't')}) {
    auto result = NormalizeArticleTitle(bad);
    EXPECT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(ComposeArticleTest, PutsTheTitleWhereEachReaderFindsIt) {
  struct Case {
    DocumentFormat format;
    std::string body;
    std::string expected;
  } cases[] = {
      {DocumentFormat::kPlainText, "Body text.\n", "Quokka Facts\n\nBody text.\n"},
      {DocumentFormat::kPlainText, "\nQuokka Facts\nBody.\n", "\nQuokka Facts\nBody.\n"},
      {DocumentFormat::kMarkdown, "Body.\n", "# Quokka Facts\n\nBody.\n"},
      {DocumentFormat::kMarkdown, "\n# Own title\nBody.\n", "\n# Own title\nBody.\n"},
      {DocumentFormat::kMarkdown, "---\nauthor: me\n---\nBody.\n",
       "---\nauthor: me\n---\n# Quokka Facts\n\nBody.\n"},
      {DocumentFormat::kHtml, "<p>Body.</p>",
       "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Quokka Facts</title></head>"
       "<body>\n<p>Body.</p>\n</body></html>\n"},
      {DocumentFormat::kHtml, "<html><HEAD lang=en><meta x></head><body>B</body></html>",
       "<html><HEAD lang=en><title>Quokka Facts</title><meta x></head><body>B</body></html>"},
      {DocumentFormat::kHtml, "<html><header>H</header><p>B</p></html>",
       "<html><head><title>Quokka Facts</title></head><header>H</header><p>B</p></html>"},
      {DocumentFormat::kHtml, "<html><head><TITLE>Own</TITLE></head></html>",
       "<html><head><TITLE>Own</TITLE></head></html>"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ComposeArticle(c.format, "Quokka Facts", c.body), c.expected) << c.body;
  }
  EXPECT_EQ(ComposeArticle(DocumentFormat::kHtml, "", "<p>x</p>"), "<p>x</p>");
  EXPECT_NE(ComposeArticle(DocumentFormat::kHtml, "A <b> & \"c\"", "<p>x</p>")
                .find("<title>A &lt;b&gt; &amp; &quot;c&quot;</title>"),
            std::string::npos);
}

// End to end through the real indexer: each format's composed file gets the given title.
TEST_F(ArticleStoreTest, TheIndexerFindsTheComposedTitle) {
  const std::string body_text =
      "Quokkas are small marsupials that live on Rottnest Island. They are known for their "
      "friendly faces and they eat leaves, grasses and stems of many plants.";
  struct Case {
    DocumentFormat format;
    std::string name;
    std::string body;
  } cases[] = {
      {DocumentFormat::kPlainText, "t.txt", body_text + "\n"},
      {DocumentFormat::kMarkdown, "m.md", body_text + "\n"},
      {DocumentFormat::kHtml, "h.html", "<p>" + body_text + "</p>"},
  };
  for (const Case& c : cases) {
    const std::string title = "All about quokkas " + c.name;
    ASSERT_TRUE(
        WriteArticleAtomically(corpus_, c.name, ComposeArticle(c.format, title, c.body), false)
            .ok());
    auto parsed = ReadDocument(c.format, ReadFile(root_ / "corpus" / c.name));
    ASSERT_TRUE(parsed.ok()) << c.name;
    const std::string found = parsed->title.empty() ? ChooseTitle(*parsed) : parsed->title;
    EXPECT_EQ(found, title) << c.name;
  }
  IndexOptions options;
  options.corpus_dir = corpus_;
  options.db_path = (root_ / "index.db").string();
  auto summary = IndexCorpus(options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->added, 3);
  EXPECT_EQ(summary->skipped, 0) << ::testing::PrintToString(summary->messages);
}

TEST_F(ArticleStoreTest, WritesAtomicallyAndNeverOverwritesByAccident) {
  auto first = WriteArticleAtomically(corpus_, "a.txt", "one\n", false);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->replaced);
  EXPECT_EQ(ReadFile(root_ / "corpus" / "a.txt"), "one\n");
  struct stat info {};
  ASSERT_EQ(::stat((root_ / "corpus" / "a.txt").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0644u);

  auto again = WriteArticleAtomically(corpus_, "a.txt", "two\n", false);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(ReadFile(root_ / "corpus" / "a.txt"), "one\n");

  auto replaced = WriteArticleAtomically(corpus_, "a.txt", "three\n", true);
  ASSERT_TRUE(replaced.ok());
  EXPECT_TRUE(replaced->replaced);
  EXPECT_EQ(ReadFile(root_ / "corpus" / "a.txt"), "three\n");

  auto fresh_with_replace = WriteArticleAtomically(corpus_, "b.md", "# b\n", true);
  ASSERT_TRUE(fresh_with_replace.ok());
  EXPECT_FALSE(fresh_with_replace->replaced);

  // No temporary file is left behind, whatever happened.
  EXPECT_EQ(Listing(root_ / "corpus"), (std::set<std::string>{"a.txt", "b.md"}));
}

TEST_F(ArticleStoreTest, RefusedNamesTouchNothing) {
  const auto outside_before = Listing(root_);
  for (const std::string& name :
       {std::string("../escape.txt"), std::string("/tmp/escape.txt"), std::string(".h.txt"),
        std::string("a\0.txt", 6), std::string("..\\escape.txt"), std::string("x.sh")}) {
    EXPECT_EQ(WriteArticleAtomically(corpus_, name, "x", true).status().code(),
              StatusCode::kInvalidArgument)
        << name;
    EXPECT_EQ(DeleteArticle(corpus_, name).code(), StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(ReadArticle(corpus_, name).status().code(), StatusCode::kInvalidArgument) << name;
  }
  EXPECT_EQ(Listing(root_), outside_before);
  EXPECT_FALSE(fs::exists(fs::temp_directory_path() / "escape.txt"));
}

TEST_F(ArticleStoreTest, ThingsThatAreNotRegularFilesAreLeftAlone) {
  fs::create_directory(root_ / "corpus" / "dir.txt");
  fs::create_symlink("/etc/hostname", root_ / "corpus" / "link.txt");
  fs::create_symlink("loop.txt", root_ / "corpus" / "loop.txt");
  // A FIFO would block a reader that opened it without O_NONBLOCK.
  ASSERT_EQ(::mkfifo((root_ / "corpus" / "fifo.txt").c_str(), 0644), 0);
  for (const char* name : {"dir.txt", "link.txt", "loop.txt", "fifo.txt"}) {
    EXPECT_EQ(WriteArticleAtomically(corpus_, name, "x", false).status().code(),
              StatusCode::kAlreadyExists)
        << name;
    EXPECT_EQ(WriteArticleAtomically(corpus_, name, "x", true).status().code(),
              StatusCode::kAlreadyExists)
        << name;
    auto read = ReadArticle(corpus_, name);
    ASSERT_TRUE(read.ok()) << name;
    EXPECT_FALSE(read->has_value()) << name;
  }
  EXPECT_EQ(DeleteArticle(corpus_, "dir.txt").code(), StatusCode::kNotFound);
  EXPECT_TRUE(fs::is_directory(root_ / "corpus" / "dir.txt"));
}

TEST_F(ArticleStoreTest, ReadsAndDeletes) {
  ASSERT_TRUE(WriteArticleAtomically(corpus_, "a.txt", "hello\n", false).ok());
  auto read = ReadArticle(corpus_, "a.txt");
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ(**read, "hello\n");
  EXPECT_EQ(ReadArticle(corpus_, "a.txt", 3).status().code(), StatusCode::kResourceExhausted);

  EXPECT_TRUE(DeleteArticle(corpus_, "a.txt").ok());
  EXPECT_FALSE(fs::exists(root_ / "corpus" / "a.txt"));
  EXPECT_EQ(DeleteArticle(corpus_, "a.txt").code(), StatusCode::kNotFound);
  auto gone = ReadArticle(corpus_, "a.txt");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
}

TEST_F(ArticleStoreTest, AMissingCorpusFolderIsNotFound) {
  const std::string missing = (root_ / "nope").string();
  EXPECT_EQ(WriteArticleAtomically(missing, "a.txt", "x", false).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(DeleteArticle(missing, "a.txt").code(), StatusCode::kNotFound);
  EXPECT_EQ(ReadArticle(missing, "a.txt").status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(missing));
}

// Writers racing for one name without "replace": exactly one wins, the rest are refused,
// and the file holds the winner's whole content.
TEST_F(ArticleStoreTest, ConcurrentCreatorsOfOneNameGetOneWinner) {
  constexpr int kWriters = 8;
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  std::atomic<int> refused{0};
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      const std::string content = std::string(100000, static_cast<char>('a' + i));
      auto result = WriteArticleAtomically(corpus_, "race.txt", content, false);
      if (result.ok()) {
        ++created;
      } else if (result.status().code() == StatusCode::kAlreadyExists) {
        ++refused;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(refused.load(), kWriters - 1);
  const std::string content = ReadFile(root_ / "corpus" / "race.txt");
  ASSERT_EQ(content.size(), 100000u);
  EXPECT_EQ(content.find_first_not_of(content[0]), std::string::npos);
  EXPECT_EQ(Listing(root_ / "corpus"), std::set<std::string>{"race.txt"});
}

}  // namespace
}  // namespace citeqa::indexer
