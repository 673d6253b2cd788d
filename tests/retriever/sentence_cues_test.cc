#include "retriever/scoring/sentence_cues.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace citeqa::retriever {
namespace {

TEST(SentenceCuesTest, LeansBackOnPronounsDemonstrativesAndConnectives) {
  struct Case {
    std::string sentence;
    bool leans_back;
  } cases[] = {
      {"It can be demanding.", true},
      {"This involves working with marketing.", true},
      {"These steps take a week.", true},
      {"They own the backlog.", true},
      {"Such roles are rare.", true},
      {"However, the budget is fixed.", true},
      {"Also, the team meets daily.", true},
      {"For example, marketing runs campaigns.", true},
      {"For instance, a manager may help.", true},
      {"In addition, owners write stories.", true},
      {"In contrast, managers set strategy.", true},
      {"As a result, the team ships less.", true},
      {"On the other hand, owners decide.", true},
      {"The latter is harder.", true},
      {"\"This\" is quoted, yet still points back.", true},
      // A pair that points back only with its pointing word.
      {"As a product owner, you order the backlog.", false},
      {"On the team, everyone reviews work.", false},
      {"The product owner orders the backlog.", false},
      {"Itineraries change often.", false},  // "it" only as a word
      {"Thistles grow on the plains.", false},
      {"Product owners write stories.", false},
      {"", false},
      {"   ", false},
  };
  for (const auto& c : cases) EXPECT_EQ(LeansBack(c.sentence), c.leans_back) << c.sentence;
}

TEST(SentenceCuesTest, PointsBackByAReferringWordOrByAConnective) {
  struct Case {
    std::string sentence;
    PointingBack how;
  } cases[] = {
      {"He is the one who decides.", PointingBack::kByReference},
      {"It can be demanding.", PointingBack::kByReference},
      {"These steps take a week.", PointingBack::kByReference},
      {"Their pay is higher.", PointingBack::kByReference},
      {"The latter is harder.", PointingBack::kByReference},
      {"But to the extent that anyone agrees, managers are strategic.",
       PointingBack::kByConnective},
      {"However, the budget is fixed.", PointingBack::kByConnective},
      {"For example, marketing runs campaigns.", PointingBack::kByConnective},
      {"As a result, the team ships less.", PointingBack::kByConnective},
      {"On the other hand, owners decide.", PointingBack::kByConnective},
      {"As a product owner, you order the backlog.", PointingBack::kNo},
      {"Butter is made from cream.", PointingBack::kNo},
      {"", PointingBack::kNo},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(HowItPointsBack(c.sentence), c.how) << c.sentence;
    EXPECT_EQ(LeansBack(c.sentence), c.how != PointingBack::kNo) << c.sentence;
    const PointingBackReadings both = ReadPointingBack(c.sentence);
    EXPECT_EQ(both.how, c.how) << c.sentence;
    EXPECT_EQ(both.leans_back, c.how != PointingBack::kNo) << c.sentence;
  }
}

// Past the opening word, a demonstrative points back too: composition brings what it names,
// while LeansBack, the models' feature, keeps to the opening word it was trained on.
TEST(SentenceCuesTest, ADemonstrativeInTheOpeningPointsBackByReference) {
  struct Case {
    std::string sentence;
    PointingBack how;
  } cases[] = {
      {"By following these steps, the move becomes achievable.", PointingBack::kByReference},
      {"Despite this, he played.", PointingBack::kByReference},
      {"In the midst of these plans, von Braun moved to NASA.", PointingBack::kByReference},
      {"One of these is a replica.", PointingBack::kByReference},
      {"Following this exodus the region emptied.", PointingBack::kByReference},
      {"Most of these defections are economic.", PointingBack::kByReference},
      // ... but not one that names the text itself, gives examples or describes people next,
      // nor one in the subject's own clause, which a reader follows alone.
      {"In this article, we compare the two roles.", PointingBack::kNo},
      {"With tools such as Jira, teams plan.", PointingBack::kNo},
      {"By the end of this guide, you will know.", PointingBack::kNo},
      {"For those who wait, the backlog is ordered.", PointingBack::kNo},
      {"Managers talk to these users, then report.", PointingBack::kNo},
      // How far it looks is a bound: past a long opening phrase, or past the opening of a
      // sentence without a comma, a demonstrative is not read.
      {"When the product owner and the product manager of the team meet these goals, all "
       "is well.",
       PointingBack::kNo},
      {"The product owner orders this backlog.", PointingBack::kNo},
      {"In one of these cases the team waits.", PointingBack::kNo},
      {"In the midst of these plans and the reforms that followed, NASA grew.",
       PointingBack::kNo},
      {"In the long and eventful years of the war between the two empires and their many "
       "allies on these coasts, trade stopped.",
       PointingBack::kNo},
      {"", PointingBack::kNo},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(HowItPointsBack(c.sentence), c.how) << c.sentence;
    EXPECT_FALSE(LeansBack(c.sentence)) << c.sentence;
    const PointingBackReadings both = ReadPointingBack(c.sentence);
    EXPECT_EQ(both.how, c.how) << c.sentence;
    EXPECT_FALSE(both.leans_back) << c.sentence;
  }
}

// Some openings that LeansBack reads as pointing back hold what they seem to point at: a
// dummy "it" that the clause after it fills, or a connective with its own object.
// Composition then brings no antecedent; LeansBack, the models' feature, keeps its reading.
TEST(SentenceCuesTest, ADummyItOrAConnectiveWithItsOwnObjectPointsNowhere) {
  for (const std::string sentence : {
           "It is recognised that an account of the plague is as important as its symptoms.",
           "It has been claimed that the first episode was delayed by ten minutes.",
           "It is widely believed that the bridge was rebuilt.",
           "It is likely that the tax will rise.",
           "It seems that the river moved.",
           "It could be argued that the team should wait.",
           "It seems likely that the river moved.",
           "It is believed that, in the end, the bridge stood.",
           "It remains unclear whether the treaty applies.",
           "In addition to arguing that the rats were too few, sceptics point to the symptoms.",
           "In contrast to the Greeks, the Romans built roads.",
           "As a result of the war, trade stopped.",
           "Instead of waiting, the team shipped.",
       }) {
    EXPECT_EQ(HowItPointsBack(sentence), PointingBack::kNo) << sentence;
    const PointingBackReadings both = ReadPointingBack(sentence);
    EXPECT_EQ(both.how, PointingBack::kNo) << sentence;
    EXPECT_TRUE(both.leans_back) << sentence;
    EXPECT_TRUE(LeansBack(sentence)) << sentence;
  }
  // An "it" that stands for something named before, and connectives that go on from it.
  for (const std::string sentence : {
           "It is a city that never sleeps.",
           "It has shown that the drug works.",
           "It is used to treat malaria.",
           "It was commissioned by the king.",
           "It is something that owners decide.",
           "It was not until 1990 that it opened.",
           "It is this that matters.",
           "It is here that the Rhine meets the Neckar.",
           "It was released that year.",
           "It was like that for years.",
           "It was during that period that the town grew.",
           "It was rebuilt; that is, it was moved.",
           "It is also believed that the bridge stood.",
           "It is therefore likely that the tax will rise.",
           "It is consequently believed that the tax will rise.",
           "It is believed that, in the midst of these plans, NASA grew.",
           "In addition, the team ships weekly.",
           "In addition, to ship weekly, the team plans.",
           "Instead, the team shipped.",
           "As a result, trade stopped.",
           "As a result of his efforts, trade grew.",
           "In addition to its role as a port, the town trades.",
           "In contrast to them, the Romans built roads.",
           "As a result of that, trade stopped.",
           "Instead of this, the team waits.",
           "As a result of this the town grew.",
           "As a result of the war, it was abandoned.",
           "In contrast to the Greeks, they built roads.",
           "Instead.",
           "It is.",
           "As a result.",
           "It is believed",
       }) {
    EXPECT_NE(HowItPointsBack(sentence), PointingBack::kNo) << sentence;
  }
  // A dummy "it"'s clause is the sentence's subject: it points back as its opening does.
  EXPECT_EQ(HowItPointsBack("It has been hypothesized that he may have intercepted them."),
            PointingBack::kByReference);
  EXPECT_EQ(HowItPointsBack("It has been shown that if these two classes differ, P is not NP."),
            PointingBack::kByReference);
  EXPECT_EQ(HowItPointsBack("It is believed that, however, the bridge stood."),
            PointingBack::kByConnective);
  // With its own object, a connective's opening phrase may still hold a demonstrative.
  EXPECT_EQ(HowItPointsBack("In addition to these steps, the team plans."),
            PointingBack::kByReference);
}

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
