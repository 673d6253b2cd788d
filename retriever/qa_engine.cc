#include "retriever/qa_engine.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "indexer/index_schema.h"
#include "indexer/sqlite_db.h"
#include "retriever/abstention.h"
#include "retriever/answer_cache.h"
#include "retriever/answer_composer.h"
#include "retriever/answer_type.h"
#include "retriever/conversation_store.h"
#include "retriever/paraphrases.h"
#include "retriever/passage_search.h"
#include "retriever/query_plan.h"
#include "retriever/question_analyzer.h"
#include "retriever/ranker.h"
#include "retriever/typo_corrector.h"
#include "retriever/vocabulary.h"

namespace citeqa::retriever {
namespace {

using indexer::Database;
using indexer::OpenMode;

constexpr int kMaxTopK = 20;
constexpr double kMinCitedShare = 0.5;
constexpr size_t kHistoryTurnsUsed = 4;
constexpr size_t kMaxConversationIdBytes = 128;
constexpr const char* kNotFoundAnswer =
    "I could not find an answer to that in the articles.";

// Everything cached from one generation of the index.
struct IndexSnapshot {
  int64_t generation = -1;
  int64_t documents = 0;  // (vocab.passages counts the passages)
  Vocabulary vocab;
  SynonymTable synonyms;
  // Phrase frequencies and word-pair checks done so far ("phrase:..", "bigram:.."):
  // questions repeat their phrases ("product owner"), and each count walks posting lists.
  // Emptied when full.
  mutable std::mutex counts_mutex;
  mutable std::unordered_map<std::string, int64_t> counts;
};
constexpr size_t kMaxCachedCounts = 100000;

// Reads one row, one column; kCorruption if there is no row.
Result<std::string> QueryText(Database* db, const char* sql) {
  auto stmt = db->Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  if (!stmt->Step()) {
    return stmt->status().ok() ? Status::Corruption(std::string("no row for ") + sql)
                               : stmt->status();
  }
  return stmt->ColumnText(0);
}

// The answer without its "[n]" citation markers, whose digits are not quantities.
std::string StripMarkers(const std::string& answer) {
  std::string out;
  for (size_t i = 0; i < answer.size(); ++i) {
    if (answer[i] == '[') {
      const size_t close = answer.find(']', i);
      if (close != std::string::npos &&
          answer.find_first_not_of("0123456789", i + 1) == close) {
        i = close;
        continue;
      }
    }
    out.push_back(answer[i]);
  }
  return out;
}

class QaEngine : public Engine {
 public:
  explicit QaEngine(EngineOptions options)
      : options_(std::move(options)),
        conversations_(static_cast<size_t>(std::max(options_.max_conversations, 0)),
                       std::chrono::seconds(options_.conversation_ttl_seconds)),
        answers_(static_cast<size_t>(std::max(options_.answer_cache_entries, 0))) {}

  Status Init() {
    auto db = Database::Open(options_.db_path, OpenMode::kReadOnly);
    if (!db.ok()) return db.status();
    CITEQA_RETURN_IF_ERROR(indexer::CheckSchema(&*db));
    if (!options_.synonyms_path.empty()) {
      // Fail early on a bad synonyms file rather than on the first question.
      auto text = ReadSynonymsOverride();
      if (!text.ok()) return text.status();
    }
    // Load what the first question would otherwise wait for.
    (void)EnglishWords();
    (void)SharedWordNet();
    auto snapshot = Snapshot(&*db);
    if (!snapshot.ok()) return snapshot.status();
    Release(std::make_unique<Database>(std::move(*db)));
    return Status::Ok();
  }

  Result<AskResponse> Ask(const AskRequest& request) override {
    const auto started = std::chrono::steady_clock::now();
    if (request.conversation_id.size() > kMaxConversationIdBytes) {
      return Status::InvalidArgument("conversation_id is longer than 128 characters");
    }
    auto db = Acquire();
    if (!db.ok()) return db.status();
    Lease lease(this, std::move(*db));
    // One read transaction: every query of this question sees the same index version.
    CITEQA_RETURN_IF_ERROR(lease.db->Exec("BEGIN"));
    auto response = AskLocked(lease.db.get(), request);
    lease.EndReadTransaction();
    if (!response.ok()) return response.status();
    response->took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return response;
  }

