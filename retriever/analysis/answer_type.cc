#include "retriever/analysis/answer_type.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "indexer/text.h"
#include "retriever/analysis/cue_set.h"

namespace citeqa::retriever {
namespace {

bool Has(const std::vector<std::string>& words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

bool HasAnyStem(const std::vector<std::string>& stems,
                std::initializer_list<std::string_view> cues) {
  return std::any_of(stems.begin(), stems.end(), [&](const std::string& s) {
    return std::find(cues.begin(), cues.end(), s) != cues.end();
  });
}

// "$90,000", "₹20 lakhs", "95k", "20%".
bool HasAmount(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '$' || s.substr(i).starts_with("\xE2\x82\xB9") /* ₹ */ ||
        s.substr(i).starts_with("\xE2\x82\xAC") /* € */ || s.substr(i).starts_with("\xC2\xA3")) {
      return true;
    }
    if (std::isdigit(c) != 0 && i + 1 < s.size() && (s[i + 1] == '%' || s[i + 1] == 'k')) {
      return true;
    }
  }
  const std::string lower = indexer::AsciiLower(s);
  return lower.find(" lakh") != std::string::npos || lower.find(" per year") != std::string::npos;
}

}  // namespace

bool IsExtentWord(std::string_view word) {
  return word == "long" || word == "often" || word == "soon" || word == "frequently";
}

std::string_view QuestionWordName(QuestionWord word) {
  switch (word) {
    case QuestionWord::kWhat:
      return "what";
    case QuestionWord::kWhich:
      return "which";
    case QuestionWord::kWho:
      return "who";
    case QuestionWord::kWhen:
      return "when";
    case QuestionWord::kWhere:
      return "where";
    case QuestionWord::kWhy:
      return "why";
    case QuestionWord::kHow:
      return "how";
    case QuestionWord::kHowMany:
      return "how many";
    case QuestionWord::kYesNo:
      return "yes or no";
    case QuestionWord::kOther:
      break;
  }
  return "other";
}

std::string_view AnswerTypeName(AnswerType type) {
  switch (type) {
    case AnswerType::kAmount:
      return "amount";
    case AnswerType::kReason:
      return "reason";
    case AnswerType::kRole:
      return "role";
    case AnswerType::kDefinition:
      return "definition";
    case AnswerType::kSkill:
      return "skill";
    case AnswerType::kTime:
      return "time";
    case AnswerType::kContrast:
      return "contrast";
    case AnswerType::kAny:
      break;
  }
  return "any";
}

QuestionWord DetectQuestionWord(const std::vector<std::string>& words) {
  static constexpr std::string_view kTimeNouns[] = {"year",   "years", "date",   "century",
                                                    "decade", "month", "day",    "time",
                                                    "period", "era",   "season", "age"};
  static constexpr std::string_view kNumberNouns[] = {
      "percentage", "percent",    "number", "amount", "proportion",
      "share",      "population", "size",   "cost",   "price"};
  static constexpr std::string_view kAuxiliaries[] = {
      "is",   "are",   "was", "were", "do",  "does", "did",   "can",  "could", "should",
      "will", "would", "has", "have", "had", "may",  "might", "must", "shall"};
  auto one_of = [](std::string_view w, const auto& list) {
    return std::find(std::begin(list), std::end(list), w) != std::end(list);
  };
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    const std::string_view next = i + 1 < words.size() ? std::string_view(words[i + 1]) : "";
    if (w == "how") {
      if (next == "many" || next == "much") return QuestionWord::kHowMany;
      if (IsExtentWord(next)) return QuestionWord::kWhen;
      return QuestionWord::kHow;
    }
    if (w == "who" || w == "whom" || w == "whose") return QuestionWord::kWho;
    if (w == "when") return QuestionWord::kWhen;
    if (w == "where") return QuestionWord::kWhere;
    if (w == "why") return QuestionWord::kWhy;
    if (w == "what" || w == "which") {
      // The noun it asks about, past an article or adjective or two ("what is the name").
      for (size_t k = i + 1; k < words.size() && k <= i + 3; ++k) {
        if (one_of(words[k], kTimeNouns)) return QuestionWord::kWhen;
        if (one_of(words[k], kNumberNouns)) return QuestionWord::kHowMany;
      }
      return w == "what" ? QuestionWord::kWhat : QuestionWord::kWhich;
    }
  }
  if (!words.empty() && one_of(words.front(), kAuxiliaries)) return QuestionWord::kYesNo;
  return QuestionWord::kOther;
}

bool AsksForQuantity(const std::vector<std::string>& words) {
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] == "how" && (words[i + 1] == "much" || words[i + 1] == "many")) return true;
  }
  return false;
}

bool AsksForList(const std::vector<std::string>& words) {
  if (words.empty() || (words[0] != "what" && words[0] != "which")) return false;
  size_t i = 1;
  // "what are the main ...", "which are some key ...": the noun comes after these.
  for (std::string_view skip : {"are", "the", "some", "main", "key", "biggest", "most"}) {
    if (i < words.size() && words[i] == skip) ++i;
  }
  if (i >= words.size()) return false;
  const std::string& noun = words[i];
  // A regular plural: "-s", not "-ss" ("process"), "-us" ("status") or "-is" ("analysis").
  const bool plural = noun.size() > 3 && noun.back() == 's' && !noun.ends_with("ss") &&
                      !noun.ends_with("us") && !noun.ends_with("is") && noun != "does";
  if (!plural) return false;
  // Right after "what", a verb ("what makes a good PO", "what happens when ...") is told
  // by the object or clause it takes; a noun is followed by the question's verb.
  static constexpr std::string_view kTakenByVerbs[] = {
      "a",   "an",    "the",  "this", "that", "these", "those", "my",   "your", "his", "her", "its",
      "our", "their", "when", "if",   "to",   "you",   "me",    "them", "us",   "him", "it"};
  if (i == 1 && i + 1 < words.size()) {
    const std::string& next = words[i + 1];
    for (std::string_view w : kTakenByVerbs) {
      if (next == w) return false;
    }
  }
  return true;
}

