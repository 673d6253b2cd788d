#include "retriever/suggestions/question_candidates.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_set>

#include "indexer/text.h"
#include "retriever/analysis/stopwords.h"
#include "retriever/analysis/wordnet.h"

namespace citeqa::retriever {
namespace {

using indexer::AsciiLower;

// Sentences longer than this are not read for a definition: a definition opens a section.
constexpr size_t kOpeningBytes = 600;
constexpr size_t kMaxSubjectWords = 6;
constexpr size_t kMaxTopicWords = 6;
constexpr size_t kMaxTitleWords = 4;

std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> words;
  const std::string collapsed = indexer::CollapseWhitespace(text);
  size_t start = 0;
  while (start < collapsed.size()) {
    size_t end = collapsed.find(' ', start);
    if (end == std::string::npos) end = collapsed.size();
    words.push_back(collapsed.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWordByte(char c) {
  return IsUpper(c) || IsLower(c) || IsDigit(c) || static_cast<unsigned char>(c) >= 0x80;
}

bool HasDigit(std::string_view word) { return std::any_of(word.begin(), word.end(), IsDigit); }
bool AllDigits(std::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), IsDigit);
}

// "NASA", "UK": two or more letters, all capitals.
bool IsAcronym(std::string_view word) {
  int letters = 0;
  for (const char c : word) {
    if (IsLower(c)) return false;
    if (IsUpper(c)) ++letters;
  }
  return letters >= 2;
}

// Whether `needle` occurs in `text` as whole words (not inside a longer word), exactly as
// written.
bool ContainsWords(std::string_view text, std::string_view needle) {
  if (needle.empty()) return false;
  for (size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + 1)) {
    const bool starts = at == 0 || !IsWordByte(text[at - 1]);
    const size_t end = at + needle.size();
    const bool ends = end == text.size() || !IsWordByte(text[end]);
    if (starts && ends) return true;
  }
  return false;
}

// Whether the text writes `word` with its capital inside a sentence ("... made by
// Usersnap"), which marks a name: after a comma, or after a word in lower case other than
// the "and"/"of" of a title-case line ("Roles and Responsibilities").
bool CapitalisedMidSentence(std::string_view word, std::string_view text) {
  for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const size_t end = at + word.size();
    if (end < text.size() && IsWordByte(text[end])) continue;
    if (at < 2 || text[at - 1] != ' ') continue;
    if (text[at - 2] == ',') return true;
    size_t start = at - 1;
    while (start > 0 && IsWordByte(text[start - 1])) --start;
    const std::string_view previous = text.substr(start, at - 1 - start);
    if (!previous.empty() && IsLower(previous[0]) && previous != "and" && previous != "of") {
      return true;
    }
  }
  return false;
}

// Heading words in lower case, except names and acronyms: a capitalised word the text
// writes capitalised mid-sentence and never in lower case.
std::string HeadingCase(const std::vector<std::string>& words, std::string_view text) {
  std::vector<std::string> out;
  for (const std::string& word : words) {
    const std::string lower = AsciiLower(word);
    const bool name = IsAcronym(word) || (lower != word && CapitalisedMidSentence(word, text) &&
                                          !ContainsWords(text, lower));
    out.push_back(name ? word : lower);
  }
  return Join(out);
}

// A term or title in lower case when the text writes the whole phrase so ("oxygen",
// "prime number"), or when only its first word has a capital and the text writes that word
// in lower case but never capitalised mid-sentence ("Computational complexity theory");
// else as written ("Doctor Who", "Martin Luther", "Kenya"). Acronyms stay.
std::string PhraseCase(const std::vector<std::string>& words, std::string_view text) {
  std::vector<std::string> lowered;
  for (const std::string& word : words)
    lowered.push_back(IsAcronym(word) ? word : AsciiLower(word));
  const std::string lower_phrase = Join(lowered);
  if (ContainsWords(text, lower_phrase)) return lower_phrase;
  const bool only_first_capitalised = std::all_of(
      words.begin() + 1, words.end(), [](const std::string& w) { return w == AsciiLower(w); });
  if (only_first_capitalised && !IsAcronym(words[0]) && ContainsWords(text, lowered[0]) &&
      !CapitalisedMidSentence(words[0], text)) {
    return lower_phrase;
  }
  return Join(words);
}

