// Recent answers, so that a question asked again (a Slack channel repeating the FAQ of the
// day, a page reloaded) costs a lookup instead of a search. Entries are keyed by everything
// an answer depends on when there is no conversation history: the index generation, the
// question text and the number of citations asked for. Bounded in entries, least recently
// used first out; a new index generation simply stops matching old keys, which age out.
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "retriever/engine.h"

namespace citeqa::retriever {

class AnswerCache {
 public:
  explicit AnswerCache(size_t max_entries) : max_entries_(max_entries) {}

  // The key of a question without history, as the engine answers it now: `file_epoch`
  // counts the index files the engine has had (a file moved over the index starts its
  // generations anew), `generation` the re-indexing runs within one file.
  static std::string Key(uint64_t file_epoch, int64_t generation, int top_k,
                         const std::string& question);

  struct Answer {
    AskResponse response;  // conversation_id, took_ms and explanation left empty
    std::string question;  // the question as the engine understood and remembers it
  };

  // A copy of the stored answer. Thread-safe.
  std::optional<Answer> Find(const std::string& key);
  // Stores an answer. Thread-safe. A cache of zero entries stores nothing.
  void Put(const std::string& key, Answer answer);
  size_t size();
  // False for a cache of zero entries, which stores nothing: callers need not build keys.
  bool enabled() const { return max_entries_ > 0; }

 private:
  struct Entry {
    Answer answer;
    std::list<std::string>::iterator lru_position;
  };
  const size_t max_entries_;
  std::mutex mutex_;
  std::list<std::string> lru_;  // most recently used first
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace citeqa::retriever
