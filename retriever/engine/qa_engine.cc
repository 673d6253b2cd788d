#include "retriever/engine/qa_engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "indexer/file_identity.h"
#include "indexer/index_reader.h"
#include "indexer/question_text.h"
#include "retriever/analysis/typo_corrector.h"
#include "retriever/analysis/wordnet.h"
#include "retriever/defaults.h"
#include "retriever/engine/answer_cache.h"
#include "retriever/engine/conversation_store.h"
#include "retriever/engine/layout_warmer.h"
#include "retriever/engine/snapshot_loader.h"
#include "retriever/index_statistics.h"
#include "retriever/models.h"
#include "retriever/pipeline.h"

namespace citeqa::retriever {
namespace {

using indexer::IndexReader;

constexpr size_t kHistoryTurnsUsed = kConversationTurnsUsed;

// The index's statistics read while the engine starts (before the models are in), with
// the reader that read them, still open, and the file it reads.
struct EarlyStatistics {
  indexer::FileIdentity file;
  std::unique_ptr<IndexReader> reader;
  SnapshotLoader::Statistics statistics;
};

// Statistics of the file at the engine's path, or nothing when they could not be read: the
// engine then loads its own, and reports any trouble as it would have. The file is
// identified as a request identifies it (indexer::IdentifyFile, then the open).
std::optional<EarlyStatistics> LoadEarlyStatistics(const EngineOptions& options) {
  try {
    const auto file = indexer::IdentifyFile(options.db_path);
    if (!file.ok()) return std::nullopt;
    auto reader = IndexReader::Open(options.db_path);
    if (!reader.ok() || !reader->BeginRead().ok()) return std::nullopt;
    auto loaded = IndexStatistics::Load(&*reader, options.synonyms_path, nullptr);
    if (!reader->EndRead().ok() || !loaded.ok()) return std::nullopt;
    return EarlyStatistics{*file, std::make_unique<IndexReader>(std::move(*reader)),
                           std::move(*loaded)};
  } catch (const std::exception&) {
    return std::nullopt;  // (out of memory, say: the engine's own load meets it again)
  }
}

void ReportIgnoredSynonyms(const IndexStatistics& statistics) {
  if (!statistics.synonyms_ignored.empty()) {
    std::fprintf(stderr, "citeqa: synonyms ignored: %s\n", statistics.synonyms_ignored.c_str());
  }
}

class QaEngine : public Engine {
 public:
  QaEngine(EngineOptions options, Models models)
      : options_(std::move(options)),
        models_(std::move(models)),
        conversations_(static_cast<size_t>(std::max(options_.max_conversations, 0)),
                       std::chrono::seconds(options_.conversation_ttl_seconds)),
        answers_(static_cast<size_t>(std::max(options_.answer_cache_entries, 0))),
        snapshots_([this](uint64_t file_epoch, const SnapshotLoader::Statistics& in_use) {
          return LoadNewest(file_epoch, in_use.get());
        }),
        warmer_([this](const SnapshotLoader::Statistics& statistics, uint64_t file_epoch,
                       const std::atomic<bool>& superseded) {
          return WarmUpLayouts(*statistics, file_epoch, superseded);
        }) {}

  // Loads what the first question would otherwise wait for: the word lists and the index's
  // statistics. Those of `early` are used when the engine's first read is of the file and
  // the version they were read from: its reader becomes the engine's first, so that a
  // path naming another file by now switches files (and closes it) as for any request, and
  // the file, held open meanwhile, cannot have been replaced under the same inode.
  Status Init(std::optional<EarlyStatistics> early) {
    if (!options_.synonyms_path.empty()) {
      // Fail early on a bad synonyms file rather than on the first question.
      auto text = ReadWholeFile(options_.synonyms_path);
      if (!text.ok()) return text.status();
    }
    (void)EnglishWords();
    (void)SharedWordNet();
    const uint64_t early_epoch = early ? Adopt(early->file, std::move(early->reader)) : 0;
    auto index = Acquire();
    if (!index.ok()) return index.status();
    Lease lease(this, std::move(*index));
    CITEQA_RETURN_IF_ERROR(lease.reader->BeginRead());
    auto snapshot =
        Snapshot(lease.reader.get(), lease.file_epoch,
                 early && lease.file_epoch == early_epoch ? early->statistics : nullptr);
    lease.EndRead();
    return snapshot.status();
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
    CITEQA_RETURN_IF_ERROR(lease.reader->BeginRead());
    auto response = AskLocked(lease.reader.get(), lease.file_epoch, request);
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
    CITEQA_RETURN_IF_ERROR(lease.reader->BeginRead());
    auto found = lease.reader->Passage(passage_id, std::clamp(context, 0, 10));
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
    return lease.reader->Documents();
  }

