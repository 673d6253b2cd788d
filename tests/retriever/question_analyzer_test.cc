#include "retriever/analysis/question_analyzer.h"

#include <gtest/gtest.h>

#include "indexer/text.h"
#include "retriever/analysis/analysis_stage.h"

namespace citeqa::retriever {
namespace {

SynonymTable Synonyms() {
  return *SynonymTable::Parse("po, product owner\npm, product manager\nsalary, pay, earn\n");
}

std::vector<std::string> Labels(const AnalyzedQuestion& q) {
  std::vector<std::string> labels;
  for (const auto& c : q.concepts) labels.push_back(c.label + (c.carried ? "*" : ""));
  return labels;
}

TEST(QuestionAnalyzerTest, FindsConceptsThroughStopwordsAndSynonyms) {
  const SynonymTable synonyms = Synonyms();
  struct Case {
    std::string question;
    std::vector<std::string> labels;
  } cases[] = {
      {"What does a product owner do?", {"product owner"}},
      {"How much does a PO earn?", {"po", "earn"}},
      {"Which skills do Product Managers need?", {"skills", "product managers"}},
      {"What is the salary range of a PM in the US?", {"salary", "range", "pm", "us"}},
      // After "how", a word asking for a duration or frequency is the answer's kind.
      {"How long is a sprint?", {"sprint"}},
      {"How often does the PO meet stakeholders?", {"po", "meet", "stakeholders"}},
      {"Is the backlog long?", {"backlog", "long"}},
  };
  for (const auto& c : cases) {
    auto q = AnalyzeQuestion(c.question, synonyms, nullptr);
    ASSERT_TRUE(q.ok()) << c.question;
    EXPECT_EQ(Labels(*q), c.labels) << c.question;
  }
  auto po = AnalyzeQuestion("How much does a PO earn?", synonyms, nullptr);
  EXPECT_TRUE(po->concepts[0].entity);
  EXPECT_EQ(po->concepts[0].alternatives, (std::vector<Phrase>{{"po"}, {"product", "owner"}}));
  EXPECT_EQ(po->answer_type, AnswerType::kAmount);
}

TEST(QuestionAnalyzerTest, HostileTextYieldsConceptsOrInvalidArgument) {
  const SynonymTable synonyms = Synonyms();
  struct Case {
    std::string question;
    bool ok;
  } cases[] = {
      {"\"product owner\" AND NEAR(salary manager, 2) OR *", true},
      {"owner: salary^2 -manager {col}:x", true},
      {"'; DROP TABLE passages; --", true},
      {std::string("salary\0\x01\x02\x7F", 10), true},
      {"\xFF\xFE invalid utf8 salary", true},
      {"", false},
      {"   \t\n ", false},
      {"?!?!... ---", false},
      {std::string(10000, 'a'), false},
      {std::string(1 << 20, 'x'), false},
  };
  for (const auto& c : cases) {
    auto q = AnalyzeQuestion(c.question, synonyms, nullptr);
    EXPECT_EQ(q.ok(), c.ok) << c.question.substr(0, 40);
    if (!q.ok()) {
      EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument);
      EXPECT_FALSE(q.status().message().empty());
    }
  }
}

TEST(QuestionAnalyzerTest, DetectsComparisonSides) {
  const SynonymTable synonyms = Synonyms();
  struct Case {
    std::string question;
    std::string side_a;
    std::string side_b;
  } cases[] = {
      {"What is the difference between a product owner and a product manager?", "product owner",
       "product manager"},
      {"Who earns more, a PO or a PM?", "po", "pm"},
      {"Scrum master vs product owner", "master", "product owner"},
      {"What does a product owner do?", "", ""},
  };
  for (const auto& c : cases) {
    auto q = AnalyzeQuestion(c.question, synonyms, nullptr);
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q->is_comparison, !c.side_a.empty()) << c.question;
    if (!q->is_comparison) continue;
    EXPECT_EQ(q->concepts[static_cast<size_t>(q->side_a)].label, c.side_a) << c.question;
    EXPECT_EQ(q->concepts[static_cast<size_t>(q->side_b)].label, c.side_b) << c.question;
  }
}

