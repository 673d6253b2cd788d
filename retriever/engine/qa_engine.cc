#include "retriever/engine/qa_engine.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <vector>

#include "indexer/index_reader.h"
#include "retriever/analysis/typo_corrector.h"
#include "retriever/analysis/wordnet.h"
#include "retriever/defaults.h"
#include "retriever/engine/answer_cache.h"
#include "retriever/engine/conversation_store.h"
#include "retriever/index_statistics.h"
#include "retriever/models.h"
#include "retriever/pipeline.h"

namespace citeqa::retriever {
namespace {

using indexer::IndexReader;

constexpr size_t kHistoryTurnsUsed = 4;
constexpr size_t kMaxConversationIdBytes = 128;

class QaEngine : public Engine {
 public:
  QaEngine(EngineOptions options, Models models)
      : options_(std::move(options)),
        models_(std::move(models)),
        conversations_(static_cast<size_t>(std::max(options_.max_conversations, 0)),
                       std::chrono::seconds(options_.conversation_ttl_seconds)),
        answers_(static_cast<size_t>(std::max(options_.answer_cache_entries, 0))) {}

  Status Init() {
    auto index = IndexReader::Open(options_.db_path);
    if (!index.ok()) return index.status();
    if (!options_.synonyms_path.empty()) {
      // Fail early on a bad synonyms file rather than on the first question.
      auto text = ReadWholeFile(options_.synonyms_path);
      if (!text.ok()) return text.status();
    }
    // Load what the first question would otherwise wait for.
    (void)EnglishWords();
    (void)SharedWordNet();
    CITEQA_RETURN_IF_ERROR(index->BeginRead());
    auto snapshot = Snapshot(&*index);
    if (!snapshot.ok()) return snapshot.status();
    CITEQA_RETURN_IF_ERROR(index->EndRead());
    Release(std::make_unique<IndexReader>(std::move(*index)));
    return Status::Ok();
  }

  Result<AskResponse> Ask(const AskRequest& request) override {
    const auto started = std::chrono::steady_clock::now();
    if (request.conversation_id.size() > kMaxConversationIdBytes) {
      return Status::InvalidArgument("conversation_id is longer than 128 characters");
    }
    auto index = Acquire();
    if (!index.ok()) return index.status();
    Lease lease(this, std::move(*index));
    // One read transaction: every query of this question sees the same index version.
    CITEQA_RETURN_IF_ERROR(lease.index->BeginRead());
    auto response = AskLocked(lease.index.get(), request);
    lease.EndRead();
    if (!response.ok()) return response.status();
    response->took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return response;
  }

  Result<PassageContext> GetPassage(int64_t passage_id, int context) override {
    auto index = Acquire();
    if (!index.ok()) return index.status();
    Lease lease(this, std::move(*index));
    CITEQA_RETURN_IF_ERROR(lease.index->BeginRead());
    auto found = lease.index->Passage(passage_id, std::clamp(context, 0, 10));
    lease.EndRead();
    if (!found.ok()) return found.status();
    PassageContext out;
    out.passage_id = found->passage.passage_id;
    out.doc = std::move(found->passage.doc);
    out.title = std::move(found->passage.title);
    out.heading = std::move(found->passage.heading);
    out.passage = std::move(found->passage.text);
    out.before = std::move(found->before);
    out.after = std::move(found->after);
    return out;
  }

  Result<std::vector<DocumentInfo>> ListDocuments() override {
    auto index = Acquire();
    if (!index.ok()) return index.status();
    Lease lease(this, std::move(*index));
    return lease.index->Documents();
  }

  // Health checks call this often: the counts of the loaded snapshot when it is still the
  // index's version (counting a million passages takes milliseconds), else counted anew
  // without loading the new version's statistics, which the next question does.
  Result<IndexStats> Stats() override {
    auto index = Acquire();
    if (!index.ok()) return index.status();
    Lease lease(this, std::move(*index));
    CITEQA_RETURN_IF_ERROR(lease.index->BeginRead());
    auto stats = StatsLocked(lease.index.get());
    lease.EndRead();
    return stats;
  }

 private:
  // Returns a pooled reader to the pool when it goes out of scope.
  struct Lease {
    Lease(QaEngine* engine, std::unique_ptr<IndexReader> reader)
        : owner(engine), index(std::move(reader)) {}
    // A reader whose read transaction could not end would keep an old view of the index:
    // it is closed instead of pooled.
    ~Lease() {
      if (index) owner->Release(std::move(index));
    }
    void EndRead() {
      if (!index->EndRead().ok()) index.reset();
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    QaEngine* owner;
    std::unique_ptr<IndexReader> index;
  };