  void AwaitWarmUp() override { warmer_.AwaitIdle(); }

  Status AwaitStatistics() override {
    uint64_t file_epoch = 0;
    int64_t generation = 0;
    {
      auto index = Acquire();
      if (!index.ok()) return index.status();
      Lease lease(this, std::move(*index));
      CITEQA_RETURN_IF_ERROR(lease.reader->BeginRead());
      auto read = lease.reader->Generation();
      // As a question would: the first statistics of a file load here, newer ones start
      // loading in the background.
      auto snapshot = read.ok() ? Snapshot(lease.reader.get(), lease.file_epoch) : read.status();
      lease.EndRead();
      if (!snapshot.ok()) return snapshot.status();
      if (snapshot->statistics->generation >= *read) return Status::Ok();
      file_epoch = lease.file_epoch;
      generation = *read;
    }
    // The reader is back in the pool first: the background load may have to wait for every
    // reader to switch to a file moved over the index.
    return snapshots_.AwaitGeneration(file_epoch, generation);
  }

  // Health checks call this often: the counts of the loaded snapshot when it is still the
  // index's version (counting a million passages takes milliseconds), else counted anew
  // without loading the new version's statistics, which the next question asks for.
  Result<IndexStats> Stats() override {
    auto index = Acquire();
    if (!index.ok()) return index.status();
    Lease lease(this, std::move(*index));
    CITEQA_RETURN_IF_ERROR(lease.reader->BeginRead());
    auto stats = StatsLocked(lease.reader.get(), lease.file_epoch);
    lease.EndRead();
    return stats;
  }

 private:
  // A reader out of the pool, and which of the engine's index files it reads.
  struct Leased {
    std::unique_ptr<IndexReader> reader;
    uint64_t file_epoch = 0;
  };

  // Returns a leased reader to the pool when it goes out of scope.
  struct Lease {
    Lease(QaEngine* engine, Leased leased)
        : owner(engine), reader(std::move(leased.reader)), file_epoch(leased.file_epoch) {}
    ~Lease() { owner->Release(std::move(reader), file_epoch); }
    // A reader whose read transaction could not end would keep an old view of the index:
    // it is closed instead of pooled.
    void EndRead() {
      if (!reader->EndRead().ok()) reader.reset();
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    QaEngine* owner;
    std::unique_ptr<IndexReader> reader;
    uint64_t file_epoch;
  };

  // A reader of the file now at options_.db_path. Every request looks at the path first (a
  // stat, about a microsecond): open connections keep reading a file that was deleted or
  // moved away, so a replaced index is noticed here, and a deleted one reported as
  // kUnavailable rather than served from its ghost.
  Result<Leased> Acquire() {
    std::unique_lock<std::mutex> lock(pool_mutex_);
    auto identity = indexer::IdentifyFile(options_.db_path);
    if (!identity.ok()) {
      if (identity.status().code() != StatusCode::kNotFound) return identity.status();
      // Never there (a wrong --db) is the caller's mistake; gone after serving is an outage.
      if (!file_) {
        return Status::NotFound("no index at " + options_.db_path + " (run `citeqa index` first)");
      }
      return Status::Unavailable(
          "the index file is gone (deleted or moved away); index again or move an index "
          "back to the same path");
    }
    if (!file_ || !(*file_ == *identity)) SwitchFile(&lock, *identity);
    ++leased_;
    Leased leased{nullptr, file_epoch_};
    if (!pool_.empty()) {
      leased.reader = std::move(pool_.back());
      pool_.pop_back();
      return leased;
    }
    lock.unlock();
    auto opened = IndexReader::Open(options_.db_path);
    if (!opened.ok()) {
      Release(nullptr, leased.file_epoch);
      return opened.status();
    }
    leased.reader = std::make_unique<IndexReader>(std::move(*opened));
    return leased;
  }

  // Makes `identity` the engine's index file. Every reader of the previous file is closed
  // first (waiting for those on lease): the last connection to a WAL database checkpoints
  // it and removes its -wal and -shm files, which a connection to the new file would
  // otherwise find under the same names and take for its own.
  void SwitchFile(std::unique_lock<std::mutex>* lock, const indexer::FileIdentity& identity) {
    switch_waiting_ = true;  // a warm-up holding a reader lets go of it
    readers_back_.wait(*lock, [this] { return leased_ == 0; });
    switch_waiting_ = false;
    if (file_ && *file_ == identity) return;  // another request switched while this waited
    pool_.clear();
    file_ = identity;
    ++file_epoch_;
  }