// `text` without its bracketed asides ("Fresno (/ˈfrɛznoʊ/), the ..." -> "Fresno, the ...").
std::string WithoutBrackets(std::string_view text) {
  std::string out;
  int depth = 0;
  for (const char c : text) {
    if (c == '(' || c == '[') {
      ++depth;
    } else if ((c == ')' || c == ']') && depth > 0) {
      --depth;
    } else if (depth == 0) {
      if ((c == ',' || c == ';' || c == '.') && !out.empty() && out.back() == ' ') out.pop_back();
      out += c;
    }
  }
  return indexer::CollapseWhitespace(out);
}

// A passage's text repeats its heading on its first line; the body is what follows.
std::string_view BodyAfterHeading(std::string_view heading, std::string_view text) {
  if (!heading.empty() && text.size() > heading.size() &&
      text.substr(0, heading.size()) == heading && text[heading.size()] == '\n') {
    return text.substr(heading.size() + 1);
  }
  return text;
}

// Whether the text speaks of a person: he/she/his/her/him at least twice and more often
// than it/its.
bool SpeaksOfPerson(std::string_view text) {
  int personal = 0;
  int impersonal = 0;
  indexer::ForEachWord(text, [&](std::string_view w) {
    if (w == "he" || w == "she" || w == "his" || w == "her" || w == "him") ++personal;
    if (w == "it" || w == "its") ++impersonal;
  });
  return personal >= 2 && personal > impersonal;
}

std::string TrimPunctuation(std::string word) {
  while (!word.empty() && !IsWordByte(word.back())) word.pop_back();
  return word;
}

// By the last word's ending: "Skills Required by Product Owners", "Duties and
// Responsibilities" (not "Analysis", "Business", "Census").
bool IsPlural(const std::vector<std::string>& words) {
  const std::string last = AsciiLower(words.back());
  if (last.size() < 3 || last.back() != 's') return false;
  const std::string_view tail = std::string_view(last).substr(last.size() - 2);
  return tail != "ss" && tail != "us" && tail != "is";
}

bool IsPersonalPronoun(std::string_view lower) {
  static const std::unordered_set<std::string_view> kFirstAndSecondPerson = {
      "i", "me", "my", "we", "us", "our", "ours", "you", "your", "yours"};
  return kFirstAndSecondPerson.count(lower) > 0;
}

// Words that may join the words of a name or term ("Newcastle upon Tyne").
bool IsNameJoiner(std::string_view lower) {
  return lower == "of" || lower == "and" || lower == "the" || lower == "upon" || lower == "on" ||
         lower == "for" || lower == "in" || lower == "at";
}

bool EndsInNoun(std::string_view head, std::string_view text, const WordNet* wordnet) {
  if (head.empty()) return false;
  if (HasDigit(head)) return true;
  if (wordnet != nullptr && wordnet->Knows(AsciiLower(head), WordClass::kNoun)) return true;
  return IsUpper(head[0]) && CapitalisedMidSentence(head, text);
}

uint64_t Fnv1a(std::string_view text) {
  uint64_t hash = 14695981039346656037ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

}  // namespace

std::optional<std::string> QuestionFromQuestionHeading(std::string_view heading) {
  const std::string collapsed = indexer::CollapseWhitespace(heading);
  if (collapsed.size() > kMaxSuggestionChars || collapsed.empty() || collapsed.back() != '?') {
    return std::nullopt;
  }
  const int words = indexer::CountWordsUpTo(collapsed, 14);
  if (words < 2 || words > 14) return std::nullopt;
  return collapsed;
}

