#include "retriever/scoring/sentence_cues.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace citeqa::retriever {
namespace {

TEST(SentenceCuesTest, AnInvitationOpensWithAnImperativeToTheReader) {
  for (const std::string sentence :
       {"Create beautiful roadmaps in minutes.", "Try it free.", "Get started today.",
        "Subscribe for updates.", "Book a demo.", "Let's talk."}) {
    EXPECT_TRUE(OpensWithAnInvitation(sentence)) << sentence;
  }
  for (const std::string sentence :
       {"Creative teams plan launches.", "Make-or-buy decisions are hard.",
        "Launches need planning.", "The team creates roadmaps.", "\"Create\" is a verb.", ""}) {
    EXPECT_FALSE(OpensWithAnInvitation(sentence)) << sentence;
  }
}

TEST(SentenceCuesTest, PromotionalSentencesSellNavigateOrFurnishThePage) {
  struct Case {
    std::string sentence;
    bool promotional;
  } cases[] = {
      {"Sign up for our newsletter today.", true},
      {"Subscribe to get the latest posts.", true},
      {"Click the button below to start.", true},
      {"Download the free guide now.", true},
      {"Contact us for a free consultation.", true},
      {"Read more about product owners.", true},
      {"Learn more in our course.", true},
      {"Visit https://example.com for details.", true},
      {"Write to team@example.com with questions.", true},
      {"See our privacy policy.", true},
      {"Copyright \xC2\xA9 2024 Acme. All rights reserved.", true},
      {"Feel free to reach out with any questions.", true},
      {"Don\xE2\x80\x99t hesitate to ask.", true},
      {"The product owner orders the backlog by value.", false},
      {"Subscriptions make up most of the revenue.", false},
      {"Product owners contact stakeholders every week.", false},
      {"Teams learn more from failures than from successes.", false},
      {"", false},
  };
  for (const auto& c : cases) EXPECT_EQ(IsPromotional(c.sentence), c.promotional) << c.sentence;
}

TEST(SentenceCuesTest, AHyphenatedTermIsNoCallToAction) {
  // "Go to", "Follow", "Book" open navigation lines and calls to action ("Go to the homepage"),
  // but joined by a hyphen they are part of a term.
  struct Case {
    std::string sentence;
    bool promotional;
  } cases[] = {
      {"Go to the homepage.", true},
      {"Follow us on social media.", true},
      {"Go-to-Market Strategy: the product manager oversees the launch.", false},
      {"Follow-up meetings are held every week.", false},
      {"Book-keeping takes the team a day.", false},
  };
  for (const auto& c : cases) EXPECT_EQ(IsPromotional(c.sentence), c.promotional) << c.sentence;
}

TEST(SentenceCuesTest, AWordThatIsAlsoANounOrAComparisonIsNoCallToActionAlone) {
  // "Share", "Email", "Book" are calls to action with what an imperative takes ("Share this",
  // "Email us"), nouns without it; "Like" opens a comparison unless it asks for a like.
  struct Case {
    std::string sentence;
    bool promotional;
  } cases[] = {
      {"Share this article with your team.", true},
      {"Email us with your questions.", true},
      {"Book a call with our experts.", true},
      {"Shop now and save.", true},
      {"Like us on social media.", true},
      {"Share prices fell sharply after the announcement.", false},
      {"Email is the channel most teams use.", false},
      {"Call centres handle most of the complaints.", false},
      {"Order matters when the backlog is long.", false},
      {"Like chloroplasts, they have thylakoids within.", false},
      {"Like a second baseman on a baseball field, the product owner covers one area.", false},
  };
  for (const auto& c : cases) EXPECT_EQ(IsPromotional(c.sentence), c.promotional) << c.sentence;
}

TEST(SentenceCuesTest, UnfinishedSentencesTrailOff) {
  struct Case {
    std::string sentence;
    bool unfinished;
  } cases[] = {
      {"The product owner does many things...", true},
      {"The product owner does many things\xE2\x80\xA6", true},
      {"The product owner does many things... \n", true},
      {"The product owner does many things.", false},
      {"Wait... then the team ships.", false},
      {"", false},
  };
  for (const auto& c : cases) EXPECT_EQ(IsUnfinished(c.sentence), c.unfinished) << c.sentence;
}

TEST(SentenceCuesTest, IsNegatedFindsNegationsWhereverTheyStand) {
  struct Case {
    std::string sentence;
    bool negated;
  } cases[] = {
      {"The owner does not order the backlog.", true},
      {"The owner never orders the backlog.", true},
      {"No owner orders the backlog.", true},
      {"The team works without an owner.", true},
      {"Neither role writes code.", true},
      {"The owner cannot order the backlog.", true},
      {"The owner doesn't order the backlog.", true},
      {"The owner isn\xE2\x80\x99t ordering the backlog.", true},
      {"The owner orders the backlog.", false},
      {"Notes and nothingness are words.", false},  // "not" and "nothing" inside words
      {"The team's backlog is ordered.", false},    // an apostrophe that negates nothing
      {"", false},
  };
  for (const auto& c : cases) {
    const std::vector<indexer::Token> words = indexer::Tokenize(c.sentence);
    EXPECT_EQ(IsNegated(words), c.negated) << c.sentence;
  }
}

// NamesIn over a sentence where the words in `known` stand for the question's concepts.
NamedThings Named(const std::string& text, const std::vector<std::string>& known) {
  const std::vector<indexer::Token> words = indexer::Tokenize(text);
  std::vector<int> ids;
  for (const indexer::Token& w : words) {
    ids.push_back(std::find(known.begin(), known.end(), w.text) != known.end() ? 0 : -1);
  }
  return NamesIn(text, words, ids);
}

TEST(SentenceCuesTest, NamesInTellsNumbersYearsAndNewNames) {
  struct Case {
    std::string text;
    std::vector<std::string> known;  // the question's words
    bool number;
    bool year;
    int new_names;
    double new_content_share;
  } cases[] = {
      {"Scrum was created in 1995.", {"scrum", "created"}, true, true, 0, 0.0},
      {"Scrum dates from the twentieth century.", {"scrum"}, false, true, 0, 3.0 / 4},
      {"The team has three members.", {"team"}, true, false, 0, 2.0 / 3},
      {"A product owner earns $107,000.", {"product", "owner", "earns"}, true, false, 0, 0.0},
      // A capital opening the sentence names nothing by itself.
      {"Ken Schwaber created Scrum.", {"scrum", "created"}, false, false, 1, 1.0 / 2},
      {"It was created by Ken Schwaber.", {"created"}, false, false, 2, 2.0 / 3},
      {"The framework was created by Ken Schwaber.",
       {"created", "framework", "ken", "schwaber"},
       false,
       false,
       0,
       0.0},
      {"Revenue fell 9999 times.", {"revenue"}, true, false, 0, 2.0 / 3},  // not a year
      {"the the the", {}, false, false, 0, 0.0},
  };
  for (const auto& c : cases) {
    const NamedThings named = Named(c.text, c.known);
    EXPECT_EQ(named.number, c.number) << c.text;
    EXPECT_EQ(named.year, c.year) << c.text;
    EXPECT_EQ(named.new_names, c.new_names) << c.text;
    EXPECT_NEAR(named.new_content_share, c.new_content_share, 1e-9) << c.text;
  }
}

TEST(SentenceCuesTest, NamesInReadsARunOfAPassagesWords) {
  // The words of the second sentence only, with their offsets into the whole passage.
  const std::string passage = "Scrum is a framework. It was created by Ken Schwaber in 1995.";
  const std::vector<indexer::Token> all = indexer::Tokenize(passage);
  size_t first = 0;
  while (all[first].text != "it") ++first;
  const std::span<const indexer::Token> run(all.data() + first, all.size() - first);
  const std::vector<int> ids(run.size(), -1);
  const NamedThings named = NamesIn(passage, run, ids);
  EXPECT_EQ(named.new_names, 2) << "Ken, Schwaber; not It, which opens the run";
  EXPECT_TRUE(named.year);
}

TEST(SentenceCuesTest, AskedThingFitWantsWhatTheQuestionWordAsksFor) {
  NamedThings nothing;
  NamedThings number;
  number.number = true;
  NamedThings year;
  year.number = true;
  year.year = true;
  NamedThings century;
  century.year = true;
  NamedThings name;
  name.new_names = 1;
  struct Case {
    QuestionWord word;
    NamedThings named;
    double fit;
  } cases[] = {
      {QuestionWord::kHowMany, number, 1}, {QuestionWord::kHowMany, name, 0},
      {QuestionWord::kWhen, year, 1},      {QuestionWord::kWhen, century, 1},
      {QuestionWord::kWhen, number, 1},    {QuestionWord::kWhen, name, 0},
      {QuestionWord::kWho, name, 1},       {QuestionWord::kWho, number, 0},
      {QuestionWord::kWhere, name, 1},     {QuestionWord::kWhich, nothing, 0},
      {QuestionWord::kWhat, name, -1},     {QuestionWord::kHow, number, -1},
      {QuestionWord::kWhy, nothing, -1},   {QuestionWord::kYesNo, name, -1},
      {QuestionWord::kOther, number, -1},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(AskedThingFit(c.word, c.named), c.fit) << QuestionWordName(c.word);
  }
}

}  // namespace
}  // namespace citeqa::retriever