  // Makes `reader` (open on the file `identity`, outside any read) the engine's first
  // pooled reader; returns that file's epoch. Only before the engine has read anything.
  uint64_t Adopt(const indexer::FileIdentity& identity, std::unique_ptr<IndexReader> reader) {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    file_ = identity;
    ++file_epoch_;
    pool_.push_back(std::move(reader));
    return file_epoch_;
  }

  // IndexStatistics::Load, with a synonyms text it had to leave out reported on stderr.
  Result<SnapshotLoader::Statistics> LoadStatistics(IndexReader* index,
                                                    const IndexStatistics* earlier) const {
    auto loaded = IndexStatistics::Load(index, options_.synonyms_path, earlier);
    if (loaded.ok()) ReportIgnoredSynonyms(**loaded);
    return loaded;
  }

  void Release(std::unique_ptr<IndexReader> reader, uint64_t file_epoch) {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    // A reader of an earlier file is closed here, before a switch waiting for it goes on.
    if (reader && file_epoch == file_epoch_) pool_.push_back(std::move(reader));
    reader.reset();
    --leased_;
    readers_back_.notify_all();
  }

  // The statistics to answer with, for a request reading with `index` (inside its read
  // transaction) the file `file_epoch` names. Statistics `loaded` beforehand from that file
  // are used when they are of the version it reads.
  Result<SnapshotLoader::InUse> Snapshot(IndexReader* index, uint64_t file_epoch,
                                         const SnapshotLoader::Statistics& loaded = nullptr) {
    auto generation = index->Generation();
    if (!generation.ok()) return generation.status();
    auto in_use =
        snapshots_.ForRequest(file_epoch, *generation, [&]() -> Result<SnapshotLoader::Statistics> {
          if (loaded && loaded->generation == *generation) {
            ReportIgnoredSynonyms(*loaded);
            return loaded;
          }
          return LoadStatistics(index, nullptr);
        });
    if (in_use.ok() && options_.warm_up_layouts) warmer_.Offer(in_use->statistics, file_epoch);
    return in_use;
  }

  // LayoutWarmer's work: every passage of the version `statistics` are of, read through the
  // pool like a request's and laid out into their layouts, unless they would not fit (or the
  // index has moved on to another version or file: its own statistics come next).
  int64_t WarmUpLayouts(const IndexStatistics& statistics, uint64_t file_epoch,
                        const std::atomic<bool>& superseded) {
    if (statistics.PassageTokens() > defaults::kWarmUpLayoutTokens) return 0;
    auto index = Acquire();
    if (!index.ok()) return 0;
    Lease lease(this, std::move(*index));
    if (lease.file_epoch != file_epoch || !lease.reader->BeginRead().ok()) return 0;
    int64_t laid_out = 0;
    bool stopped = false;
    const auto generation = lease.reader->Generation();
    if (generation.ok() && *generation == statistics.generation) {
      // A failed read leaves the rest to questions, as a warm-up never run.
      const Status read = lease.reader->ForEachPassage([&](const indexer::PassageRow& row) {
        bool new_layout = false;
        statistics.layouts.Get(row.passage_id, row.text, row.heading, &new_layout);
        if (!row.heading.empty()) statistics.layouts.GetLine(row.heading);
        if (!row.title.empty()) statistics.layouts.GetLine(row.title);
        laid_out += new_layout ? 1 : 0;
        stopped = superseded.load(std::memory_order_relaxed) ||
                  switch_waiting_.load(std::memory_order_relaxed);
        return !stopped;
      });
      // Every passage read: the layouts inherited and not read are of passages now gone.
      if (read.ok() && !stopped) statistics.layouts.DropInherited();
    }
    lease.EndRead();
    return laid_out;
  }

  // The background loader's read: through the pool like a request's, so that a switch to
  // another file waits for it (see SwitchFile) and it never reads a file other than the one
  // the epoch names.
  Result<SnapshotLoader::Statistics> LoadNewest(uint64_t file_epoch,
                                                const IndexStatistics* in_use) {
    auto index = Acquire();
    if (!index.ok()) return index.status();
    Lease lease(this, std::move(*index));
    if (lease.file_epoch != file_epoch) return SnapshotLoader::Statistics();
    CITEQA_RETURN_IF_ERROR(lease.reader->BeginRead());
    auto loaded = LoadStatistics(lease.reader.get(), in_use);
    lease.EndRead();
    return loaded;
  }

