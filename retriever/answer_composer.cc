#include "retriever/answer_composer.h"

#include <algorithm>

#include "indexer/text.h"
#include "retriever/comparison_evidence.h"
#include "retriever/definition_evidence.h"
#include "retriever/signposting.h"

namespace citeqa::retriever {
namespace {

constexpr int kShortSentenceWords = 6;
constexpr int kLongSentenceWords = 60;
constexpr double kRankBonus = 0.15;
constexpr double kAnswerTypeBonus = 0.2;
constexpr double kSideBySideBonus = 0.2;
constexpr double kAdjacencyBonus = 0.15;
constexpr double kSignpostPenalty = 0.3;
constexpr double kAntecedentShare = 0.5;
constexpr size_t kMaxListAnswerBytes = 520;  // list items past this are left out
constexpr double kMinMarginalGain = 0.05;
constexpr double kAsGoodShare = 0.95;
constexpr size_t kMarkerBytes = 6;  // " [20]" and the space before the next sentence

struct SentenceOption {
  std::string text;  // with any list items its lead-in introduces
  int passage = 0;   // index into cited
  int position = 0;  // order within the passage
  TextMatch match;
  double score = 0;
  bool lists = false;  // a lead-in with the items of its list
};

std::string StripListMarker(std::string line) {
  if (line.rfind("- ", 0) == 0) line.erase(0, 2);
  return line;
}

// Cuts at a word boundary to fit `limit` bytes, ending with an ellipsis.
std::string Shorten(const std::string& text, size_t limit) {
  if (text.size() <= limit) return text;
  if (limit <= 3) return "";
  size_t cut = text.rfind(' ', limit - 3);
  if (cut == std::string::npos || cut < limit / 2) cut = limit - 3;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "\xE2\x80\xA6";
}

// What one of the question's adjacent concept pairs ("product manager" "interview"), kept
// together in a sentence, is worth: the lighter concept of each pair as a share of the
// heaviest concept, averaged over the pairs the matcher counts. A pair holding a word every
// passage has ("product" "vision") says little. 0 when there is no pair.
double AdjacentPairValue(const std::vector<Concept>& concepts, int* pairs) {
  *pairs = 0;
  double heaviest = 0;
  double sum = 0;
  for (const Concept& c : concepts) heaviest = std::max(heaviest, c.weight);
  for (size_t c = 0; c + 1 < concepts.size(); ++c) {
    if (!concepts[c].carried && !concepts[c + 1].carried &&
        concepts[c + 1].first_token == concepts[c].last_token + 1) {
      ++*pairs;
      sum += std::min(concepts[c].weight, concepts[c + 1].weight);
    }
  }
  return *pairs > 0 && heaviest > 0 ? sum / (*pairs * heaviest) : 0.0;
}

// "This involves ...", "It's demanding": a sentence opening with a word that points back
// says nothing a reader can judge without the sentence before it.
bool LeansOnThePrevious(std::string_view sentence) {
  const std::vector<indexer::Token> tokens = indexer::Tokenize(sentence.substr(0, 16));
  if (tokens.empty()) return false;
  const std::string& first = tokens.front().text;
  return first == "this" || first == "these" || first == "those" || first == "that" ||
         first == "it" || first == "such";
}

std::vector<SentenceOption> CollectSentences(const AnalyzedQuestion& question,
                                             const std::vector<RankedPassage>& cited) {
  std::vector<SentenceOption> options;
  const ConceptMatcher matcher(question.concepts);
  int pairs = 0;
  const double pair_value = AdjacentPairValue(question.concepts, &pairs);
  for (size_t p = 0; p < cited.size(); ++p) {
    const Candidate& c = cited[p].candidate;
    std::vector<std::string> lines;
    size_t start = 0;
    while (start <= c.text.size()) {
      size_t end = c.text.find('\n', start);
      if (end == std::string::npos) end = c.text.size();
      lines.push_back(c.text.substr(start, end - start));
      start = end + 1;
    }
    // The heading line names the section; it is not an answer sentence.
    if (!c.heading.empty() && !lines.empty() && lines.front() == c.heading) lines.erase(lines.begin());
    int position = 0;
    for (size_t l = 0; l < lines.size(); ++l) {
      const std::string line = StripListMarker(lines[l]);
      std::string previous;  // the line's sentence before this one
      for (const auto& [b, e] : indexer::SplitSentences(line)) {
        SentenceOption s;
        s.text = line.substr(static_cast<size_t>(b), static_cast<size_t>(e - b));
        std::string own = s.text;
        // A lead-in ("skills, including:") is worth only what its list says.
        if (!s.text.empty() && s.text.back() == ':' && static_cast<size_t>(e) == line.size()) {
          std::string full = s.text;
          std::string labels = s.text;
          bool full_complete = true;  // false once an item no longer fits
          for (size_t k = l + 1; k < lines.size() && lines[k].rfind("- ", 0) == 0; ++k) {
            std::string item = StripListMarker(lines[k]);
            // An item's first sentence says what it is about; the rest elaborates.
            if (const auto spans = indexer::SplitSentences(item); spans.size() > 1) {
              item = item.substr(0, static_cast<size_t>(spans.front().second));
            }
            if (!item.empty() && item.back() == '.') item.pop_back();
            const size_t colon = item.find(':');
            const std::string separator = k == l + 1 ? " " : "; ";
            if (full_complete && full.size() + separator.size() + item.size() <= kMaxListAnswerBytes) {
              full += separator + item;
            } else {
              full_complete = false;
            }
            // "Backlog Management: Proficiency in ..." is summed up by its label.
            labels += separator + (colon != std::string::npos && colon < 60 ? item.substr(0, colon) : item);
          }
          if (labels.back() == ':') continue;  // a lead-in with no list after it
          // Whole items while they fit (the first ones matter most), else the labels.
          s.text = (full.back() != ':' ? full : labels) + ".";
          s.lists = true;
        }
        // Such a sentence comes with the one it points back to, as one option. (A list's
        // lead-in counts its whole paragraph already.)
        const bool joined = !s.lists && !previous.empty() && LeansOnThePrevious(s.text);
        if (joined) s.text = previous + " " + s.text;
        previous = joined ? s.text : own;  // "A. This B. It C." keeps the whole chain
        s.passage = static_cast<int>(p);
        s.position = position++;
        // A list answers what its paragraph leads up to ("When one person holds both roles,
        // ... Here are some considerations:"), so that paragraph counts for it too.
        // (The match's byte offsets are into `matched`.)
        const std::string matched =
            s.lists ? line.substr(0, static_cast<size_t>(b)) + s.text : s.text;
        s.match = matcher.Match(matched);
        // What kind of answer a joined option gives is the pointing sentence's own.
        const std::string& judged = joined ? own : s.text;
        TextMatch alone;
        if (joined) {
          alone = matcher.Match(own);
          // What only the sentence pointed back to says counts for less: it is context.
          for (size_t k = 0; k < s.match.concept_match.size(); ++k) {
            s.match.concept_match[k] =
                std::max(alone.concept_match[k], kAntecedentShare * s.match.concept_match[k]);
          }
        }
        const TextMatch& judged_match = joined ? alone : s.match;
        const double coverage = WeightedCoverage(s.match, question.concepts);
        const int words = indexer::CountWords(s.text);
        double score = coverage + kRankBonus * (1.0 - static_cast<double>(p) /
                                                          static_cast<double>(cited.size()));
        // A definition is of the word asked about, not of whatever the sentence names.
        score += kAnswerTypeBonus * (question.answer_type == AnswerType::kDefinition
                                         ? DefinitionFit(joined ? own : matched, judged_match)
                                         : AnswerTypeFit(question.answer_type, judged));
        if (question.is_comparison && question.answer_type != AnswerType::kContrast) {
          score += kAnswerTypeBonus * AnswerTypeFit(AnswerType::kContrast, judged);
        }
        if (question.asks_list && s.lists) score += kAnswerTypeBonus;
        // A comparison is answered best by a sentence that sets both sides side by side.
        score += kSideBySideBonus * SideBySideFit(question, matcher, judged);
        // Words kept together as the question has them ("product manager interviews") say
        // the sentence is about the same thing, not a neighbour ("product owner interview").
        if (pairs > 0) score += kAdjacencyBonus * pair_value * s.match.adjacent_pairs;
        if (words < kShortSentenceWords) score -= 0.2;
        if (words > kLongSentenceWords) score -= 0.1;
        // "In this blog, we'll explore X and Y" names the question's words and answers nothing.
        if (IsSignpost(own)) score -= kSignpostPenalty;
        s.score = coverage > 0 ? score : 0.0;
        options.push_back(std::move(s));
      }
    }
  }
  return options;
}

// How much `option` adds to what `chosen` already covers.
double MarginalGain(const SentenceOption& option, const std::vector<double>& covered,
                    const std::vector<Concept>& concepts) {
  double total = 0;
  double gain = 0;
  for (size_t c = 0; c < concepts.size(); ++c) {
    total += concepts[c].weight;
    gain += concepts[c].weight * std::max(0.0, option.match.concept_match[c] - covered[c]);
  }
  return total > 0 ? gain / total : 0.0;
}

// True if the sentence is about `side`: it names it, and before the other side if at all
// ("A product manager earns less than a product owner" is about the product manager).
bool IsAbout(const SentenceOption& s, int side, int other) {
  if (side < 0) return false;
  const int at = s.match.first_position[static_cast<size_t>(side)];
  if (at < 0) return false;
  const int other_at = other < 0 ? -1 : s.match.first_position[static_cast<size_t>(other)];
  return other_at < 0 || at < other_at;
}

// The question with its subjects (named things: "product managers", carried over or not)
// weighing at least kSubjectShare of its heaviest other concept. Their IDF is low because
// every article is about them, but an answer sentence about another subject ("the product
// owner interview ...") answers a different question.
AnalyzedQuestion WithSubjectsWeighed(const AnalyzedQuestion& question) {
  constexpr double kSubjectShare = 0.5;
  AnalyzedQuestion weighed = question;
  double heaviest = 0;
  for (const Concept& c : question.concepts) {
    if (!c.entity && !c.frame && c.df > 0) heaviest = std::max(heaviest, c.weight);
  }
  for (Concept& c : weighed.concepts) {
    if (c.entity && !c.frame && c.df > 0) c.weight = std::max(c.weight, kSubjectShare * heaviest);
  }
  return weighed;
}

}  // namespace

std::string ComposeAnswer(const AnalyzedQuestion& asked, const std::vector<RankedPassage>& cited) {
  const AnalyzedQuestion question = WithSubjectsWeighed(asked);
  std::vector<SentenceOption> options = CollectSentences(question, cited);
  std::stable_sort(options.begin(), options.end(),
                   [](const SentenceOption& a, const SentenceOption& b) { return a.score > b.score; });
  if (options.empty() || options.front().score <= 0) return "";

  std::vector<const SentenceOption*> chosen;
  std::vector<double> covered(question.concepts.size(), 0.0);
  size_t length = 0;
  auto fits = [&](const SentenceOption& s) {
    return length + s.text.size() + kMarkerBytes <= kMaxAnswerBytes;
  };
  auto take = [&](const SentenceOption& s) {
    chosen.push_back(&s);
    length += s.text.size() + kMarkerBytes;
    for (size_t c = 0; c < covered.size(); ++c) covered[c] = std::max(covered[c], s.match.concept_match[c]);
  };
  take(options.front());
  // A comparison needs both sides: add the best sentence about each side not yet covered.
  if (question.is_comparison) {
    for (const auto& sides : {std::pair{question.side_a, question.side_b},
                              std::pair{question.side_b, question.side_a}}) {
      // Plain variables, not structured bindings: clang 14 cannot capture those.
      const int side = sides.first;
      const int other = sides.second;
      if (std::any_of(chosen.begin(), chosen.end(),
                      [&](const SentenceOption* s) { return IsAbout(*s, side, other); })) {
        continue;
      }
      for (const SentenceOption& s : options) {
        if (s.score > 0 && IsAbout(s, side, other) && fits(s)) {
          take(s);
          break;
        }
      }
    }
  }
  for (const SentenceOption& s : options) {
    if (static_cast<int>(chosen.size()) >= kMaxAnswerSentences) break;
    if (s.score <= 0 || !fits(s)) continue;
    if (std::find(chosen.begin(), chosen.end(), &s) != chosen.end()) continue;
    // A list item already quoted with its lead-in (or the reverse) is a repeat.
    const bool repeats = std::any_of(chosen.begin(), chosen.end(), [&](const SentenceOption* c) {
      return c->text.find(s.text) != std::string::npos || s.text.find(c->text) != std::string::npos;
    });
    // A further sentence must add something the answer lacks, or be as good an answer as
    // the first one (a question about one thing has several sentences on it).
    const bool as_good = s.score >= kAsGoodShare * options.front().score;
    if (repeats || (MarginalGain(s, covered, question.concepts) < kMinMarginalGain && !as_good)) {
      continue;
    }
    take(s);
  }
  std::string answer;
  for (const SentenceOption* s : chosen) {
    const std::string marker = " [" + std::to_string(s->passage + 1) + "]";
    const std::string sentence =
        Shorten(s->text, kMaxAnswerBytes - std::min(kMaxAnswerBytes, answer.size() + marker.size() + 1));
    if (!answer.empty()) answer += ' ';
    answer += sentence + marker;
  }
  return answer;
}

}  // namespace citeqa::retriever
