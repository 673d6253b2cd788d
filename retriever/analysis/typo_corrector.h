// Typo correction against the index's own vocabulary. A word the index knows (in any
// inflection) is kept; corrections keep the word's first letter. An
// unknown word that is not an English word is replaced by the closest indexed word within
// its edit budget (Meilisearch's: none up to 4 letters, one edit for 5 to 8, two from 9).
// An unknown word that IS an English word ("manger", "dose") is only replaced when the
// replacement, unlike the word, forms a phrase with a neighbouring word that the index
// contains (a real-word error judged by context).
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "retriever/vocabulary.h"

namespace citeqa::retriever {

// Whether the index contains the two words adjacent somewhere ("product manager"); nullopt
// when it cannot tell (the index could not be read).
using BigramLookup = std::function<std::optional<bool>(const std::string&, const std::string&)>;

// Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions),
// or max_distance + 1 once it is certain to exceed max_distance.
int EditDistance(std::string_view a, std::string_view b, int max_distance);

// The lower-cased words of /usr/share/dict/words (Debian's wamerican), loaded once; empty
// if the file is missing. Thread-safe.
const std::unordered_set<std::string>& EnglishWords();

// The corrections worked out over one vocabulary, remembered for later questions: finding
// the closest indexed word scans every indexed word of about its length and first letter,
// at 100,000 passages a fourteenth of a question, and questions repeat their typos.
// Thread-safe; forgets everything at once when full.
class CorrectionMemo {
 public:
  struct Found {
    std::string correction;  // "" for none
    bool certain = true;     // every word-pair lookup was answered: it may be remembered
  };
  // The correction remembered under `key`, else `find()`'s, then remembered if certain.
  std::string Get(std::string key, const std::function<Found()>& find);
  void Forget();

 private:
  static constexpr size_t kMaxKept = 20000;
  std::mutex mutex_;
  std::unordered_map<std::string, std::string> kept_;
};

class TypoCorrector {
 public:
  // `memo` (may be null) must be of this vocabulary and this bigram lookup's index version.
  TypoCorrector(const Vocabulary& vocab, const std::unordered_set<std::string>& english,
                BigramLookup bigram_exists, CorrectionMemo* memo = nullptr)
      : vocab_(vocab), english_(english), bigram_exists_(std::move(bigram_exists)), memo_(memo) {}

  // Corrects words in place (lower-case tokens of one question, stopwords included so that
  // context can be judged). `skip[i]` marks words never to touch (numbers, acronyms).
  // Returns the (index, original) pairs that were changed.
  std::vector<std::pair<size_t, std::string>> Correct(std::vector<std::string>* words,
                                                      const std::vector<bool>& skip) const;

 private:
  // The best indexed word within the edit budget of `word`, or "" if none; remembered.
  std::string BestCandidate(const std::string& word, const std::string& left,
                            const std::string& right, bool require_context) const;
  CorrectionMemo::Found FindBestCandidate(const std::string& word, const std::string& left,
                                          const std::string& right, bool require_context) const;
  // `certain` is cleared when a word-pair lookup could not tell (then: not in context).
  bool InContext(const std::string& word, const std::string& left, const std::string& right,
                 bool content_neighbour_only, bool* certain) const;

  const Vocabulary& vocab_;
  const std::unordered_set<std::string>& english_;
  BigramLookup bigram_exists_;
  CorrectionMemo* memo_;
};

}  // namespace citeqa::retriever