  Result<IndexStats> StatsLocked(IndexReader* index, uint64_t file_epoch) {
    auto generation = index->Generation();
    if (!generation.ok()) return generation.status();
    const SnapshotLoader::Usage usage = snapshots_.UsageFor(file_epoch);
    IndexStats stats;
    stats.generation = *generation;
    stats.statistics_generation = usage.statistics ? usage.statistics->generation : -1;
    stats.statistics_loads = usage.loads;
    stats.statistics_in_use_since = usage.in_use_since;
    stats.statistics_load_seconds = usage.statistics ? usage.statistics->load_seconds : 0;
    stats.passages_laid_out_ahead = warmer_.laid_out();
    if (usage.statistics && usage.statistics->generation == *generation) {
      stats.documents = usage.statistics->documents;
      stats.passages = usage.statistics->vocab.passages;
      return stats;
    }
    auto counts = index->Counts();
    if (!counts.ok()) return counts.status();
    stats.documents = counts->documents;
    stats.passages = counts->passages;
    return stats;
  }

  Result<AskResponse> AskLocked(IndexReader* index, uint64_t file_epoch,
                                const AskRequest& request) {
    auto snapshot = Snapshot(index, file_epoch);
    if (!snapshot.ok()) return snapshot.status();
    const IndexStatistics& stats = *snapshot->statistics;
    std::string conversation_id =
        request.conversation_id.empty() ? ConversationStore::NewId() : request.conversation_id;
    std::vector<std::string> history =
        !request.history.empty() ? request.history : conversations_.History(conversation_id);
    if (history.size() > kHistoryTurnsUsed) {
      history.erase(history.begin(),
                    history.end() - static_cast<std::ptrdiff_t>(kHistoryTurnsUsed));
    }
    const size_t top_k = static_cast<size_t>(std::clamp(request.top_k, 1, defaults::kMaxTopK));
    // Without history an answer depends only on the question and the index version, as
    // long as the statistics are of that version too: rows of one version weighed by the
    // statistics of another make an answer neither version would give.
    const std::string cache_key =
        answers_.enabled() && snapshot->current && history.empty() && !request.explain
            ? AnswerCache::Key(file_epoch, stats.generation, static_cast<int>(top_k),
                               request.question)
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
    std::string normalized = indexer::NormalizeQuestion(asked, result->question.corrections);
    std::optional<ConsideredPassage> considered;
    if (!result->scored.passages.empty()) {
      const auto& top = result->scored.passages.front().candidate;
      considered = ConsideredPassage{top.passage_id, top.doc, top.title};
    }
    AskResponse response = ToResponse(std::move(*result), top_k, request.explain, models_);
    response.normalized_question = std::move(normalized);
    response.considered = std::move(considered);
    if (!cache_key.empty()) answers_.Put(cache_key, {response, asked});
    response.conversation_id = std::move(conversation_id);
    return response;
  }

  const EngineOptions options_;
  const Models models_;
  ConversationStore conversations_;
  AnswerCache answers_;
  std::mutex pool_mutex_;
  std::condition_variable readers_back_;
  std::optional<indexer::FileIdentity> file_;  // the file the pooled readers read
  uint64_t file_epoch_ = 0;                    // grows with every switch to another file
  int leased_ = 0;                             // readers out of the pool
  std::vector<std::unique_ptr<IndexReader>> pool_;
  std::atomic<bool> switch_waiting_{false};  // SwitchFile is waiting for the readers out
  // Declared last, so destroyed first: their destructors join the loader's and the
  // warmer's threads, which read the index through the members above.
  SnapshotLoader snapshots_;
  LayoutWarmer warmer_;
};

}  // namespace

Result<std::unique_ptr<Engine>> OpenQaEngine(const EngineOptions& options) {
  // What a first answer waits for loads side by side: the word lists every question reads
  // (once, thread-safely), the models' JSON, and the index's statistics (at 100,000
  // passages the largest part, some 100 ms of reading and hashing its words).
  auto word_lists = std::async(std::launch::async, [] {
    EnglishWords();
    SharedWordNet();
  });
  auto models = std::async(std::launch::async, [&options] {
    return options.require_all_models ? LoadModels(options.models_dir)
                                      : LoadAvailableModels(options.models_dir);
  });
  std::optional<EarlyStatistics> early = LoadEarlyStatistics(options);
  word_lists.wait();
  auto loaded = models.get();
  if (!loaded.ok()) return loaded.status();
  auto engine = std::make_unique<QaEngine>(options, std::move(*loaded));
  CITEQA_RETURN_IF_ERROR(engine->Init(std::move(early)));
  return std::unique_ptr<Engine>(std::move(engine));
}

Result<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options) {
  return OpenQaEngine(options);
}

}  // namespace citeqa::retriever