  Result<PassageContext> GetPassage(int64_t passage_id, int context) override {
    auto db = Acquire();
    if (!db.ok()) return db.status();
    Lease lease(this, std::move(*db));
    CITEQA_RETURN_IF_ERROR(lease.db->Exec("BEGIN"));
    auto result = GetPassageLocked(lease.db.get(), passage_id, std::clamp(context, 0, 10));
    lease.EndReadTransaction();
    return result;
  }

  Result<std::vector<DocumentInfo>> ListDocuments() override {
    auto db = Acquire();
    if (!db.ok()) return db.status();
    Lease lease(this, std::move(*db));
    auto stmt = lease.db->Prepare(
        "SELECT d.id, d.file, d.title, d.bytes, d.indexed_at, "
        "       (SELECT count(*) FROM passages p WHERE p.doc_id = d.id) "
        "FROM documents d ORDER BY d.file");
    if (!stmt.ok()) return stmt.status();
    std::vector<DocumentInfo> docs;
    while (stmt->Step()) {
      DocumentInfo info;
      info.id = stmt->ColumnInt(0);
      info.file = stmt->ColumnText(1);
      info.title = stmt->ColumnText(2);
      info.bytes = stmt->ColumnInt(3);
      info.indexed_at = stmt->ColumnText(4);
      info.passages = static_cast<int>(stmt->ColumnInt(5));
      docs.push_back(std::move(info));
    }
    if (!stmt->status().ok()) return stmt->status();
    return docs;
  }

  // Health checks call this often: the counts of the loaded snapshot when it is still the
  // index's version (counting a million passages takes milliseconds), else counted anew
  // without loading the new version's statistics, which the next question does.
  Result<IndexStats> Stats() override {
    auto db = Acquire();
    if (!db.ok()) return db.status();
    Lease lease(this, std::move(*db));
    CITEQA_RETURN_IF_ERROR(lease.db->Exec("BEGIN"));
    auto stats = StatsLocked(lease.db.get());
    lease.EndReadTransaction();
    return stats;
  }

 private:
  // Returns a pooled connection to the pool when it goes out of scope.
  struct Lease {
    Lease(QaEngine* engine, std::unique_ptr<Database> database)
        : owner(engine), db(std::move(database)) {}
    // A connection whose read transaction could not end would keep an old view of the
    // index: it is closed instead of pooled.
    ~Lease() {
      if (db) owner->Release(std::move(db));
    }
    void EndReadTransaction() {
      if (!db->Exec("COMMIT").ok()) db.reset();
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    QaEngine* owner;
    std::unique_ptr<Database> db;
  };

  Result<std::unique_ptr<Database>> Acquire() {
    {
      std::lock_guard<std::mutex> lock(pool_mutex_);
      if (!pool_.empty()) {
        auto db = std::move(pool_.back());
        pool_.pop_back();
        return db;
      }
    }
    auto db = Database::Open(options_.db_path, OpenMode::kReadOnly);
    if (!db.ok()) return db.status();
    return std::make_unique<Database>(std::move(*db));
  }

  void Release(std::unique_ptr<Database> db) {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    pool_.push_back(std::move(db));
  }

  Result<std::string> ReadSynonymsOverride() const {
    std::FILE* f = std::fopen(options_.synonyms_path.c_str(), "rb");
    if (f == nullptr) return Status::NotFound("synonyms file " + options_.synonyms_path);
    std::string text;
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
    std::fclose(f);
    return text;
  }

