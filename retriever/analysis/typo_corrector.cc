#include "retriever/analysis/typo_corrector.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <string_view>

#include "indexer/text.h"
#include "retriever/analysis/stopwords.h"

namespace citeqa::retriever {
namespace {

int EditBudget(size_t length) {
  if (length >= 9) return 2;
  if (length >= 5) return 1;
  return 0;
}

// The words questions are framed with, which users mistype ("wat", "hwo", "teh"). Ordered
// by how often they open a question, so that the commoner wins a tie.
constexpr std::string_view kFunctionWords[] = {"what",  "how",  "who",  "why",  "when", "where",
                                               "which", "does", "the",  "are",  "and",  "with",
                                               "for",   "from", "that", "this", "they", "their"};

bool HasDigit(const std::string& word) {
  return std::any_of(word.begin(), word.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

int EditDistance(std::string_view a, std::string_view b, int max_distance) {
  const size_t n = a.size();
  const size_t m = b.size();
  if ((n > m ? n - m : m - n) > static_cast<size_t>(max_distance)) return max_distance + 1;
  // Three rolling rows (the transposition looks two rows back), reused by the thread: this
  // runs for thousands of vocabulary words per mistyped question.
  thread_local std::vector<int> rows;
  rows.assign(3 * (m + 1), 0);
  int* before = rows.data();        // row i - 2
  int* previous = before + m + 1;   // row i - 1
  int* current = previous + m + 1;  // row i
  for (size_t j = 0; j <= m; ++j) previous[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    current[0] = static_cast<int>(i);
    int row_min = max_distance + 1;
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int d = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d = std::min(d, before[j - 2] + 1);
      }
      current[j] = d;
      row_min = std::min(row_min, d);
    }
    if (row_min > max_distance) return max_distance + 1;
    std::swap(before, previous);  // the old i - 2 row becomes the next i
    std::swap(previous, current);
  }
  return std::min(previous[m], max_distance + 1);
}

const std::unordered_set<std::string>& EnglishWords() {
  static const std::unordered_set<std::string> words = [] {
    std::unordered_set<std::string> set;
    std::ifstream in("/usr/share/dict/words");
    std::string line;
    while (std::getline(in, line)) {
      if (line.find('\'') != std::string::npos) continue;  // possessives
      set.insert(indexer::AsciiLower(line));
    }
    return set;
  }();
  return words;
}

bool TypoCorrector::InContext(const std::string& word, const std::string& left,
                              const std::string& right, bool content_neighbour_only,
                              bool* certain) const {
  auto usable = [&](const std::string& n) {
    return !n.empty() && (!content_neighbour_only || !IsStopword(n));
  };
  auto exists = [&](const std::string& a, const std::string& b) {
    const std::optional<bool> known = bigram_exists_(a, b);
    if (!known) *certain = false;
    return known.value_or(false);
  };
  return (usable(left) && exists(left, word)) || (usable(right) && exists(word, right));
}

std::string CorrectionMemo::Get(std::string key, const std::function<Found()>& find) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (const auto it = kept_.find(key); it != kept_.end()) return it->second;
  }
  Found found = find();
  if (!found.certain) return found.correction;
  std::lock_guard<std::mutex> lock(mutex_);
  if (kept_.size() >= kMaxKept) kept_.clear();
  kept_.emplace(std::move(key), found.correction);
  return found.correction;
}

void CorrectionMemo::Forget() {
  std::lock_guard<std::mutex> lock(mutex_);
  kept_.clear();
}

std::string TypoCorrector::BestCandidate(const std::string& word, const std::string& left,
                                         const std::string& right, bool require_context) const {
  if (memo_ == nullptr) return FindBestCandidate(word, left, right, require_context).correction;
  // (Words are tokens: none holds a space.)
  std::string key = word + ' ' + left + ' ' + right + (require_context ? " 1" : " 0");
  return memo_->Get(std::move(key),
                    [&] { return FindBestCandidate(word, left, right, require_context); });
}

