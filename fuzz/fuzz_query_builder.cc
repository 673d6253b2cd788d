// Fuzz target: question text -> AnalyzeQuestion (with typo correction against a real
// index's vocabulary) -> ResolveFollowUp -> BuildMatchExpression and, after
// AssignConceptWeights, PlanQueries; every expression is run against FTS5. Whatever the user
// typed, each expression must be valid FTS5 syntax and every retriever query built from it
// (SearchPassages, RunQueryPlan, phrase counts) must succeed.
// Input: "previous question\ncurrent question" (the part before the first newline is an
// earlier turn of the conversation), or just a question.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "indexer/default_synonyms.h"
#include "indexer/index_schema.h"
#include "indexer/sqlite_db.h"
#include "indexer/word_vocabulary.h"
#include "retriever/passage_search.h"
#include "retriever/query_plan.h"
#include "retriever/question_analyzer.h"
#include "retriever/wordnet.h"
#include "retriever/ranker.h"
#include "retriever/synonyms.h"
#include "retriever/typo_corrector.h"
#include "retriever/vocabulary.h"

namespace {

using citeqa::indexer::Database;
using citeqa::retriever::AnalyzedQuestion;

// A small citeqa index in memory, built once: the schema of `citeqa index` with a few
// passages, so that stems, phrases, typo candidates and bigrams all have something to hit.
struct Index {
  std::unique_ptr<Database> db;
  citeqa::retriever::Vocabulary vocab;
  citeqa::retriever::SynonymTable synonyms;
};

Index& TheIndex() {
  static Index* index = [] {
    auto* out = new Index;
    auto db = Database::Open(":memory:", citeqa::indexer::OpenMode::kReadWrite);
    FUZZ_CHECK(db.ok(), "open: %s", db.status().ToString().c_str());
    out->db = std::make_unique<Database>(std::move(*db));
    FUZZ_CHECK(citeqa::indexer::MigrateSchema(out->db.get()).ok(), "migrate");
    FUZZ_CHECK(out->db
                   ->Exec("INSERT INTO documents(file, title, content_hash, bytes, indexed_at) "
                          "VALUES ('a.txt', 'Product roles', '', 0, '')")
                   .ok(),
               "insert document");
    const char* const kPassages[] = {
        "A product manager owns the product roadmap and the product strategy.",
        "The product owner manages the backlog and works with the development team.",
        "Product owners earn a median salary of $95,000 in the United States.",
        "Scrum teams meet at the end of each sprint; the PO accepts or rejects work.",
        "Café naïve façade: diacritics, 東京 and emoji 🙂 are tokens too.",
    };
    auto insert = out->db->Prepare(
        "INSERT INTO passages(doc_id, ordinal, heading, text) VALUES (1, ?1, 'Roles', ?2)");
    FUZZ_CHECK(insert.ok(), "prepare insert");
    int64_t ordinal = 0;
    for (const char* text : kPassages) {
      insert->Reset();
      FUZZ_CHECK(insert->Bind(1, ordinal++).Bind(2, std::string_view(text)).Run().ok(), "insert");
    }
    FUZZ_CHECK(citeqa::indexer::RebuildWordVocabulary(out->db.get()).ok(), "word vocabulary");
    auto vocab = citeqa::retriever::LoadVocabulary(out->db.get());
    FUZZ_CHECK(vocab.ok(), "vocabulary: %s", vocab.status().ToString().c_str());
    out->vocab = std::move(*vocab);
    auto synonyms = citeqa::retriever::SynonymTable::Parse(citeqa::indexer::DefaultSynonyms());
    FUZZ_CHECK(synonyms.ok(), "synonyms: %s", synonyms.status().ToString().c_str());
    out->synonyms = std::move(*synonyms);
    return out;
  }();
  return *index;
}

void CheckRuns(Database* db, const std::string& match, const char* sql) {
  auto stmt = db->Prepare(sql);
  FUZZ_CHECK(stmt.ok(), "prepare: %s", stmt.status().ToString().c_str());
  stmt->Bind(1, match);
  while (stmt->Step()) {
  }
  FUZZ_CHECK(stmt->status().ok(), "MATCH expression rejected by FTS5: %s\nexpression: %s",
             stmt->status().ToString().c_str(), match.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Index& index = TheIndex();
  Database* db = index.db.get();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view current =
      newline == std::string_view::npos ? input : input.substr(newline + 1);

  const citeqa::retriever::TypoCorrector corrector(
      index.vocab, citeqa::retriever::EnglishWords(),
      [db](const std::string& a, const std::string& b) {
        auto found = citeqa::retriever::BigramExists(db, a, b);
        FUZZ_CHECK(found.ok(), "bigram lookup failed for '%s' '%s': %s", a.c_str(), b.c_str(),
                   found.status().ToString().c_str());
        return *found;
      });
  auto analyzed = citeqa::retriever::AnalyzeQuestion(current, index.synonyms, &corrector,
                                                     &citeqa::retriever::SharedWordNet());
  if (!analyzed.ok()) return 0;  // empty or too long: refused, which is fine
  AnalyzedQuestion question = *analyzed;
  if (newline != std::string_view::npos) {
    auto previous =
        citeqa::retriever::AnalyzeQuestion(input.substr(0, newline), index.synonyms,
                                           &corrector, &citeqa::retriever::SharedWordNet());
    if (previous.ok()) question = citeqa::retriever::ResolveFollowUp(question, *previous);
  }

  const std::string match = citeqa::retriever::BuildMatchExpression(question.concepts);
  FUZZ_CHECK(match.empty() || !question.concepts.empty(), "expression without concepts: %s",
             match.c_str());
  if (match.empty()) return 0;
  CheckRuns(db, match, "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?1 ORDER BY rank");
  auto candidates = citeqa::retriever::SearchPassages(db, match, 10);
  FUZZ_CHECK(candidates.ok(), "SearchPassages: %s\nexpression: %s",
             candidates.status().ToString().c_str(), match.c_str());
  for (const citeqa::retriever::Concept& c : question.concepts) {
    for (const citeqa::retriever::Phrase& phrase : c.alternatives) {
      auto df = citeqa::retriever::PhraseDocumentFrequency(db, phrase, 100);
      FUZZ_CHECK(df.ok(), "PhraseDocumentFrequency: %s", df.status().ToString().c_str());
    }
  }

  // The bounded-work plan QaEngine runs: its expressions (ANDs of OR groups) must be valid too.
  citeqa::retriever::AssignConceptWeights(
      index.vocab,
      [db](const citeqa::retriever::Phrase& phrase) {
        auto df = citeqa::retriever::PhraseDocumentFrequency(db, phrase, 100);
        return df.ok() ? *df : int64_t{0};
      },
      &question.concepts);
  citeqa::retriever::QueryPlanLimits limits;
  limits.passages = index.vocab.passages;
  limits.max_scored = size % 2 == 0 ? limits.max_scored : 0;  // also the unranked query shape
  const std::vector<citeqa::retriever::PlannedQuery> plan =
      citeqa::retriever::PlanQueries(question.concepts, limits);
  for (const citeqa::retriever::PlannedQuery& q : plan) {
    FUZZ_CHECK(!q.match.empty(), "an empty planned query");
    CheckRuns(db, q.match,
              "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?1 ORDER BY rank");
  }
  auto planned = citeqa::retriever::RunQueryPlan(db, plan, limits.min_candidates);
  FUZZ_CHECK(planned.ok(), "RunQueryPlan: %s", planned.status().ToString().c_str());
  return 0;
}