  // The statistics of the index version `db` sees, reloaded when a re-index changed it.
  Result<std::shared_ptr<const IndexSnapshot>> Snapshot(Database* db) {
    auto read_generation = ReadGeneration(db);
    if (!read_generation.ok()) return read_generation.status();
    const int64_t generation = *read_generation;
    {
      std::lock_guard<std::mutex> lock(snapshot_mutex_);
      if (snapshot_ && snapshot_->generation == generation) return snapshot_;
    }
    auto fresh = std::make_shared<IndexSnapshot>();
    fresh->generation = generation;
    auto vocab = LoadVocabulary(db);
    if (!vocab.ok()) return vocab.status();
    fresh->vocab = std::move(*vocab);
    auto documents = QueryText(db, "SELECT count(*) FROM documents");
    if (!documents.ok()) return documents.status();
    fresh->documents = std::strtoll(documents->c_str(), nullptr, 10);
    std::string synonyms_text;
    if (!options_.synonyms_path.empty()) {
      auto text = ReadSynonymsOverride();
      if (!text.ok()) return text.status();
      synonyms_text = std::move(*text);
    } else {
      auto stmt = db->Prepare("SELECT value FROM meta WHERE key = 'synonyms'");
      if (!stmt.ok()) return stmt.status();
      if (stmt->Step()) synonyms_text = stmt->ColumnText(0);
      if (!stmt->status().ok()) return stmt->status();
    }
    // A broken synonyms file must not stop questions being answered: without synonyms the
    // engine still works, a little less well. `citeqa index` refuses such a file up front.
    auto synonyms = SynonymTable::Parse(synonyms_text);
    if (synonyms.ok()) {
      fresh->synonyms = std::move(*synonyms);
    } else {
      std::fprintf(stderr, "citeqa: synonyms ignored: %s\n", synonyms.status().ToString().c_str());
    }
    std::lock_guard<std::mutex> lock(snapshot_mutex_);
    if (!snapshot_ || snapshot_->generation < generation) snapshot_ = fresh;
    return std::shared_ptr<const IndexSnapshot>(fresh);
  }

  Result<IndexStats> StatsLocked(Database* db) {
    auto generation = ReadGeneration(db);
    if (!generation.ok()) return generation.status();
    {
      std::lock_guard<std::mutex> lock(snapshot_mutex_);
      if (snapshot_ && snapshot_->generation == *generation) {
        return IndexStats{snapshot_->documents, snapshot_->vocab.passages};
      }
    }
    auto stmt = db->Prepare(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM passages)");
    if (!stmt.ok()) return stmt.status();
    if (!stmt->Step()) return stmt->status();
    return IndexStats{stmt->ColumnInt(0), stmt->ColumnInt(1)};
  }

  Result<AskResponse> AskLocked(Database* db, const AskRequest& request) {
    auto snapshot = Snapshot(db);
    if (!snapshot.ok()) return snapshot.status();
    const IndexSnapshot& index = **snapshot;
    AskResponse response;
    response.conversation_id =
        request.conversation_id.empty() ? ConversationStore::NewId() : request.conversation_id;
    std::vector<std::string> history =
        !request.history.empty() ? request.history : conversations_.History(response.conversation_id);
    if (history.size() > kHistoryTurnsUsed) {
      history.erase(history.begin(), history.end() - static_cast<std::ptrdiff_t>(kHistoryTurnsUsed));
    }
    const size_t top_k = static_cast<size_t>(std::clamp(request.top_k, 1, kMaxTopK));
    // Without history an answer depends only on the question and the index version.
    const std::string cache_key =
        answers_.enabled() && history.empty() && !request.explain
            ? AnswerCache::Key(index.generation, static_cast<int>(top_k), request.question)
            : std::string();
    if (!cache_key.empty()) {
      if (auto cached = answers_.Find(cache_key)) {
        if (request.history.empty()) conversations_.Append(response.conversation_id, cached->question);
        cached->response.conversation_id = std::move(response.conversation_id);
        return std::move(cached->response);
      }
    }

    TypoCorrector corrector(index.vocab, EnglishWords(),
                            [db, &index](const std::string& a, const std::string& b) {
                              return CachedBigram(db, index, a, b);
                            });
    auto analyzed = AnalyzeQuestion(request.question, index.synonyms, &corrector, &SharedWordNet());
    if (!analyzed.ok()) return analyzed.status();

    // Resolve the conversation oldest first, so each turn leans on the resolved one before.
    AnalyzedQuestion previous;
    for (const std::string& earlier : history) {
      auto turn = AnalyzeQuestion(earlier, index.synonyms, &corrector, &SharedWordNet());
      if (!turn.ok()) continue;  // an unusable earlier turn adds no context
      previous = ResolveFollowUp(*turn, previous);
    }
    AnalyzedQuestion question = ResolveFollowUp(*analyzed, previous);
    // Remembered in its sanitised form (bounded by kMaxQuestionBytes), once understood.
    if (request.history.empty()) conversations_.Append(response.conversation_id, analyzed->text);
    auto answer = AnswerQuestion(db, index, question, top_k, request.explain);
    if (!answer.ok()) return answer.status();
    if (!cache_key.empty()) answers_.Put(cache_key, {*answer, analyzed->text});
    answer->conversation_id = std::move(response.conversation_id);
    return answer;
  }

