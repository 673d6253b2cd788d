// Fuzz target: question text (with an earlier turn of its conversation) through the whole
// answering pipeline, RunPipeline, against a real index (corpus/, indexed as `citeqa index`
// does) with the models built into the binary. Whatever the user typed:
// - every query the retrieval stage plans (PlanQueries) and the naive baseline query
//   (AnyWordingQuery) has a MATCH expression exactly when it has words, and FTS5 runs it;
//   phrase counts and bigram lookups for the question's wordings succeed;
// - the pipeline answers or abstains without an error: the answer is at most
//   defaults::kMaxAnswerBytes, each of its sentences ends with a marker [n] of a cited
//   passage, numbered in order of first use; every quote lies within its passage; an
//   abstention cites nothing; the explanation's contributions add up to each score.
// Input: "previous question\ncurrent question" (the part before the first newline is an
// earlier turn of the conversation), or just a question. An even-sized input is planned
// with the usual limits, an odd-sized one with no bm25 scoring (the unranked query shape).
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "indexer/corpus_indexer.h"
#include "indexer/index_reader.h"
#include "retriever/defaults.h"
#include "retriever/index_statistics.h"
#include "retriever/models.h"
#include "retriever/pipeline.h"
#include "retriever/retrieval/query_plan.h"

#ifndef CITEQA_FUZZ_CORPUS_DIR
#error "CITEQA_FUZZ_CORPUS_DIR must name the folder of articles to index (fuzz/CMakeLists.txt)"
#endif