  Result<std::unique_ptr<IndexReader>> Acquire() {
    {
      std::lock_guard<std::mutex> lock(pool_mutex_);
      if (!pool_.empty()) {
        auto index = std::move(pool_.back());
        pool_.pop_back();
        return index;
      }
    }
    auto index = IndexReader::Open(options_.db_path);
    if (!index.ok()) return index.status();
    return std::make_unique<IndexReader>(std::move(*index));
  }

  void Release(std::unique_ptr<IndexReader> index) {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    pool_.push_back(std::move(index));
  }

  // The statistics of the index version `index` sees, reloaded when a re-index changed it.
  Result<std::shared_ptr<const IndexStatistics>> Snapshot(IndexReader* index) {
    auto generation = index->Generation();
    if (!generation.ok()) return generation.status();
    {
      std::lock_guard<std::mutex> lock(snapshot_mutex_);
      if (snapshot_ && snapshot_->generation == *generation) return snapshot_;
    }
    auto fresh = IndexStatistics::Load(index, options_.synonyms_path);
    if (!fresh.ok()) return fresh.status();
    std::lock_guard<std::mutex> lock(snapshot_mutex_);
    if (!snapshot_ || snapshot_->generation < (*fresh)->generation) snapshot_ = *fresh;
    return *fresh;
  }

  Result<IndexStats> StatsLocked(IndexReader* index) {
    auto generation = index->Generation();
    if (!generation.ok()) return generation.status();
    {
      std::lock_guard<std::mutex> lock(snapshot_mutex_);
      if (snapshot_ && snapshot_->generation == *generation) {
        return IndexStats{snapshot_->documents, snapshot_->vocab.passages};
      }
    }
    auto counts = index->Counts();
    if (!counts.ok()) return counts.status();
    return IndexStats{counts->documents, counts->passages};
  }

  Result<AskResponse> AskLocked(IndexReader* index, const AskRequest& request) {
    auto snapshot = Snapshot(index);
    if (!snapshot.ok()) return snapshot.status();
    const IndexStatistics& stats = **snapshot;
    std::string conversation_id =
        request.conversation_id.empty() ? ConversationStore::NewId() : request.conversation_id;
    std::vector<std::string> history =
        !request.history.empty() ? request.history : conversations_.History(conversation_id);
    if (history.size() > kHistoryTurnsUsed) {
      history.erase(history.begin(),
                    history.end() - static_cast<std::ptrdiff_t>(kHistoryTurnsUsed));
    }
    const size_t top_k = static_cast<size_t>(std::clamp(request.top_k, 1, defaults::kMaxTopK));
    // Without history an answer depends only on the question and the index version.
    const std::string cache_key =
        answers_.enabled() && history.empty() && !request.explain
            ? AnswerCache::Key(stats.generation, static_cast<int>(top_k), request.question)
            : std::string();
    if (!cache_key.empty()) {
      if (auto cached = answers_.Find(cache_key)) {
        if (request.history.empty()) conversations_.Append(conversation_id, cached->question);
        cached->response.conversation_id = std::move(conversation_id);
        return std::move(cached->response);
      }
    }

    const QuestionContext context(index, stats, models_);
    auto result = RunPipeline(request.question, history, context.get());
    if (!result.ok()) return result.status();
    if (options_.inspect) options_.inspect(*result);
    // Remembered in its sanitised form (bounded by kMaxQuestionBytes), once understood.
    const std::string asked = result->question.text;
    if (request.history.empty()) conversations_.Append(conversation_id, asked);
    AskResponse response = ToResponse(std::move(*result), top_k, request.explain, models_);
    if (!cache_key.empty()) answers_.Put(cache_key, {response, asked});
    response.conversation_id = std::move(conversation_id);
    return response;
  }

  const EngineOptions options_;
  const Models models_;
  ConversationStore conversations_;
  AnswerCache answers_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<IndexReader>> pool_;
  std::mutex snapshot_mutex_;
  std::shared_ptr<const IndexStatistics> snapshot_;
};

}  // namespace

Result<std::unique_ptr<Engine>> OpenQaEngine(const EngineOptions& options) {
  auto models = options.require_all_models ? LoadModels(options.models_dir)
                                           : LoadAvailableModels(options.models_dir);
  if (!models.ok()) return models.status();
  auto engine = std::make_unique<QaEngine>(options, std::move(*models));
  CITEQA_RETURN_IF_ERROR(engine->Init());
  return std::unique_ptr<Engine>(std::move(engine));
}

Result<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options) {
  return OpenQaEngine(options);
}

}  // namespace citeqa::retriever
