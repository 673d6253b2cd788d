#include "retriever/scoring/sentence_cues.h"

#include <algorithm>
#include <cctype>

#include "retriever/analysis/answer_type.h"
#include "retriever/analysis/stopwords.h"
#include "retriever/scoring/sentence_opening.h"

namespace citeqa::retriever {
namespace {

// Imperatives that open a call to action or a navigation line.
constexpr std::string_view kActionVerbs[] = {"subscribe", "click",  "download", "signup",
                                             "login",     "buy",    "follow",   "enroll",
                                             "apply",     "listen", "join",     "tweet"};
// Imperatives of the web that are nouns too ("Share prices fell", "Email is ..."): a call to
// action only when what follows is what the imperative takes ("Share this", "Email us",
// "Book a demo", "Shop now").
constexpr std::string_view kNounOrActionVerbs[] = {"register", "order", "shop",   "share",
                                                   "visit",    "watch", "book",   "contact",
                                                   "call",     "email", "comment"};
constexpr std::string_view kActionObjects[] = {
    "us",    "our",   "me",  "my", "your", "his", "her",   "their", "it",
    "this",  "these", "the", "a",  "an",   "now", "today", "here",  "online",
    "below", "to",    "for", "on", "up",   "at",  "free"};
constexpr std::string_view kActionPairs[] = {
    "sign up", "sign in", "log in", "read more", "learn more", "find out", "get started",
    "check out", "try it", "start your", "request a", "schedule a", "get your", "see also", "go to",
    "back to", "skip to", "jump to",
    // "Like" opens a comparison far more often ("Like chloroplasts, they ...") than a call to
    // like a page.
    "like us", "like our"};
// Imperatives that open a product's pitch to the reader ("Create beautiful roadmaps in
// minutes.", "Try it free."), but also advice ("Create a backlog first."): see
// OpensWithAnInvitation.
constexpr std::string_view kInvitingVerbs[] = {
    "create", "build",   "make",  "try",  "get",   "start", "discover", "explore", "learn",
    "see",    "find",    "plan",  "manage", "track", "boost", "grow",   "save",    "unlock",
    "claim",  "grab",    "talk",  "chat", "meet",  "ask",   "let",      "take",    "turn"};
constexpr std::string_view kFurniture[] = {"http://",
                                           "https://",
                                           "www.",
                                           "privacy policy",
                                           "terms of use",
                                           "terms of service",
                                           "all rights reserved",
                                           "cookie",
                                           "newsletter",
                                           "free trial",
                                           "click here",
                                           "\xC2\xA9",
                                           "don't hesitate",
                                           "don\xE2\x80\x99t hesitate",
                                           "do not hesitate",
                                           "get in touch",
                                           "reach out to",
                                           "feel free to",
                                           "stay tuned",
                                           "contact us",
                                           "free consultation",
                                           "to learn more",
                                           "to find out more",
                                           "book a demo",
                                           "request a demo"};

bool IsYear(std::string_view w) {
  if (w.size() != 4 || !std::all_of(w.begin(), w.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
      })) {
    return false;
  }
  const int value = (w[0] - '0') * 1000 + (w[1] - '0') * 100 + (w[2] - '0') * 10 + (w[3] - '0');
  return value >= 1000 && value <= 2099;
}

}  // namespace

bool IsPromotional(std::string_view sentence) {
  const std::string lower = indexer::AsciiLower(sentence);
  for (std::string_view f : kFurniture) {
    if (lower.find(f) != std::string::npos) return true;
  }
  if (lower.find('@') != std::string::npos && lower.find('.') != std::string::npos) return true;
  const SentenceOpening opening(sentence, kFirstWordsBytes);
  const auto& words = opening.words;
  if (words.empty()) return false;
  if (opening.OpensWithAWholeWord()) {
    if (IsOneOf(words[0].text, kActionVerbs)) return true;
    if (IsOneOf(words[0].text, kNounOrActionVerbs) &&
        (words.size() == 1 || IsOneOf(words[1].text, kActionObjects))) {
      return true;
    }
  }
  // Whole words here too: "Go-to-Market Strategy" opens no "go to".
  return words.size() >= 2 && opening.FollowedBy(0, ' ') && !opening.FollowedBy(1, '-') &&
         IsOneOf(words[0].text + " " + words[1].text, kActionPairs);
}