CorrectionMemo::Found TypoCorrector::FindBestCandidate(const std::string& word,
                                                       const std::string& left,
                                                       const std::string& right,
                                                       bool require_context) const {
  const int budget = EditBudget(word.size());
  if (budget == 0 && !require_context) return {};
  // Real-word errors of short words are considered only for one edit.
  const int max_distance = std::max(budget, require_context ? 1 : 0);
  std::string best;
  int best_distance = max_distance + 1;
  int64_t best_df = -1;
  bool best_in_context = false;
  bool certain = true;
  const size_t min_len = word.size() > static_cast<size_t>(max_distance)
                             ? word.size() - static_cast<size_t>(max_distance)
                             : 1;
  const size_t max_len = word.size() + static_cast<size_t>(max_distance);
  for (size_t len = min_len; len <= max_len; ++len) {
    // People rarely mistype a word's first letter; assuming they do not makes the scan
    // of a large vocabulary some twenty times shorter.
    for (const std::string_view indexed : vocab_.WordsOf(len, word[0])) {
      const int distance = EditDistance(word, indexed, max_distance);
      if (distance > max_distance || distance > best_distance) continue;
      const std::string candidate(indexed);
      const int64_t df = vocab_.WordDf(candidate);
      // Next to a stopword, any word looks in context ("the list"), so a content word
      // must be supported by a content neighbour; a function word ("does") by any.
      const bool in_context = InContext(candidate, left, right, !IsStopword(candidate), &certain);
      // Prefer fewer edits, then words that fit the neighbouring words, then frequent ones.
      const bool better = distance < best_distance || (in_context && !best_in_context) ||
                          (in_context == best_in_context && df > best_df);
      if (better) {
        best = candidate;
        best_distance = distance;
        best_df = df;
        best_in_context = in_context;
      }
    }
  }
  if (require_context && !best_in_context) return {"", certain};
  return {best, certain};
}

std::vector<std::pair<size_t, std::string>> TypoCorrector::Correct(
    std::vector<std::string>* words, const std::vector<bool>& skip) const {
  std::vector<std::pair<size_t, std::string>> changes;
  auto neighbour = [&](size_t i, int step) -> std::string {
    const auto j = static_cast<std::ptrdiff_t>(i) + step;
    if (j < 0 || j >= static_cast<std::ptrdiff_t>(words->size())) return "";
    return (*words)[static_cast<size_t>(j)];
  };
  // A word the index holds in another form ("glaciers" beside "glacier") is no typo.
  auto candidate_word = [&](size_t i) {
    const std::string& w = (*words)[i];
    return !skip[i] && !HasDigit(w) && w.size() >= 4 && vocab_.WordDf(w) == 0 &&
           vocab_.StemDf(indexer::Stem(w)) == 0;
  };
  // A short non-word one edit from a question's function word ("wat", "hwo", "teh") is
  // that word: left as it is, it would count as an unknown topic.
  for (size_t i = 0; i < words->size(); ++i) {
    const std::string& w = (*words)[i];
    if (skip[i] || HasDigit(w) || w.size() < 3 || w.size() > 5 || vocab_.WordDf(w) > 0 ||
        vocab_.StemDf(indexer::Stem(w)) > 0 || english_.count(w) > 0) {
      continue;
    }
    for (std::string_view function_word : kFunctionWords) {
      if (EditDistance(w, function_word, 1) <= 1) {
        changes.emplace_back(i, w);
        (*words)[i] = std::string(function_word);
        break;
      }
    }
  }
  // Four-letter words get no edit budget, but two swapped letters ("lnog") are the
  // commonest slip and keep every letter: such a non-word whose swap the index holds as
  // an English word is that word.
  for (size_t i = 0; i < words->size(); ++i) {
    std::string& w = (*words)[i];
    if (!candidate_word(i) || EditBudget(w.size()) > 0 || english_.count(w) > 0) continue;
    std::string best;
    int64_t best_df = 0;
    for (size_t k = 0; k + 1 < w.size(); ++k) {
      std::string swapped = w;
      std::swap(swapped[k], swapped[k + 1]);
      const int64_t df = vocab_.WordDf(swapped);
      if (df > best_df && english_.count(swapped) > 0) {
        best = std::move(swapped);
        best_df = df;
      }
    }
    if (best.empty()) continue;
    changes.emplace_back(i, w);
    w = std::move(best);
  }
  // Non-words first, so that real-word errors can be judged against corrected neighbours.
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < words->size(); ++i) {
      if (!candidate_word(i)) continue;
      const bool real_word = english_.count((*words)[i]) > 0;
      if (real_word != (pass == 1)) continue;
      const std::string left = neighbour(i, -1);
      const std::string right = neighbour(i, +1);
      std::string fix = BestCandidate((*words)[i], left, right, real_word);
      if (fix.empty()) continue;
      changes.emplace_back(i, (*words)[i]);
      (*words)[i] = std::move(fix);
    }
  }
  return changes;
}

}  // namespace citeqa::retriever
