// The question-answering engine: one object per index, shared by the CLI, the HTTP server
// and the Slack adapter. All public methods are thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "indexer/status.h"

namespace citeqa::retriever {

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
  int n = 0;  // the [n] marker in the answer
  std::string doc;    // file name of the article
  std::string title;  // the article's title
  int64_t passage_id = 0;
  std::string passage;  // the full passage text
  double score = 0;
  // Byte ranges [begin, end) in `passage` of words that match the question.
  std::vector<std::pair<int, int>> highlights;
};

struct AskResponse {
  std::string answer;  // at most 600 characters; every sentence ends with its [n] marker
  bool found = false;  // false: the articles do not answer; citations are empty
  std::vector<Citation> citations;
  std::string conversation_id;
  double took_ms = 0;
  // With AskRequest::explain: how the question was understood (concepts, their weights and
  // frequencies, corrections) and why the answer was given or withheld. For tuning.
  std::string explanation;
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

struct DocumentInfo {
  int64_t id = 0;
  std::string file;
  std::string title;
  int passages = 0;
  int64_t bytes = 0;
  std::string indexed_at;  // ISO 8601 UTC
};

struct IndexStats {
  int64_t documents = 0;
  int64_t passages = 0;
};

class Engine {
 public:
  // Opens the index at options.db_path read-only. Errors: kNotFound when the file does not
  // exist, kCorruption when it is not a citeqa index, kIoError otherwise.
  static Result<std::unique_ptr<Engine>> Open(const EngineOptions& options);
  virtual ~Engine() = default;

  // Answers a question. Errors: kInvalidArgument for an empty question or one longer than
  // kMaxQuestionBytes (after trimming); kIoError if the index cannot be read. Never throws.
  // Picks up a re-indexed database without reopening.
  virtual Result<AskResponse> Ask(const AskRequest& request) = 0;

  // The passage with its neighbours (`context` passages on each side). kNotFound if unknown.
  virtual Result<PassageContext> GetPassage(int64_t passage_id, int context) = 0;

  virtual Result<std::vector<DocumentInfo>> ListDocuments() = 0;
  virtual Result<IndexStats> Stats() = 0;
};

inline constexpr size_t kMaxQuestionBytes = 2000;

}  // namespace citeqa::retriever
