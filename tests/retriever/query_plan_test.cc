#include "retriever/query_plan.h"

#include <gtest/gtest.h>

#include "tests/retriever/test_index.h"

namespace citeqa::retriever {
namespace {

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
      MakeConcept({{"salary"}, {"pay"}}, 20000),
      MakeConcept({{"zeppelin"}}, 40),
      MakeConcept({{"unknown"}}, 0),  // in no passage: nothing to find
  };
  const auto plan = PlanQueries(concepts, limits);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].match, "(\"zeppelin\") AND (\"pay\" OR \"salary\")");
  EXPECT_TRUE(plan[0].ranked);  // at most 40 matches: cheap to score
  EXPECT_EQ(plan[1].match, "(\"zeppelin\")");
  EXPECT_EQ(plan[2].match, "(\"zeppelin\") OR (\"pay\" OR \"salary\")");
  EXPECT_FALSE(plan[2].ranked);  // 20,040 estimated matches: taken unscored
  EXPECT_EQ(plan[2].limit, limits.unranked_scan);
}

TEST(PlanQueriesTest, APhraseOfCommonWordsJoinsOnlyTheOr) {
  QueryPlanLimits limits;
  limits.passages = 1000000;
  Concept phrase = MakeConcept({{"product", "owner"}}, 30000);
  phrase.match_cost = 900000;  // "product" is in 90% of passages: a long walk to AND
  const auto plan = PlanQueries({phrase, MakeConcept({{"glacier"}}, 70000)}, limits);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].match, "(\"glacier\")");
  EXPECT_EQ(plan[1].match, "(\"glacier\") OR (\"product owner\")");
}

TEST(PlanQueriesTest, ConjunctionsStayWithinThePostingBudget) {
  QueryPlanLimits limits;
  limits.passages = 1000000;
  limits.max_conjunction_postings = 100000;
  const auto plan = PlanQueries({MakeConcept({{"zeppelin"}}, 40), MakeConcept({{"salary"}}, 60000),
                                 MakeConcept({{"team"}}, 70000), MakeConcept({{"budget"}}, 30000)},
                                limits);
  // salary (60,000) then budget (30,000) fit; team would pass the budget.
  ASSERT_EQ(plan.size(), 4u);
  EXPECT_EQ(plan[0].match, "(\"zeppelin\") AND (\"budget\") AND (\"salary\")");
  EXPECT_EQ(plan[3].match, "(\"zeppelin\") OR (\"budget\") OR (\"salary\") OR (\"team\")");
}

TEST(PlanQueriesTest, KeepsTheRarestConceptEvenWhenAllAreCommon) {
  QueryPlanLimits limits;
  limits.passages = 100;
  const auto plan = PlanQueries({MakeConcept({{"product"}}, 99), MakeConcept({{"owner"}}, 80)}, limits);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].match, "(\"owner\")");
  EXPECT_TRUE(PlanQueries({MakeConcept({{"nothing"}}, 0)}, limits).empty());
}

TEST(RunQueryPlanTest, WidensUntilEnoughCandidatesAndNeverRepeatsOne) {
  testing::TestIndex index(std::map<std::string, std::string>{
      {"a.txt", "Alpha\nZebras and okapis graze together on the wide plains every single day.\n"},
      {"b.txt", "Beta\nZebras alone run across the dry plains when the rains are late.\n"},
      {"c.txt", "Gamma\nOkapis hide in the deep forest and eat leaves from the trees.\n"}});
  auto db = indexer::Database::Open(index.db_path(), indexer::OpenMode::kReadOnly);
  ASSERT_TRUE(db.ok());
  QueryPlanLimits limits;
  limits.passages = 10;  // so that neither concept counts as common
  const std::vector<Concept> concepts = {MakeConcept({{"zebras"}}, 2), MakeConcept({{"okapis"}}, 2)};
  const auto plan = PlanQueries(concepts, limits);
  auto narrow = RunQueryPlan(&*db, plan, /*min_candidates=*/1);
  ASSERT_TRUE(narrow.ok());
  ASSERT_EQ(narrow->size(), 1u);
  EXPECT_EQ((*narrow)[0].doc, "a.txt");
  auto wide = RunQueryPlan(&*db, plan, /*min_candidates=*/10);
  ASSERT_TRUE(wide.ok());
  EXPECT_EQ(wide->size(), 3u);
  EXPECT_EQ((*wide)[0].doc, "a.txt");
}

}  // namespace
}  // namespace citeqa::retriever