  // Search, ranking, abstention and composition for a question already understood.
  Result<AskResponse> AnswerQuestion(Database* db, const IndexSnapshot& index,
                                     AnalyzedQuestion& question, size_t top_k, bool explain) {
    AskResponse response;
    KeepIndexedWordings(index.vocab, &question);
    AssignConceptWeights(
        index.vocab, [db, &index](const Phrase& phrase) { return CachedPhraseDf(db, index, phrase); },
        &question.concepts);
    EmphasiseSubjects(&question);
    QueryPlanLimits limits;
    limits.passages = index.vocab.passages;
    auto candidates = RunQueryPlan(db, PlanQueries(question.concepts, limits), limits.min_candidates);
    if (!candidates.ok()) return candidates.status();
    std::vector<RankedPassage> ranked = RankPassages(question, std::move(*candidates));
    if (explain) response.explanation = Explain(question, ranked);
    if (ShouldAbstain(question, ranked)) {
      response.found = false;
      response.answer = kNotFoundAnswer;
      return response;
    }
    // Cite only passages that cover a fair share of what the best one covers, at most top_k.
    double best_coverage = 0;
    for (const RankedPassage& r : ranked) best_coverage = std::max(best_coverage, r.coverage);
    std::erase_if(ranked, [&](const RankedPassage& r) {
      return r.coverage < kMinCitedShare * best_coverage;
    });
    if (ranked.size() > top_k) ranked.resize(top_k);
    response.answer = ComposeAnswer(question, ranked);
    // "How many story points ...?" answered without any number is not answered.
    if (response.answer.empty() || (question.asks_quantity && !StatesQuantity(StripMarkers(response.answer)))) {
      response.found = false;
      response.answer = kNotFoundAnswer;
      return response;
    }
    response.found = true;
    for (size_t i = 0; i < ranked.size(); ++i) {
      RankedPassage& r = ranked[i];
      Citation c;
      c.n = static_cast<int>(i + 1);
      c.doc = r.candidate.doc;
      c.title = r.candidate.title;
      c.passage_id = r.candidate.passage_id;
      c.passage = std::move(r.candidate.text);
      c.score = r.score;
      c.highlights = std::move(r.match.highlights);
      response.citations.push_back(std::move(c));
    }
    return response;
  }

  // A count from the snapshot's memory, or `count()` remembered there. Failed counts
  // (errors) are not remembered.
  template <typename Count>
  static int64_t Remembered(const IndexSnapshot& index, std::string key, Count count) {
    {
      std::lock_guard<std::mutex> lock(index.counts_mutex);
      if (const auto it = index.counts.find(key); it != index.counts.end()) return it->second;
    }
    auto value = count();
    if (!value.ok()) return 0;
    std::lock_guard<std::mutex> lock(index.counts_mutex);
    if (index.counts.size() >= kMaxCachedCounts) index.counts.clear();
    index.counts.emplace(std::move(key), *value);
    return *value;
  }

  static int64_t CachedPhraseDf(Database* db, const IndexSnapshot& index, const Phrase& phrase) {
    std::string key = "phrase:";
    for (const std::string& word : phrase) (key += word) += ' ';
    return Remembered(index, std::move(key),
                      [&] { return PhraseDocumentFrequency(db, phrase, kPhraseCountSample); });
  }

