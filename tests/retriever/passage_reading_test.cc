// ReadPassage (a passage's words, sentences and concept matches, read once) and
// SentenceOptions (the sentences and lists a passage offers the answer, with the byte ranges
// they quote).
#include "retriever/scoring/passage_reading.h"

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "retriever/defaults.h"
#include "retriever/scoring/sentence_options.h"
#include "tests/retriever/unit_weight_question.h"

namespace citeqa::retriever {
namespace {

std::string Slice(const std::string& text, std::pair<int, int> range) {
  return text.substr(static_cast<size_t>(range.first),
                     static_cast<size_t>(range.second - range.first));
}

std::vector<std::string> Words(std::span<const indexer::Token> tokens, size_t first,
                               size_t end) {
  std::vector<std::string> out;
  for (size_t i = first; i < end; ++i) out.push_back(tokens[i].text);
  return out;
}

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  for (const indexer::Token& t : indexer::Tokenize(text)) out.push_back(t.text);
  return out;
}

class PassageReadingTest : public ::testing::Test {
 protected:
  PassageReadingTest()
      : question_(testing::AnalyzeWithUnitWeights("What does a product owner do with the backlog?",
                                                  *SynonymTable::Parse("po, product owner\n"),
                                                  nullptr)),
        matcher_(question_.concepts) {}

  // Every sentence's byte range and token run describe the same words.
  void ExpectSpansAgree(const std::string& text, const PassageReading& reading) {
    ASSERT_EQ(reading.sentence_matches.size(), reading.sentences.size());
    ASSERT_EQ(reading.concept_ids.size(), reading.tokens.size());
    size_t previous_end = 0;
    for (const SentenceSpan& s : reading.sentences) {
      const std::string sentence = Slice(text, {s.begin, s.end});
      SCOPED_TRACE(sentence);
      ASSERT_LE(0, s.begin);
      ASSERT_LT(s.begin, s.end);
      ASSERT_LE(static_cast<size_t>(s.end), text.size());
      EXPECT_GE(s.first_token, previous_end);
      ASSERT_LE(s.first_token, s.end_token);
      ASSERT_LE(s.end_token, reading.tokens.size());
      EXPECT_EQ(Words(reading.tokens, s.first_token, s.end_token), Words(sentence));
      for (size_t t = s.first_token; t < s.end_token; ++t) {
        EXPECT_LE(s.begin, reading.tokens[t].begin);
        EXPECT_LE(reading.tokens[t].end, s.end);
      }
      previous_end = s.end_token;
    }
  }

