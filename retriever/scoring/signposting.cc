#include "retriever/scoring/signposting.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "indexer/text.h"
#include "retriever/scoring/sentence_opening.h"

namespace citeqa::retriever {
namespace {

// What a writer calls the text ("this article", "our blog").
constexpr std::string_view kTextNouns[] = {
    "article", "blog",   "post",  "guide", "piece",   "page",    "tutorial", "section",
    "chapter", "series", "ebook", "video", "podcast", "episode", "webinar",  "handbook"};

// Verbs of presenting, by their Porter stem ("explores", "explored" -> "explor").
constexpr std::string_view kPresentingStems[] = {
    "explor",   "delv",    "discuss",  "examin",   "dive", "uncov", "learn", "outlin", "summar",
    "summaris", "explain", "introduc", "overview", "walk", "read",  "cover", "look",   "describ"};

// How many words apart the reference and the verb may stand ("In this blog, we'll delve",
// "we will also delve").
constexpr int kWindowWords = 5;

// Where the words of `words` refer to the text or to its writers.
std::vector<int> SelfReferences(const std::vector<indexer::Token>& words) {
  std::vector<int> at;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i].text;
    const std::string_view next =
        i + 1 < words.size() ? std::string_view(words[i + 1].text) : std::string_view();
    const bool text_noun = (w == "this" || w == "our") && IsOneOf(next, kTextNouns);
    // Plain "we" or "you" is common in content ("we look for candidates who ..."); the
    // writers announcing what comes is "we'll", "you will", "let's".
    const bool writers = ((w == "we" || w == "you") && (next == "ll" || next == "will")) ||
                         (w == "let" && (next == "s" || next == "us"));
    if (text_noun || writers) at.push_back(static_cast<int>(i));
  }
  return at;
}

}  // namespace

bool IsSignpost(std::string_view sentence) {
  const std::vector<indexer::Token> words = indexer::Tokenize(sentence);
  const std::vector<int> references = SelfReferences(words);
  if (references.empty()) return false;
  for (size_t i = 0; i < words.size(); ++i) {
    if (!IsOneOf(std::string_view(indexer::Stem(words[i].text)), kPresentingStems)) continue;
    for (int r : references) {
      if (std::abs(static_cast<int>(i) - r) <= kWindowWords) return true;
    }
  }
  return false;
}

}  // namespace citeqa::retriever
