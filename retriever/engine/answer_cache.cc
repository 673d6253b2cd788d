#include "retriever/engine/answer_cache.h"

namespace citeqa::retriever {

std::string AnswerCache::Key(uint64_t file_epoch, int64_t generation, int top_k,
                             const std::string& question) {
  // The unit separator cannot appear in the numbers, so keys of different parts never meet.
  std::string key = std::to_string(file_epoch);
  key += '\x1f';
  key += std::to_string(generation);
  key += '\x1f';
  key += std::to_string(top_k);
  key += '\x1f';
  key += question;
  return key;
}

std::optional<AnswerCache::Answer> AnswerCache::Find(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second.lru_position);
  return it->second.answer;
}

void AnswerCache::Put(const std::string& key, Answer answer) {
  if (max_entries_ == 0) return;
  answer.response.conversation_id.clear();
  answer.response.took_ms = 0;
  answer.response.explanation.reset();
  std::lock_guard<std::mutex> lock(mutex_);
  if (const auto it = entries_.find(key); it != entries_.end()) {
    it->second.answer = std::move(answer);
    lru_.splice(lru_.begin(), lru_, it->second.lru_position);
    return;
  }
  while (entries_.size() >= max_entries_) {
    entries_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(key);
  entries_.emplace(key, Entry{std::move(answer), lru_.begin()});
}

size_t AnswerCache::size() {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace citeqa::retriever
