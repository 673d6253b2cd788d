#include "indexer/markdown_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "indexer/markdown_inline.h"
#include "tests/indexer/block_lines.h"

namespace citeqa::indexer {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(CITEQA_TESTDATA_DIR) + "/readers/" + name, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST(ReadMarkdownTest, ReadsAFullArticle) {
  const ParsedDocument doc = ReadMarkdown(Fixture("article.md"));
  EXPECT_EQ(doc.title, "Composting at Home: A Beginner's Guide");
  EXPECT_EQ(BlockLines(doc.blocks),
            (std::vector<std::string>{
                "P Intro paragraph with emphasis, strong words, inline code and a link to the "
                "council that continues on a third line.",
                "H1 Setext Heading",
                "H2 What goes in",
                "LI Green material: fruit scraps",
                "LI Brown material",
                "LI dry leaves",
                "LI shredded cardboard",
                "LI plain, not glossy",
                "LI unchecked task item",
                "LI checked task item",
                "LI Start a pile",
                "LI Turn it weekly",
                "H2 Second level setext",
                "P Compost is black gold for gardeners. Quoted second line.",
                "P Material | Days",
                "P Grass | 30",
                "P Leaves | twigs | 180",
                "P Bold in HTML text",
                "P Ref link to the guide and shortcut and a footnote. Not a link: [sic]. "
                "Snake_case_name and 2 * 3 stay; struck goes; escaped *stars*; AT&T \xE2\x80\x94 "
                "ok.",
                "P The footnote text.",
            }));
}

TEST(ReadMarkdownTest, TitleFromFirstH1WithoutFrontMatter) {
  const ParsedDocument doc = ReadMarkdown(Fixture("no_front_matter.md"));
  EXPECT_EQ(doc.title, "Real Title");
  EXPECT_EQ(BlockLines(doc.blocks),
            (std::vector<std::string>{"H1 Real Title", "P Some text under the title.", "H2 Section",
                                      "P More text."}));
}

TEST(ReadMarkdownTest, BlockStructure) {
  struct Case {
    std::string name;
    std::string markdown;
    std::vector<std::string> expected;
    std::string title;
  } cases[] = {
      {"atx levels and closing hashes",
       "# One\n### Three ###\n###### Six\n####### Seven",
       {"H1 One", "H3 Three", "H6 Six", "P ####### Seven"},
       "One"},
      {"hash without space is text", "#hashtag here", {"P #hashtag here"}, ""},
      {"heading id removed", "## Install {#install}\ntext", {"H2 Install", "P text"}, ""},
      {"setext needs a paragraph", "\n---\ntext", {"P text"}, ""},
      {"list item continuation",
       "- first line\n  second line\n- next",
       {"LI first line second line", "LI next"},
       ""},
      {"paragraph after list", "- item\n\nParagraph.", {"LI item", "P Paragraph."}, ""},
      {"indented paragraph in list item",
       "1. item\n\n   more about it\n",
       {"LI item", "P more about it"},
       ""},
      {"rule is not a list", "* * *\n- - -\ntext", {"P text"}, ""},
      {"unclosed fence runs to the end", "before\n```\ncode\n\nmore code", {"P before"}, ""},
      {"longer closing fence", "````\n```\ninside\n````\nafter", {"P after"}, ""},
      {"front matter toml", "+++\ntitle = \"Toml Title\"\n+++\nBody.", {"P Body."}, "Toml Title"},
      {"unclosed front matter is text", "---\ntitle: x\nBody.", {"P title: x Body."}, ""},
      {"front matter title beats h1", "---\ntitle: FM\n---\n# H1\ntext", {"H1 H1", "P text"}, "FM"},
      {"quote with heading stays paragraph",
       "> # Quoted heading\n> - quoted item",
       {"P Quoted heading", "P quoted item"},
       ""},
      {"lazy quote continuation",
       "> quoted start\ncontinues lazily\n\nafter",
       {"P quoted start continues lazily", "P after"},
       ""},
      {"pre block dropped", "<pre>\nascii art\n</pre>\ntext", {"P text"}, ""},
      {"html comment on one line", "<!-- note -->\ntext", {"P text"}, ""},
      {"hard line break",
       "line one\\\nline two  \nline three",
       {"P line one line two line three"},
       ""},
      {"tab after marker, tab-indented continuation",
       "-\titem\n\n\tmore",
       {"LI item", "P more"},
       ""},
      {"indented code after a paragraph's end",
       "Text.\n\n    code line\nAfter.",
       {"P Text.", "P After."},
       ""},
      {"empty", "", {}, ""},
  };
  for (const auto& c : cases) {
    const ParsedDocument doc = ReadMarkdown(c.markdown);
    EXPECT_EQ(BlockLines(doc.blocks), c.expected) << c.name;
    EXPECT_EQ(doc.title, c.title) << c.name;
  }
}

TEST(StripInlineMarkdownTest, RemovesMarkupKeepsText) {
  const LinkLabels labels = {"ref", "the docs"};
  struct Case {
    std::string markdown;
    std::string expected;
  } cases[] = {
      {"*em* and **strong** and ***both***", "em and strong and both"},
      {"_em_ and __strong__", "em and strong"},
      {"snake_case_name stays", "snake_case_name stays"},
      {"2 * 3 * 4", "2 * 3 * 4"},
      {"a * b", "a * b"},
      {"un*frigging*believable", "unfriggingbelievable"},
      {"**unclosed strong", "**unclosed strong"},
      {"~~gone~~ ~single~", "gone ~single~"},
      {"`code *not em*` after", "code *not em* after"},
      {"``code with ` inside``", "code with ` inside"},
      {"`unclosed backtick", "`unclosed backtick"},
      {"[text](http://x.org \"title\")", "text"},
      {"[text (with parens)](http://x.org/a_(b))", "text (with parens)"},
      {"[**bold link**](u)", "bold link"},
      {"[text][ref] and [other][]", "text and other"},
      {"[ref] and [The Docs] and [undefined]", "ref and The Docs and [undefined]"},
      {"![alt text](img.png) gone", " gone"},
      {"[![badge](b.svg)](link) x", " x"},
      {"![ref] gone", " gone"},
      {"note[^1] here", "note here"},
      {"<b>bold</b> and <span class=\"x\">span</span>", "bold and span"},
      {"one<br>two<br/>three", "one two three"},
      {"<https://example.org/a> and <me@example.org>", "https://example.org/a and me@example.org"},
      {"a <!-- hidden --> b", "a  b"},
      {"a < b > c", "a < b > c"},
      {"x <y", "x <y"},
      {"\\*not em\\* \\[not link\\]", "*not em* [not link]"},
      {"&amp; &lt;tag&gt; &copy; &#65; &#x1F600; &bogus; & alone",
       "& <tag> \xC2\xA9 A \xF0\x9F\x98\x80 &bogus; & alone"},
      {"&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"},
      {"[unclosed link", "[unclosed link"},
      {"]] stray ((", "]] stray (("},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(StripInlineMarkdown(c.markdown, labels), c.expected) << c.markdown;
  }
}

}  // namespace
}  // namespace citeqa::indexer
