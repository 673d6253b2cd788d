#include "retriever/analysis/synonyms.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "indexer/text.h"

namespace citeqa::retriever {
namespace {

// Splits on unescaped commas; "\," stays a literal comma.
std::vector<std::string> SplitTerms(std::string_view side) {
  std::vector<std::string> terms(1);
  for (size_t i = 0; i < side.size(); ++i) {
    if (side[i] == '\\' && i + 1 < side.size()) {
      terms.back().push_back(side[++i]);
    } else if (side[i] == ',') {
      terms.emplace_back();
    } else {
      terms.back().push_back(side[i]);
    }
  }
  return terms;
}

std::vector<Phrase> ParseSide(std::string_view side) {
  std::vector<Phrase> phrases;
  for (const std::string& term : SplitTerms(side)) {
    Phrase phrase;
    for (const auto& token : indexer::Tokenize(term)) phrase.push_back(token.text);
    if (!phrase.empty()) phrases.push_back(std::move(phrase));
  }
  return phrases;
}

Phrase StemPhrase(const Phrase& words) {
  Phrase stems;
  for (const std::string& w : words) stems.push_back(indexer::Stem(w));
  return stems;
}

}  // namespace

void SynonymTable::AddRule(const Phrase& from, const std::vector<Phrase>& to, bool replaces) {
  // "okrs => okr" maps a word onto its own stem: matching already does that.
  if (replaces && to.size() == 1 && StemPhrase(to.front()) == StemPhrase(from)) return;
  Rule& rule = rules_[StemPhrase(from)];
  rule.replaces = rule.replaces && replaces;
  auto& targets = rule.targets;
  for (const Phrase& p : to) {
    if (std::find(targets.begin(), targets.end(), p) == targets.end()) targets.push_back(p);
  }
  longest_ = std::max(longest_, from.size());
}

Result<SynonymTable> SynonymTable::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read synonyms file " + path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto table = Parse(text);
  if (!table.ok()) return Status::InvalidArgument(path + ": " + table.status().message());
  return table;
}

Result<SynonymTable> SynonymTable::Parse(std::string_view solr_text) {
  SynonymTable table;
  int line_number = 0;
  size_t pos = 0;
  while (pos < solr_text.size()) {
    size_t eol = solr_text.find('\n', pos);
    if (eol == std::string_view::npos) eol = solr_text.size();
    std::string_view line = solr_text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_number;
    if (const size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    if (indexer::CollapseWhitespace(line).empty()) continue;
    const size_t arrow = line.find("=>");
    if (arrow != std::string_view::npos) {
      const auto from = ParseSide(line.substr(0, arrow));
      const auto to = ParseSide(line.substr(arrow + 2));
      if (from.empty() || to.empty()) {
        return Status::InvalidArgument("synonyms line " + std::to_string(line_number) +
                                       ": both sides of => need a term");
      }
      for (const Phrase& f : from) table.AddRule(f, to, /*replaces=*/true);
    } else {
      const auto group = ParseSide(line);
      if (group.empty()) {
        return Status::InvalidArgument("synonyms line " + std::to_string(line_number) +
                                       ": no terms");
      }
      for (const Phrase& f : group) table.AddRule(f, group, /*replaces=*/false);
    }
  }
  return table;
}

std::optional<SynonymTable::Match> SynonymTable::LongestMatchAt(
    const std::vector<std::string>& words, size_t pos) const {
  const size_t max_len = std::min(longest_, words.size() - std::min(pos, words.size()));
  for (size_t len = max_len; len >= 1; --len) {
    const Phrase key = StemPhrase(Phrase(words.begin() + static_cast<std::ptrdiff_t>(pos),
                                         words.begin() + static_cast<std::ptrdiff_t>(pos + len)));
    const auto it = rules_.find(key);
    if (it != rules_.end()) return Match{len, it->second.targets, it->second.replaces};
  }
  return std::nullopt;
}

}  // namespace citeqa::retriever