TEST(QuestionAnalyzerTest, FollowUpsInheritTheEarlierSubjectOnlyWhenTheyNeedIt) {
  const SynonymTable synonyms = Synonyms();
  auto resolve = [&](const std::string& earlier, const std::string& now) {
    auto previous = AnalyzeQuestion(earlier, synonyms, nullptr);
    auto current = AnalyzeQuestion(now, synonyms, nullptr);
    return Labels(ResolveFollowUp(*current, *previous));
  };
  struct Case {
    std::string earlier;
    std::string now;
    std::vector<std::string> labels;
  } cases[] = {
      {"What does a product owner do?", "How much do they earn?", {"earn", "product owner*"}},
      {"What is a product owner?", "What skills do they need?", {"skills", "product owner*"}},
      {"What does a product owner do?", "What does a product manager do?", {"product manager"}},
      {"How much does a product owner earn in India?",
       "What about product managers?",
       {"product managers", "earn*", "india*"}},
      {"What is Scrum?", "Who created it?", {"created", "scrum*"}},
      // "for that", "doing it" stand for what was asked about, not only for its subject.
      {"What does a product manager do around a launch?",
       "Which teams do they work with for that?",
       {"teams", "work", "product manager*", "launch*"}},
      {"Can one person be both product owner and product manager?",
       "What are the risks of doing it?",
       {"risks", "person*", "product owner*", "product manager*"}},
      {"Who approves the budget?",
       "Do product owners do that too?",
       {"product owners", "approves*", "budget*"}},
      // A determiner is no such reference: "that role" is a new subject.
      {"Who approves the budget?", "What skills does that role need?", {"skills", "role"}},
      {"Who approves the budget?", "What is the salary for that role?", {"salary", "role"}},
      {"Who approves the budget?",
       "What skills help to do that job well?",
       {"skills", "help", "job", "well"}},
  };
  for (const auto& c : cases) EXPECT_EQ(resolve(c.earlier, c.now), c.labels) << c.now;
}

TEST(AnalyzeInConversationTest, ResolvesEarlierTurnsOldestFirstAndWeighsTheResult) {
  const SynonymTable synonyms = Synonyms();
  Vocabulary vocab;
  vocab.passages = 100;
  for (const char* word : {"product", "owner", "manager", "earn", "india", "skills"}) {
    vocab.stem_df.Set(indexer::Stem(word), 10);
  }
  AnalysisContext context;
  context.synonyms = &synonyms;
  context.vocab = &vocab;
  context.phrase_frequency = [](const Phrase&) { return int64_t{4}; };
  auto labels = [&](const std::string& question, const std::vector<std::string>& history) {
    auto q = AnalyzeInConversation(question, history, context);
    EXPECT_TRUE(q.ok()) << question;
    return q.ok() ? Labels(*q) : std::vector<std::string>{};
  };
  struct Case {
    std::vector<std::string> history;
    std::string question;
    std::vector<std::string> labels;
  } cases[] = {
      {{}, "What does a product owner do?", {"product owner"}},
      {{"What does a product owner do?"}, "How much do they earn?", {"earn", "product owner*"}},
      // Each turn leans on the one before: the owner is still the subject two turns later.
      {{"What does a product owner do?", "How much do they earn?"},
       "What about in India?",
       {"india", "earn*", "product owner*"}},
      // A turn that cannot be analysed adds no context.
      {{"What does a product owner do?", "?!?!"},
       "How much do they earn?",
       {"earn", "product owner*"}},
      // The latest subject wins.
      {{"What does a product owner do?", "What does a product manager do?"},
       "How much do they earn?",
       {"earn", "product manager*"}},
  };
  for (const auto& c : cases) EXPECT_EQ(labels(c.question, c.history), c.labels) << c.question;

  auto weighed = AnalyzeInConversation("How much does a product owner earn?", {}, context);
  ASSERT_TRUE(weighed.ok());
  ASSERT_EQ(weighed->concepts.size(), 2u);
  const Concept& owner = weighed->concepts[0];
  EXPECT_EQ(owner.label, "product owner");
  EXPECT_EQ(owner.df, 4) << "the phrase, as the index counts it; 'po' is in no passage";
  EXPECT_EQ(owner.match_cost, 20) << "the postings of 'product' and 'owner'";
  EXPECT_DOUBLE_EQ(owner.weight, vocab.Idf(4));
  EXPECT_EQ(weighed->concepts[1].df, 10);
  EXPECT_DOUBLE_EQ(weighed->concepts[1].weight, vocab.Idf(10));
  EXPECT_EQ(AnalyzeInConversation("", {"What does a product owner do?"}, context).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace citeqa::retriever
