#include "indexer/chunker.h"

#include <gtest/gtest.h>

#include "indexer/text.h"
#include "indexer/text_reader.h"

namespace citeqa::indexer {
namespace {

std::string Words(int n, const std::string& word = "word") {
  std::string s;
  for (int i = 0; i < n; ++i) s += (i ? " " : "") + word;
  return s;
}

TEST(ChunkerTest, KeepsHeadingsAndListsWithWhatTheyIntroduce) {
  ParsedDocument doc = ReadPlainText(
      "Skills Required by Product Owners\n"
      "Product Owners must possess specific skills, including:\n"
      "1. User-Centric Focus: understanding the voice of the customer.\n"
      "2. Backlog Management: keeping a prioritized product backlog.\n"
      "Salary\n" + Words(40, "pay") + ".\n");
  const auto passages = ChunkDocument(doc);
  ASSERT_EQ(passages.size(), 2u);
  EXPECT_EQ(passages[0].heading, "Skills Required by Product Owners");
  EXPECT_NE(passages[0].text.find("Backlog Management"), std::string::npos);
  EXPECT_NE(passages[0].text.find("including:\n- User-Centric"), std::string::npos);
  EXPECT_EQ(passages[1].heading, "Salary");
  EXPECT_EQ(passages[1].text.rfind("Salary\npay", 0), 0u);
  EXPECT_EQ(passages[1].ordinal, 1);
}

TEST(ChunkerTest, CutsLongParagraphsAtSentenceBoundariesWithinBounds) {
  std::string text;
  for (int i = 0; i < 80; ++i) text += "Alpha " + Words(8, "alpha") + " end" + std::to_string(i) + ". ";
  ParsedDocument doc = ReadPlainText(text);
  const auto passages = ChunkDocument(doc);
  ASSERT_GT(passages.size(), 3u);
  for (const auto& p : passages) {
    const int words = CountWords(p.text);
    EXPECT_LE(words, ChunkerOptions{}.max_words) << p.text;
    EXPECT_GE(words, 30) << p.text;
    EXPECT_EQ(p.text.back(), '.') << "passages end on whole sentences";
  }
}

// A paragraph is the author's unit: one of up to max_words words stays one passage (a
// question about it may be answered by a sentence that names none of its words), one
// longer is cut between sentences into passages within the bound.
TEST(ChunkerTest, KeepsAParagraphOfUpToMaxWordsWhole) {
  auto paragraph = [](int sentences) {
    std::string text;
    for (int i = 0; i < sentences; ++i) text += "Beta " + Words(8, "beta") + " end" + std::to_string(i) + ". ";
    return text + "\n";
  };
  const int max_words = ChunkerOptions{}.max_words;
  const auto whole = ChunkDocument(ReadPlainText(paragraph(max_words / 10)));
  ASSERT_EQ(whole.size(), 1u);
  EXPECT_EQ(CountWords(whole[0].text), max_words);
  const auto cut = ChunkDocument(ReadPlainText(paragraph(max_words / 10 + 5)));
  ASSERT_EQ(cut.size(), 2u);
  for (const auto& p : cut) EXPECT_LE(CountWords(p.text), max_words) << p.text;
  // Two paragraphs past the target size are two passages, though they would fit in one.
  const auto two = ChunkDocument(ReadPlainText(paragraph(9) + paragraph(9)));
  EXPECT_EQ(two.size(), 2u);
}

TEST(ChunkerTest, MergesShortTailIntoPreviousPassage) {
  ParsedDocument doc = ReadPlainText(Words(70, "a") + ".\n" + Words(5, "b") + ".\n");
  const auto passages = ChunkDocument(doc);
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_NE(passages[0].text.find("b b b"), std::string::npos);
}

TEST(ChunkerTest, EmptyDocumentHasNoPassages) {
  EXPECT_TRUE(ChunkDocument(ParsedDocument{}).empty());
}

}  // namespace
}  // namespace citeqa::indexer

namespace citeqa::indexer {
namespace {

TEST(ChunkerTest, NeverSeparatesALeadInFromItsList) {
  ParsedDocument doc = ReadPlainText(Words(75, "intro") + ". Here are the duties:\n- First duty.\n- Second duty.\n");
  const auto passages = ChunkDocument(doc);
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_NE(passages[0].text.find("duties:\n- First duty."), std::string::npos) << passages[0].text;
}

// A lead-in paragraph whose list does not fit after the text before it moves on with the
// list, rather than ending one passage with "considerations:" and leaving the items bare.
TEST(ChunkerTest, MovesALeadInParagraphOnWithItsList) {
  std::string items;
  for (const char* name : {"Time", "Conflict", "Burnout"}) {
    items += std::string("- ") + name + ": " + Words(48, "item") + ".\n";
  }
  ParsedDocument doc = ReadPlainText(Words(60, "before") + ".\n" + "When one person holds both " +
                                     Words(30, "roles") + ". Here are some considerations:\n" +
                                     items + Words(40, "after") + ".\n");
  const auto passages = ChunkDocument(doc);
  ASSERT_EQ(passages.size(), 3u);
  EXPECT_EQ(passages[0].text.find("considerations"), std::string::npos) << passages[0].text;
  EXPECT_EQ(passages[1].text.rfind("When one person holds both", 0), 0u) << passages[1].text;
  for (const char* name : {"- Time:", "- Conflict:", "- Burnout:"}) {
    EXPECT_NE(passages[1].text.find(name), std::string::npos) << name;
  }
  EXPECT_LE(CountWords(passages[1].text), ChunkerOptions{}.max_list_words);
  EXPECT_EQ(passages[2].text.rfind("after", 0), 0u) << passages[2].text;
}

// A list too long for one passage is cut between items, and only once it overflows.
TEST(ChunkerTest, CutsALongListBetweenItems) {
  std::string text = "The duties are:\n";
  for (int i = 0; i < 12; ++i) {  // items of two sentences each
    text += "- Duty" + std::to_string(i) + " " + Words(9, "task") + ". Then " + Words(9, "more") +
            ".\n";
  }
  const auto passages = ChunkDocument(ReadPlainText(text));
  ASSERT_GE(passages.size(), 2u);
  EXPECT_EQ(passages[0].text.rfind("The duties are:\n- Duty0", 0), 0u) << passages[0].text;
  EXPECT_GT(CountWords(passages[0].text), ChunkerOptions{}.max_words);
  for (const auto& p : passages) {
    EXPECT_LE(CountWords(p.text), ChunkerOptions{}.max_list_words) << p.text;
    // Every passage starts at an item (or the lead-in) and ends with one: items are never cut.
    EXPECT_TRUE(p.text.rfind("The duties", 0) == 0 || p.text.rfind("- Duty", 0) == 0) << p.text;
    EXPECT_EQ(p.text.substr(p.text.size() - 6), " more.") << p.text;
  }
}

}  // namespace
}  // namespace citeqa::indexer
