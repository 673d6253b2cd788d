#include "retriever/retrieval/query_plan.h"

#include <gtest/gtest.h>

#include <optional>

#include "tests/retriever/test_index.h"

namespace citeqa::retriever {
namespace {

using indexer::MatchExpression;
using indexer::TermQuery;

Concept MakeConcept(std::vector<Phrase> alternatives, int64_t df) {
  Concept c;
  c.alternatives = std::move(alternatives);
  c.df = df;
  return c;
}

TEST(PlanQueriesTest, NarrowsByRareConceptsFirstAndLeavesCommonOnesOut) {
  QueryPlanLimits limits;
  limits.passages = 1000000;
  const std::vector<Concept> concepts = {
      MakeConcept({{"product", "manager"}, {"pm"}}, 600000),  // in most passages: left out
      MakeConcept({{"salary"}, {"pay"}}, 20000), MakeConcept({{"zeppelin"}}, 40),
      MakeConcept({{"unknown"}}, 0),  // in no passage: nothing to find
  };
  const auto plan = PlanQueries(concepts, limits);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(MatchExpression(plan[0]), "(\"zeppelin\") AND (\"pay\" OR \"salary\")");
  EXPECT_EQ(plan[0].combine, TermQuery::Combine::kAll);
  EXPECT_TRUE(plan[0].ranked);  // at most 40 matches: cheap to score
  EXPECT_EQ(plan[0].limit, limits.candidates);
  EXPECT_EQ(MatchExpression(plan[1]), "(\"zeppelin\")");
  EXPECT_EQ(MatchExpression(plan[2]), "(\"zeppelin\") OR (\"pay\" OR \"salary\")");
  EXPECT_EQ(plan[2].combine, TermQuery::Combine::kAny);
  EXPECT_FALSE(plan[2].ranked);  // 20,040 estimated matches: taken unscored
  EXPECT_EQ(plan[2].limit, limits.candidates);
}

TEST(PlanQueriesTest, APhraseOfCommonWordsJoinsOnlyTheOr) {
  QueryPlanLimits limits;
  limits.passages = 1000000;
  Concept phrase = MakeConcept({{"product", "owner"}}, 3000);
  // "product" is in 90% of passages: a long walk to AND. About 210 passages may hold the
  // phrase and "glacier" (7%), so the 40th would come after about 185,000 postings.
  phrase.match_cost = 900000;
  const auto plan = PlanQueries({phrase, MakeConcept({{"glacier"}}, 70000)}, limits);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(MatchExpression(plan[0]), "(\"glacier\")");
  EXPECT_EQ(MatchExpression(plan[1]), "(\"glacier\") OR (\"product owner\")");
}

TEST(PlanQueriesTest, ConjunctionsStayWithinThePostingBudget) {
  QueryPlanLimits limits;
  limits.passages = 1000000;
  limits.max_conjunction_postings = 100000;
  const auto plan = PlanQueries({MakeConcept({{"zeppelin"}}, 40), MakeConcept({{"salary"}}, 60000),
                                 MakeConcept({{"team"}}, 70000), MakeConcept({{"budget"}}, 30000)},
                                limits);
  // budget (30,000) then salary (60,000) fit; team would pass the budget.
  ASSERT_EQ(plan.size(), 4u);
  EXPECT_EQ(MatchExpression(plan[0]), "(\"zeppelin\") AND (\"budget\") AND (\"salary\")");
  EXPECT_EQ(MatchExpression(plan[1]), "(\"zeppelin\") AND (\"budget\")");
  EXPECT_EQ(MatchExpression(plan[2]), "(\"zeppelin\")");
  EXPECT_EQ(MatchExpression(plan[3]),
            "(\"zeppelin\") OR (\"budget\") OR (\"salary\") OR (\"team\")");
}

// Issue 14: a corpus ten times larger, where each concept is in the same share of the
// passages, gets the same conjunction. Its rows are taken unranked, so FTS5 stops at the
// 40th match (limits.candidates), which it finds as early in a longer list.
TEST(PlanQueriesTest, AnUnrankedConjunctionIsTheSameAtAnyCorpusSize) {
  for (const int64_t passages : {int64_t{100000}, int64_t{1000000}}) {
    SCOPED_TRACE(passages);
    QueryPlanLimits limits;
    limits.passages = passages;
    limits.max_expected_walk = 15000;
    const int64_t percent = passages / 100;
    const auto plan = PlanQueries(
        {MakeConcept({{"roadmap"}}, 15 * percent), MakeConcept({{"stakeholder"}}, 20 * percent),
         MakeConcept({{"backlog"}}, 21 * percent), MakeConcept({{"market"}}, 25 * percent)},
        limits);
    ASSERT_EQ(plan.size(), 4u);
    // Expected to hold all four: 100,000 x 0.15 x 0.2 x 0.21 x 0.25 = 158 passages at 100k,
    // 1,575 at 1M; at either size the 40th comes after about 20,600 postings, past the
    // budget. Three: 630 and 6,300 matches, the 40th after about 3,600 postings.
    EXPECT_EQ(MatchExpression(plan[0]), "(\"roadmap\") AND (\"stakeholder\") AND (\"backlog\")");
    EXPECT_FALSE(plan[0].ranked);
    EXPECT_EQ(plan[0].limit, limits.candidates);
    EXPECT_EQ(MatchExpression(plan[1]), "(\"roadmap\") AND (\"stakeholder\")");
    EXPECT_EQ(MatchExpression(plan[2]), "(\"roadmap\")");
    EXPECT_EQ(plan[3].combine, TermQuery::Combine::kAny);
  }
}

TEST(PlanQueriesTest, AnUnrankedConjunctionWalksNoMoreThanItsWholeLists) {
  QueryPlanLimits limits;
  limits.passages = 100000;
  limits.max_expected_walk = 20000;
  // Two (gamma, alpha): 150 expected matches, the 40th after about 2,100 postings. Three: 9,
  // fewer than wanted, so all 14,000 postings are walked: within the budget.
  const auto plan = PlanQueries({MakeConcept({{"alpha"}}, 5000), MakeConcept({{"beta"}}, 6000),
                                 MakeConcept({{"gamma"}}, 3000)},
                                limits);
  ASSERT_EQ(plan.size(), 4u);
  EXPECT_EQ(MatchExpression(plan[0]), "(\"gamma\") AND (\"alpha\") AND (\"beta\")");
  EXPECT_FALSE(plan[0].ranked);
}

// Four concepts in 30% of a million passages each: 8,100 expected to hold all four, found
// after a few thousand postings if the words fell independently. If they seldom meet, FTS5
// walks the lists to their ends; the ceiling keeps that walk within 1,000,000 postings.
TEST(PlanQueriesTest, AnUnrankedConjunctionStaysUnderTheCeilingOnWholeLists) {
  QueryPlanLimits limits;
  limits.passages = 1000000;
  const std::vector<Concept> concepts = {
      MakeConcept({{"alpha"}}, 300000), MakeConcept({{"beta"}}, 300001),
      MakeConcept({{"gamma"}}, 300002), MakeConcept({{"delta"}}, 300003)};
  const auto plan = PlanQueries(concepts, limits);
  ASSERT_EQ(plan.size(), 4u);
  EXPECT_EQ(MatchExpression(plan[0]), "(\"alpha\") AND (\"beta\") AND (\"gamma\")");
  limits.max_unranked_conjunction_postings = 1300000;
  EXPECT_EQ(MatchExpression(PlanQueries(concepts, limits)[0]),
            "(\"alpha\") AND (\"beta\") AND (\"gamma\") AND (\"delta\")");
}

TEST(PlanQueriesTest, AtMostMaxConjunctionConceptsAreAnded) {
  QueryPlanLimits limits;
  limits.passages = 1000000;
  limits.max_conjunction = 2;
  const auto plan = PlanQueries({MakeConcept({{"alpha"}}, 3000), MakeConcept({{"beta"}}, 3001),
                                 MakeConcept({{"gamma"}}, 3002)},
                                limits);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(MatchExpression(plan[0]), "(\"alpha\") AND (\"beta\")");
  // Estimated by the rarest concept: 3,000 matches, more than bm25 may score.
  EXPECT_FALSE(plan[0].ranked);
  EXPECT_EQ(plan[0].limit, limits.candidates);
}

TEST(PlanQueriesTest, FewMatchesInAllMakeOneRankedOr) {
  QueryPlanLimits limits;
  limits.passages = 1000000;
  // 300 + 900 + 700 = 1,900 <= max_scored (2,000): bm25 ranks every passage with any.
  const auto plan = PlanQueries({MakeConcept({{"zeppelin"}}, 300), MakeConcept({{"salary"}}, 900),
                                 MakeConcept({{"airship"}, {"blimp"}}, 700)},
                                limits);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].combine, TermQuery::Combine::kAny);
  EXPECT_TRUE(plan[0].ranked);
  EXPECT_EQ(plan[0].limit, limits.candidates);
  EXPECT_EQ(MatchExpression(plan[0]),
            "(\"zeppelin\") OR (\"airship\" OR \"blimp\") OR (\"salary\")");
  // One more passage past the cap, and the plan narrows first.
  limits.max_scored = 1899;
  const auto narrowed =
      PlanQueries({MakeConcept({{"zeppelin"}}, 300), MakeConcept({{"salary"}}, 900),
                   MakeConcept({{"airship"}, {"blimp"}}, 700)},
                  limits);
  ASSERT_GT(narrowed.size(), 1u);
  EXPECT_EQ(narrowed[0].combine, TermQuery::Combine::kAll);
}