  static bool CachedBigram(Database* db, const IndexSnapshot& index, const std::string& left,
                           const std::string& right) {
    std::string key = "bigram:";
    ((key += left) += ' ') += right;
    return Remembered(index, std::move(key), [&]() -> Result<int64_t> {
             auto found = BigramExists(db, left, right);
             if (!found.ok()) return found.status();
             return *found ? 1 : 0;
           }) > 0;
  }

  static std::string Explain(const AnalyzedQuestion& q, const std::vector<RankedPassage>& ranked) {
    std::string out = "answer type " + std::to_string(static_cast<int>(q.answer_type)) +
                      (q.is_comparison ? ", comparison" : "") + "\n";
    for (const auto& [typed, fixed] : q.corrections) out += "corrected " + typed + " -> " + fixed + "\n";
    for (size_t c = 0; c < q.concepts.size(); ++c) {
      const Concept& k = q.concepts[c];
      out += "concept '" + k.label + "' df=" + std::to_string(k.df) +
             " weight=" + std::to_string(k.weight) + (k.entity ? " entity" : "") +
             (k.carried ? " carried" : "") + (k.verb ? " verb" : "") + " wordings=";
      auto append_phrase = [&out](const Phrase& p) {
        for (size_t w = 0; w < p.size(); ++w) {
          if (w > 0) out += '_';
          out += p[w];
        }
      };
      for (size_t a = 0; a < k.alternatives.size(); ++a) {
        if (a > 0) out += '|';
        append_phrase(k.alternatives[a]);
      }
      out += " related=" + std::to_string(k.related.size());
      for (const Phrase& r : k.related) {
        out += " ~";
        append_phrase(r);
      }
      if (!ranked.empty()) out += " best-match=" + std::to_string(ranked.front().match.concept_match[c]);
      out += "\n";
    }
    for (size_t i = 0; i < ranked.size() && i < 5; ++i) {
      out += "#" + std::to_string(i + 1) + " passage " + std::to_string(ranked[i].candidate.passage_id) +
             " score=" + std::to_string(ranked[i].score) + " coverage=" + std::to_string(ranked[i].coverage) + "\n";
    }
    return out;
  }

  Result<PassageContext> GetPassageLocked(Database* db, int64_t passage_id, int context) {
    auto stmt = db->Prepare(
        "SELECT p.doc_id, p.ordinal, p.heading, p.text, d.file, d.title "
        "FROM passages p JOIN documents d ON d.id = p.doc_id WHERE p.id = ?1");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, passage_id);
    if (!stmt->Step()) {
      if (!stmt->status().ok()) return stmt->status();
      return Status::NotFound("no passage " + std::to_string(passage_id));
    }
    PassageContext out;
    out.passage_id = passage_id;
    const int64_t doc_id = stmt->ColumnInt(0);
    const int64_t ordinal = stmt->ColumnInt(1);
    out.heading = stmt->ColumnText(2);
    out.passage = stmt->ColumnText(3);
    out.doc = stmt->ColumnText(4);
    out.title = stmt->ColumnText(5);
    auto around = db->Prepare(
        "SELECT ordinal, text FROM passages WHERE doc_id = ?1 AND ordinal BETWEEN ?2 AND ?3 "
        "AND ordinal != ?4 ORDER BY ordinal");
    if (!around.ok()) return around.status();
    around->Bind(1, doc_id).Bind(2, ordinal - context).Bind(3, ordinal + context).Bind(4, ordinal);
    while (around->Step()) {
      (around->ColumnInt(0) < ordinal ? out.before : out.after).push_back(around->ColumnText(1));
    }
    if (!around->status().ok()) return around->status();
    return out;
  }

  const EngineOptions options_;
  ConversationStore conversations_;
  AnswerCache answers_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Database>> pool_;
  std::mutex snapshot_mutex_;
  std::shared_ptr<const IndexSnapshot> snapshot_;
};

}  // namespace

Result<std::unique_ptr<Engine>> OpenQaEngine(const EngineOptions& options) {
  auto engine = std::make_unique<QaEngine>(options);
  CITEQA_RETURN_IF_ERROR(engine->Init());
  return std::unique_ptr<Engine>(std::move(engine));
}

Result<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options) {
  return OpenQaEngine(options);
}

}  // namespace citeqa::retriever
