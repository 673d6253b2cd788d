#include "retriever/analysis/question_weighing.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "retriever/analysis/paraphrases.h"
#include "retriever/defaults.h"

namespace citeqa::retriever {
namespace {

void AssignConceptWeights(const Vocabulary& vocab, const PhraseFrequency& phrase_frequency,
                          std::vector<Concept>* concepts) {
  for (Concept& c : *concepts) {
    // A concept is found if any wording is, so its frequency is that of its most common
    // wording.
    int64_t df = 0;
    c.match_cost = 0;
    std::vector<std::string_view> walked;  // each stem's posting list is walked once
    for (size_t a = 0; a < c.stems.size(); ++a) {
      const Phrase& alt = c.stems[a];
      for (const std::string& s : alt) {
        if (std::find(walked.begin(), walked.end(), s) != walked.end()) continue;
        walked.push_back(s);
        c.match_cost += vocab.StemDf(s);
      }
      int64_t alt_df = 0;
      if (alt.size() == 1) {
        alt_df = vocab.StemDf(alt.front());
      } else {
        // Only ask the index when every word occurs somewhere.
        const bool possible = std::all_of(
            alt.begin(), alt.end(), [&](const std::string& s) { return vocab.StemDf(s) > 0; });
        alt_df = possible ? phrase_frequency(c.alternatives[a]) : 0;
      }
      df = std::max(df, alt_df);
    }
    c.df = df;
    c.weight = vocab.Idf(df) * (c.carried ? defaults::kCarriedConceptFactor : 1.0) *
               (c.frame ? defaults::kFrameConceptFactor : 1.0) *
               (c.verb ? defaults::kVerbConceptFactor : 1.0);
  }
}

// The two sides of a comparison are what it is about, however common they are in the
// articles. Without this, sides that every article names ("product owner") weigh nothing,
// and a passage on either side alone looks as good as one that sets them side by side.
void EmphasiseComparedSides(AnalyzedQuestion* question) {
  if (!question->is_comparison) return;
  const auto a = static_cast<size_t>(question->side_a);
  const auto b = static_cast<size_t>(question->side_b);
  if (a >= question->concepts.size() || b >= question->concepts.size()) return;
  double heaviest = 0;
  for (size_t c = 0; c < question->concepts.size(); ++c) {
    // A word no article uses has the highest IDF but says nothing about the sides.
    if (c != a && c != b && question->concepts[c].df > 0) {
      heaviest = std::max(heaviest, question->concepts[c].weight);
    }
  }
  for (size_t side : {a, b}) {
    Concept& c = question->concepts[side];
    c.weight = std::max(c.weight, defaults::kComparedSideShare * heaviest);
  }
}

}  // namespace

AnalyzedQuestion WeighQuestion(AnalyzedQuestion question, const Vocabulary& vocab,
                               const PhraseFrequency& phrase_frequency) {
  KeepIndexedWordings(vocab, &question);
  AssignConceptWeights(vocab, phrase_frequency, &question.concepts);
  EmphasiseComparedSides(&question);
  return question;
}

}  // namespace citeqa::retriever
