#include "server/slack/message_format.h"

#include <gtest/gtest.h>

#include "tests/server/slack/fake_engine.h"

namespace citeqa::server::slack {
namespace {

using testing::NotFoundAnswer;
using testing::TwoCitationAnswer;

std::string Words(int n, const std::string& word) {
  std::string s;
  for (int i = 0; i < n; ++i) s += (i ? " " : "") + word;
  return s;
}

size_t CountCodePoints(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

TEST(MessageFormatTest, EscapesMrkdwnControlCharacters) {
  struct Case {
    const char* input;
    const char* expected;
  };
  const Case cases[] = {
      {"plain *bold* _it_", "plain *bold* _it_"},
      {"a & b", "a &amp; b"},
      {"<!channel> hi", "&lt;!channel&gt; hi"},
      {"<https://evil.example|click>", "&lt;https://evil.example|click&gt;"},
      {"&amp;", "&amp;amp;"},
      {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(EscapeMrkdwn(c.input), c.expected) << c.input;
}

TEST(MessageFormatTest, ShortQuoteKeepsShortPassagesWhole) {
  retriever::Citation c;
  c.passage = "  Employees give one\nmonth of notice.  ";
  EXPECT_EQ(ShortQuote(c), "Employees give one month of notice.");
}

TEST(MessageFormatTest, ShortQuoteCutsAtAWord) {
  retriever::Citation c;
  c.passage = Words(60, "alpha");  // 60 * 6 - 1 = 359 characters
  const std::string quote = ShortQuote(c, 150);
  ASSERT_GE(quote.size(), 4u);
  EXPECT_EQ(quote.substr(quote.size() - 3), "\xE2\x80\xA6");
  const std::string kept = quote.substr(0, quote.size() - 3);
  EXPECT_LE(kept.size(), 150u);
  EXPECT_GE(kept.size(), 140u);
  EXPECT_EQ(kept.substr(kept.size() - 5), "alpha") << "never cuts inside a word";
}

TEST(MessageFormatTest, ShortQuoteStartsNearAFarHighlight) {
  retriever::Citation c;
  c.passage = Words(50, "filler") + " the notice period is one month " + Words(50, "tail");
  const int begin = static_cast<int>(c.passage.find("notice"));
  c.highlights = {{begin, begin + 6}};
  const std::string quote = ShortQuote(c, 150);
  EXPECT_EQ(quote.rfind("\xE2\x80\xA6", 0), 0u) << quote;
  EXPECT_NE(quote.find("the notice period is one month"), std::string::npos) << quote;
  EXPECT_NE(quote.find("filler"), std::string::npos) << "keeps some words before: " << quote;
}

TEST(MessageFormatTest, ShortQuoteIgnoresANearHighlight) {
  retriever::Citation c;
  c.passage = "notice " + Words(60, "word");
  c.highlights = {{0, 6}};
  EXPECT_EQ(ShortQuote(c, 150).rfind("notice word", 0), 0u);
}

TEST(MessageFormatTest, ShortQuoteNeverSplitsACharacter) {
  retriever::Citation c;
  c.passage = Words(200, "\xC3\xA9t\xC3\xA9");  // "été" repeated
  const std::string quote = ShortQuote(c, 150);
  EXPECT_LE(CountCodePoints(quote), 151u);
  c.passage = std::string(400, 'x');  // one huge word: cut mid-word
  EXPECT_EQ(ShortQuote(c, 150), std::string(150, 'x') + "\xE2\x80\xA6");
  c.passage = "";
  EXPECT_EQ(ShortQuote(c), "");
}

// Byte range of `part` in `text` (its first occurrence), as the engine reports quotes.
std::pair<int, int> RangeOf(const std::string& text, const std::string& part) {
  const size_t at = text.find(part);
  EXPECT_NE(at, std::string::npos) << part;
  return {static_cast<int>(at), static_cast<int>(at + part.size())};
}

TEST(MessageFormatTest, QuotedTextIsTheQuotedSentencesNotThePassageStart) {
  const std::string prose =
      "Every company has rules. The notice period is one month. Managers give more. "
      "Contracts say so.";
  const std::string list =
      "Skills needed:\n- Analysis: reading the market.\n- Strategy: choosing a direction."
      "\n- Delivery: shipping on time.";
  const std::string french =
      "L\xE2\x80\x99\xC3\xA9t\xC3\xA9 est long. Le pr\xC3\xA9"
      "avis "
      "dure un mois. Fin.";
  struct Case {
    const char* name;
    std::string passage;
    std::vector<std::pair<int, int>> quotes;
    std::string expected;
  };
  const Case cases[] = {
      {"one sentence in the middle",
       prose,
       {RangeOf(prose, "The notice period is one month.")},
       "The notice period is one month."},
      {"adjacent sentences join with a space",
       prose,
       {RangeOf(prose, "Managers give more."), RangeOf(prose, "The notice period is one month.")},
       "The notice period is one month. Managers give more."},
      {"text left out between them",
       prose,
       {RangeOf(prose, "Every company has rules."), RangeOf(prose, "Contracts say so.")},
       "Every company has rules. \xE2\x80\xA6 Contracts say so."},
      {"a lead-in and its items",
       list,
       {RangeOf(list, "Skills needed:"), RangeOf(list, "Analysis: reading the market"),
        RangeOf(list, "Strategy: choosing a direction")},
       "Skills needed: Analysis: reading the market; Strategy: choosing a direction"},
      {"the items' labels",
       list,
       {RangeOf(list, "Analysis"), RangeOf(list, "Strategy"), RangeOf(list, "Delivery")},
       "Analysis; Strategy; Delivery"},
      {"an item skipped is text left out",
       list,
       {RangeOf(list, "Analysis: reading the market"), RangeOf(list, "Delivery: shipping on time")},
       "Analysis: reading the market \xE2\x80\xA6 Delivery: shipping on time"},
      {"multi-byte text",
       french,
       {RangeOf(french,
                "Le pr\xC3\xA9"
                "avis dure un mois.")},
       "Le pr\xC3\xA9"
       "avis dure un mois."},
      {"bad ranges fall back to the passage start",
       prose,
       {{-4, 3}, {10, 5}, {90, 400}},
       "Every company has rules. The notice period is one month. Managers give more. "
       "Contracts say so."},
      {"a range inside a character is skipped", french, {{2, 10}, RangeOf(french, "Fin.")}, "Fin."},
      {"no quotes: the passage start", "Short passage.", {}, "Short passage."},
  };
  for (const Case& c : cases) {
    retriever::Citation citation;
    citation.passage = c.passage;
    citation.quotes = c.quotes;
    EXPECT_EQ(QuotedText(citation), c.expected) << c.name;
  }
}

TEST(MessageFormatTest, QuotedTextCutsALongQuoteAtAWord) {
  retriever::Citation c;
  c.passage = "Start. " + Words(100, "quoted") + ". End.";
  c.quotes = {RangeOf(c.passage, Words(100, "quoted") + ".")};
  const std::string quote = QuotedText(c, 100);
  ASSERT_GE(quote.size(), 4u);
  EXPECT_EQ(quote.rfind("quoted quoted", 0), 0u) << quote;
  EXPECT_EQ(quote.substr(quote.size() - 3), "\xE2\x80\xA6") << quote;
  const std::string kept = quote.substr(0, quote.size() - 3);
  EXPECT_LE(kept.size(), 100u);
  EXPECT_EQ(kept.substr(kept.size() - 6), "quoted") << "never cuts inside a word";
}

// One cited passage whose quoted sentence is not its first, and a related passage.
retriever::AskResponse CitedAndRelatedAnswer() {
  retriever::AskResponse r;
  r.found = true;
  r.answer = "Managers give three months [1].";
  retriever::Citation cited;
  cited.n = 1;
  cited.cited = true;
  cited.title = "Notice periods";
  cited.passage_id = 7;
  cited.passage = "Notice depends on the role. Managers give three months. Others give one.";
  cited.quotes = {RangeOf(cited.passage, "Managers give three months.")};
  retriever::Citation related;
  related.n = 2;
  related.cited = false;
  related.title = "Holidays";
  related.passage_id = 8;
  related.passage = "Holidays are agreed with the manager.";
  r.citations = {cited, related};
  return r;
}

TEST(MessageFormatTest, OnlyTheCitedSourcesWithTheirQuotedSentence) {
  const nlohmann::json blocks = AnswerBlocks(CitedAndRelatedAnswer(), "https://qa.example.com");
  ASSERT_EQ(blocks.size(), 2u) << blocks.dump();
  EXPECT_EQ(blocks[1]["text"]["text"],
            "*Sources*\n"
            "*[1]* <https://qa.example.com/#passage-7|Notice periods>\n"
            ">Managers give three months.");
  EXPECT_EQ(PlainMarkdownAnswer(CitedAndRelatedAnswer(), ""),
            "Managers give three months [1].\n\nSources:\n"
            "1. Notice periods \xE2\x80\x94 \xE2\x80\x9CManagers give three months.\xE2\x80\x9D");

  retriever::AskResponse only_related = CitedAndRelatedAnswer();
  only_related.citations.erase(only_related.citations.begin());
  EXPECT_EQ(AnswerBlocks(only_related, "https://qa.example.com").size(), 1u);
  EXPECT_EQ(PlainMarkdownAnswer(only_related, ""), "Managers give three months [1].");
}

TEST(MessageFormatTest, ListsInTheAnswerKeepTheirLines) {
  retriever::AskResponse r = CitedAndRelatedAnswer();
  r.answer = "Skills,  including:\n- Market\tAnalysis\n-   Strategic Thinking [1]\nMore [1].";
  EXPECT_EQ(AnswerBlocks(r, "")[0]["text"]["text"],
            "Skills, including:\n\xE2\x80\xA2 Market Analysis\n\xE2\x80\xA2 Strategic Thinking "
            "[1]\nMore [1].");
  EXPECT_EQ(AnswerFallbackText(r),
            "Skills, including:\n\xE2\x80\xA2 Market Analysis\n\xE2\x80\xA2 Strategic Thinking "
            "[1]\nMore [1].");
  const std::string markdown = PlainMarkdownAnswer(r, "");
  EXPECT_EQ(markdown.substr(0, markdown.find("\n\nSources:")),
            "Skills, including:\n- Market Analysis\n- Strategic Thinking [1]\nMore [1].");
}

TEST(MessageFormatTest, AnswerBlocksLinkSourcesToTheViewer) {
  const nlohmann::json blocks = AnswerBlocks(TwoCitationAnswer(), "https://qa.example.com");
  ASSERT_EQ(blocks.size(), 2u) << blocks.dump();
  EXPECT_EQ(blocks[0]["type"], "section");
  EXPECT_EQ(blocks[0]["text"]["type"], "mrkdwn");
  EXPECT_EQ(blocks[0]["text"]["text"],
            "The notice period is one month [1]. Managers give three months [2].");
  const std::string sources = blocks[1]["text"]["text"];
  EXPECT_EQ(sources,
            "*Sources*\n"
            "*[1]* <https://qa.example.com/#passage-12|Notice periods>\n"
            ">Employees give one month of notice before leaving the company.\n"
            "*[2]* <https://qa.example.com/#passage-40|Managers &amp; &lt;Leads&gt;>\n"
            ">Managers give three months of notice &lt;!channel&gt; &amp; more.");
}

TEST(MessageFormatTest, AnswerBlocksWithoutABaseUrlHaveBoldTitles) {
  const nlohmann::json blocks = AnswerBlocks(TwoCitationAnswer(), "");
  const std::string sources = blocks[1]["text"]["text"];
  EXPECT_NE(sources.find("*[1]* *Notice periods*\n>Employees"), std::string::npos) << sources;
  EXPECT_EQ(sources.find("#passage-"), std::string::npos) << sources;
}

TEST(MessageFormatTest, AnswerBlocksForANotFoundAnswerHaveNoSources) {
  const nlohmann::json blocks = AnswerBlocks(NotFoundAnswer(), "https://qa.example.com");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0]["text"]["text"], "The articles do not say.");
  retriever::AskResponse empty;
  EXPECT_EQ(AnswerBlocks(empty, "")[0]["text"]["text"],
            "I could not find an answer to that in the articles.");
}

TEST(MessageFormatTest, ManyLongSourcesAreSplitOverSectionsWithinSlacksLimit) {
  retriever::AskResponse r;
  r.found = true;
  r.answer = "Answer [1].";
  for (int i = 1; i <= 20; ++i) {
    retriever::Citation c;
    c.n = i;
    c.title = Words(60, "T&t");  // escapes to long titles, cut at 200 characters first
    c.passage = Words(100, "<p>");
    c.passage_id = 1000 + i;
    c.cited = true;
    r.citations.push_back(c);
  }
  const nlohmann::json blocks = AnswerBlocks(r, "https://qa.example.com");
  ASSERT_GT(blocks.size(), 2u);
  std::string all;
  for (const auto& block : blocks) {
    const std::string text = block["text"]["text"];
    EXPECT_LE(CountCodePoints(text), kMaxSectionChars);
    all += text + "\n";
  }
  for (int i = 1; i <= 20; ++i) {
    EXPECT_NE(all.find("*[" + std::to_string(i) + "]* <https://qa.example.com/#passage-" +
                       std::to_string(1000 + i) + "|"),
              std::string::npos)
        << i;
  }
}

TEST(MessageFormatTest, SlashCommandMessage) {
  const nlohmann::json m = SlashCommandMessage(TwoCitationAnswer(), "", "in_channel");
  EXPECT_EQ(m["response_type"], "in_channel");
  EXPECT_EQ(m["text"], "The notice period is one month [1]. Managers give three months [2].");
  EXPECT_EQ(m["blocks"].size(), 2u);
  EXPECT_EQ(SlashCommandMessage(NotFoundAnswer(), "", "in_channel")["response_type"], "ephemeral");
  EXPECT_EQ(SlashCommandMessage(NotFoundAnswer(), "", "ephemeral")["response_type"], "ephemeral");
  const nlohmann::json e = EphemeralMessage("usage");
  EXPECT_EQ(e, nlohmann::json({{"response_type", "ephemeral"}, {"text", "usage"}}));
}

TEST(MessageFormatTest, UsageNamesTheInvocationAndTheSuggestedQuestions) {
  const struct {
    std::vector<std::string> examples;
    std::vector<std::string> present;
    std::vector<std::string> absent;
  } cases[] = {
      // Without suggestions: general wording, no example question.
      {{}, {"Type `/ask` followed by your question.", "`/ask help`"}, {"For example", "?`"}},
      {{"Why do kites fly?", "What is <b> & `code`?", "What is a starter?", "Fourth one?"},
       {"For example:", "`/ask Why do kites fly?`", "`/ask What is &lt;b&gt; &amp; 'code'?`",
        "`/ask What is a starter?`", "`/ask help`"},
       {"Fourth one?", "followed by your question"}},
  };
  for (const auto& c : cases) {
    const std::string usage = UsageText("/ask", c.examples);
    for (const std::string& part : c.present) {
      EXPECT_NE(usage.find(part), std::string::npos) << part << " in " << usage;
    }
    for (const std::string& part : c.absent) {
      EXPECT_EQ(usage.find(part), std::string::npos) << part << " in " << usage;
    }
  }
}

TEST(MessageFormatTest, PlainMarkdownAnswer) {
  EXPECT_EQ(PlainMarkdownAnswer(TwoCitationAnswer(), "https://qa.example.com"),
            "The notice period is one month [1]. Managers give three months [2].\n\nSources:\n"
            "1. [Notice periods](https://qa.example.com/#passage-12) \xE2\x80\x94 "
            "\xE2\x80\x9C"
            "Employees give one month of notice before leaving the company."
            "\xE2\x80\x9D\n"
            "2. [Managers & <Leads>](https://qa.example.com/#passage-40) \xE2\x80\x94 "
            "\xE2\x80\x9C"
            "Managers give three months of notice <!channel> & more."
            "\xE2\x80\x9D");
  EXPECT_EQ(PlainMarkdownAnswer(NotFoundAnswer(), "https://qa.example.com"),
            "The articles do not say.");
  retriever::AskResponse bracketed = TwoCitationAnswer();
  bracketed.citations.resize(1);
  bracketed.citations[0].title = "FAQ [draft]";
  EXPECT_NE(PlainMarkdownAnswer(bracketed, "").find("1. FAQ \\[draft\\]"), std::string::npos);
}

TEST(MessageFormatTest, PlainMarkdownDefusesMassMentions) {
  retriever::AskResponse r = NotFoundAnswer();
  r.answer = "Tell @channel and @here, not @alice.";
  EXPECT_EQ(PlainMarkdownAnswer(r, ""),
            "Tell @\xE2\x80\x8B"
            "channel and @\xE2\x80\x8B"
            "here, not @alice.");
}

TEST(MessageFormatTest, DumpJsonReplacesInvalidUtf8InsteadOfThrowing) {
  const std::string out = DumpJson({{"text", std::string("bad \xFF byte")}});
  EXPECT_EQ(out, "{\"text\":\"bad \xEF\xBF\xBD byte\"}");
}

}  // namespace
}  // namespace citeqa::server::slack
