// Test helpers for the stages after retrieval: candidate passages made from plain texts, and
// those candidates scored without models (retrieval order stands; a sentence scores its
// coverage), so that a test of a feature or a composition rule does not depend on the
// learned models.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "retriever/analysis/question.h"
#include "retriever/retrieval/query_plan.h"
#include "retriever/scoring/scoring_stage.h"

namespace citeqa::testing {

struct PassageText {
  std::string text;
  int64_t doc_id = 0;  // 0: a document of its own
  int ordinal = 0;
  std::string heading;  // the text's first line when not empty
};

// Candidates in the given order; passage ids count from 1.
inline std::vector<retriever::Candidate> CandidatesOf(const std::vector<PassageText>& passages) {
  std::vector<retriever::Candidate> out;
  for (size_t i = 0; i < passages.size(); ++i) {
    retriever::Candidate c;
    c.passage_id = static_cast<int64_t>(i + 1);
    c.doc_id = passages[i].doc_id != 0 ? passages[i].doc_id : static_cast<int64_t>(100 + i);
    c.ordinal = passages[i].ordinal;
    c.doc = "doc" + std::to_string(c.doc_id) + ".txt";
    c.title = "Document " + std::to_string(c.doc_id);
    c.heading = passages[i].heading;
    c.text = passages[i].text;
    out.push_back(std::move(c));
  }
  return out;
}

inline std::vector<retriever::Candidate> CandidatesOf(const std::vector<std::string>& texts) {
  std::vector<PassageText> passages;
  for (const std::string& t : texts) passages.push_back({t});
  return CandidatesOf(passages);
}

// Scored as the pipeline scores before the models exist.
inline retriever::ScoredCandidates ScoreWithoutModels(const retriever::AnalyzedQuestion& question,
                                                      const std::vector<PassageText>& passages) {
  return retriever::ScoreCandidates(question, CandidatesOf(passages), {});
}
inline retriever::ScoredCandidates ScoreWithoutModels(const retriever::AnalyzedQuestion& question,
                                                      const std::vector<std::string>& texts) {
  return retriever::ScoreCandidates(question, CandidatesOf(texts), {});
}

// The index into scored.sentences of the option whose text is `text`, or -1.
inline int OptionIndex(const retriever::ScoredCandidates& scored, const std::string& text) {
  for (size_t i = 0; i < scored.sentences.size(); ++i) {
    if (scored.sentences[i].option.text == text) return static_cast<int>(i);
  }
  return -1;
}

// Plays the sentence model: gives the options with these texts the chances listed (the
// rest keep theirs) and orders the options best first, as scoring does.
inline void SetChances(retriever::ScoredCandidates* scored,
                       const std::vector<std::pair<std::string, double>>& chances) {
  for (const auto& [text, chance] : chances) {
    const int i = OptionIndex(*scored, text);
    EXPECT_GE(i, 0) << "no option reads: " << text;
    if (i < 0) continue;
    scored->sentences[static_cast<size_t>(i)].score = chance;
    scored->sentences[static_cast<size_t>(i)].probability = chance;
  }
  std::stable_sort(scored->sentences.begin(), scored->sentences.end(),
                   [](const retriever::ScoredSentence& a, const retriever::ScoredSentence& b) {
                     return a.score > b.score;
                   });
}

}  // namespace citeqa::testing