bool OpensWithAnInvitation(std::string_view sentence) {
  const SentenceOpening opening(sentence, kFirstWordsBytes);
  if (!opening.OpensWithAWholeWord() || opening.words[0].begin != 0) return false;
  const std::string& first = opening.words[0].text;
  return IsOneOf(first, kInvitingVerbs) || IsOneOf(first, kActionVerbs) ||
         IsOneOf(first, kNounOrActionVerbs);
}

bool IsUnfinished(std::string_view sentence) {
  while (!sentence.empty() && (sentence.back() == ' ' || sentence.back() == '\n')) {
    sentence.remove_suffix(1);
  }
  return sentence.ends_with("...") || sentence.ends_with("\xE2\x80\xA6");
}

bool IsNegated(std::span<const indexer::Token> words) {
  static constexpr std::string_view kNegations[] = {
      "not", "never", "no", "none", "nor", "neither", "without", "nothing", "nobody", "cannot"};
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i].text;
    if (IsOneOf(w, kNegations)) return true;
    // "didn't", "isn't": the tokenizer parts them at the apostrophe.
    if (w == "t" && i > 0 && words[i - 1].text.size() > 1 && words[i - 1].text.ends_with("n")) {
      return true;
    }
  }
  return false;
}

uint8_t KindsOfWordText(std::string_view w) {
  uint8_t kinds = 0;
  if (std::any_of(w.begin(), w.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    kinds |= kWordHasDigit;
    if (IsYear(w)) kinds |= kWordIsYear;
  }
  if (IsNumberWord(w)) kinds |= kWordIsNumberWord;
  if (w == "century" || w == "centuries") kinds |= kWordIsCentury;
  if (IsStopword(w)) kinds |= kWordIsStopword;
  return kinds;
}

uint8_t KindsOfWord(std::string_view text, const indexer::Token& word) {
  return KindsOfWordText(word.text) | CapitalisedBit(text, word);
}

uint8_t CapitalisedBit(std::string_view text, const indexer::Token& word) {
  return std::isupper(static_cast<unsigned char>(text[static_cast<size_t>(word.begin)])) != 0
             ? kWordIsCapitalised
             : 0;
}

NamedThings NamesIn(std::span<const uint8_t> kinds, std::span<const int> concept_ids) {
  NamedThings named;
  int content = 0;
  int new_content = 0;
  for (size_t i = 0; i < kinds.size(); ++i) {
    const uint8_t k = kinds[i];
    if ((k & kWordHasDigit) != 0) {
      named.number = true;
      named.year = named.year || (k & kWordIsYear) != 0;
      continue;
    }
    if ((k & kWordIsNumberWord) != 0) named.number = true;
    if ((k & kWordIsCentury) != 0) named.year = true;
    if ((k & kWordIsStopword) != 0) continue;
    ++content;
    const bool is_new = concept_ids[i] < 0;
    if (is_new) ++new_content;
    if (is_new && i > 0 && (k & kWordIsCapitalised) != 0) ++named.new_names;
  }
  named.new_content_share = content > 0 ? static_cast<double>(new_content) / content : 0.0;
  return named;
}

NamedThings NamesIn(std::string_view text, std::span<const indexer::Token> words,
                    std::span<const int> concept_ids) {
  std::vector<uint8_t> kinds;
  kinds.reserve(words.size());
  for (const indexer::Token& t : words) kinds.push_back(KindsOfWord(text, t));
  return NamesIn(kinds, concept_ids);
}

double AskedThingFit(QuestionWord word, const NamedThings& named) {
  switch (word) {
    case QuestionWord::kHowMany:
      return named.number ? 1.0 : 0.0;
    case QuestionWord::kWhen:
      return named.year || named.number ? 1.0 : 0.0;
    case QuestionWord::kWho:
    case QuestionWord::kWhere:
    case QuestionWord::kWhich:
      return named.new_names > 0 ? 1.0 : 0.0;
    default:
      return -1.0;
  }
}

}  // namespace citeqa::retriever
