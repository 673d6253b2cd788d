// Synonyms and abbreviations in Solr's synonyms.txt format, matched against question words.
//   # comment
//   po, product owner            equivalent terms: each one expands to all of them
//   salary, pay, compensation
//   pm => product manager        explicit mapping: the left side is replaced by the right
// Terms may be phrases; "\," is a literal comma. Matching compares Porter stems, so a rule
// for "product manager" also matches "product managers".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/status.h"

namespace citeqa::retriever {

using Phrase = std::vector<std::string>;  // lower-cased words

class SynonymTable {
 public:
  // Errors: kInvalidArgument naming the line for a rule with an empty side.
  static Result<SynonymTable> Parse(std::string_view solr_text);
  // Reads and parses a file. Errors: kNotFound for a missing file, as Parse otherwise.
  static Result<SynonymTable> Load(const std::string& path);

  struct Match {
    size_t length = 0;                 // number of question words matched
    std::vector<Phrase> alternatives;  // what the matched words mean
    bool replaces = false;  // from an explicit "=>" rule: the matched words themselves are
                            // not among the meanings
  };
  // The longest rule whose left side matches words[pos...] (lower-case words), if any.
  std::optional<Match> LongestMatchAt(const std::vector<std::string>& words, size_t pos) const;

  size_t size() const { return rules_.size(); }

 private:
  struct Rule {
    std::vector<Phrase> targets;
    bool replaces = true;  // false once any equivalence group contains the left side
  };
  void AddRule(const Phrase& from, const std::vector<Phrase>& to, bool replaces);

  std::map<Phrase, Rule> rules_;  // keyed by the stems of the left side
  size_t longest_ = 0;
};

}  // namespace citeqa::retriever