TEST(PlanQueriesTest, KeepsTheRarestConceptEvenWhenAllAreCommon) {
  QueryPlanLimits limits;
  limits.passages = 100;
  const auto plan =
      PlanQueries({MakeConcept({{"product"}}, 99), MakeConcept({{"owner"}}, 80)}, limits);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(MatchExpression(plan[0]), "(\"owner\")");
  EXPECT_TRUE(PlanQueries({MakeConcept({{"nothing"}}, 0)}, limits).empty());
  EXPECT_TRUE(PlanQueries({}, limits).empty());
}

TEST(AnyWordingQueryTest, TakesEveryWordingAndEachWordOfAPhrase) {
  const TermQuery q = AnyWordingQuery(
      {MakeConcept({{"product", "owner"}, {"po"}}, 10), MakeConcept({{"pay"}}, 0)}, 25);
  EXPECT_EQ(q.combine, TermQuery::Combine::kAny);
  EXPECT_TRUE(q.ranked);
  EXPECT_EQ(q.limit, 25);
  EXPECT_EQ(MatchExpression(q),
            "(\"product owner\") OR (\"product\") OR (\"owner\") OR (\"po\") OR (\"pay\")");
}

class RetrieveCandidatesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    index_ = new testing::TestIndex(std::map<std::string, std::string>{
        {"a.txt", "Alpha\nZebras and okapis graze together on the wide plains every single day.\n"},
        {"b.txt", "Beta\nZebras alone run across the dry plains when the rains are late.\n"},
        {"c.txt", "Gamma\nOkapis hide in the deep forest and eat leaves from the trees.\n"}});
  }
  static void TearDownTestSuite() { delete index_; }
  void SetUp() override {
    auto reader = indexer::IndexReader::Open(index_->db_path());
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    reader_.emplace(std::move(*reader));
  }
  std::vector<Candidate> Retrieve(const QueryPlanLimits& limits) {
    auto found = RetrieveCandidates(&*reader_, concepts_, limits, {});
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() ? *found : std::vector<Candidate>{};
  }

  static testing::TestIndex* index_;
  std::optional<indexer::IndexReader> reader_;
  const std::vector<Concept> concepts_ = {MakeConcept({{"zebras"}}, 2),
                                          MakeConcept({{"okapis"}}, 2)};
};
testing::TestIndex* RetrieveCandidatesTest::index_ = nullptr;

