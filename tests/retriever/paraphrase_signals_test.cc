// How questions put in everyday words still meet the articles' wording: telling verbs that
// are content, adjective degrees, light phrasal verbs, broader WordNet wordings, answers
// that keep to the question's subject, and abstention that tells a paraphrase from a new
// topic.
#include <gtest/gtest.h>

#include <algorithm>

#include "indexer/text.h"
#include "retriever/abstention.h"
#include "retriever/answer_composer.h"
#include "retriever/question_analyzer.h"
#include "retriever/wordnet.h"
#include "tests/retriever/unit_weight_question.h"

namespace citeqa::retriever {
namespace {

SynonymTable Synonyms() { return *SynonymTable::Parse("pm, product manager\n"); }

AnalyzedQuestion Analyze(const std::string& text, const WordNet* wordnet) {
  return testing::AnalyzeWithUnitWeights(text, Synonyms(), wordnet);
}

Concept* Find(AnalyzedQuestion& q, const std::string& label) {
  for (Concept& c : q.concepts) {
    if (c.label == label) return &c;
  }
  return nullptr;
}

bool Has(const std::vector<Phrase>& list, const Phrase& phrase) {
  return std::find(list.begin(), list.end(), phrase) != list.end();
}

bool Contains(const std::vector<std::string>& list, const std::string& word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

TEST(TellingVerbTest, IsContentUnlessItAddressesTheReader) {
  struct Case {
    std::string question;
    bool explain_is_concept;
  } cases[] = {
      {"Must product owners be able to explain concepts to stakeholders?", true},
      {"Explain the product backlog", false},
      {"Can you explain the product backlog?", false},
      {"I would like to explain roadmaps to my team", false},
      {"Please describe the product backlog", false},
  };
  for (const auto& c : cases) {
    AnalyzedQuestion q = Analyze(c.question, nullptr);
    const bool found = Find(q, "explain") != nullptr || Find(q, "describe") != nullptr;
    EXPECT_EQ(found, c.explain_is_concept) << c.question;
  }
}

class WithWordNetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!SharedWordNet().loaded()) GTEST_SKIP() << "wordnet-base is not installed";
  }
};

TEST_F(WithWordNetTest, AnAdjectiveMatchesItsRegularDegrees) {
  struct Case {
    std::string question;
    std::string concept_label;
    std::vector<Phrase> wanted;
    std::vector<Phrase> unwanted;
  } cases[] = {
      {"Which features are easy to build?", "easy", {{"easier"}, {"easiest"}}, {}},
      {"Which features are easier to build?", "easier", {{"easy"}, {"easiest"}}, {}},
      {"Is a big team slower?", "big", {{"bigger"}, {"biggest"}}, {}},
      // "better" is listed under "good" in WordNet, but it is another word.
      {"Which role is better paid?", "better", {}, {{"good"}}},
  };
  for (const auto& c : cases) {
    AnalyzedQuestion q = Analyze(c.question, &SharedWordNet());
    const Concept* k = Find(q, c.concept_label);
    ASSERT_NE(k, nullptr) << c.question;
    for (const Phrase& p : c.wanted) {
      EXPECT_TRUE(Has(k->alternatives, p)) << c.question << " " << p[0];
    }
    for (const Phrase& p : c.unwanted) {
      EXPECT_FALSE(Has(k->alternatives, p)) << c.question << " " << p[0];
    }
  }
}

TEST_F(WithWordNetTest, ALightVerbWithItsParticleIsTheVerb) {
  AnalyzedQuestion q = Analyze("What questions come up in an interview?", &SharedWordNet());
  const Concept* come_up = Find(q, "come up");
  ASSERT_NE(come_up, nullptr);
  EXPECT_TRUE(come_up->verb);
  // A full verb keeps its own meaning without the particle.
  AnalyzedQuestion scaling = Analyze("Which steps help when scaling up a team?", &SharedWordNet());
  const Concept* scale = Find(scaling, "scaling");
  ASSERT_NE(scale, nullptr);
  EXPECT_TRUE(Has(scale->alternatives, Phrase{"scaling"}));
}

TEST_F(WithWordNetTest, NeighboursWordNetListsAsOneLexemeBecomeOneConcept) {
  struct Case {
    std::string question;
    std::string label;  // the merged concept, or "" when nothing merges
    Phrase related;     // one of its related wordings, if any is expected
    bool verb;
  } cases[] = {
      {"Who makes sure the work is finished?", "make sure", {}, true},
      {"How do teams keep track of the backlog?", "keep track", {}, true},
      {"Who reviews the sprint work?", "", {}, false},
      // Not a light verb: a noun compound keeps its words ("last" relates to "final").
      {"Who gets the last word on the backlog?", "", {}, false},
  };
  for (const auto& c : cases) {
    AnalyzedQuestion q = Analyze(c.question, &SharedWordNet());
    if (c.label.empty()) {
      for (const Concept& k : q.concepts) EXPECT_EQ(k.alternatives.front().size(), 1u) << k.label;
      continue;
    }
    const Concept* k = Find(q, c.label);
    ASSERT_NE(k, nullptr) << c.question;
    EXPECT_EQ(k->verb, c.verb) << c.question;
    if (!c.related.empty()) EXPECT_TRUE(Has(k->related, c.related)) << c.question;
  }
  // The asked-for event still names the same concept after a merge before it.
  AnalyzedQuestion event = Analyze("When did making sure of quality begin?", &SharedWordNet());
  if (event.event_verb >= 0) {
    EXPECT_LT(static_cast<size_t>(event.event_verb), event.concepts.size());
  }
}