namespace {

namespace fs = std::filesystem;
using citeqa::indexer::IndexReader;
using citeqa::indexer::TermQuery;
namespace retriever = citeqa::retriever;

// The index, built once per process in a temporary folder that is removed at exit.
struct Fixture {
  std::string dir;
  std::unique_ptr<IndexReader> index;
  std::shared_ptr<const retriever::IndexStatistics> stats;
  retriever::Models models;
};

Fixture* the_fixture = nullptr;

void RemoveFixtureDir() {
  std::error_code ignored;
  if (the_fixture != nullptr) fs::remove_all(the_fixture->dir, ignored);
}

Fixture& TheFixture() {
  static Fixture* fixture = [] {
    auto* out = new Fixture;
    auto models = retriever::LoadModels("");
    FUZZ_CHECK(models.ok(), "models: %s", models.status().ToString().c_str());
    out->models = std::move(*models);
    // Removed at exit; a crash leaves it behind (a few hundred KB).
    std::string pattern = (fs::temp_directory_path() / "citeqa-fuzz-XXXXXX").string();
    FUZZ_CHECK(mkdtemp(pattern.data()) != nullptr, "mkdtemp %s", pattern.c_str());
    out->dir = pattern;
    the_fixture = out;
    std::atexit(RemoveFixtureDir);
    citeqa::indexer::IndexOptions options;
    options.corpus_dir = CITEQA_FUZZ_CORPUS_DIR;
    options.db_path = out->dir + "/index.db";
    auto indexed = citeqa::indexer::IndexCorpus(options);
    FUZZ_CHECK(indexed.ok() && indexed->passages > 0, "index %s: %s", CITEQA_FUZZ_CORPUS_DIR,
               indexed.ok() ? "no passages" : indexed.status().ToString().c_str());
    auto index = IndexReader::Open(options.db_path);
    FUZZ_CHECK(index.ok(), "open: %s", index.status().ToString().c_str());
    out->index = std::make_unique<IndexReader>(std::move(*index));
    FUZZ_CHECK(out->index->BeginRead().ok(), "BeginRead");
    auto stats = retriever::IndexStatistics::Load(out->index.get(), "", nullptr);
    FUZZ_CHECK(stats.ok(), "statistics: %s", stats.status().ToString().c_str());
    FUZZ_CHECK(out->index->EndRead().ok(), "EndRead");
    out->stats = std::move(*stats);
    return out;
  }();
  return *fixture;
}

bool HasWords(const TermQuery& query) {
  for (const auto& group : query.groups) {
    for (const citeqa::indexer::Words& wording : group) {
      if (!wording.empty()) return true;
    }
  }
  return false;
}

void CheckQueryRuns(IndexReader* index, const TermQuery& query, const char* what) {
  const std::string match = citeqa::indexer::MatchExpression(query);
  FUZZ_CHECK(match.empty() != HasWords(query), "%s: MATCH expression '%s' for a query %s words",
             what, match.c_str(), HasWords(query) ? "with" : "without");
  auto rows = index->Candidates(query);
  FUZZ_CHECK(rows.ok(), "%s rejected: %s\nexpression: %s", what, rows.status().ToString().c_str(),
             match.c_str());
  FUZZ_CHECK(rows->size() <= static_cast<size_t>(std::max(query.limit, 0)),
             "%s: %zu rows for a limit of %d", what, rows->size(), query.limit);
}

// Retrieval's queries, and the index look-ups analysis makes, for the analysed question.
void CheckRetrieval(IndexReader* index, const retriever::AnalyzedQuestion& question,
                    const retriever::QueryPlanLimits& limits) {
  for (const TermQuery& query : retriever::PlanQueries(question.concepts, limits)) {
    FUZZ_CHECK(HasWords(query), "a planned query without words");
    CheckQueryRuns(index, query, "planned query");
  }
  CheckQueryRuns(index, retriever::AnyWordingQuery(question.concepts, limits.candidates),
                 "naive query");
  for (const retriever::Concept& c : question.concepts) {
    for (const retriever::Phrase& phrase : c.alternatives) {
      auto df = index->PhraseFrequency(phrase, retriever::defaults::kPhraseCountSample);
      FUZZ_CHECK(df.ok(), "PhraseFrequency: %s", df.status().ToString().c_str());
      for (size_t i = 1; i < phrase.size(); ++i) {
        auto found = index->BigramExists(phrase[i - 1], phrase[i]);
        FUZZ_CHECK(found.ok(), "BigramExists: %s", found.status().ToString().c_str());
      }
    }
  }
}

// The [n] markers of the answer, in order.
std::vector<int> Markers(const std::string& answer) {
  std::vector<int> out;
  for (size_t open = answer.find('['); open != std::string::npos;
       open = answer.find('[', open + 1)) {
    size_t end = open + 1;
    while (end < answer.size() && answer[end] >= '0' && answer[end] <= '9') ++end;
    // Longer digit runs are no marker of ours (at most defaults::kMaxTopK citations).
    if (end == open + 1 || end - open > 3 || end >= answer.size() || answer[end] != ']') {
      continue;
    }
    out.push_back(std::stoi(answer.substr(open + 1, end - open - 1)));
  }
  return out;
}

bool EndsWithMarker(const std::string& answer) {
  const size_t open = answer.rfind(" [");
  return open != std::string::npos && answer.back() == ']' &&
         answer.find_first_not_of("0123456789", open + 2) == answer.size() - 1;
}

void CheckAddsUp(const retriever::ScoreExplanation& s, const char* what) {
  double total = s.bias;
  for (const retriever::FeatureContribution& f : s.features) total += f.contribution;
  FUZZ_CHECK(std::abs(total - s.score) <= 1e-3 * std::max(1.0, std::abs(s.score)),
             "%s: bias + contributions = %f, score %f", what, total, s.score);
}

void CheckResponse(const retriever::AskResponse& response, size_t top_k) {
  FUZZ_CHECK(response.answer.size() <= retriever::defaults::kMaxAnswerBytes,
             "an answer of %zu bytes: %s", response.answer.size(), response.answer.c_str());
  size_t cited = 0;
  for (size_t i = 0; i < response.citations.size(); ++i) {
    const retriever::Citation& c = response.citations[i];
    FUZZ_CHECK(c.n == static_cast<int>(i) + 1, "citation %zu numbered %d", i, c.n);
    FUZZ_CHECK(!c.cited || cited == i, "cited passage [%d] after a related one", c.n);
    if (c.cited) ++cited;
    FUZZ_CHECK(c.cited == !c.quotes.empty(), "citation [%d]: %zu quotes, cited %d", c.n,
               c.quotes.size(), c.cited ? 1 : 0);
    for (const auto& [begin, end] : c.quotes) {
      FUZZ_CHECK(0 <= begin && begin < end && static_cast<size_t>(end) <= c.passage.size(),
                 "citation [%d]: quote [%d, %d) outside its passage of %zu bytes", c.n, begin, end,
                 c.passage.size());
    }
    for (const auto& [begin, end] : c.highlights) {
      FUZZ_CHECK(0 <= begin && begin < end && static_cast<size_t>(end) <= c.passage.size(),
                 "citation [%d]: highlight [%d, %d) outside its passage of %zu bytes", c.n, begin,
                 end, c.passage.size());
    }
  }
  FUZZ_CHECK(response.citations.size() <= std::max(top_k, cited), "%zu citations for top_k %zu",
             response.citations.size(), top_k);
  if (!response.found) {
    FUZZ_CHECK(response.citations.empty(), "an abstention with %zu citations",
               response.citations.size());
    FUZZ_CHECK(response.answer == retriever::kNotFoundAnswer, "abstained with the answer: %s",
               response.answer.c_str());
  } else {
    FUZZ_CHECK(cited > 0, "an answer citing nothing: %s", response.answer.c_str());
    FUZZ_CHECK(EndsWithMarker(response.answer), "an answer not ending with a marker: %s",
               response.answer.c_str());
    int next = 1;
    for (const int n : Markers(response.answer)) {
      FUZZ_CHECK(n >= 1 && n <= static_cast<int>(cited), "marker [%d] but %zu cited passages: %s",
                 n, cited, response.answer.c_str());
      FUZZ_CHECK(n <= next, "marker [%d] used before [%d]: %s", n, next, response.answer.c_str());
      if (n == next) ++next;
    }
    FUZZ_CHECK(next == static_cast<int>(cited) + 1, "cited passage [%d] has no marker: %s", next,
               response.answer.c_str());
  }
  FUZZ_CHECK(response.explanation.has_value(), "no explanation");
  for (const retriever::PassageExplanation& p : response.explanation->passages) {
    CheckAddsUp(p.score, "passage model");
  }
  for (const retriever::SentenceExplanation& s : response.explanation->sentences) {
    CheckAddsUp(s.score, "sentence model");
  }
  CheckAddsUp(response.explanation->decision.answerability, "answerability model");
  FUZZ_CHECK(response.explanation->decision.found == response.found,
             "the explanation's decision differs from the answer");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Fixture& fixture = TheFixture();
  IndexReader* index = fixture.index.get();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string current(newline == std::string_view::npos ? input : input.substr(newline + 1));
  std::vector<std::string> history;
  if (newline != std::string_view::npos) history.emplace_back(input.substr(0, newline));

  retriever::QuestionContext question_context(index, *fixture.stats, fixture.models);
  retriever::PipelineContext& context = *question_context.mutable_context();
  if (size % 2 == 1) context.limits.max_scored = 0;

  FUZZ_CHECK(index->BeginRead().ok(), "BeginRead");
  auto result = retriever::RunPipeline(current, history, context);
  if (!result.ok()) {
    // Only a question without words, or too long, may be refused.
    FUZZ_CHECK(result.status().code() == citeqa::StatusCode::kInvalidArgument, "RunPipeline: %s",
               result.status().ToString().c_str());
    FUZZ_CHECK(index->EndRead().ok(), "EndRead");
    return 0;
  }
  CheckRetrieval(index, result->question, context.limits);
  FUZZ_CHECK(index->EndRead().ok(), "EndRead");
  FUZZ_CHECK(
      result->scored.candidate_features.size() <= static_cast<size_t>(context.limits.candidates),
      "%zu candidates for a limit of %d", result->scored.candidate_features.size(),
      context.limits.candidates);

  const size_t top_k = 1 + size % static_cast<size_t>(retriever::defaults::kMaxTopK);
  CheckResponse(retriever::ToResponse(std::move(*result), top_k, /*explain=*/true, fixture.models),
                top_k);
  return 0;
}
