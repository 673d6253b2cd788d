// Test helper: a question analysed as the engine would, with every concept given the same
// document frequency and weight, so that a test of one signal does not depend on an index.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "retriever/analysis/question_analyzer.h"

namespace citeqa::testing {

inline retriever::AnalyzedQuestion AnalyzeWithUnitWeights(const std::string& text,
                                                          const retriever::SynonymTable& synonyms,
                                                          const retriever::WordNet* wordnet) {
  auto q = retriever::AnalyzeQuestion(text, synonyms, nullptr, wordnet);
  EXPECT_TRUE(q.ok()) << text;
  retriever::AnalyzedQuestion out = q.ok() ? *q : retriever::AnalyzedQuestion{};
  for (retriever::Concept& c : out.concepts) {
    c.df = 5;
    c.weight = 1.0;
  }
  return out;
}

}  // namespace citeqa::testing
