// Read-only access to the WordNet 3.0 database files (Debian package wordnet-base,
// /usr/share/wordnet): a word's base form, its irregular inflections, the words that share
// its most common senses, and the noun an adjective measures ("big" -> "size"). Used to
// match a question's wording against articles that say the same thing in other words.
// The files are memory-mapped and searched in place, so opening costs nothing and a lookup
// a few binary searches.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace citeqa::retriever {

enum class WordClass { kNoun = 0, kVerb = 1, kAdjective = 2 };

class WordNet {
 public:
  // Opens the database in `dir`. A missing or unreadable directory gives an empty WordNet
  // whose lookups all return nothing (loaded() is false): the retriever then works
  // without paraphrases.
  static std::unique_ptr<WordNet> Open(const std::string& dir);
  ~WordNet();
  WordNet(const WordNet&) = delete;
  WordNet& operator=(const WordNet&) = delete;

  bool loaded() const { return loaded_; }

  // The dictionary forms of a lower-case word in a word class ("built" -> "build",
  // "companies" -> "company"), by WordNet's exception lists and suffix rules; empty when
  // WordNet does not know the word in that class.
  std::vector<std::string> BaseForms(std::string_view word, WordClass cls) const;

  // Whether WordNet knows the word (any inflection) in that class.
  bool Knows(std::string_view word, WordClass cls) const;

  // How many of the word's senses in that class occur in WordNet's sense-tagged corpus
  // (SemCor): a measure of how common the word is in that class; 0 when unknown or rare.
  size_t TaggedSenses(std::string_view word, WordClass cls) const;

  // Whether the noun's most frequent sense names a person (WordNet's noun.person file):
  // "director", "engineers", "owner"; not "strategy" or "team". False when unknown.
  bool NamesPerson(std::string_view noun) const;

  // Irregular inflections of a base form ("build" -> "built", "child" -> "children").
  std::vector<std::string> IrregularForms(std::string_view base, WordClass cls) const;

  // Words sharing one of the word's `max_senses` most frequent senses in that class (only
  // senses seen in the tagged corpus, or the first when none was), and
  // for adjectives the nouns those senses are values of ("big" -> "size"). Multi-word
  // entries come with spaces ("figure out"). Excludes the word itself. Thread-safe.
  std::vector<std::string> Related(std::string_view word, WordClass cls, size_t max_senses) const;

  // Words one step more general (hypernyms: "contain" -> "include", "boss" -> "supervisor")
  // or, with `narrower`, one step more specific (hyponyms: "applicant" -> "job candidate"),
  // in the word's `max_senses` most frequent senses, at most `max_words` of them, first
  // senses first. Thread-safe.
  std::vector<std::string> Linked(std::string_view word, WordClass cls, size_t max_senses,
                                  bool narrower, size_t max_words) const;

  // The word's derivationally related forms in other classes, in the same `max_senses`
  // senses ("decide" -> "decision", "strategic" -> "strategy"), leaving out nouns that name
  // a person ("negotiator"), which are about the doer, not the deed. Thread-safe.
  std::vector<std::string> Derived(std::string_view word, WordClass cls, size_t max_senses) const;

  // The word's antonyms in the same class, in its `max_senses` most frequent senses
  // ("large" -> "small", "increase" -> "decrease"). Thread-safe.
  std::vector<std::string> Antonyms(std::string_view word, WordClass cls, size_t max_senses) const;

 private:
  WordNet() = default;
  struct Mapped {
    const char* data = nullptr;
    size_t size = 0;
  };
  // The index line of `lemma` in a class, or empty.
  std::string_view IndexLine(std::string_view lemma, WordClass cls) const;
  std::string_view DataLine(WordClass cls, size_t offset) const;
  // The fields of a data line (at least 4) and its word count, for each of the first
  // `max_senses` tagged senses of each base form; the visitor returns false to stop.
  using DataFields = std::vector<std::string_view>;
  using SenseVisitor =
      std::function<bool(const std::string& base, const DataFields& data, size_t words)>;
  void ForEachSense(const std::vector<std::string>& bases, WordClass cls, size_t max_senses,
                    const SenseVisitor& visit) const;
  // For each lexical pointer `symbol` ("+" derived form, "!" antonym) from the word itself in
  // its `max_senses` senses: the base form it starts from, the target's class, its data line
  // and the target word.
  void ForEachLexicalTarget(
      std::string_view word, WordClass cls, size_t max_senses, std::string_view symbol,
      const std::function<void(const std::string& base, WordClass target_cls,
                               const DataFields& target, std::string form)>& visit) const;

  // What the lookups found, the first time, without the memo.
  size_t CountTaggedSenses(std::string_view word, WordClass cls) const;
  bool FirstSenseNamesPerson(std::string_view noun) const;

  // Questions repeat their words, and a lookup walks several senses' pointers: the answers
  // of the public lookups are remembered (cleared when kMaxRemembered are held), a list of
  // words or a count, and shared rather than copied under the lock.
  static constexpr size_t kMaxRemembered = 50000;
  struct LookupAnswer {
    std::vector<std::string> words;  // the lookups that find words
    size_t count = 0;                // TaggedSenses; NamesPerson (1 or 0)
  };
  using SharedAnswer = std::shared_ptr<const LookupAnswer>;
  static std::string Key(std::string_view what, std::string_view word, WordClass cls, size_t a,
                         size_t b);
  SharedAnswer Remembered(std::string key, const std::function<LookupAnswer()>& look_up) const;
  SharedAnswer RememberedWords(std::string key,
                               const std::function<std::vector<std::string>()>& look_up) const;
  SharedAnswer RememberedCount(std::string key, const std::function<size_t()>& look_up) const;
  SharedAnswer SharedBaseForms(std::string_view word, WordClass cls) const;
  mutable std::mutex memo_mutex_;
  mutable std::unordered_map<std::string, SharedAnswer> memo_;

  bool loaded_ = false;
  Mapped index_[3];
  Mapped data_[3];
  std::multimap<std::string, std::string> exceptions_[3];   // inflected -> base
  std::multimap<std::string, std::string> inflections_[3];  // base -> inflected
};

// The WordNet at /usr/share/wordnet, opened on first use; never null. Thread-safe.
const WordNet& SharedWordNet();

}  // namespace citeqa::retriever
