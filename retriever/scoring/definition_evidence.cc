#include "retriever/scoring/definition_evidence.h"

#include <algorithm>
#include <string>

#include "indexer/text.h"
#include "retriever/analysis/answer_type.h"

namespace citeqa::retriever {
namespace {

// What may follow the defined word: a copula with an article, "refers to", "means", an
// appositive (", a ..."), or a parenthesis ("Product Owner (PO) is ...").
constexpr std::string_view kDefiningOpenings[] = {
    " is a ",      " is an ", " is the ",        " is one ", " are a ", " are an ", " are the ",
    " refers to ", " means ", " is defined as ", ", a ",     ", an ",   " ("};

// A defined word reads as at most this many bytes of its sentence after it.
constexpr size_t kOpeningLookahead = 16;

}  // namespace

double DefinitionFit(std::string_view sentence, const TextMatch& match, int offset) {
  return DefinitionFit(sentence, match, offset, AnswerTypeFit(AnswerType::kDefinition, sentence));
}

double DefinitionFit(std::string_view sentence, const TextMatch& match, int offset,
                     double definition_type_fit) {
  for (const auto& [begin, end] : match.highlights) {
    if (end < offset) continue;
    const auto from = static_cast<size_t>(end - offset);
    if (from > sentence.size()) continue;
    std::string rest = indexer::AsciiLower(sentence.substr(from, kOpeningLookahead));
    rest += ' ';  // an opening may end the lookahead
    for (std::string_view opening : kDefiningOpenings) {
      if (rest.rfind(opening, 0) == 0) return 1.0;
    }
  }
  return defaults::kOtherDefinitionFit * definition_type_fit;
}

}  // namespace citeqa::retriever