TEST_F(WithWordNetTest, BroaderWordingsLeaveOutClassesWithTooManyKinds) {
  const WordNet& wn = SharedWordNet();
  EXPECT_TRUE(Contains(wn.Linked("contain", WordClass::kVerb, 3, false, 6), "include"));
  EXPECT_TRUE(Contains(wn.Linked("boss", WordClass::kNoun, 3, false, 6), "supervisor"));
  // "person" has hundreds of kinds: it stands for no applicant in particular.
  EXPECT_FALSE(Contains(wn.Linked("applicant", WordClass::kNoun, 3, false, 6), "person"));
  EXPECT_TRUE(Contains(wn.Linked("wear out", WordClass::kVerb, 1, true, 6), "exhaust"));
  EXPECT_TRUE(wn.Linked("easy", WordClass::kAdjective, 3, false, 6).empty());
  EXPECT_LE(wn.Linked("contain", WordClass::kVerb, 3, false, 1).size(), 1u);

  AnalyzedQuestion q = Analyze("What does the backlog contain?", &SharedWordNet());
  const Concept* contain = Find(q, "contain");
  ASSERT_NE(contain, nullptr);
  EXPECT_TRUE(Has(contain->related, Phrase{"include"}));
}

TEST(AnswerComposerSubjectTest, KeepsASentenceAboutTheQuestionsSubject) {
  AnalyzedQuestion q = Analyze("What questions come up in a product manager interview?", nullptr);
  for (Concept& c : q.concepts) {
    // The subject is in nearly every passage, so its IDF is low.
    c.weight = c.label == "product manager" ? 0.1 : 2.0;
  }
  RankedPassage r;
  r.candidate.text =
      "Product owner interview questions come up about backlog skills and priorities. "
      "In contrast, product manager interviews probe strategic thinking and leadership.";
  const std::string answer = ComposeAnswer(q, {r});
  EXPECT_NE(answer.find("product manager interviews probe"), std::string::npos) << answer;
}

TEST(AnswerComposerListTest, AnswersAListQuestionWithTheListItsParagraphLeadsTo) {
  const AnalyzedQuestion q =
      Analyze("What challenges come up when one person holds both roles?", nullptr);
  ASSERT_TRUE(q.asks_list);
  RankedPassage r;
  r.candidate.text =
      "When one person holds both roles, they must balance strategy with daily work. It can be "
      "demanding. Here are some considerations:\n"
      "- Time Allocation: the daily work takes hours.\n"
      "- Risk of Burnout: doing everything is exhausting.\n";
  const std::string answer = ComposeAnswer(q, {r});
  EXPECT_EQ(answer.rfind("Here are some considerations: Time Allocation", 0), 0u) << answer;
  EXPECT_NE(answer.find("Risk of Burnout"), std::string::npos) << answer;
}

TEST(AnswerComposerContextTest, BringsTheSentenceASentenceOpeningWithThisPointsBackTo) {
  const AnalyzedQuestion q = Analyze("Which teams work on the campaigns?", nullptr);
  RankedPassage r;
  r.candidate.text =
      "Go-to-Market Strategy: the product manager oversees the launch. This involves working "
      "with marketing teams on campaigns and with sales teams on training.";
  const std::string answer = ComposeAnswer(q, {r});
  EXPECT_EQ(answer.rfind("Go-to-Market Strategy: the product manager oversees the launch. This "
                         "involves", 0), 0u) << answer;
}

TEST(AnswerComposerContextTest, CountsWhatOnlyTheEarlierSentenceSaysForLess) {
  // Joined, the first passage's two sentences hold every word of the question; but the
  // second alone lacks "keeps", and the other passage's sentence says it all by itself.
  const AnalyzedQuestion q = Analyze("What keeps the brand visible?", nullptr);
  RankedPassage first;
  first.candidate.text =
      "Marketing keeps the brand campaigns running. This makes the brand visible.";
  RankedPassage second;
  second.candidate.text = "Regular posts keep the brand visible.";
  const std::string answer = ComposeAnswer(q, {first, second});
  EXPECT_EQ(answer.rfind("Regular posts keep the brand visible.", 0), 0u) << answer;
}

