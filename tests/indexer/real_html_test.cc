// The HTML reader, cleaner and chunker on real pages nobody here wrote: Debian's Python
// 3.11 documentation (python3.11-doc), whose Sphinx pages carry a mobile menu, a "related"
// navigation bar above and below the text, a sidebar (table of contents, previous/next
// topic, "This Page") and a footer. Skipped when the package is not installed.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "indexer/chunker.h"
#include "indexer/cleaner.h"
#include "indexer/reader.h"
#include "indexer/text.h"

namespace citeqa::indexer {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPythonDocs = "/usr/share/doc/python3.11/html/library";

struct Page {
  std::string name;
  std::string bytes;
};

// Every page of the library reference whose name starts with "s" (32 pages in 3.11.2).
std::vector<Page> SamplePages() {
  std::vector<Page> pages;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kPythonDocs, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("s") || !name.ends_with(".html")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    pages.push_back({name, bytes.str()});
  }
  std::sort(pages.begin(), pages.end(),
            [](const Page& a, const Page& b) { return a.name < b.name; });
  return pages;
}

struct IndexedPage {
  std::string name;
  std::string title;
  std::vector<Passage> passages;
};

// What IndexCorpus does with each page: read all, count repeated lines, then title,
// clean and chunk.
std::vector<IndexedPage> IndexPages(const std::vector<Page>& pages) {
  std::vector<std::pair<std::string, ParsedDocument>> parsed;
  RepeatedLineCounter repeated;
  for (const Page& page : pages) {
    auto doc = ReadDocument(DocumentFormat::kHtml, page.bytes);
    EXPECT_TRUE(doc.ok()) << page.name << ": " << doc.status().ToString();
    if (!doc.ok()) continue;
    repeated.AddDocument(*doc);
    parsed.emplace_back(page.name, std::move(*doc));
  }
  std::vector<IndexedPage> indexed;
  for (auto& [name, doc] : parsed) {
    IndexedPage page{name, doc.title.empty() ? ChooseTitle(doc) : doc.title, {}};
    CleanDocument(&doc, &repeated);
    page.passages = ChunkDocument(doc);
    indexed.push_back(std::move(page));
  }
  return indexed;
}

std::string Replace(std::string text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

class RealHtmlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::is_directory(kPythonDocs)) {
      GTEST_SKIP() << kPythonDocs << " is absent; install Debian's python3.11-doc to run this";
    }
    pages_ = SamplePages();
    ASSERT_GE(pages_.size(), 20u) << "too few pages under " << kPythonDocs;
  }

  // No passage of any page carries navigation, sidebar or footer text; every page keeps
  // some passages.
  void ExpectNoChrome(const std::vector<IndexedPage>& indexed) {
    const char* chrome[] = {
        "Navigation",
        "previous |",
        "next |",
        "Theme Auto Light Dark",
        "Quick search",
        "Table of Contents",
        "Report a Bug",
        "Show Source",
        "\xC2\xA9 Copyright",
        "Python Software Foundation. This page is licensed",
        "Previous topic",
        "Next topic",
        "This Page",
        "Please donate",
        "Last updated on",
        "Created using",
        "3.11.2 Documentation \xC2\xBB",
        "\xC2\xB6",
    };
    ASSERT_EQ(indexed.size(), pages_.size());
    for (const IndexedPage& page : indexed) {
      EXPECT_FALSE(page.passages.empty()) << page.name;
      for (const Passage& p : page.passages) {
        for (const char* text : chrome) {
          EXPECT_EQ(p.text.find(text), std::string::npos)
              << page.name << " passage " << p.ordinal << " contains \"" << text << "\":\n"
              << p.text;
        }
      }
    }
  }

  std::vector<Page> pages_;
};

const IndexedPage* Find(const std::vector<IndexedPage>& indexed, const std::string& name) {
  for (const IndexedPage& page : indexed) {
    if (page.name == name) return &page;
  }
  return nullptr;
}

bool AnyPassageMentions(const IndexedPage& page, const std::string& lower_phrase) {
  return std::any_of(page.passages.begin(), page.passages.end(), [&](const Passage& p) {
    return AsciiLower(p.text).find(lower_phrase) != std::string::npos;
  });
}

TEST_F(RealHtmlTest, NavigationNeverReachesPassagesButContentDoes) {
  const auto started = std::chrono::steady_clock::now();
  const std::vector<IndexedPage> indexed = IndexPages(pages_);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  size_t passages = 0;
  for (const IndexedPage& page : indexed) passages += page.passages.size();
  std::cout << "[ measure  ] " << pages_.size() << " pages, " << passages << " passages in "
            << seconds << " s (" << static_cast<double>(passages) / seconds
            << " passages/s; read+clean+chunk)\n";
  RecordProperty("passages", static_cast<int>(passages));

  ExpectNoChrome(indexed);

  struct Case {
    std::string page;
    std::string title;
    std::vector<std::string> phrases;  // lower case; each in some passage
  } cases[] = {
      {"string.html",
       "string \xE2\x80\x94 Common string operations",
       {"format specification", "template strings", "capitalize each word"}},
      {"secrets.html",
       "secrets \xE2\x80\x94 Generate secure random numbers for managing secrets",
       {"cryptographically strong", "url-safe text string"}},
      {"shutil.html", "shutil \xE2\x80\x94 High-level file operations", {"copyfileobj"}},
      {"sqlite3.html",
       "sqlite3 \xE2\x80\x94 DB-API 2.0 interface for SQLite databases",
       {"placeholders"}},
  };
  for (const auto& c : cases) {
    const IndexedPage* page = Find(indexed, c.page);
    ASSERT_NE(page, nullptr) << c.page;
    EXPECT_EQ(page->title, c.title) << c.page;
    for (const std::string& phrase : c.phrases) {
      EXPECT_TRUE(AnyPassageMentions(*page, phrase)) << c.page << ": " << phrase;
    }
  }
}

// Without the role="main" landmark the reader must fall back on structure alone: the
// navigation roles and the chrome names of the sidebar and footer.
TEST_F(RealHtmlTest, ChromeIsDroppedEvenWithoutTheMainLandmark) {
  std::vector<Page> stripped = pages_;
  for (Page& page : stripped) {
    page.bytes = Replace(page.bytes, "role=\"main\"", "data-x=\"\"");
    ASSERT_EQ(page.bytes.find("role=\"main\""), std::string::npos) << page.name;
  }
  const std::vector<IndexedPage> indexed = IndexPages(stripped);
  ExpectNoChrome(indexed);
  const IndexedPage* string_page = Find(indexed, "string.html");
  ASSERT_NE(string_page, nullptr);
  EXPECT_TRUE(AnyPassageMentions(*string_page, "format specification"));
}

}  // namespace
}  // namespace citeqa::indexer