  const AnalyzedQuestion question_;
  const ConceptMatcher matcher_;
};

TEST_F(PassageReadingTest, SentencesSkipTheHeadingLineAndKeepTheirLines) {
  const std::string text =
      "Duties\n"
      "A product owner owns the backlog. They accept the work.\n"
      "- Orders the backlog by value.\n"
      "- Answers stakeholders";
  const PassageReading reading = ReadPassage(text, "Duties", matcher_);
  struct Expected {
    std::string text;
    int line;
    bool list_item;
  } expected[] = {
      {"A product owner owns the backlog.", 1, false},
      {"They accept the work.", 1, false},
      {"- Orders the backlog by value.", 2, true},
      {"- Answers stakeholders", 3, true},
  };
  ASSERT_EQ(reading.sentences.size(), std::size(expected));
  for (size_t i = 0; i < std::size(expected); ++i) {
    const SentenceSpan& s = reading.sentences[i];
    EXPECT_EQ(Slice(text, {s.begin, s.end}), expected[i].text) << i;
    EXPECT_EQ(s.line, expected[i].line) << i;
    EXPECT_EQ(s.list_item, expected[i].list_item) << i;
  }
  ExpectSpansAgree(text, reading);
  EXPECT_EQ(reading.tokens.size(), indexer::Tokenize(text).size());
}

TEST_F(PassageReadingTest, AFirstLineThatIsNotTheHeadingIsASentence) {
  const std::string text = "Product owners order the backlog.\nThey answer stakeholders.";
  for (const char* heading : {"", "Duties"}) {
    const PassageReading reading = ReadPassage(text, heading, matcher_);
    ASSERT_EQ(reading.sentences.size(), 2u) << heading;
    EXPECT_EQ(reading.sentences[0].begin, 0);
    EXPECT_EQ(reading.sentences[0].line, 0);
    EXPECT_EQ(reading.sentences[1].line, 1);
    ExpectSpansAgree(text, reading);
  }
}

TEST_F(PassageReadingTest, MatchesTheWholeTextAndEachSentence) {
  const std::string text = "The Backlog\nThe product owner decides. Teams refine it weekly.";
  const PassageReading reading = ReadPassage(text, "The Backlog", matcher_);
  ASSERT_EQ(reading.sentences.size(), 2u);
  size_t owner = question_.concepts.size();
  size_t backlog = question_.concepts.size();
  for (size_t c = 0; c < question_.concepts.size(); ++c) {
    if (question_.concepts[c].label == "product owner") owner = c;
    if (question_.concepts[c].label == "backlog") backlog = c;
  }
  ASSERT_LT(owner, question_.concepts.size());
  ASSERT_LT(backlog, question_.concepts.size());
  // The heading counts for the passage, not for its sentences.
  EXPECT_EQ(reading.match.concept_match[backlog], 1.0);
  EXPECT_EQ(reading.match.concept_match[owner], 1.0);
  EXPECT_EQ(reading.sentence_matches[0].concept_match[owner], 1.0);
  EXPECT_EQ(reading.sentence_matches[0].concept_match[backlog], 0.0);
  EXPECT_EQ(reading.sentence_matches[1].concept_match[owner], 0.0);
  EXPECT_EQ(reading.sentence_matches[1].concept_match[backlog], 0.0);
  // Highlights are byte ranges of the passage text.
  ASSERT_FALSE(reading.sentence_matches[0].highlights.empty());
  EXPECT_EQ(Slice(text, reading.sentence_matches[0].highlights[0]), "product");
  EXPECT_EQ(reading.sentence_matches[0].first_position[owner], 1) << "from the sentence's start";
  ExpectSpansAgree(text, reading);
}

TEST_F(PassageReadingTest, EmptyAndOddTexts) {
  for (const std::string text :
       {std::string(), std::string("\n\n"), std::string("Heading"), std::string("- \n- x\n"),
        std::string("caf\xC3\xA9 na\xC3\xAFve. \xE2\x80\x94 done."),
        std::string("No full stop at all")}) {
    const PassageReading reading = ReadPassage(text, "Heading", matcher_);
    ExpectSpansAgree(text, reading);
  }
  EXPECT_TRUE(ReadPassage("Heading", "Heading", matcher_).sentences.empty());
}

// The options of `text`, read as ScoreCandidates reads it.
std::vector<SentenceOption> OptionsOf(const std::string& text, const std::string& heading,
                                      const ConceptMatcher& matcher, size_t passage = 3) {
  const PassageReading reading = ReadPassage(text, heading, matcher);
  return SentenceOptions(text, reading, passage);
}

// An option's quotes are ranges of the passage, each said in its text, in order.
void ExpectQuotesAgree(const std::string& text, const SentenceOption& o) {
  SCOPED_TRACE(o.text);
  ASSERT_FALSE(o.quotes.empty());
  size_t at = 0;
  for (const auto& range : o.quotes) {
    ASSERT_LE(0, range.first);
    ASSERT_LT(range.first, range.second);
    ASSERT_LE(static_cast<size_t>(range.second), text.size());
    const size_t found = o.text.find(Slice(text, range), at);
    ASSERT_NE(found, std::string::npos) << Slice(text, range);
    at = found;
  }
}

TEST_F(PassageReadingTest, ALeadInWithItsListIsAnOptionOfItsOwn) {
  const std::string text =
      "Skills\n"
      "A product owner needs several skills. Key skills include:\n"
      "- Communication: talking to people.\n"
      "- Prioritisation\n"
      "Both matter for the backlog.";
  const std::vector<SentenceOption> options = OptionsOf(text, "Skills", matcher_);
  std::vector<std::string> texts;
  for (const SentenceOption& o : options) texts.push_back(o.text);
  EXPECT_EQ(texts, (std::vector<std::string>{
                       "A product owner needs several skills.",
                       "Key skills include:",
                       "Key skills include:\n- Communication: talking to people\n- Prioritisation",
                       "Communication: talking to people.",
                       "Prioritisation.",
                       "Both matter for the backlog.",
                   }));
  ASSERT_EQ(options.size(), 6u);
  const SentenceOption& list = options[2];
  EXPECT_TRUE(list.lists);
  EXPECT_EQ(list.sentence, 1u) << "a list's sentence is its lead-in";
  ASSERT_EQ(list.quotes.size(), 3u);
  EXPECT_EQ(Slice(text, list.quotes[0]), "Key skills include:");
  EXPECT_EQ(Slice(text, list.quotes[1]), "Communication: talking to people");
  EXPECT_EQ(Slice(text, list.quotes[2]), "Prioritisation");
  // The paragraph that leads up to the list counts for it: "product owner" is only there.
  size_t owner = 0;
  while (question_.concepts[owner].label != "product owner") ++owner;
  EXPECT_EQ(list.match.concept_match[owner], 1.0);
  EXPECT_EQ(options[1].match.concept_match[owner], 0.0);
  const PassageReading reading = ReadPassage(text, "Skills", matcher_);
  for (const SentenceOption& o : options) {
    EXPECT_EQ(o.passage, 3u);
    EXPECT_EQ(o.lists, &o == &list) << o.text;
    ExpectQuotesAgree(text, o);
    // What the sentence features take the layout's remembered cues of.
    EXPECT_EQ(o.quotes.front(), QuotedRange(text, reading.sentences[o.sentence])) << o.text;
    if (!o.lists) {
      ASSERT_EQ(o.quotes.size(), 1u);
      const std::string quoted = Slice(text, o.quotes[0]);
      EXPECT_TRUE(o.text == quoted || o.text == quoted + ".") << o.text;
    }
  }
}

TEST_F(PassageReadingTest, AColonWithoutAListIsJustASentence) {
  const std::string text =
      "Roles\nThe product owner has one job: the backlog.\nKey skills include:\nNone.";
  const std::vector<SentenceOption> options = OptionsOf(text, "Roles", matcher_);
  for (const SentenceOption& o : options) {
    EXPECT_FALSE(o.lists) << o.text;
    ExpectQuotesAgree(text, o);
  }
}

TEST_F(PassageReadingTest, ALongListIsSaidByItsItemsLabels) {
  std::string text = "Skills\nKey skills include:\n";
  const std::vector<std::string> labels = {"Backlog Management", "Stakeholder Communication",
                                           "Market Research", "Data Analysis"};
  for (const std::string& label : labels) {
    text += "- " + label + ": proficiency in " + std::string(150, 'x') + " and more.\n";
  }
  const std::vector<SentenceOption> options = OptionsOf(text, "Skills", matcher_);
  const SentenceOption* list = nullptr;
  for (const SentenceOption& o : options) list = o.lists ? &o : list;
  ASSERT_NE(list, nullptr);
  std::string expected = "Key skills include:";
  for (const std::string& label : labels) expected += "\n- " + label;
  EXPECT_EQ(list->text, expected);
  EXPECT_LE(list->text.size(), defaults::kMaxListAnswerBytes);
  ExpectQuotesAgree(text, *list);
}

}  // namespace
}  // namespace citeqa::retriever
