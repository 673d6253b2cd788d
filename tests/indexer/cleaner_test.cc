#include "indexer/cleaner.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "indexer/text_reader.h"

namespace citeqa::indexer {
namespace {

TEST(CleanerFeaturesTest, ClassifiesLines) {
  struct Case {
    std::string text;
    bool code;
    bool chrome;
    bool link_list;
  } cases[] = {
      {"hbspt.cta.load(3434168, 'a4593ff5', {});", true, false, false},
      {"window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}",
       true, false, false},
      {"Get product management tips in your inbox — sign up for our newsletter.", false, true,
       false},
      {"Your email address will not be published. Required fields are marked *", false, true,
       false},
      {"References For Railway Reservation System, Things To Do Near Uss North Carolina, "
       "Microphone Screw Adapter, Best Non Perishable Food For Emergency, Birch Flooring,",
       false, false, true},
      {"Product owners are team-facing, tactical, and focused on the backlog, sprints, "
       "stories, and the day-to-day work of the team.",
       false, false, false},
      {"The average salary (according to Glassdoor) is $95,000.", false, false, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(IsCodeLike(c.text), c.code) << c.text;
    EXPECT_EQ(IsWebChrome(c.text), c.chrome) << c.text;
    EXPECT_EQ(IsLinkList(c.text), c.link_list) << c.text;
  }
}

// The chrome phrases are looked up by their first two letters, and several share them
// ("share this", "share on"; "skip to content", "skip to main content"; "copyright ©",
// "cookie policy"): each of them is found, wherever it stands, and words that merely
// begin like them are not.
TEST(CleanerFeaturesTest, FindsEveryChromePhraseThatSharesItsFirstLetters) {
  for (const char* chrome :
       {"Share this post", "Loved it? Share on LinkedIn", "Skip to content", "Skip to main content",
        "Copyright \xC2\xA9 2024 Acme", "Read our cookie policy", "Accept cookies to continue",
        "Click here to read more"}) {
    EXPECT_TRUE(IsWebChrome(chrome)) << chrome;
  }
  for (const char* prose : {"She shared one idea with the team.", "Skipping the review costs time.",
                            "Copyrighted material was cited.", "The cookie was policy-neutral."}) {
    EXPECT_FALSE(IsWebChrome(prose)) << prose;
  }
}

TEST(CleanDocumentTest, DropsMenusChromeAndCodeButKeepsArticle) {
  ParsedDocument doc = ReadPlainText(
      "Institute of Product Leadership\n"
      "Search\n"
      "Close this search box.\n"
      "Product Owner vs Product Manager: The Roles\n"
      "A product owner maximises the value of the product. They own the backlog. "
      "hbspt.cta.load(1, 'x', {}); They talk to stakeholders every day.\n"
      "Facebook\nTwitter\nLinkedIn\n"
      "Salary\n"
      "Product managers earn more than product owners on average.\n");
  CleanDocument(&doc, nullptr);
  std::vector<std::string> texts;
  for (const Block& b : doc.blocks) texts.push_back(b.text);
  EXPECT_EQ(texts, (std::vector<std::string>{
                       "Product Owner vs Product Manager: The Roles",
                       "A product owner maximises the value of the product. They own the "
                       "backlog. They talk to stakeholders every day.",
                       "Salary",
                       "Product managers earn more than product owners on average.",
                   }));
}

TEST(CleanDocumentTest, DropsLinesRepeatedAcrossDocuments) {
  RepeatedLineCounter counter;
  std::vector<ParsedDocument> docs;
  for (int i = 0; i < 3; ++i) {
    docs.push_back(ReadPlainText("Acme Blog Home\nArticle number " + std::to_string(i) +
                                 " has its own long sentence about backlogs and roadmaps.\n"));
    counter.AddDocument(docs.back());
  }
  CleanDocument(&docs[0], &counter);
  ASSERT_EQ(docs[0].blocks.size(), 1u);
  EXPECT_EQ(docs[0].blocks[0].text.rfind("Article number 0", 0), 0u);
}

TEST(CleanDocumentTest, DropsSentencesRepeatedAcrossDocuments) {
  RepeatedLineCounter counter;
  std::vector<ParsedDocument> docs;
  for (int i = 0; i < 3; ++i) {
    docs.push_back(ReadPlainText("Article " + std::to_string(i) +
                                 " explains backlogs in its own words. It adds thought " + std::to_string(i) + ". This page is licensed "
                                 "under the Example License, version two.\n"));
    counter.AddDocument(docs.back());
  }
  CleanDocument(&docs[1], &counter);
  ASSERT_EQ(docs[1].blocks.size(), 1u);
  EXPECT_EQ(docs[1].blocks[0].text,
            "Article 1 explains backlogs in its own words. It adds thought 1.");
}

TEST(RepeatedLineCounterTest, QueryKeysHoldEveryKeyCounted) {
  const ParsedDocument doc = ReadPlainText(
      "Acme Blog Home\nA product owner owns the backlog. They accept the `work` items. "
      "Teams refine it weekly.\nSubscribe now\n");
  const auto counted = RepeatedLineCounter::KeysOf(doc);
  const auto looked_up = RepeatedLineCounter::QueryKeysOf(doc);
  ASSERT_FALSE(counted.empty());
  EXPECT_TRUE(std::is_sorted(looked_up.begin(), looked_up.end()));
  for (const auto& key : counted) {
    EXPECT_TRUE(std::binary_search(looked_up.begin(), looked_up.end(), key));
  }
  // The sentence as the cleaner sees it once inline code is removed is looked up too.
  EXPECT_GT(looked_up.size(), counted.size());
}

TEST(RepeatedLineCounterTest, CountOnlyCountsTheLookedUpLinesAndCleansTheSame) {
  // Three pages share a menu line and a licence sentence; page 0 is cleaned against counts
  // of all of them, once counting every line and once only the lines page 0 looks up.
  std::vector<ParsedDocument> docs;
  for (int i = 0; i < 3; ++i) {
    docs.push_back(ReadPlainText("Acme Blog Home\nArticle " + std::to_string(i) +
                                 " explains backlogs in its own words. This page is licensed "
                                 "under the Example License, version two.\nOnly in page " +
                                 std::to_string(i) + " is this line.\n"));
  }
  RepeatedLineCounter all;
  RepeatedLineCounter some;
  some.CountOnly(RepeatedLineCounter::QueryKeysOf(docs[0]));
  for (const ParsedDocument& d : docs) {
    all.AddDocument(d);
    some.AddKeys(RepeatedLineCounter::KeysOf(d));
  }
  EXPECT_EQ(some.DocumentsContaining("Acme Blog Home"), 3);
  EXPECT_EQ(all.DocumentsContaining("Only in page 1 is this line."), 1);
  EXPECT_EQ(some.DocumentsContaining("Only in page 1 is this line."), 0);  // not looked up
  RepeatedLineCounter merged;
  merged.CountOnly(RepeatedLineCounter::QueryKeysOf(docs[0]));
  merged.Merge(all);
  EXPECT_EQ(merged.DocumentsContaining("Acme Blog Home"), 3);
  EXPECT_EQ(merged.DocumentsContaining("Only in page 2 is this line."), 0);
  ParsedDocument with_all = docs[0];
  ParsedDocument with_some = docs[0];
  CleanDocument(&with_all, &all);
  CleanDocument(&with_some, &some);
  ASSERT_EQ(with_all.blocks.size(), with_some.blocks.size());
  for (size_t i = 0; i < with_all.blocks.size(); ++i) {
    EXPECT_EQ(with_all.blocks[i].text, with_some.blocks[i].text);
  }
  ASSERT_EQ(with_all.blocks.size(), 2u);  // the menu line is gone
  EXPECT_EQ(with_all.blocks[0].text, "Article 0 explains backlogs in its own words.");
}

TEST(CleanerFeaturesTest, KeepsApiSignaturesButDropsScripts) {
  EXPECT_FALSE(IsCodeLike("string.capwords(s, sep=None)"));
  EXPECT_TRUE(IsCodeLike("hbspt.cta.load(3434168, 'a4593ff5', {});"));
}

TEST(ChooseTitleTest, PrefersTheLongestHeadingNearTheTop) {
  struct Case {
    std::string text;
    std::string expected;
  } cases[] = {
      {"Acme Site\nSearch\nProduct Owner vs Product Manager: Key Differences\nBody text here.",
       "Product Owner vs Product Manager: Key Differences"},
      {"Just a paragraph that starts the article. And more.", "Just a paragraph that starts the article."},
      {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(ChooseTitle(ReadPlainText(c.text)), c.expected) << c.text;
}

}  // namespace
}  // namespace citeqa::indexer
