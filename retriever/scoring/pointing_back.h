// Whether a sentence points back at what was said before it ("It was ...", "These steps
// ...", "For example, ..."), read from its opening words: what the sentence model weighs
// (LeansBack) and what composition brings an antecedent for (HowItPointsBack). General
// English, never tuned to one question or corpus. All functions are pure and thread-safe.
#pragma once

#include <string_view>

namespace citeqa::retriever {

// True when the sentence opens with a pronoun, demonstrative or connective that points back
// ("He", "It", "This", "These steps", "Such", "For example", "However", "Also"): a reader
// cannot judge it without the sentence before. The sentence model's feature
// (kSentenceLeansBack), as the models were trained.
bool LeansBack(std::string_view sentence);

// How a sentence points back, if it does: by a word that stands for something named before
// ("He", "It", "This", "The latter"; or a demonstrative in its opening: "By following these
// steps, ...", "Despite this, ...", "One of these is ...", not "In this article, ..."), or by
// a connective that goes on from what was said before ("But", "However", "For example").
// Wider than LeansBack, which reads only the opening word or pair: what composition brings
// an antecedent for. (As the models' feature the wider reading lowered held-out hit@1.)
// Past an opening that holds what it seems to point at, it reads on: a dummy "it" is
// filled by the clause after it ("It is believed that ...", "It has been claimed that
// he ..."), whose opening then decides; a connective with its own object ("In addition to
// ...", "As a result of the war, ...") points back by that object or, past the phrase's
// comma, as the main clause does.
enum class PointingBack { kNo, kByReference, kByConnective };
PointingBack HowItPointsBack(std::string_view sentence);

// LeansBack and HowItPointsBack of a sentence at once, from one reading of its opening words
// (and of a clause past a dummy "it" or a connective's object, when there is one): a layout
// works out both for every sentence it lays out.
struct PointingBackReadings {
  bool leans_back = false;
  PointingBack how = PointingBack::kNo;
};
PointingBackReadings ReadPointingBack(std::string_view sentence);

// True when the sentence opens with a pronoun that stands for one person ("He", "She",
// "His", "Her"): what it points back to names someone.
bool OpensWithAPersonalPronoun(std::string_view sentence);

}  // namespace citeqa::retriever
