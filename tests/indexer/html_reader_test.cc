#include "indexer/html_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "indexer/html_chrome.h"
#include "tests/indexer/block_lines.h"

namespace citeqa::indexer {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(CITEQA_TESTDATA_DIR) + "/readers/" + name, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

ParsedDocument MustRead(const std::string& html) {
  auto doc = ReadHtml(html);
  EXPECT_TRUE(doc.ok()) << doc.status().ToString();
  return doc.ok() ? std::move(*doc) : ParsedDocument{};
}

std::string AllText(const ParsedDocument& doc) {
  std::string all;
  for (const Block& b : doc.blocks) all += b.text + "\n";
  return all;
}

TEST(ReadHtmlTest, KeepsArticleStructureOfAFullPage) {
  const ParsedDocument doc = MustRead(Fixture("article_page.html"));
  EXPECT_EQ(doc.title, "How Tides Work");
  EXPECT_EQ(BlockLines(doc.blocks),
            (std::vector<std::string>{
                "H1 How Tides Work",
                "P By Jane Doe",
                "P Tides are the regular rise and fall of the sealevel, caused by the Moon's "
                "gravity.",
                "P High tide arrives about every 12 hours & 25 minutes. The Sun matters too.",
                "H2 Kinds of tides",
                "LI Spring tides, when the Sun and Moon align",
                "LI Highest high tides",
                "LI Lowest low tides",
                "LI Neap tides, at the quarter moons",
                "LI First quarter",
                "LI Third quarter",
                "H3 Tide tables",
                "P Port | Range",
                "P Bay of Fundy | 16 m",
                "P Never paste <script>alert(1)</script> into a tide form.",
            }));
}

TEST(ReadHtmlTest, LeavesOutChrome) {
  const std::string all = AllText(MustRead(Fixture("article_page.html")));
  const char* absent[] = {
      "cookies",   "Ocean Facts", "Home",          "Science",    "Share on",
      "Tweet",     "Subscribe",   "Email",         "Pull quote", "Tags:",
      "Comments",  "Great post",  "Popular posts", "salty",      "Contact us",
      "rights",    "Script text", "inline script", "Style text", "Hidden draft",
      "Invisible", "JavaScript",  "predict",       "\xC2\xB6",   "dataLayer",
  };
  for (const char* text : absent) EXPECT_EQ(all.find(text), std::string::npos) << text;
}

TEST(ReadHtmlTest, RecoversBrokenMarkup) {
  const ParsedDocument doc = MustRead(Fixture("broken.html"));
  EXPECT_EQ(doc.title, "Broken page");
  EXPECT_EQ(BlockLines(doc.blocks),
            (std::vector<std::string>{
                "H2 First section",
                "P An unclosed paragraph about sea turtles",
                "P Another paragraph with bold text",
                "LI stray item one",
                "LI stray item two",
                "P After the stray end tags, loggerhead turtles nest on beaches.",
                "P cell A | cell B",
                "P Text in a div",
            }));
}

TEST(ReadHtmlTest, DropsNamedChromeButNotTheLayoutWrapper) {
  // The wrapper's class says "sidebar" too, but it holds the whole page.
  const ParsedDocument doc = MustRead(Fixture("no_main.html"));
  EXPECT_EQ(doc.title, "Growing Tomatoes");
  EXPECT_EQ(BlockLines(doc.blocks),
            (std::vector<std::string>{
                "H2 Growing tomatoes",
                "P Tomatoes need at least six hours of direct sun every day.",
                "P Water them deeply twice a week, at the base of the plant.",
                "P Stake or cage the plants early, before the stems get heavy with fruit.",
            }));
}

TEST(ReadHtmlTest, ChoosesTheTitle) {
  struct Case {
    std::string name;
    std::string html;
    std::string expected;
  } cases[] = {
      {"h1 in article beats title and page h1",
       "<title>T | Site</title><h1>Site name</h1><article><h1>Article heading</h1><p>x</p>"
       "</article>",
       "Article heading"},
      {"h1 in main", "<title>T</title><main><h1>Main heading</h1><p>x</p></main>", "Main heading"},
      {"title with pipe suffix when no h1 in content",
       "<title>Pricing plans | Acme Corp</title><h1>Acme</h1><p>x</p>", "Pricing plans"},
      {"title with dash suffix", "<title>Tide tables - Ocean Facts</title><p>x</p>", "Tide tables"},
      {"first h1 when no title", "<div><h1>Only heading</h1><p>x</p></div>", "Only heading"},
      {"empty h1 falls back to title", "<title>Real title</title><main><h1> </h1>x</main>",
       "Real title"},
      {"nothing", "<p>just text</p>", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(MustRead(c.html).title, c.expected) << c.name;
}

TEST(ReadHtmlTest, SeparatesBlocksAndJoinsInlineText) {
  struct Case {
    std::string html;
    std::vector<std::string> expected;
  } cases[] = {
      {"<p>a<b>b</b>c <i>d</i></p>", {"P abc d"}},
      {"<div>one</div><div>two</div>", {"P one", "P two"}},
      {"<div>one<div>two</div>three</div>", {"P one", "P two", "P three"}},
      {"<p>line one<br>line two</p>", {"P line one line two"}},
      {"<div>para one<br><br>para two</div>", {"P para one", "P para two"}},
      {"<h2>Head<br>ing</h2><p>x</p>", {"H2 Head ing", "P x"}},
      {"<p>caf&eacute; &lt;b&gt; &#8212; &#x41;</p>", {"P café <b> — A"}},
      {"<ul><li><p>loose one</p><p>more</p></li><li>two</li></ul>",
       {"LI loose one", "P more", "LI two"}},
      {"<dl><dt>Term</dt><dd>Definition.</dd></dl>", {"P Term", "P Definition."}},
      {"<blockquote><p>Quoted words.</p></blockquote>", {"P Quoted words."}},
      {"<table><caption>Cap</caption><tr><td>a</td><td></td><td>c</td></tr></table>",
       {"P Cap", "P a | c"}},
      {"<p>x<sup>2</sup> and H<sub>2</sub>O</p>", {"P x2 and H2O"}},
      {"<h4>Deep</h4><h6>Deeper</h6>", {"H4 Deep", "H6 Deeper"}},
      {"<p>text <svg><text>svg label</text></svg>after</p>", {"P text after"}},
      {"<p>a</p><hr><p>b</p>", {"P a", "P b"}},
      {"<p aria-hidden=\"true\">icon</p><p>shown</p>", {"P shown"}},
      {"<custom-card>custom element text</custom-card>", {"P custom element text"}},
      {"<cookie-consent>Accept our cookies</cookie-consent><p>The body paragraph is longer "
       "than the banner.</p>",
       {"P The body paragraph is longer than the banner."}},
      {"<div role=\"search\">Search here</div><p>body</p>", {"P body"}},
      {"<div role=\"navigation\">Menu</div><div role=\"banner\">Logo</div><p>body</p>", {"P body"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(BlockLines(MustRead(c.html).blocks), c.expected) << c.html;
  }
}

TEST(ReadHtmlTest, PicksTheLargestArticleOnlyWhenItHoldsTheText) {
  struct Case {
    std::string name;
    std::string html;
    std::vector<std::string> expected;
  } cases[] = {
      {"article plus comments in main",
       "<main><article><p>The article body is the long part of this page.</p></article>"
       "<div>Reply</div></main>",
       {"P The article body is the long part of this page."}},
      {"teaser cards: main kept whole",
       "<main><p>Intro text that is long enough to dominate these cards.</p>"
       "<article>Card one</article><article>Card two</article></main>",
       {"P Intro text that is long enough to dominate these cards.", "P Card one", "P Card two"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(BlockLines(MustRead(c.html).blocks), c.expected) << c.name;
  }
}

TEST(ReadHtmlTest, RefusesPathologicalNesting) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  auto doc = ReadHtml(deep + "text");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(doc.status().message().find("unclosed"), std::string::npos);
}

TEST(ReadHtmlTest, ManyUnclosedImplicitlyClosedElementsAreFine) {
  std::string html = "<ul>";
  for (int i = 0; i < 20000; ++i) html += "<li>item " + std::to_string(i) + "<p>para";
  auto doc = ReadHtml(html);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->blocks.size(), 40000u);
  EXPECT_EQ(BlockLines({doc->blocks[2], doc->blocks[3]}),
            (std::vector<std::string>{"LI item 1", "P para"}));
}

TEST(CountUnclosedHtmlElementsTest, CountsOnlyElementsThatNest) {
  struct Case {
    std::string html;
    size_t expected;
  } cases[] = {
      {"<div><p>x</div>", 0},
      {"<div><div><span>x", 3},
      {"<p>a<p>b<li>c<br><img src=x><hr>", 0},
      {"<DIV>x</div></div>", 0},
      {"<script>if (a<b && c<d) {}</script><div>", 1},
      {"<!-- <div><div> --><b>", 1},
      {"a < b and c<d", 1},  // "<d" reads as a tag: an upper bound
  };
  for (const auto& c : cases) EXPECT_EQ(CountUnclosedHtmlElements(c.html), c.expected) << c.html;
}

TEST(StripTitleSiteSuffixTest, RemovesShortTrailingSiteNames) {
  struct Case {
    std::string title;
    std::string expected;
  } cases[] = {
      {"How Tides Work | Ocean Facts", "How Tides Work"},
      {"How Tides Work - Ocean Facts", "How Tides Work"},
      {"A | B | Site", "A | B"},
      {"string \xE2\x80\x94 Common string operations \xE2\x80\x94 Python 3.11.2 documentation",
       "string \xE2\x80\x94 Common string operations"},
      {"Python 3 - A guide for people who already program well",
       "Python 3 - A guide for "
       "people who already program well"},
      {"COVID-19 explained", "COVID-19 explained"},
      {"| Site", "| Site"},
      {"  Plain   title ", "Plain title"},
  };
  for (const auto& c : cases) EXPECT_EQ(StripTitleSiteSuffix(c.title), c.expected) << c.title;
}

TEST(HtmlChromeTest, NamesAndRoles) {
  struct Case {
    std::string names;
    bool chrome;
  } cases[] = {
      {"cookie-banner", true},
      {"site-nav", true},
      {"sphinxsidebar", true},
      {"shareBar", true},
      {"breadcrumbs", true},
      {"main-menu", true},
      {"topnav", true},
      {"newsletter-signup", true},
      {"related-posts", true},
      {"footer", true},
      {"ad", true},
      {"gdpr-consent", true},
      {"navy-theme", false},
      {"shared-content", false},
      {"post-content", false},
      {"address", false},
      {"canvas", false},
      {"body", false},
      {"documentwrapper", false},
      {"entry-header", false},
      {"", false},
  };
  for (const auto& c : cases) EXPECT_EQ(NamesSayChrome(c.names), c.chrome) << c.names;
  struct RoleCase {
    std::string role;
    bool chrome;
  } roles[] = {{"navigation", true},    {"Banner", true}, {"contentinfo", true},
               {"complementary", true}, {"search", true}, {"main", false},
               {"article", false},      {"note", false},  {"presentation navigation", true}};
  for (const auto& c : roles) EXPECT_EQ(RoleSaysChrome(c.role), c.chrome) << c.role;
  EXPECT_TRUE(IsPermalinkMarker("\xC2\xB6"));
  EXPECT_TRUE(IsPermalinkMarker(" # "));
  EXPECT_FALSE(IsPermalinkMarker("Section 2"));
}

}  // namespace
}  // namespace citeqa::indexer