std::optional<std::string> QuestionFromDefinition(std::string_view heading, std::string_view text,
                                                  const WordNet* wordnet) {
  const std::string_view body = BodyAfterHeading(heading, text);
  const std::string plain = WithoutBrackets(body.substr(0, std::min(body.size(), kOpeningBytes)));
  const auto sentences = indexer::SplitSentences(plain);
  if (sentences.empty()) return std::nullopt;
  const std::vector<std::string> words = SplitWords(std::string_view(plain).substr(
      static_cast<size_t>(sentences[0].first),
      static_cast<size_t>(sentences[0].second - sentences[0].first)));
  // The first "is|are|was|were" followed by a determiner ends the subject.
  size_t copula = 0;
  for (size_t i = 1; i + 1 < words.size() && i <= kMaxSubjectWords * 3; ++i) {
    const std::string verb = AsciiLower(words[i]);
    const std::string next = AsciiLower(words[i + 1]);
    if ((verb == "is" || verb == "are" || verb == "was" || verb == "were") &&
        (next == "a" || next == "an" || next == "the" || next == "one")) {
      copula = i;
      break;
    }
  }
  if (copula == 0) return std::nullopt;
  // The subject ends at an appositive ("Kenya, officially the Republic of Kenya, is ...").
  std::vector<std::string> subject;
  for (size_t i = 0; i < copula; ++i) {
    const std::string& w = words[i];
    const bool ends_clause = w.back() == ',' || w.back() == ';' || w.back() == ':';
    subject.push_back(ends_clause ? TrimPunctuation(w) : w);
    if (ends_clause) break;
  }
  if (subject.empty() || subject[0].empty() || !IsUpper(subject[0][0])) return std::nullopt;
  std::string article;
  const std::string first = AsciiLower(subject[0]);
  if (first == "the" || first == "a" || first == "an") {
    article = first;
    subject.erase(subject.begin());
  }
  if (subject.empty() || subject.size() > kMaxSubjectWords) return std::nullopt;
  for (size_t i = 0; i < subject.size(); ++i) {
    const std::string lower = AsciiLower(subject[i]);
    if (subject[i].empty() || (IsStopword(lower) && (i == 0 || !IsNameJoiner(lower)))) {
      return std::nullopt;
    }
    if (IsPreposition(lower) && i == 0) return std::nullopt;
  }
  if (!EndsInNoun(subject.back(), body, wordnet)) return std::nullopt;
  const std::string verb = AsciiLower(words[copula]);
  std::string term = PhraseCase(subject, body);
  if (!article.empty()) term = article + " " + term;
  // A named subject (not "the Apollo program") in a text about a person is one.
  const bool person = IsUpper(subject.back()[0]) && SpeaksOfPerson(body);
  std::string question = (person ? "Who " : "What ") + verb + " " + term + "?";
  if (question.size() > kMaxSuggestionChars) return std::nullopt;
  return question;
}

std::optional<std::string> QuestionFromTopicHeading(std::string_view heading, std::string_view text,
                                                    const WordNet* wordnet) {
  const std::vector<std::string> words = SplitWords(heading);
  if (words.empty() || words.size() > kMaxTopicWords) return std::nullopt;
  if (heading.find_first_of(":?!;\"") != std::string_view::npos) return std::nullopt;
  for (const std::string& w : words) {
    if (AllDigits(w) || IsPersonalPronoun(AsciiLower(w))) return std::nullopt;
  }
  const std::string first = AsciiLower(TrimPunctuation(words[0]));
  if (first.empty() || IsStopword(first)) return std::nullopt;
  const std::string_view body = BodyAfterHeading(heading, text);
  if (wordnet != nullptr && wordnet->loaded() && !CapitalisedMidSentence(words[0], body)) {
    const size_t as_noun = wordnet->TaggedSenses(first, WordClass::kNoun);
    const size_t as_adjective = wordnet->TaggedSenses(first, WordClass::kAdjective);
    const size_t as_verb = wordnet->TaggedSenses(first, WordClass::kVerb);
    const bool nominal =
        wordnet->Knows(first, WordClass::kNoun) || wordnet->Knows(first, WordClass::kAdjective);
    if (!nominal || as_verb > as_noun + as_adjective) return std::nullopt;
  }
  const std::string topic = HeadingCase(words, body);
  std::string question =
      std::string(IsPlural(words) ? "What are the " : "What is the ") + topic + "?";
  if (question.size() > kMaxSuggestionChars) return std::nullopt;
  return question;
}

