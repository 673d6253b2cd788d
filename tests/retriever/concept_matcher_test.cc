// MatchConcepts: which of a question's concepts a text holds, as a phrase or word by word.
#include "retriever/scoring/concept_matcher.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "retriever/defaults.h"
#include "retriever/scoring/passage_layout.h"
#include "tests/retriever/unit_weight_question.h"

namespace citeqa::retriever {
namespace {

SynonymTable Synonyms() { return *SynonymTable::Parse("po, product owner\npm, product manager\n"); }

// The match of each concept, by label.
std::map<std::string, double> MatchesOf(const std::string& question, const std::string& text) {
  const AnalyzedQuestion q = testing::AnalyzeWithUnitWeights(question, Synonyms(), nullptr);
  const TextMatch match = MatchConcepts(text, q.concepts);
  std::map<std::string, double> out;
  for (size_t c = 0; c < q.concepts.size(); ++c) out[q.concepts[c].label] = match.concept_match[c];
  return out;
}

TEST(ConceptMatcherTest, FindsPhrasesWholeOrWordByWord) {
  struct Case {
    std::string text;
    double owner;
    double backlog;
  } cases[] = {
      {"The product owner keeps the backlog.", 1.0, 1.0},
      {"The PO keeps the backlogs.", 1.0, 1.0},          // abbreviation, inflection
      {"The owner of the product keeps it.", 0.5, 0.0},  // both words, apart
      {"Nothing relevant here.", 0.0, 0.0},
  };
  for (const auto& c : cases) {
    const auto m = MatchesOf("What does a product owner do with the backlog?", c.text);
    EXPECT_EQ(m.at("product owner"), c.owner) << c.text;
    EXPECT_EQ(m.at("backlog"), c.backlog) << c.text;
  }
}

TEST(ConceptMatcherTest, AWordInsideAnotherConceptsPhraseIsNotAlsoAShorterConcept) {
  struct Case {
    std::string text;
    double products;
  } cases[] = {
      // "product" here is part of the roles, which are concepts of their own.
      {"A product owner works with a product manager.", 0.0},
      {"A product owner looks after a single product.", 1.0},
      {"The product manager deals with multiple products.", 1.0},
      {"Products are built by teams.", 1.0},
  };
  for (const auto& c : cases) {
    const auto m = MatchesOf(
        "Which role looks after more products, a product owner or a product manager?", c.text);
    EXPECT_EQ(m.at("products"), c.products) << c.text;
  }
  const auto roles = MatchesOf(
      "Which role looks after more products, a product owner or a product manager?", cases[0].text);
  EXPECT_EQ(roles.at("product owner"), 1.0);
  EXPECT_EQ(roles.at("product manager"), 1.0);
  // A concept's own phrase does not block its own shorter wording.
  const auto own = MatchesOf("Who is a PM?", "The product manager and the PM.");
  EXPECT_EQ(own.at("pm"), 1.0);
}

TEST(ConceptMatcherTest, OneMatcherServesManyTextsAlike) {
  const AnalyzedQuestion q = testing::AnalyzeWithUnitWeights(
      "How does the average product owner salary compare with a PM's?", Synonyms(), nullptr);
  const ConceptMatcher matcher(q.concepts);
  const char* texts[] = {
      "The average salary of a product owner is lower than a product manager's salary.",
      "Salaries: averages vary. A PM earns more.",
      "Nothing about it here.",
      "",
      "The average product owner salary is high, the average product owner salary says.",
  };
  for (int round = 0; round < 2; ++round) {  // the second round meets words already stemmed
    for (const char* text : texts) {
      const TextMatch once = MatchConcepts(text, q.concepts);
      const TextMatch reused = matcher.Match(text);
      EXPECT_EQ(reused.concept_match, once.concept_match) << text;
      EXPECT_EQ(reused.concept_count, once.concept_count) << text;
      EXPECT_EQ(reused.first_position, once.first_position) << text;
      EXPECT_EQ(reused.highlights, once.highlights) << text;
      EXPECT_EQ(reused.adjacent_pairs, once.adjacent_pairs) << text;
      // A laid-out passage's words are looked up by their stems' hashes, not stemmed again.
      const PassageLayout layout = LayOutPassage(text, "");
      EXPECT_EQ(matcher.StemIds(layout.stems, layout.stem_hashes), matcher.StemIds(layout.tokens))
          << text;
      // So are a heading's or title's (a LineLayout).
      const LineLayout line = LayOutLine(text);
      const TextMatch of_line =
          matcher.MatchIds(line.tokens, matcher.StemIds(line.stems, line.stem_hashes));
      EXPECT_EQ(of_line.concept_match, once.concept_match) << text;
      EXPECT_EQ(of_line.concept_count, once.concept_count) << text;
      EXPECT_EQ(of_line.highlights, once.highlights) << text;
    }
  }
  const TextMatch repeated = matcher.Match(texts[4]);
  ASSERT_FALSE(q.concepts.empty());
  EXPECT_EQ(repeated.adjacent_pairs, 2) << "average product owner, product owner salary";
  EXPECT_EQ(repeated.concept_count[0], 2) << q.concepts[0].label;
}

// The matcher passes over a concept none of whose stems a text holds, by a 64-bit set of
// stem ids in which ids from 63 on share a bit: with more stems than that, every concept is
// still found, as a phrase, word by word, or by a related wording.
TEST(ConceptMatcherTest, FindsEveryConceptOfAQuestionWithMoreStemsThanASetOfBitsHolds) {
  std::vector<Concept> concepts;
  auto word = [](size_t i) { return std::string("zq") + char('a' + i / 26) + char('a' + i % 26); };
  for (size_t i = 0; i < 70; ++i) {
    Concept c;
    c.label = word(i);
    c.alternatives = {{word(i)}};
    c.stems = {{word(i)}};
    c.first_token = c.last_token = static_cast<int>(i);
    concepts.push_back(c);
  }
  Concept phrase;  // stems of ids 70 and 71
  phrase.label = "zzfirst zzsecond";
  phrase.alternatives = {{"zzfirst", "zzsecond"}};
  phrase.stems = phrase.alternatives;
  phrase.related = {{"zzother"}};  // id 72
  phrase.related_stems = phrase.related;
  phrase.first_token = 70;
  phrase.last_token = 71;
  concepts.push_back(phrase);
  const ConceptMatcher matcher(concepts);
  struct Case {
    std::string text;
    std::map<size_t, double> expected;  // by concept; the rest 0
  } cases[] = {
      {"Here zqbr stands alone.", {{43, 1.0}}},                    // id 43
      {"Here zqcq stands alone.", {{68, 1.0}}},                    // id 68, past the set's bits
      {"Then zzfirst zzsecond, and zqaa.", {{70, 1.0}, {0, 1.0}}},  // a phrase past them
      {"Then zzsecond and zzfirst apart.", {{70, defaults::kPartialMatchCredit}}},
      {"Only zzother here.", {{70, defaults::kPartialMatchCredit}}},
      {"Only zzfirst here.", {}},
      {"Nothing of it.", {}},
  };
  for (const Case& c : cases) {
    const TextMatch match = matcher.Match(c.text);
    for (size_t k = 0; k < concepts.size(); ++k) {
      const auto it = c.expected.find(k);
      EXPECT_EQ(match.concept_match[k], it == c.expected.end() ? 0.0 : it->second)
          << c.text << " concept " << concepts[k].label;
    }
  }
}

TEST(ConceptMatcherTest, HighlightsEachMatchedWordOnceInTextOrder) {
  const AnalyzedQuestion q = testing::AnalyzeWithUnitWeights(
      "What does a product owner do with the backlog?", Synonyms(), nullptr);
  // The second concept comes first, the first comes in two wordings, one inside the other's
  // span ("owner" of "product owner").
  const std::string text =
      "The backlogs are ordered by the product owner; the PO owns the backlog.";
  const TextMatch match = MatchConcepts(text, q.concepts);
  std::vector<std::string> words;
  for (const auto& [begin, end] : match.highlights) {
    words.push_back(text.substr(static_cast<size_t>(begin), static_cast<size_t>(end - begin)));
  }
  EXPECT_EQ(words, (std::vector<std::string>{"backlogs", "product", "owner", "PO", "backlog"}));
  for (size_t i = 1; i < match.highlights.size(); ++i) {
    EXPECT_LT(match.highlights[i - 1].second, match.highlights[i].first);
  }
}

TEST(ConceptMatcherTest, HighlightsTheMatchedWordsOnly) {
  const AnalyzedQuestion q =
      testing::AnalyzeWithUnitWeights("What does a product owner do?", Synonyms(), nullptr);
  const std::string text = "A product owner decides.";
  const TextMatch match = MatchConcepts(text, q.concepts);
  ASSERT_EQ(match.highlights.size(), 2u);
  EXPECT_EQ(
      text.substr(static_cast<size_t>(match.highlights[0].first),
                  static_cast<size_t>(match.highlights[1].second - match.highlights[0].first)),
      "product owner");
  EXPECT_EQ(match.words, 4);
}

}  // namespace
}  // namespace citeqa::retriever