bool IsNumberWord(std::string_view word) {
  static const std::unordered_set<std::string_view> kNumberWords = {
      "one",      "two",     "three",   "four",   "five",   "six",    "seven",  "eight",
      "nine",     "ten",     "eleven",  "twelve", "twenty", "thirty", "fifty",  "hundred",
      "thousand", "million", "billion", "dozen",  "half",   "single", "double", "twice"};
  return word.size() >= 3 && word.size() <= 8 && kNumberWords.count(word) > 0;
}

bool StatesQuantity(std::string_view text) {
  if (std::any_of(text.begin(), text.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    return true;
  }
  for (const auto& token : indexer::Tokenize(text)) {
    if (IsNumberWord(token.text)) return true;
  }
  return false;
}

AnswerType DetectAnswerType(const std::vector<std::string>& words) {
  if (words.empty()) return AnswerType::kAny;
  const std::string& first = words.front();
  const bool how_much = AsksForQuantity(words);
  std::vector<std::string> stems;
  for (const auto& w : words) stems.push_back(indexer::Stem(w));
  if (first == "why" || Has(words, "reason") || Has(words, "reasons")) return AnswerType::kReason;
  if (how_much || HasAnyStem(stems, {"salari", "earn", "pai", "pay", "compens", "wage", "incom"})) {
    return AnswerType::kAmount;
  }
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] == "how" && IsExtentWord(words[i + 1])) return AnswerType::kTime;
  }
  if (first == "when") return AnswerType::kTime;
  if (HasAnyStem(stems, {"skill", "abil", "compet", "qualif"})) return AnswerType::kSkill;
  // "what does X do", "what do Xs do", responsibilities.
  const bool ends_with_do = words.back() == "do" || words.back() == "does";
  if ((first == "what" && ends_with_do) ||
      HasAnyStem(stems, {"respons", "duti", "task", "job", "role"})) {
    return AnswerType::kRole;
  }
  if ((first == "what" || first == "who") && words.size() >= 2 &&
      (words[1] == "is" || words[1] == "are" || words[1] == "s")) {
    return AnswerType::kDefinition;
  }
  return AnswerType::kAny;
}

double AnswerTypeFit(AnswerType type, std::string_view sentence) {
  if (type == AnswerType::kAny) return 0.0;
  if (type == AnswerType::kAmount) return HasAmount(sentence) ? 1.0 : 0.0;
  static const CueSet kReasonCues{" because ",    " due to ",      " since ",
                                  " so that ",    " in order to ", " reason",
                                  " as a result", " leads to ",    " lacked "};
  static const CueSet kTimeCues{" year",   " month",    " week",    " day",    " daily",
                                " sprint", " when ",    " before ", " after ", " during ",
                                " every ", " times a ", " regular", " often",  " frequen"};
  static const CueSet kSkillCues{" skill",     " abilit",    " able to ", " expertise",
                                 " knowledge", " proficien", " need ",    " must "};
  // Verbs as whole words: "manage" must not match the role name "manager".
  static const CueSet kRoleCues{
      " responsible for", " responsibilit", " in charge of", " charged with", " tasked with",
      " oversee",         " manage ",       " manages ",     " managing ",    " develop ",
      " develops ",       " developing ",   " create ",      " creates ",     " creating ",
      " define ",         " defines ",      " defining ",    " decide ",      " decides ",
      " lead ",           " leads ",        " leading ",     " drive ",       " drives ",
      " ensure ",         " ensures ",      " own ",         " owns ",        " focus on",
      " focuses on",      " focusing on"};
  static const CueSet kContrastCues{
      " whereas ",     " while ",         " unlike ", " in contrast", " on the other hand",
      " compared to ", " compared with ", " than ",   " versus ",     " but ",
      " more ",        " higher ",        " lower ",  " less ",       " differ",
      " both "};
  static const CueSet kDefinitionCues{" is a ",     " is an ", " is the ",        " are the ",
                                      " refers to", " means ", " is responsible", " role within"};
  const CueSet* cues = nullptr;
  switch (type) {
    case AnswerType::kReason:
      cues = &kReasonCues;
      break;
    case AnswerType::kTime:
      cues = &kTimeCues;
      break;
    case AnswerType::kSkill:
      cues = &kSkillCues;
      break;
    case AnswerType::kRole:
      cues = &kRoleCues;
      break;
    case AnswerType::kContrast:
      cues = &kContrastCues;
      break;
    case AnswerType::kDefinition:
      cues = &kDefinitionCues;
      break;
    default:
      return 0.0;
  }
  // Padded, so that cues can demand word boundaries.
  return cues->FoundIn(SpacePaddedLower(sentence)) ? 1.0 : 0.0;
}

double PassageAnswerTypeFit(AnswerType type, std::string_view passage) {
  if (type == AnswerType::kAny) return 0.0;
  int fitting = 0;
  for (const std::string_view sentence : indexer::SentencesByLine(passage)) {
    fitting += AnswerTypeFit(type, sentence) > 0;
  }
  return std::min(1.0, fitting / 2.0);
}

}  // namespace citeqa::retriever
