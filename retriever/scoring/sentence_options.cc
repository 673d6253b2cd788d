#include "retriever/scoring/sentence_options.h"

#include <algorithm>

#include "retriever/defaults.h"

namespace citeqa::retriever {
namespace {

// Concepts found in any of the parts: the best match of each.
void Merge(const TextMatch& part, TextMatch* into) {
  if (into->concept_match.empty()) {
    *into = part;
    return;
  }
  for (size_t c = 0; c < into->concept_match.size(); ++c) {
    into->concept_match[c] = std::max(into->concept_match[c], part.concept_match[c]);
    into->concept_count[c] += part.concept_count[c];
  }
  into->words += part.words;
  into->adjacent_pairs = std::max(into->adjacent_pairs, part.adjacent_pairs);
  into->highlights.insert(into->highlights.end(), part.highlights.begin(), part.highlights.end());
}

// A lead-in's list: the items (each item's first sentence; the rest elaborates) while they
// fit, else the items' labels ("Backlog Management: Proficiency in ..." is summed up by its
// label). Returns false when no list follows.
bool AddList(std::string_view text, const PassageReading& reading, size_t lead_in,
             SentenceOption* option) {
  const auto& sentences = reading.sentences;
  std::vector<size_t> items;  // first sentence of each item line
  int line = sentences[lead_in].line;
  for (size_t s = lead_in + 1; s < sentences.size(); ++s) {
    if (!sentences[s].list_item) break;
    if (sentences[s].line == line) continue;  // a later sentence of the same item
    if (sentences[s].line != line + 1) break;
    line = sentences[s].line;
    items.push_back(s);
  }
  if (items.empty()) return false;
  std::vector<std::pair<int, int>> whole;
  std::vector<std::pair<int, int>> labels;
  for (size_t s : items) {
    const auto range = QuotedRange(text, sentences[s]);
    whole.push_back(range);
    const std::string_view item = Slice(text, range);
    const size_t colon = item.find(':');
    labels.push_back(colon != std::string_view::npos && colon > 0 && colon < 60
                         ? std::pair{range.first, range.first + static_cast<int>(colon)}
                         : range);
  }
  auto fits = [&](const std::vector<std::pair<int, int>>& parts) {
    size_t bytes = option->text.size();
    for (const auto& r : parts) bytes += static_cast<size_t>(r.second - r.first) + 3;
    return bytes <= defaults::kMaxListAnswerBytes;
  };
  std::vector<std::pair<int, int>>& chosen = fits(whole) ? whole : labels;
  for (size_t k = 0; k < chosen.size(); ++k) {
    const std::string_view part = Slice(text, chosen[k]);
    if (option->text.size() + part.size() + 3 > defaults::kMaxListAnswerBytes) break;
    option->text += "\n- ";
    option->text += part;
    option->quotes.push_back(chosen[k]);
    Merge(reading.sentence_matches[items[k]], &option->match);
  }
  return option->quotes.size() > 1;
}

}  // namespace

std::vector<SentenceOption> SentenceOptions(std::string_view text, const PassageReading& reading,
                                            size_t passage) {
  std::vector<SentenceOption> options;
  const auto& sentences = reading.sentences;
  for (size_t s = 0; s < sentences.size(); ++s) {
    const SentenceSpan& span = sentences[s];
    const auto range = QuotedRange(text, span);
    SentenceOption option;
    option.passage = passage;
    option.sentence = s;
    option.quotes.push_back(range);
    option.text = std::string(Slice(text, range));
    if (span.list_item && !option.text.empty() && option.text.back() != '.' &&
        option.text.back() != '?' && option.text.back() != '!') {
      option.text += '.';
    }
    option.match = reading.sentence_matches[s];
    const bool lead_in = !option.text.empty() && option.text.back() == ':' &&
                         (s + 1 == sentences.size() || sentences[s + 1].line != span.line);
    options.push_back(std::move(option));
    if (!lead_in) continue;
    // The lead-in with its list, as another option. A list answers what its paragraph
    // leads up to ("When one person holds both roles, ... Here are some considerations:"),
    // so that paragraph counts for it too.
    SentenceOption list;
    list.passage = passage;
    list.sentence = s;
    list.lists = true;
    list.text = std::string(Slice(text, range));
    list.quotes.push_back(range);
    for (size_t before = s; before-- > 0 && sentences[before].line == span.line;) {
      Merge(reading.sentence_matches[before], &list.match);
    }
    Merge(reading.sentence_matches[s], &list.match);
    if (AddList(text, reading, s, &list)) options.push_back(std::move(list));
  }
  return options;
}

}  // namespace citeqa::retriever
