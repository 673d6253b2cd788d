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
  for (int i = 0; i < 40; ++i) text += "Alpha " + Words(8, "alpha") + " end" + std::to_string(i) + ". ";
  ParsedDocument doc = ReadPlainText(text);
  const auto passages = ChunkDocument(doc);
  ASSERT_GT(passages.size(), 3u);
  for (const auto& p : passages) {
    const int words = CountWords(p.text);
    EXPECT_LE(words, 120) << p.text;
    EXPECT_GE(words, 30) << p.text;
    EXPECT_EQ(p.text.back(), '.') << "passages end on whole sentences";
  }
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

}  // namespace
}  // namespace citeqa::indexer
