#include "retriever/scoring/pointing_back.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace citeqa::retriever {
namespace {

TEST(PointingBackTest, LeansBackOnPronounsDemonstrativesAndConnectives) {
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

TEST(PointingBackTest, PointsBackByAReferringWordOrByAConnective) {
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
TEST(PointingBackTest, ADemonstrativeInTheOpeningPointsBackByReference) {
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
      {"In the midst of these plans and the reforms that followed, NASA grew.", PointingBack::kNo},
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
TEST(PointingBackTest, ADummyItOrAConnectiveWithItsOwnObjectPointsNowhere) {
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

}  // namespace
}  // namespace citeqa::retriever
