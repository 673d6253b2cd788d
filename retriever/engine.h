// The question-answering engine: one object per index, shared by the CLI, the HTTP server
// and the Slack adapter. All public methods are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "indexer/index_rows.h"
#include "indexer/status.h"
#include "retriever/explanation.h"

namespace citeqa::retriever {

struct PipelineResult;  // retriever/pipeline.h

struct EngineOptions {
  std::string db_path;
  // Solr-format synonyms file to use instead of the copy stored in the index by
  // `citeqa index`; empty: use the stored copy.
  std::string synonyms_path;
  int max_conversations = 10000;        // per-conversation state is capped...
  int conversation_ttl_seconds = 1800;  // ...and forgotten after this long unused
  // Answers kept for questions asked again without conversation history; 0 turns it off
  // (benchmarks of the search itself).
  int answer_cache_entries = 1024;
  // Folder of the model files (models/ of the source tree); empty: the copies built into
  // the binary.
  std::string models_dir;
  // For reading training features: models missing from models_dir are left out (answers
  // then keep the retrieval order, score sentences by coverage, and are never withheld),
  // and `inspect` sees every stage's value of each question answered (not from the cache).
  bool require_all_models = true;
  // Lays out each index version's passages in the background once questions use it, when
  // they fit the layouts kept (defaults::kWarmUpLayoutTokens), so that a question nobody
  // asked before does not pay for it. Off for a one-question process (`citeqa ask`) and for
  // measuring what a first ask costs without it.
  bool warm_up_layouts = true;
  std::function<void(const PipelineResult&)> inspect;
};

struct AskRequest {
  std::string question;
  // Earlier questions of the conversation, oldest first. When non-empty the engine uses
  // them instead of its own memory of `conversation_id`.
  std::vector<std::string> history;
  std::string conversation_id;  // empty: the engine makes a new one
  int top_k = 5;                // number of citations, 1..20
  bool explain = false;         // fill AskResponse::explanation
};

struct Citation {
  int n = 0;           // the [n] marker in the answer; further related passages continue the count
  bool cited = false;  // the answer quotes it (the first ones); false for a related passage
  std::string doc;     // file name of the article
  std::string title;   // the article's title
  int64_t passage_id = 0;
  std::string passage;  // the full passage text
  double score = 0;     // the passage model's
  // Byte ranges [begin, end) in `passage` of the sentences the answer took from it.
  std::vector<std::pair<int, int>> quotes;
  // Byte ranges [begin, end) in `passage` of words that match the question.
  std::vector<std::pair<int, int>> highlights;
};

// The passage the engine ranked first for a question, answered or not (for the question
// log: which article came closest).
struct ConsideredPassage {
  int64_t passage_id = 0;
  std::string doc;
  std::string title;
};

struct AskResponse {
  std::string answer;  // at most 600 characters; every sentence ends with its [n] marker
  bool found = false;  // false: the articles do not answer; citations are empty
  // The answer's sources first ([1]..[k] in order of first use), then related passages,
  // up to top_k in all.
  std::vector<Citation> citations;
  std::string conversation_id;
  double took_ms = 0;
  // With AskRequest::explain: how the question was understood and why the answer was
  // given or withheld, every model score with its features' contributions.
  std::optional<Explanation> explanation;
  // Internal (not in the /api/ask JSON): the question as understood, for grouping in the
  // unanswered-questions report (indexer::NormalizeQuestion of the sanitised question with
  // the typo corrections the analysis made), and the top-ranked passage, if any.
  std::string normalized_question;
  std::optional<ConsideredPassage> considered;
};

struct PassageContext {
  int64_t passage_id = 0;
  std::string doc;
  std::string title;
  std::string heading;  // the section heading the passage sits under, may be empty
  std::string passage;
  std::vector<std::string> before;  // neighbouring passages of the same article, in order
  std::vector<std::string> after;
};

// An indexed article: id, file name, title, passages, bytes, indexed_at (ISO 8601 UTC).
using DocumentInfo = indexer::DocumentRow;

struct IndexStats {
  int64_t documents = 0;
  int64_t passages = 0;
  int64_t generation = 0;  // grows with every indexing run that changed the index
  // The generation whose word statistics questions are answered with: behind `generation`
  // while a re-index's statistics load in the background; -1 before any are loaded for
  // the index file now at the path.
  int64_t statistics_generation = -1;
  int64_t statistics_loads = 0;  // statistics loaded since the engine opened
  // When the statistics of statistics_generation went into use (Unix time, seconds: to
  // compare with when a re-index ended) and how long their load took; 0 before any load.
  double statistics_in_use_since = 0;
  double statistics_load_seconds = 0;
  // Passages laid out in the background ahead of questions since the engine opened
  // (EngineOptions::warm_up_layouts); those an earlier version had laid out are not counted.
  int64_t passages_laid_out_ahead = 0;
};

class Engine {
 public:
  // Opens the index at options.db_path read-only and loads the models. Errors: kNotFound
  // when the file (or a model) does not exist, kCorruption when it is not a citeqa index (or
  // a model is malformed), kIoError otherwise.
  static Result<std::unique_ptr<Engine>> Open(const EngineOptions& options);
  virtual ~Engine() = default;

  // Answers a question. Errors: kInvalidArgument for an empty question or one longer than
  // kMaxQuestionBytes (after trimming); kIoError if the index cannot be read. Never throws.
  // Picks up a re-indexed database without reopening.
  virtual Result<AskResponse> Ask(const AskRequest& request) = 0;

  // The passage with its neighbours (`context` passages on each side). kNotFound if unknown.
  virtual Result<PassageContext> GetPassage(int64_t passage_id, int context) = 0;

  // Every call looks at the index file's path: a file moved over it is read from then on
  // (once the requests reading the previous one are done), and a deleted one makes every
  // call fail with kUnavailable until an index is back at the path.
  virtual Result<std::vector<DocumentInfo>> ListDocuments() = 0;
  virtual Result<IndexStats> Stats() = 0;

  // After a re-index, questions are answered at once with the statistics of the version
  // before it, while the new version's load in the background (seconds at a million
  // passages); IndexStats::statistics_generation tells when they are in use. This blocks
  // until they are, sharing the load in progress: for whoever changed the index and wants
  // the change answered as soon as it returns (the server's own re-index runs). Errors:
  // those of reading the index. The default, for engines without statistics, returns at once.
  virtual Status AwaitStatistics() { return Status::Ok(); }
  // Blocks until the passages of the newest version a question (or the engine's opening) has
  // used are laid out, or found not to fit, when EngineOptions::warm_up_layouts is on: for
  // benchmarks and tests that measure or compare answers after it. The default returns at
  // once.
  virtual void AwaitWarmUp() {}
};

inline constexpr size_t kMaxQuestionBytes = 2000;
// The earlier questions of a conversation that a follow-up is read with (the latest ones);
// whatever carries a conversation (memory, tokens, Slack threads) needs no more.
inline constexpr size_t kConversationTurnsUsed = 4;
// The longest conversation id the engine keeps a memory under.
inline constexpr size_t kMaxConversationIdBytes = 128;

}  // namespace citeqa::retriever
