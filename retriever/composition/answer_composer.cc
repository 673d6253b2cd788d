#include "retriever/composition/answer_composer.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "indexer/text.h"
#include "retriever/analysis/stopwords.h"
#include "retriever/defaults.h"
#include "retriever/scoring/pointing_back.h"
#include "retriever/scoring/sentence_cues.h"

namespace citeqa::retriever {
namespace {

constexpr size_t kMarkerBytes = 6;  // " [20]" and the space before the next sentence

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";

// Cuts at a word boundary to fit `limit` bytes, ending with an ellipsis.
std::string Shorten(const std::string& text, size_t limit) {
  if (text.size() <= limit) return text;
  if (limit <= kEllipsis.size()) return "";
  size_t cut = text.rfind(' ', limit - kEllipsis.size());
  if (cut == std::string::npos || cut < limit / 2) cut = limit - kEllipsis.size();
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + std::string(kEllipsis);
}

// Never quoted, whatever its score: it sells, navigates, announces, asks or trails off.
bool Unquotable(const ScoredSentence& s) {
  return s.features[kSentencePromotional] > 0 || s.features[kSentenceSignpost] > 0 ||
         s.features[kSentenceAsks] > 0 || s.features[kSentenceUnfinished] > 0;
}

// The stems of a text's content words, sorted and distinct.
std::vector<std::string> ContentStems(std::string_view text) {
  std::vector<std::string> stems;
  for (const indexer::Token& t : indexer::Tokenize(text)) {
    if (!IsStopword(t.text)) stems.push_back(indexer::Stem(t.text));
  }
  std::sort(stems.begin(), stems.end());
  stems.erase(std::unique(stems.begin(), stems.end()), stems.end());
  return stems;
}

// Whether a sentence taken only as the context of others (`context`, which they point back
// to) belongs with them: it names one of the question's concepts, or shares a content word
// with one of them. Scraped pages put calls to action and menu lines between paragraphs
// ("Create beautiful roadmaps in minutes."), and "But ..." after one points past it.
bool BelongsWith(const ScoredSentence& context, const std::vector<const ScoredSentence*>& others) {
  const std::vector<double>& named = context.option.match.concept_match;
  if (std::any_of(named.begin(), named.end(), [](double m) { return m > 0; })) return true;
  const std::vector<std::string> own = ContentStems(context.option.text);
  return std::any_of(others.begin(), others.end(), [&](const ScoredSentence* s) {
    const std::vector<std::string> theirs = ContentStems(s->option.text);
    std::vector<std::string> shared;
    std::set_intersection(own.begin(), own.end(), theirs.begin(), theirs.end(),
                          std::back_inserter(shared));
    return !shared.empty();
  });
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

class Composer {
 public:
  explicit Composer(const ScoredCandidates& scored) : scored_(scored) {}

  // Takes option `i` (with the sentences it points back to, when it points back: "A. This
  // B. It C." takes all three) if it fits and repeats nothing. Returns whether it was taken.
  bool Take(size_t i) {
    if (Unquotable(scored_.sentences[i]) || Chosen(i)) return false;
    std::vector<size_t> unit{i};
    size_t head = i;  // what the unit's sentences point back to, first: in it, or chosen
    while (true) {
      const ScoredSentence& earliest = scored_.sentences[unit.front()];
      if (earliest.option.lists || !PointsBack(earliest.option)) break;
      auto antecedent = Antecedent(earliest);
      // A call to action or a menu line between paragraphs is passed over: what a "But ..."
      // after it goes on from comes before it.
      if (antecedent && HowItPointsBack(earliest.option.text) == PointingBack::kByConnective &&
          Interjected(*antecedent, unit)) {
        antecedent = Antecedent(scored_.sentences[*antecedent]);
        if (antecedent && Interjected(*antecedent, unit)) antecedent.reset();
      }
      // Its referent is not in the passage, or not quotable: skip it.
      if (!antecedent || Unquotable(scored_.sentences[*antecedent])) return false;
      head = *antecedent;
      if (Chosen(*antecedent)) break;
      unit.insert(unit.begin(), *antecedent);
    }
    // A list item opens with a label and a fragment ("- Backlog: Defining and ordering
    // stories."): "He is the one who ..." after it in the item stands for the list's
    // subject, which its lead-in names. It comes too, or the item's sentences are not said.
    if (const auto lead_in = LeadInNeeded(head, unit)) {
      if (!*lead_in || Unquotable(scored_.sentences[**lead_in])) return false;
      if (!Chosen(**lead_in)) unit.insert(unit.begin(), **lead_in);
    }
    size_t bytes = bytes_;
    for (size_t u : unit) bytes += scored_.sentences[u].option.text.size() + kMarkerBytes;
    const bool first = chosen_.empty();
    if (!first && (chosen_.size() + unit.size() > defaults::kMaxAnswerSentences ||
                   bytes > defaults::kMaxAnswerBytes)) {
      return false;
    }
    for (size_t u : unit) {
      if (Repeats(u)) return false;
    }
    chosen_.insert(chosen_.end(), unit.begin(), unit.end());
    bytes_ = bytes;
    return true;
  }

  const std::vector<size_t>& chosen() const { return chosen_; }

 private:
  // Whether option `k`, just before the sentences of `unit`, which go on from it with a
  // connective ("But ..."), is no part of what they go on from: a sentence never quoted, or
  // a short imperative to the reader (OpensWithAnInvitation) that does not belong with them
  // (BelongsWith). What a pronoun stands for is in the sentence before it, whatever that
  // sentence says, and "Launches need planning." is what "For example, ..." goes on from.
  bool Interjected(size_t k, const std::vector<size_t>& unit) const {
    const ScoredSentence& s = scored_.sentences[k];
    if (Unquotable(s)) return true;
    if (s.option.match.words > defaults::kMaxInterjectionWords ||
        !OpensWithAnInvitation(s.option.text)) {
      return false;
    }
    std::vector<const ScoredSentence*> others;
    for (size_t u : unit) others.push_back(&scored_.sentences[u]);
    return !BelongsWith(s, others);
  }

  // When the unit's sentences point back to a list item's first sentence (`first`: in the
  // unit, or chosen before) and one of them, in the same item, opens with a personal pronoun
  // (a person; "This roadmap" after "Managing the Product Roadmap: ..." is the item's own):
  // the option of the list's lead-in (the sentence before the list's lines), or an empty
  // one when the passage lacks it. Nothing for any other unit.
  std::optional<std::optional<size_t>> LeadInNeeded(size_t first,
                                                    const std::vector<size_t>& unit) const {
    const SentenceOption& head = scored_.sentences[first].option;
    if (head.lists) return std::nullopt;
    const auto& spans = scored_.passages[head.passage].evidence.reading.sentences;
    const SentenceSpan& item = spans[head.sentence];
    if (!item.list_item || (head.sentence > 0 && spans[head.sentence - 1].line == item.line)) {
      return std::nullopt;
    }
    const bool refers = std::any_of(unit.begin(), unit.end(), [&](size_t u) {
      const SentenceOption& o = scored_.sentences[u].option;
      return o.passage == head.passage && spans[o.sentence].line == item.line &&
             OpensWithAPersonalPronoun(o.text);
    });
    if (!refers) return std::nullopt;
    size_t lead = head.sentence;
    while (lead > 0 && spans[lead - 1].list_item) --lead;
    if (lead == 0) return std::optional<size_t>();
    return PlainOption(head.passage, lead - 1);
  }

  // Whether the sentence needs what it points back to (HowItPointsBack): its layout's cue.
  bool PointsBack(const SentenceOption& o) const {
    return scored_.passages[o.passage].evidence.reading.layout->CuesOf(o.sentence).points_back;
  }

  bool Chosen(size_t i) const {
    return std::find(chosen_.begin(), chosen_.end(), i) != chosen_.end();
  }

  // The option of the sentence just before `s`: in its passage, on the same line or the line
  // before; for a passage's first sentence, the last sentence of the passage before it in
  // its document, when that passage is among the leading ones. None otherwise. It may be
  // unquotable (see Interjected).
  std::optional<size_t> Antecedent(const ScoredSentence& s) const {
    size_t passage = s.option.passage;
    size_t wanted = 0;
    if (s.option.sentence > 0) {
      wanted = s.option.sentence - 1;
    } else {
      const auto before = PassageBefore(scored_.passages, passage);
      if (!before || scored_.passages[*before].evidence.reading.sentences.empty()) {
        return std::nullopt;
      }
      passage = *before;
      wanted = scored_.passages[passage].evidence.reading.sentences.size() - 1;
    }
    return PlainOption(passage, wanted);
  }

  // The option that quotes sentence `sentence` of passage `passage` alone (not as a list's
  // lead-in with its items), or none.
  std::optional<size_t> PlainOption(size_t passage, size_t sentence) const {
    for (size_t k = 0; k < scored_.sentences.size(); ++k) {
      const SentenceOption& o = scored_.sentences[k].option;
      if (o.passage == passage && o.sentence == sentence && !o.lists) return k;
    }
    return std::nullopt;
  }

  // A list item already quoted with its lead-in (or the reverse: their quoted ranges of the
  // passage overlap), or the same sentence from another passage.
  bool Repeats(size_t i) const {
    const SentenceOption& option = scored_.sentences[i].option;
    return std::any_of(chosen_.begin(), chosen_.end(), [&](size_t c) {
      const SentenceOption& other = scored_.sentences[c].option;
      if (other.passage == option.passage) {
        for (const auto& [b1, e1] : option.quotes) {
          for (const auto& [b2, e2] : other.quotes) {
            if (b1 < e2 && b2 < e1) return true;
          }
        }
        return false;
      }
      return other.text.find(option.text) != std::string::npos ||
             option.text.find(other.text) != std::string::npos;
    });
  }

  const ScoredCandidates& scored_;
  std::vector<size_t> chosen_;
  size_t bytes_ = 0;
};

}  // namespace

ComposedAnswer ComposeAnswer(const AnalyzedQuestion& question, const ScoredCandidates& scored,
                             double follow_threshold) {
  ComposedAnswer answer;
  const auto& sentences = scored.sentences;
  Composer composer(scored);
  // The best sentence that can be said first.
  size_t first = sentences.size();
  for (size_t i = 0; i < sentences.size() && first == sentences.size(); ++i) {
    if (composer.Take(i)) first = i;
  }
  if (first == sentences.size()) return answer;
  // A comparison needs both sides: the best sentence about each side not yet covered, from
  // any article.
  if (question.is_comparison) {
    for (const auto& [side, other] : {std::pair{question.side_a, question.side_b},
                                      std::pair{question.side_b, question.side_a}}) {
      const bool has_side = std::any_of(
          composer.chosen().begin(), composer.chosen().end(),
          [&, s = side, o = other](size_t c) { return IsAbout(sentences[c].option, s, o); });
      if (has_side) continue;
      for (size_t i = 0; i < sentences.size(); ++i) {
        if (IsAbout(sentences[i].option, side, other) && composer.Take(i)) break;
      }
    }
  }
  // Further sentences of the first one's passage that the model rates as answers too: the
  // answer's source stays one passage, cited first, and reads in its order.
  const size_t passage = sentences[first].option.passage;
  for (size_t i = 0; i < sentences.size(); ++i) {
    if (sentences[i].probability < follow_threshold) break;  // best first: none further
    if (sentences[i].option.passage == passage) composer.Take(i);
  }

  // In reading order: articles in the order the answer first uses them (the first sentence's
  // first), each article's sentences in its own order.
  std::vector<size_t> order = composer.chosen();
  std::vector<int64_t> documents;  // in order of first use
  for (size_t i : order) {
    const int64_t d = scored.passages[sentences[i].option.passage].candidate.doc_id;
    if (std::find(documents.begin(), documents.end(), d) == documents.end()) {
      documents.push_back(d);
    }
  }
  auto rank_of = [&](size_t i) {
    const SentenceOption& o = sentences[i].option;
    const Candidate& p = scored.passages[o.passage].candidate;
    const auto d = std::find(documents.begin(), documents.end(), p.doc_id) - documents.begin();
    return std::tuple(d, p.ordinal, o.sentence);
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return rank_of(a) < rank_of(b); });
  std::map<size_t, size_t> number_of;  // passage index -> position in cited
  bool after_list = false;
  for (size_t i : order) {
    const SentenceOption& o = sentences[i].option;
    const auto known = number_of.find(o.passage);
    const size_t number = known != number_of.end() ? known->second : answer.cited.size();
    const std::string marker = " [" + std::to_string(number + 1) + "]";
    const size_t room = defaults::kMaxAnswerBytes -
                        std::min(defaults::kMaxAnswerBytes, answer.text.size() + marker.size() + 1);
    // The first unit is taken whatever its length (a long sentence, or one with the
    // sentences it points back to), so the answer can run out of room: a sentence nothing of
    // which fits is not said, nor cited (a bare marker would cite nothing).
    const std::string said = Shorten(o.text, room);
    if (said.empty() || said == kEllipsis) continue;
    if (known == number_of.end()) {
      number_of.emplace(o.passage, number);
      answer.cited.push_back({o.passage, {}});
    }
    auto& quotes = answer.cited[number].quotes;
    quotes.insert(quotes.end(), o.quotes.begin(), o.quotes.end());
    // A list keeps its lines: it starts on a line of its own, and so does what follows it.
    if (!answer.text.empty()) answer.text += o.lists || after_list ? "\n" : " ";
    answer.text += said + marker;
    after_list = o.lists;
    answer.sentences.push_back(i);
  }
  for (CitedPassage& c : answer.cited) {
    std::sort(c.quotes.begin(), c.quotes.end());
    c.quotes.erase(std::unique(c.quotes.begin(), c.quotes.end()), c.quotes.end());
  }
  return answer;
}

}  // namespace citeqa::retriever
