#include "retriever/analysis/question_syntax.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "indexer/text.h"
#include "retriever/analysis/paraphrases.h"
#include "retriever/analysis/question_analyzer.h"

namespace citeqa::retriever {
namespace {

SynonymTable Synonyms() {
  return *SynonymTable::Parse("po, product owner\npm, product manager\nsalary, pay, earn\n");
}

class QuestionSyntaxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!SharedWordNet().loaded()) GTEST_SKIP() << "wordnet-base is not installed";
  }
  AnalyzedQuestion Analyze(const std::string& text) {
    auto q = AnalyzeQuestion(text, synonyms_, nullptr, &SharedWordNet());
    EXPECT_TRUE(q.ok()) << text;
    return q.ok() ? *q : AnalyzedQuestion{};
  }
  const Concept* Find(const AnalyzedQuestion& q, const std::string& label) {
    for (const Concept& c : q.concepts) {
      if (c.label == label) return &c;
    }
    return nullptr;
  }
  SynonymTable synonyms_ = Synonyms();
};

TEST_F(QuestionSyntaxTest, MarksTheMainVerbsOnly) {
  struct Case {
    std::string question;
    std::vector<std::string> verbs;
  } cases[] = {
      {"How do they handle the launch?", {"handle"}},
      {"What do product managers turn the product strategy into?", {"turn"}},
      {"Who oversees and manages product managers?", {"oversees", "manages"}},
      {"Which role looks after more products, a PO or a PM?", {"look after"}},
      // A pronoun between a verb and its particle: one verb, and the question's.
      {"Can doing both jobs at once wear you out?", {"wear out"}},
      {"What should a product owner resume highlight?", {"highlight"}},
      {"What is a product owner?", {}},
      {"Which skills does a product manager need?", {}},
  };
  for (const auto& c : cases) {
    const AnalyzedQuestion q = Analyze(c.question);
    std::vector<std::string> verbs;
    for (const Concept& k : q.concepts) {
      if (k.verb) verbs.push_back(k.label);
    }
    EXPECT_EQ(verbs, c.verbs) << c.question;
  }
}

TEST_F(QuestionSyntaxTest, FindsTheEventOfAnAgentQuestion) {
  struct Case {
    std::string question;
    std::string event;  // "" for none
  } cases[] = {
      {"Who created the Scrum framework?", "created"},
      {"Who won the 2018 FIFA World Cup?", "won"},
      {"Who oversees product managers?", ""},  // a role, not one past event
      {"What did Melissa Perri say about the product owner role?", ""},
  };
  for (const auto& c : cases) {
    const AnalyzedQuestion q = Analyze(c.question);
    const std::string event =
        q.event_verb < 0 ? "" : q.concepts[static_cast<size_t>(q.event_verb)].label;
    EXPECT_EQ(event, c.event) << c.question;
  }
}

TEST_F(QuestionSyntaxTest, AddsWordNetWordings) {
  const AnalyzedQuestion q = Analyze("Who gets the last word on what gets built?");
  const Concept* last = Find(q, "last");
  ASSERT_NE(last, nullptr);
  EXPECT_NE(std::find(last->related.begin(), last->related.end(), Phrase{"final"}),
            last->related.end());
  const Concept* built = Find(q, "built");
  ASSERT_NE(built, nullptr);
  // An irregular form is the same word: a full alternative, not a related one.
  EXPECT_NE(std::find(built->alternatives.begin(), built->alternatives.end(), Phrase{"build"}),
            built->alternatives.end());

  const AnalyzedQuestion take = Analyze("Can a PO take on some of the PM's work?");
  const Concept* phrasal = Find(take, "take on");
  ASSERT_NE(phrasal, nullptr);
  EXPECT_EQ(phrasal->alternatives.front(), (Phrase{"take", "on"}));
  // The bare verb is another word: "look at" is not "look after".
  EXPECT_EQ(std::find(phrasal->related.begin(), phrasal->related.end(), Phrase{"take"}),
            phrasal->related.end());

  // More specific words of the sense too: the article may name an instance ("exhaust").
  const AnalyzedQuestion tire = Analyze("Can the job wear you out?");
  const Concept* tired = Find(tire, "wear out");
  ASSERT_NE(tired, nullptr);
  EXPECT_NE(std::find(tired->related.begin(), tired->related.end(), Phrase{"exhaust"}),
            tired->related.end());

  // Names, acronyms and synonym-file phrases keep their own wordings.
  const AnalyzedQuestion names = Analyze("What does a PO earn in Germany?");
  for (const Concept& c : names.concepts) {
    if (c.entity || c.proper) EXPECT_TRUE(c.related.empty()) << c.label;
  }
}