TEST(AnswerComposerContextTest, JoinsAChainOnceAndNeverAcrossLines) {
  const AnalyzedQuestion q = Analyze("Which sales teams run the campaigns?", nullptr);
  RankedPassage chain;
  chain.candidate.text =
      "Marketing plans the launch. This involves the campaigns. It needs the sales teams too.";
  const std::string chained = ComposeAnswer(q, {chain});
  const size_t at = chained.find("This involves the campaigns");
  ASSERT_NE(at, std::string::npos) << chained;
  EXPECT_EQ(chained.find("This involves the campaigns", at + 1), std::string::npos) << chained;

  RankedPassage lines;
  lines.candidate.text = "Revenue grew last year.\nThis sales team runs the campaigns.";
  const std::string own_line = ComposeAnswer(q, {lines});
  EXPECT_EQ(own_line.rfind("This sales team runs the campaigns.", 0), 0u) << own_line;
}

TEST(AnswerComposerSignpostTest, PrefersContentToASentenceAboutTheArticle) {
  const AnalyzedQuestion q =
      Analyze("How are product owners and product managers similar?", nullptr);
  RankedPassage intro;
  intro.candidate.text =
      "In this blog, we will explore how product owners and product managers are similar.";
  RankedPassage content;
  content.candidate.text =
      "Product owners and product managers are similar: both rely on customer feedback.";
  const std::string answer = ComposeAnswer(q, {intro, content});
  EXPECT_EQ(answer.rfind("Product owners and product managers are similar: both", 0), 0u) << answer;
  EXPECT_EQ(answer.find("In this blog"), std::string::npos) << answer;
}

TEST(AnswerComposerAdjacencyTest, PrefersTheQuestionsWordsKeptTogether) {
  AnalyzedQuestion q = Analyze("What does the backlog order depend on?", nullptr);
  RankedPassage r;
  r.candidate.text =
      "The order of work in the backlog depends on value. "
      "Backlog order depends on business value and risk.";
  const std::string answer = ComposeAnswer(q, {r});
  EXPECT_EQ(answer.rfind("Backlog order depends", 0), 0u) << answer;
}

TEST(ParaphraseAbstentionTest, AnUnknownWordFoundInOtherWordsIsNotANewTopic) {
  struct Case {
    std::string question;
    std::string unknown;  // the concept no article uses
    std::string passage;
    bool abstain;
  } cases[] = {
      {"Who watches rivals?", "rivals", "The product manager watches the competition.", false},
      {"Who watches rivals?", "rivals", "The product manager watches the market.", true},
      // Next to another word it names a thing: a constraint, not a paraphrase.
      {"Who are business rivals?", "rivals", "Business competition is fierce everywhere.", true},
  };
  for (const auto& c : cases) {
    AnalyzedQuestion q = Analyze(c.question, nullptr);
    Concept* unknown = Find(q, c.unknown);
    ASSERT_NE(unknown, nullptr) << c.question;
    // As the syntax marks it with WordNet: "who WATCHES".
    if (Concept* verb = Find(q, "watches")) verb->verb = true;
    unknown->df = 0;
    unknown->related = {{"competition"}};
    unknown->related_stems = {{indexer::Stem("competition")}};
    RankedPassage r;
    r.candidate.text = c.passage;
    r.match = MatchConcepts(c.passage, q.concepts);
    EXPECT_EQ(ShouldAbstain(q, {r}), c.abstain) << c.question << " / " << c.passage;
  }
}

TEST_F(WithWordNetTest, ARoleNamedByTwoWordsMustBeNamedSoInALeadingPassage) {
  struct Case {
    std::string question;
    std::string passage;
    bool abstain;
  } cases[] = {
      {"How much does a marketing director earn?",
       "A marketing director earns a high salary in most companies.", false},
      // Another role that shares a word is a different question.
      {"How much does a marketing director earn?",
       "The director of product earns a high salary; marketing teams earn less.", true},
      {"How much does a product director earn?",
       "The product director earns a high salary in most companies.", false},
      {"How much does a product director earn?",
       "A product manager earns a high salary in most companies.", true},
      // An adjective is a detail, not a kind of director.
      {"How much does a senior director earn?", "A director earns a high salary in most companies.",
       false},
  };
  for (const auto& c : cases) {
    const AnalyzedQuestion q = Analyze(c.question, &SharedWordNet());
    RankedPassage r;
    r.candidate.text = c.passage;
    r.match = MatchConcepts(c.passage, q.concepts);
    EXPECT_EQ(ShouldAbstain(q, {r}), c.abstain) << c.question << " / " << c.passage;
  }
}

TEST(NamesAbstentionTest, TwoNamedThingsMustMeetInOneLeadingPassage) {
  struct Case {
    std::vector<std::string> passages;
    bool abstain;
  } cases[] = {
      {{"BMC delivers software and services to many global customers."}, true},
      {{"BMC delivers software.", "A CEO leads a company."}, true},  // apart
      {{"The CEO of BMC leads its software business."}, false},
  };
  for (const auto& c : cases) {
    const AnalyzedQuestion q = Analyze("Who is the CEO of BMC?", nullptr);
    std::vector<RankedPassage> ranked;
    for (const std::string& text : c.passages) {
      RankedPassage r;
      r.candidate.text = text;
      r.match = MatchConcepts(text, q.concepts);
      ranked.push_back(std::move(r));
    }
    EXPECT_EQ(ShouldAbstain(q, ranked), c.abstain) << c.passages.front();
  }
}

}  // namespace
}  // namespace citeqa::retriever