TEST_F(RetrieveCandidatesTest, WidensUntilEnoughCandidatesAndNeverRepeatsOne) {
  QueryPlanLimits limits;
  limits.passages = 10;   // so that neither concept counts as common
  limits.max_scored = 3;  // 2 + 2 estimated matches in all: the plan starts with the AND
  ASSERT_EQ(PlanQueries(concepts_, limits).size(), 3u);
  limits.candidates = 1;
  const auto narrow = Retrieve(limits);
  ASSERT_EQ(narrow.size(), 1u);
  EXPECT_EQ(narrow[0].doc, "a.txt");  // the only passage with both
  limits.candidates = 10;
  const auto wide = Retrieve(limits);
  ASSERT_EQ(wide.size(), 3u);
  EXPECT_EQ(wide[0].doc, "a.txt");
  EXPECT_EQ(wide[1].doc, "b.txt") << "zebras alone, the next query";
  EXPECT_EQ(wide[2].doc, "c.txt") << "okapis only in the last, any-concept query";
  for (const Candidate& c : wide) {
    EXPECT_FALSE(c.text.empty());
    EXPECT_GT(c.passage_id, 0);
  }
}

// A query taken unranked asks for no more rows than are wanted in all: its rows come in id
// order, and at most the ones found before repeat, so the missing ones are among them.
TEST_F(RetrieveCandidatesTest, UnrankedQueriesFindTheMissingRowsPastTheRepeatedOnes) {
  QueryPlanLimits limits;
  limits.passages = 10;
  limits.max_scored = 1;  // every query is taken unranked
  limits.candidates = 2;
  const auto plan = PlanQueries(concepts_, limits);
  ASSERT_EQ(plan.size(), 3u);
  for (const TermQuery& q : plan) {
    EXPECT_FALSE(q.ranked);
    EXPECT_EQ(q.limit, 2);
  }
  const auto found = Retrieve(limits);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].doc, "a.txt");  // the AND's one row
  EXPECT_EQ(found[1].doc, "b.txt") << "zebras: a.txt again, then b.txt";
}

TEST_F(RetrieveCandidatesTest, OneRankedOrWhenFewPassagesHoldAny) {
  QueryPlanLimits limits;
  limits.passages = 10;
  limits.candidates = 2;
  const auto found = Retrieve(limits);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].doc, "a.txt") << "bm25: both words";
  EXPECT_LT(found[0].bm25, 0.0);
  EXPECT_LE(found[0].bm25, found[1].bm25);
  limits.candidates = 0;
  EXPECT_TRUE(Retrieve(limits).empty());
  const std::vector<Concept> unknown = {MakeConcept({{"quagga"}}, 0)};
  auto none = RetrieveCandidates(&*reader_, unknown, limits, {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace citeqa::retriever
