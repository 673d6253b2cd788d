#include "indexer/reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "indexer/chunker.h"
#include "indexer/text.h"
#include "tests/indexer/block_lines.h"

namespace citeqa::indexer {
namespace {

constexpr size_t kBlockLimit = 2000;  // reader.cc's kMaxBlockBytes

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(CITEQA_TESTDATA_DIR) + "/readers/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST(FormatForPathTest, ChoosesByExtension) {
  struct Case {
    std::string path;
    std::optional<DocumentFormat> expected;
  } cases[] = {
      {"a.txt", DocumentFormat::kPlainText},
      {"dir/B.MD", DocumentFormat::kMarkdown},
      {"c.markdown", DocumentFormat::kMarkdown},
      {"d.html", DocumentFormat::kHtml},
      {"e.HTM", DocumentFormat::kHtml},
      {"f.pdf", std::nullopt},
      {"html", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(FormatForPath(c.path), c.expected) << c.path;
}

TEST(ReadDocumentTest, DecodesAndDispatchesFixtures) {
  struct Case {
    std::string file;
    DocumentFormat format;
    std::string title;
    std::vector<std::string> blocks;
  } cases[] = {
      {"latin1.md",
       DocumentFormat::kMarkdown,
       "Soup",
       {"H1 Soup", "P Café crème brûlée is a dessert."}},
      {"utf16_bom.md",
       DocumentFormat::kMarkdown,
       "UTF-16 Title",
       {"H1 UTF-16 Title", "P Text with café and \xF0\x9F\x98\x80."}},
      {"utf16be_bom.txt",
       DocumentFormat::kPlainText,
       "",
       {"P Plain text file in UTF-16 big endian."}},
      {"bom_utf8.html", DocumentFormat::kHtml, "BOM page", {"P Café text after a BOM."}},
      {"latin1_meta.html",
       DocumentFormat::kHtml,
       "Crème",
       {"P Crème brûlée \xE2\x80\x93 a dessert."}},
  };
  for (const auto& c : cases) {
    auto doc = ReadDocument(c.format, Fixture(c.file));
    ASSERT_TRUE(doc.ok()) << c.file << ": " << doc.status().ToString();
    EXPECT_EQ(doc->title, c.title) << c.file;
    EXPECT_EQ(BlockLines(doc->blocks), c.blocks) << c.file;
  }
}

TEST(ReadDocumentTest, RepairsLatin1BytesInEveryFormat) {
  const std::string latin1 = "Caf\xE9 au lait co\xFBte deux euros.";
  for (DocumentFormat format :
       {DocumentFormat::kPlainText, DocumentFormat::kMarkdown, DocumentFormat::kHtml}) {
    const std::string bytes = format == DocumentFormat::kHtml ? "<p>" + latin1 + "</p>" : latin1;
    auto doc = ReadDocument(format, bytes);
    ASSERT_TRUE(doc.ok()) << doc.status().ToString();
    ASSERT_EQ(doc->blocks.size(), 1u);
    EXPECT_EQ(doc->blocks[0].text, "Café au lait coûte deux euros.");
  }
}

TEST(ReadDocumentTest, RefusesBinaryAndEmptyFiles) {
  struct Case {
    std::string file;
    DocumentFormat format;
    std::string message_part;
  } cases[] = {
      {"binary.html", DocumentFormat::kHtml, "binary"},
      {"binary.txt", DocumentFormat::kPlainText, "binary"},
      {"empty.md", DocumentFormat::kMarkdown, "empty"},
      {"whitespace_only.html", DocumentFormat::kHtml, "no text"},
  };
  for (const auto& c : cases) {
    auto doc = ReadDocument(c.format, Fixture(c.file));
    ASSERT_FALSE(doc.ok()) << c.file;
    EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument) << c.file;
    EXPECT_NE(doc.status().message().find(c.message_part), std::string::npos)
        << c.file << ": " << doc.status().message();
  }
}

TEST(ReadDocumentTest, EscapedScriptIsTextAndRealScriptIsNot) {
  auto doc = ReadDocument(DocumentFormat::kHtml,
                          "<p>Type &lt;script&gt;alert(1)&lt;/script&gt; to test.</p>"
                          "<script>alert(2)</script>");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(BlockLines(doc->blocks),
            (std::vector<std::string>{"P Type <script>alert(1)</script> to test."}));
}

TEST(ReadDocumentTest, BoundsOverlongTitles) {
  std::string words;
  for (int i = 0; i < 100; ++i) words += "word" + std::to_string(i) + " ";
  struct Case {
    DocumentFormat format;
    std::string bytes;
  } cases[] = {
      {DocumentFormat::kHtml, "<h1>" + words + "</h1><p>Body.</p>"},
      {DocumentFormat::kMarkdown, "---\ntitle: " + words + "\n---\nBody."},
  };
  for (const auto& c : cases) {
    auto doc = ReadDocument(c.format, c.bytes);
    ASSERT_TRUE(doc.ok());
    EXPECT_LE(doc->title.size(), 163u) << c.bytes;
    EXPECT_TRUE(doc->title.starts_with("word0 word1 word2")) << doc->title;
    EXPECT_TRUE(doc->title.ends_with("\xE2\x80\xA6")) << doc->title;
    EXPECT_TRUE(IsValidUtf8(doc->title));
  }
}

// One line of about 2 MB in each format: every block stays bounded, no text is lost, and
// the chunker's passages stay bounded too.
TEST(ReadDocumentTest, HugeSingleLinesGiveBoundedBlocks) {
  constexpr int kRepeats = 40000;
  struct Case {
    std::string name;
    DocumentFormat format;
    std::string unit;     // repeated kRepeats times on one line
    std::string visible;  // what each unit reads as
    std::string prefix;
  } cases[] = {
      {"txt without sentence ends", DocumentFormat::kPlainText,
       "tides rise and fall twice daily along the coast ",
       "tides rise and fall twice daily "
       "along the coast ",
       ""},
      {"markdown with inline markup", DocumentFormat::kMarkdown,
       "The *moon* pulls [water](http://x.org/a) and `sea` ", "The moon pulls water and sea ", ""},
      {"html one paragraph", DocumentFormat::kHtml,
       "Tides <b>rise</b> and <a href=\"#x\">fall</a>. ", "Tides rise and fall. ", "<p>"},
      {"html unclosed inline-free paragraphs", DocumentFormat::kHtml,
       "<p>Neap tides are weak when the Sun and Moon pull at right angles ",
       "Neap tides are weak when the Sun and Moon pull at right angles ", ""},
  };
  for (const auto& c : cases) {
    std::string bytes = c.prefix;
    std::string expected;
    for (int i = 0; i < kRepeats; ++i) {
      bytes += c.unit;
      expected += c.visible;
    }
    ASSERT_GT(bytes.size(), 1'500'000u) << c.name;
    auto doc = ReadDocument(c.format, bytes);
    ASSERT_TRUE(doc.ok()) << c.name << ": " << doc.status().ToString();
    std::string joined;
    for (const Block& b : doc->blocks) {
      EXPECT_LE(b.text.size(), kBlockLimit) << c.name;
      joined += b.text + " ";
    }
    EXPECT_GT(doc->blocks.size(), 100u) << c.name;
    EXPECT_EQ(CollapseWhitespace(joined), CollapseWhitespace(expected)) << c.name;
    size_t longest = 0;
    for (const Passage& p : ChunkDocument(*doc)) longest = std::max(longest, p.text.size());
    EXPECT_LE(longest, kBlockLimit + 200) << c.name;
  }
}

}  // namespace
}  // namespace citeqa::indexer
