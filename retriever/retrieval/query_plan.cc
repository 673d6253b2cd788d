#include "retriever/retrieval/query_plan.h"

#include <algorithm>
#include <unordered_set>

namespace citeqa::retriever {
namespace {

struct ConceptGroup {
  std::vector<indexer::Words> wordings;
  int64_t df = 0;
  int64_t match_cost = 0;
};

ConceptGroup GroupOf(const Concept& c) {
  return ConceptGroup{c.alternatives, c.df, std::max(c.match_cost, c.df)};
}

// A query over the first `count` groups.
indexer::TermQuery Planned(size_t count, const std::vector<ConceptGroup>& groups,
                           indexer::TermQuery::Combine combine, int64_t estimated,
                           const QueryPlanLimits& limits) {
  indexer::TermQuery q;
  for (size_t i = 0; i < count; ++i) q.groups.push_back(groups[i].wordings);
  q.combine = combine;
  q.ranked = estimated <= limits.max_scored;
  q.limit = limits.candidates;
  return q;
}

// Whether an AND of the first `count` groups walks few enough postings. bm25 must see every
// match, so a ranked query walks every list to its end. An unranked one stops at its
// `candidates`-th match: if words fall into passages independently, after a share
// candidates / expected matches of each list. That share keeps the cost from depending on
// corpus size: past the size where enough passages hold all the concepts, a larger corpus
// walks no more postings for the same AND, where a budget on whole lists would drop
// concepts at a million passages that it kept at a hundred thousand, and answer from the
// first rows of the rarest concept alone. Concepts that seldom meet make FTS5 walk the
// lists to their ends all the same, hence the ceiling on the whole lists.
bool WalkAffordable(size_t count, const std::vector<ConceptGroup>& groups, bool ranked,
                    const QueryPlanLimits& limits) {
  int64_t postings = 0;
  const auto passages = static_cast<double>(std::max<int64_t>(limits.passages, 1));
  double matches = passages;
  for (size_t i = 0; i < count; ++i) {
    postings += groups[i].match_cost;
    matches *= static_cast<double>(groups[i].df) / passages;
  }
  if (ranked) return postings <= limits.max_conjunction_postings;
  if (postings > limits.max_unranked_conjunction_postings) return false;
  const auto wanted = static_cast<double>(limits.candidates);
  const double walked = matches <= wanted ? static_cast<double>(postings)
                                          : static_cast<double>(postings) * wanted / matches;
  return walked <= static_cast<double>(limits.max_expected_walk);
}

}  // namespace

std::vector<indexer::TermQuery> PlanQueries(const std::vector<Concept>& concepts,
                                            const QueryPlanLimits& limits) {
  std::vector<ConceptGroup> groups;
  for (const Concept& c : concepts) {
    if (c.df > 0) groups.push_back(GroupOf(c));
  }
  if (groups.empty()) return {};
  std::stable_sort(groups.begin(), groups.end(),
                   [](const ConceptGroup& a, const ConceptGroup& b) { return a.df < b.df; });
  // Concepts in most passages narrow nothing; the rarest one always stays.
  const auto common =
      static_cast<int64_t>(limits.common_share * static_cast<double>(limits.passages));
  while (groups.size() > 1 && groups.back().df > common) groups.pop_back();

  // Then cheapest to match first: for a word that is its df, for a phrase the df of its
  // commonest word, whose posting list FTS5 walks to find it.
  std::stable_sort(groups.begin(), groups.end(), [](const ConceptGroup& a, const ConceptGroup& b) {
    return a.match_cost < b.match_cost;
  });

  std::vector<indexer::TermQuery> plan;
  int64_t estimated_any = 0;
  for (const ConceptGroup& g : groups) estimated_any += g.df;
  // Few enough passages hold any of them to score them all: bm25 over all of them finds the
  // passages that hold most of the question (a passage missing its rarest word may still
  // answer it, in other words), which a conjunction would leave out.
  if (estimated_any <= limits.max_scored) {
    const auto scored_common =
        static_cast<int64_t>(limits.scored_common_share * static_cast<double>(limits.passages));
    std::vector<ConceptGroup> scored;
    int64_t estimated = 0;
    for (const ConceptGroup& g : groups) {
      if (scored.empty() || estimated_any <= limits.scored_rows_budget || g.df <= scored_common) {
        scored.push_back(g);
        estimated += g.df;
      }
    }
    plan.push_back(
        Planned(scored.size(), scored, indexer::TermQuery::Combine::kAny, estimated, limits));
    return plan;
  }
  // The rarest informative concepts together, then fewer and fewer, dropping the most
  // costly. Rare concepts decide what a passage is about; each further AND costs a walk
  // over a longer posting list, so it stops at a budget of postings (WalkAffordable).
  const bool ranked = groups.front().df <= limits.max_scored;
  size_t conjunction = 1;
  while (conjunction < groups.size() && conjunction < limits.max_conjunction &&
         WalkAffordable(conjunction + 1, groups, ranked, limits)) {
    ++conjunction;
  }
  for (size_t k = conjunction; k >= 1; --k) {
    plan.push_back(
        Planned(k, groups, indexer::TermQuery::Combine::kAll, groups.front().df, limits));
  }
  // Last, any of them: passages that hold only some of the rarer concepts.
  if (groups.size() > 1) {
    plan.push_back(
        Planned(groups.size(), groups, indexer::TermQuery::Combine::kAny, estimated_any, limits));
  }
  return plan;
}

Result<std::vector<Candidate>> RetrieveCandidates(indexer::IndexReader* index,
                                                  const std::vector<Concept>& concepts,
                                                  const QueryPlanLimits& limits,
                                                  const indexer::RankingStatistics& ranking) {
  std::vector<Candidate> out;
  std::unordered_set<int64_t> seen;
  const auto wanted = static_cast<size_t>(std::max(limits.candidates, 0));
  for (indexer::TermQuery& query : PlanQueries(concepts, limits)) {
    if (out.size() >= wanted) break;
    query.ranking = ranking;
    auto found = index->Candidates(query);
    if (!found.ok()) return found.status();
    for (Candidate& c : *found) {
      if (out.size() >= wanted) break;
      if (seen.insert(c.passage_id).second) out.push_back(std::move(c));
    }
  }
  return out;
}

indexer::TermQuery AnyWordingQuery(const std::vector<Concept>& concepts, int limit) {
  indexer::TermQuery q;
  q.combine = indexer::TermQuery::Combine::kAny;
  q.limit = limit;
  for (const Concept& c : concepts) {
    for (const Phrase& alt : c.alternatives) {
      q.groups.push_back({alt});
      if (alt.size() > 1) {
        for (const std::string& w : alt) q.groups.push_back({{w}});
      }
    }
  }
  return q;
}

}  // namespace citeqa::retriever