std::optional<std::string> QuestionFromTitle(std::string_view title, std::string_view text) {
  const std::string plain = WithoutBrackets(title);
  for (const char c : plain) {
    if (!IsWordByte(c) && c != ' ' && c != '-' && c != ',' && c != '.') return std::nullopt;
  }
  const std::vector<std::string> words = SplitWords(plain);
  if (words.empty() || words.size() > kMaxTitleWords) return std::nullopt;
  if (IsStopword(AsciiLower(words[0]))) return std::nullopt;
  std::string question =
      std::string(IsPlural(words) ? "What are " : "What is ") + PhraseCase(words, text) + "?";
  if (question.size() > kMaxSuggestionChars) return std::nullopt;
  return question;
}

std::vector<QuestionCandidate> CandidateQuestions(const std::vector<indexer::PassageRow>& sections,
                                                  const WordNet* wordnet) {
  // Each document's candidates, documents in first-seen order.
  std::vector<std::string> doc_order;
  std::map<std::string, std::vector<QuestionCandidate>> by_doc;
  for (const indexer::PassageRow& section : sections) {
    auto [it, inserted] = by_doc.try_emplace(section.doc);
    // A named reference, not the binding: clang 14 cannot capture structured bindings.
    std::vector<QuestionCandidate>& candidates = it->second;
    if (inserted) {
      doc_order.push_back(section.doc);
      if (auto q = QuestionFromTitle(section.title, section.text)) {
        candidates.push_back({*q, CandidateKind::kTitle, section.passage_id, section.doc});
      }
    }
    auto add = [&](std::optional<std::string> q, CandidateKind kind) {
      if (q) candidates.push_back({std::move(*q), kind, section.passage_id, section.doc});
    };
    add(QuestionFromQuestionHeading(section.heading), CandidateKind::kQuestionHeading);
    add(QuestionFromDefinition(section.heading, section.text, wordnet),
        CandidateKind::kDefinedTerm);
    if (!QuestionFromQuestionHeading(section.heading)) {
      add(QuestionFromTopicHeading(section.heading, section.text, wordnet),
          CandidateKind::kTopicHeading);
    }
  }
  size_t rounds = 0;
  for (auto& [doc, list] : by_doc) {
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      return static_cast<int>(a.kind) < static_cast<int>(b.kind);
    });
    rounds = std::max(rounds, list.size());
  }
  // Within a round, documents in an order fixed by their names but unrelated to them, so
  // that a few suggestions spread over the corpus rather than over its first files.
  std::stable_sort(doc_order.begin(), doc_order.end(),
                   [](const auto& a, const auto& b) { return Fnv1a(a) < Fnv1a(b); });
  std::vector<QuestionCandidate> out;
  std::set<std::string> seen;
  for (size_t round = 0; round < rounds; ++round) {
    std::vector<QuestionCandidate> this_round;
    for (const std::string& doc : doc_order) {
      const auto& list = by_doc[doc];
      if (round < list.size()) this_round.push_back(list[round]);
    }
    std::stable_sort(this_round.begin(), this_round.end(), [](const auto& a, const auto& b) {
      return static_cast<int>(a.kind) < static_cast<int>(b.kind);
    });
    for (QuestionCandidate& c : this_round) {
      if (seen.insert(AsciiLower(c.question)).second) out.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace citeqa::retriever