TEST_F(QuestionSyntaxTest, KeepsOnlyTheWordingsTheIndexHolds) {
  AnalyzedQuestion q = Analyze("Can the job wear you out?");
  const Concept* before = Find(q, "wear out");
  ASSERT_NE(before, nullptr);
  ASSERT_GT(before->related.size(), 2u);
  Vocabulary vocab;
  vocab.passages = 10;
  vocab.stem_df.Set(indexer::Stem("exhaust"), 3);
  vocab.stem_df.Set(indexer::Stem("weary"), 1);
  KeepIndexedWordings(vocab, &q);
  const Concept* after = Find(q, "wear out");
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->related, (std::vector<Phrase>{{"weary"}, {"exhaust"}}));
  ASSERT_EQ(after->related_stems.size(), 2u);
  EXPECT_EQ(after->related_stems[1], (Phrase{indexer::Stem("exhaust")}));

  // With every wording indexed, the first kMaxRelatedWordings are kept.
  AnalyzedQuestion wide = Analyze("Can the job wear you out?");
  Concept* offered = nullptr;
  for (Concept& c : wide.concepts) offered = c.label == "wear out" ? &c : offered;
  ASSERT_NE(offered, nullptr);
  while (offered->related.size() <= kMaxRelatedWordings) {  // more than can be kept
    const std::string made_up = "zq" + std::to_string(offered->related.size());
    offered->related.push_back({made_up});
    offered->related_stems.push_back({made_up});
  }
  const std::vector<Phrase> first(offered->related.begin(),
                                  offered->related.begin() + kMaxRelatedWordings);
  for (const Phrase& stems : offered->related_stems) {
    for (const std::string& s : stems) vocab.stem_df.Set(s, 1);
  }
  KeepIndexedWordings(vocab, &wide);
  EXPECT_EQ(Find(wide, "wear out")->related, first);
}

TEST_F(QuestionSyntaxTest, MarksRolesNamedByTwoNouns) {
  struct Case {
    std::string question;
    std::vector<std::string> role_heads;
  } cases[] = {
      {"How much does a marketing director earn?", {"director"}},
      {"What do software engineers build?", {"engineers"}},
      {"How much does a senior director earn?", {}},  // an adjective, not a kind
      {"What is the product strategy?", {}},          // not a person
      {"What does a product manager do?", {}},        // a synonym-file phrase already
      {"Who manages the director?", {}},              // a verb before it
  };
  for (const auto& c : cases) {
    const AnalyzedQuestion q = Analyze(c.question);
    std::vector<std::string> heads;
    for (const Concept& k : q.concepts) {
      if (k.role_head) heads.push_back(k.label);
    }
    EXPECT_EQ(heads, c.role_heads) << c.question;
  }
}

TEST(QuestionSyntaxWithoutWordNetTest, MarksNothing) {
  const auto missing = WordNet::Open("/nonexistent/wordnet");
  auto q = AnalyzeQuestion("How do they handle the launch?", *SynonymTable::Parse(""), nullptr,
                           missing.get());
  ASSERT_TRUE(q.ok());
  for (const Concept& c : q->concepts) {
    EXPECT_FALSE(c.verb) << c.label;
    EXPECT_TRUE(c.related.empty()) << c.label;
  }
}

}  // namespace
}  // namespace citeqa::retriever
