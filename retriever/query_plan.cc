#include "retriever/query_plan.h"

#include <algorithm>
#include <unordered_set>

namespace citeqa::retriever {
namespace {

struct ConceptGroup {
  std::string expression;  // ("a" OR "b c")
  int64_t df = 0;
  int64_t match_cost = 0;
};

ConceptGroup GroupOf(const Concept& c) {
  ConceptGroup g;
  g.df = c.df;
  g.match_cost = std::max(c.match_cost, c.df);
  std::vector<std::string> alternatives;
  for (const Phrase& alt : c.alternatives) alternatives.push_back(QuotePhrase(alt));
  std::sort(alternatives.begin(), alternatives.end());
  alternatives.erase(std::unique(alternatives.begin(), alternatives.end()), alternatives.end());
  g.expression.push_back('(');  // not = "(": GCC 12 warns falsely (-Wrestrict, PR 105329)
  for (size_t i = 0; i < alternatives.size(); ++i) {
    if (i > 0) g.expression += " OR ";
    g.expression += alternatives[i];
  }
  g.expression += ")";
  return g;
}

PlannedQuery Planned(std::string match, int64_t estimated, const QueryPlanLimits& limits) {
  PlannedQuery q;
  q.match = std::move(match);
  q.ranked = estimated <= limits.max_scored;
  q.limit = q.ranked ? limits.limit : limits.unranked_scan;
  return q;
}

}  // namespace

std::vector<PlannedQuery> PlanQueries(const std::vector<Concept>& concepts,
                                      const QueryPlanLimits& limits) {
  std::vector<ConceptGroup> groups;
  for (const Concept& c : concepts) {
    if (c.df > 0) groups.push_back(GroupOf(c));
  }
  if (groups.empty()) return {};
  std::stable_sort(groups.begin(), groups.end(),
                   [](const ConceptGroup& a, const ConceptGroup& b) { return a.df < b.df; });
  // Concepts in most passages narrow nothing; the rarest one always stays.
  const auto common = static_cast<int64_t>(limits.common_share * static_cast<double>(limits.passages));
  while (groups.size() > 1 && groups.back().df > common) groups.pop_back();

  // Then cheapest to match first: for a word that is its df, for a phrase the df of its
  // commonest word, whose posting list FTS5 walks to find it.
  std::stable_sort(groups.begin(), groups.end(), [](const ConceptGroup& a, const ConceptGroup& b) {
    return a.match_cost < b.match_cost;
  });

  std::vector<PlannedQuery> plan;
  // The rarest informative concepts together, then fewer and fewer, dropping the most
  // costly. Rare concepts decide what a passage is about; each further AND costs a walk
  // over a longer posting list, so it stops at a budget of postings.
  size_t conjunction = 1;
  int64_t postings = groups.front().match_cost;
  while (conjunction < groups.size() && conjunction < limits.max_conjunction &&
         postings + groups[conjunction].match_cost <= limits.max_conjunction_postings) {
    postings += groups[conjunction].match_cost;
    ++conjunction;
  }
  for (size_t k = conjunction; k >= 1; --k) {
    std::string match;
    for (size_t i = 0; i < k; ++i) {
      if (i > 0) match += " AND ";
      match += groups[i].expression;
    }
    plan.push_back(Planned(std::move(match), groups.front().df, limits));
  }
  // Last, any of them: passages that hold only some of the rarer concepts.
  if (groups.size() > 1) {
    std::string match;
    int64_t estimated = 0;
    for (size_t i = 0; i < groups.size(); ++i) {
      if (i > 0) match += " OR ";
      match += groups[i].expression;
      estimated += groups[i].df;
    }
    plan.push_back(Planned(std::move(match), estimated, limits));
  }
  return plan;
}

Result<std::vector<Candidate>> RunQueryPlan(indexer::Database* db,
                                            const std::vector<PlannedQuery>& plan,
                                            int min_candidates) {
  // The inner query picks row ids (and scores) from the index alone; only the chosen rows
  // are joined to their text.
  static constexpr const char* kRanked =
      "SELECT p.id, p.doc_id, p.ordinal, d.file, d.title, p.heading, p.text, top.score "
      "FROM (SELECT rowid AS id, bm25(passages_fts, 2.0, 1.0) AS score FROM passages_fts "
      "      WHERE passages_fts MATCH ?1 ORDER BY score LIMIT ?2) AS top "
      "JOIN passages p ON p.id = top.id JOIN documents d ON d.id = p.doc_id "
      "ORDER BY top.score";
  static constexpr const char* kUnranked =
      "SELECT p.id, p.doc_id, p.ordinal, d.file, d.title, p.heading, p.text, 0.0 "
      "FROM (SELECT rowid AS id FROM passages_fts WHERE passages_fts MATCH ?1 LIMIT ?2) AS top "
      "JOIN passages p ON p.id = top.id JOIN documents d ON d.id = p.doc_id";
  std::vector<Candidate> out;
  std::unordered_set<int64_t> seen;
  for (const PlannedQuery& query : plan) {
    if (static_cast<int>(out.size()) >= min_candidates) break;
    auto stmt = db->Prepare(query.ranked ? kRanked : kUnranked);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, query.match).Bind(2, static_cast<int64_t>(query.limit));
    while (stmt->Step()) {
      Candidate c;
      c.passage_id = stmt->ColumnInt(0);
      if (!seen.insert(c.passage_id).second) continue;
      c.doc_id = stmt->ColumnInt(1);
      c.ordinal = static_cast<int>(stmt->ColumnInt(2));
      c.doc = stmt->ColumnText(3);
      c.title = stmt->ColumnText(4);
      c.heading = stmt->ColumnText(5);
      c.text = stmt->ColumnText(6);
      c.bm25 = stmt->ColumnDouble(7);
      out.push_back(std::move(c));
    }
    if (!stmt->status().ok()) return stmt->status();
  }
  return out;
}

}  // namespace citeqa::retriever
