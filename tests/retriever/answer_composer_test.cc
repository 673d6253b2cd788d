// ComposeAnswer's rules (composition/answer_composer.h), over candidates scored without
// models: a sentence then scores its coverage of the question, and where a rule is about
// what a model prefers, the test gives the options their chances itself (SetChances).
#include "retriever/composition/answer_composer.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "retriever/defaults.h"
#include "retriever/scoring/pointing_back.h"
#include "retriever/scoring/sentence_cues.h"
#include "tests/retriever/scored_passages.h"
#include "tests/retriever/unit_weight_question.h"

namespace citeqa::retriever {
namespace {

using testing::PassageText;

SynonymTable Synonyms() {
  return *SynonymTable::Parse("po, product owner\npm, product manager\nsalary, pay, earn, earns\n");
}

AnalyzedQuestion Analyze(const std::string& text) {
  return testing::AnalyzeWithUnitWeights(text, Synonyms(), nullptr);
}

// Whether option `a` is the sentence just before option `b`: in its passage, or the last of
// the passage before it in its document.
bool Precedes(const ScoredCandidates& scored, const SentenceOption& a, const SentenceOption& b) {
  if (a.passage == b.passage) return a.sentence + 1 == b.sentence;
  const Candidate& pa = scored.passages[a.passage].candidate;
  const Candidate& pb = scored.passages[b.passage].candidate;
  return b.sentence == 0 && pa.doc_id == pb.doc_id && pa.ordinal + 1 == pb.ordinal &&
         a.sentence + 1 == scored.passages[a.passage].evidence.reading.sentences.size();
}

// Whether option `a` is the sentence just before option `b`, or the one before that (a
// sentence going on with a connective may pass over an interjected one: see
// AConnectiveGoesOnFromBeforeACallToActionBetweenParagraphs).
bool PrecedesPastOne(const ScoredCandidates& scored, const SentenceOption& a,
                     const SentenceOption& b) {
  if (Precedes(scored, a, b)) return true;
  return std::any_of(scored.sentences.begin(), scored.sentences.end(), [&](const auto& between) {
    return !between.option.lists && Precedes(scored, a, between.option) &&
           Precedes(scored, between.option, b);
  });
}

// What every composed answer must be, whatever the rules chose: markers [1]..[k] in order of
// first use, one per cited passage; each cited passage's quotes are sorted byte ranges inside
// its text, and each quoted part is in the answer; the sentences said are options of cited
// passages, none of them unquotable, and every one that points back follows the sentence
// before it in its passage.
void ExpectWellFormed(const ScoredCandidates& scored, const ComposedAnswer& answer,
                      const std::string& context) {
  SCOPED_TRACE(context + " -> " + answer.text);
  EXPECT_LE(answer.text.size(), defaults::kMaxAnswerBytes);
  if (answer.text.empty()) {
    EXPECT_TRUE(answer.cited.empty());
    EXPECT_TRUE(answer.sentences.empty());
    return;
  }
  static const std::regex kMarker(R"(\[(\d+)\])");
  std::vector<int> first_use;
  for (auto it = std::sregex_iterator(answer.text.begin(), answer.text.end(), kMarker);
       it != std::sregex_iterator(); ++it) {
    const int n = std::stoi((*it)[1]);
    if (std::find(first_use.begin(), first_use.end(), n) == first_use.end()) first_use.push_back(n);
  }
  std::vector<int> expected;
  for (size_t i = 0; i < answer.cited.size(); ++i) expected.push_back(static_cast<int>(i + 1));
  EXPECT_EQ(first_use, expected);
  EXPECT_EQ(answer.text.back(), ']') << "the last sentence ends with its marker";

  std::set<size_t> cited_passages;
  for (const CitedPassage& c : answer.cited) {
    ASSERT_LT(c.passage, scored.passages.size());
    EXPECT_TRUE(cited_passages.insert(c.passage).second) << "a passage is cited once";
    const std::string& text = scored.passages[c.passage].candidate.text;
    ASSERT_FALSE(c.quotes.empty());
    EXPECT_TRUE(std::is_sorted(c.quotes.begin(), c.quotes.end()));
    for (const auto& [begin, end] : c.quotes) {
      ASSERT_LE(0, begin);
      ASSERT_LT(begin, end);
      ASSERT_LE(static_cast<size_t>(end), text.size());
      const std::string quoted =
          text.substr(static_cast<size_t>(begin), static_cast<size_t>(end - begin));
      EXPECT_NE(answer.text.find(quoted), std::string::npos) << "quote: " << quoted;
    }
  }
  ASSERT_FALSE(answer.sentences.empty());
  EXPECT_LE(answer.sentences.size(), static_cast<size_t>(defaults::kMaxAnswerSentences));
  size_t at = 0;  // where the previous sentence was found in the answer
  for (size_t k = 0; k < answer.sentences.size(); ++k) {
    ASSERT_LT(answer.sentences[k], scored.sentences.size());
    const ScoredSentence& s = scored.sentences[answer.sentences[k]];
    EXPECT_TRUE(cited_passages.count(s.option.passage));
    EXPECT_EQ(s.features[kSentencePromotional], 0.0F) << s.option.text;
    EXPECT_EQ(s.features[kSentenceSignpost], 0.0F) << s.option.text;
    EXPECT_EQ(s.features[kSentenceAsks], 0.0F) << s.option.text;
    EXPECT_EQ(s.features[kSentenceUnfinished], 0.0F) << s.option.text;
    const size_t found = answer.text.find(s.option.text, at);
    EXPECT_NE(found, std::string::npos) << "said in order: " << s.option.text;
    if (found != std::string::npos) at = found;
    const PointingBack pointing = HowItPointsBack(s.option.text);
    if (pointing != PointingBack::kNo && !s.option.lists) {
      const bool connective = pointing == PointingBack::kByConnective;
      const SentenceOption* before =
          k > 0 ? &scored.sentences[answer.sentences[k - 1]].option : nullptr;
      EXPECT_TRUE(before != nullptr && (connective ? PrecedesPastOne(scored, *before, s.option)
                                                   : Precedes(scored, *before, s.option)))
          << "points back without what it points to: " << s.option.text;
    }
  }
}

ComposedAnswer Compose(const AnalyzedQuestion& q, const ScoredCandidates& scored,
                       double follow_threshold = 0.5) {
  ComposedAnswer answer = ComposeAnswer(q, scored, follow_threshold);
  ExpectWellFormed(scored, answer, q.text);
  return answer;
}

TEST(AnswerComposerTest, ASentenceThatPointsBackComesWithItsAntecedent) {
  struct Case {
    std::string question;
    std::vector<std::string> passages;
    std::string answer;
  } cases[] = {
      {"Which teams work on the campaigns?",
       {"Launch Strategy: the product manager oversees the launch. This involves working with "
        "marketing teams on campaigns and with sales teams on training."},
       "Launch Strategy: the product manager oversees the launch. [1] This involves working with "
       "marketing teams on campaigns and with sales teams on training. [1]"},
      {"Which teams work on the campaigns?",
       {"Launches need planning. For example, marketing teams work on campaigns."},
       "Launches need planning. [1] For example, marketing teams work on campaigns. [1]"},
      // Pointing back at the start of a passage, its referent is elsewhere: not quoted.
      {"Which teams work on the campaigns?",
       {"It involves marketing teams working on campaigns.", "Sales teams help campaigns."},
       "Sales teams help campaigns. [1]"},
      {"Which teams work on the campaigns?",
       {"It involves marketing teams working on campaigns. Sales teams help campaigns."},
       "Sales teams help campaigns. [1]"},
      // Nor right under the heading.
      {"Which teams work on the campaigns?",
       {"Campaigns\nThey involve marketing teams working on campaigns.", "Sales teams help."},
       "Sales teams help. [1]"},
      // A demonstrative in the opening phrase points back as an opening pronoun does.
      {"Which teams work on the campaigns?",
       {"Plan the launch with marketing. By following these steps, teams work on campaigns."},
       "Plan the launch with marketing. [1] By following these steps, teams work on "
       "campaigns. [1]"},
      {"Which teams work on the campaigns?",
       {"By following these steps, teams work on campaigns.", "Sales teams help campaigns."},
       "Sales teams help campaigns. [1]"},
  };
  for (const auto& c : cases) {
    const AnalyzedQuestion q = Analyze(c.question);
    std::vector<PassageText> passages;
    for (const std::string& text : c.passages) {
      passages.push_back({text, 0, 0, text.rfind("Campaigns\n", 0) == 0 ? "Campaigns" : ""});
    }
    const ScoredCandidates scored = testing::ScoreWithoutModels(q, passages);
    const ComposedAnswer answer = Compose(q, scored);
    EXPECT_EQ(answer.text, c.answer) << c.passages.front();
  }
}

// A passage's first sentence points back to the end of the passage before it in its
// document: when that passage is among the leading ones, its last sentence comes first (and
// is cited first); from another document, or with no passage before it, it is not quoted.
TEST(AnswerComposerTest, APassageOpeningWithAPointerComesAfterThePassageBefore) {
  const AnalyzedQuestion q = Analyze("Which teams work on the campaigns?");
  const std::string pointing = "However, marketing teams work on campaigns.";
  const ScoredCandidates scored = testing::ScoreWithoutModels(
      q, std::vector<PassageText>{{pointing, 5, 4},
                                  {"Launches need planning. Sales leads them.", 5, 3}});
  const ComposedAnswer answer = Compose(q, scored);
  EXPECT_EQ(answer.text, "Sales leads them. [1] " + pointing + " [2]");
  ASSERT_EQ(answer.cited.size(), 2u);
  EXPECT_EQ(answer.cited[0].passage, 1u);
  EXPECT_EQ(answer.cited[1].passage, 0u);

  const std::string plain = "Sales teams help with campaigns.";
  for (const std::vector<PassageText>& apart :
       {std::vector<PassageText>{{pointing, 5, 4}, {"Sales leads them.", 6, 3}, {plain, 7, 0}},
        std::vector<PassageText>{{pointing, 5, 4}, {"Sales leads them.", 5, 2}, {plain, 7, 0}}}) {
    EXPECT_EQ(Compose(q, testing::ScoreWithoutModels(q, apart)).text, plain + " [1]");
  }
}

// The first sentence is said with what it points back to however long they are together;
// a sentence that then finds no room at all is neither said nor cited, never a bare marker.
TEST(AnswerComposerTest, ASentenceWithNoRoomLeftIsNeitherSaidNorCited) {
  const AnalyzedQuestion q = Analyze("Which teams work on the campaigns?");
  std::string long_one = "Launches need planning";
  while (long_one.size() < defaults::kMaxAnswerBytes - 8) long_one += " and planning";
  long_one += ".";
  const ScoredCandidates scored = testing::ScoreWithoutModels(
      q, std::vector<PassageText>{{"However, marketing teams work on campaigns.", 5, 4},
                                  {long_one, 5, 3}});
  const ComposedAnswer answer = Compose(q, scored);
  EXPECT_EQ(answer.text, long_one + " [1]");
  ASSERT_EQ(answer.cited.size(), 1u);
  EXPECT_EQ(answer.cited[0].passage, 1u);
}

// Scraped pages put calls to action between paragraphs: a sentence that goes on with a
// connective ("But ...") goes on from the sentence before one, which is not said. Only a
// short imperative to the reader that names none of the question's concepts and shares no
// word with the sentence is taken for one (or a sentence never quoted), and only one is
// passed over.
TEST(AnswerComposerTest, AConnectiveGoesOnFromBeforeACallToActionBetweenParagraphs) {
  const AnalyzedQuestion q = Analyze("Which teams work on the campaigns?");
  const std::string but = "But sales teams run the campaigns.";
  struct Case {
    std::string before;  // the sentences before `but`
    std::string answer;
  } cases[] = {
      {"Marketing teams plan launches. Create beautiful roadmaps in minutes.",
       "Marketing teams plan launches. [1] " + but + " [1]"},
      {"Marketing teams plan launches. Try it free.",
       "Marketing teams plan launches. [1] " + but + " [1]"},
      // Never quotable (a call to action IsPromotional knows), whatever its length.
      {"Marketing teams plan launches. Subscribe to our newsletter for weekly tips on launches, "
       "pricing and roadmaps.",
       "Marketing teams plan launches. [1] " + but + " [1]"},
      // No imperative, sharing a word with the sentence, or longer: what it goes on from.
      {"Marketing teams plan launches. Launches need planning.",
       "Launches need planning. [1] " + but + " [1]"},
      {"Marketing teams plan launches. Create more sales.",
       "Create more sales. [1] " + but + " [1]"},
      {"Marketing teams plan launches. Create a plan for every launch in the spring and the "
       "autumn.",
       "Create a plan for every launch in the spring and the autumn. [1] " + but + " [1]"},
      // Two such lines: what it goes on from is not found, and it is not said.
      {"Marketing teams plan launches. Create beautiful roadmaps in minutes. Try it free.",
       "Marketing teams plan launches. [1]"},
  };
  for (const Case& c : cases) {
    const ScoredCandidates scored =
        testing::ScoreWithoutModels(q, std::vector<std::string>{c.before + " " + but});
    EXPECT_EQ(Compose(q, scored).text, c.answer) << c.before;
  }
}

// A list item opens with a label and a fragment; "He ..." after it in the item stands for
// the list's subject, named in the list's lead-in, which comes too. "This backlog ..." is
// the item's own, and with no lead-in in the passage "He ..." is not said.
TEST(AnswerComposerTest, APersonalPronounInAListItemComesWithTheListsLeadIn) {
  const AnalyzedQuestion q = Analyze("Who decides the order of the backlog?");
  const std::string lead_in = "Product owners handle many tasks, which include:";
  const std::string item = "Managing the Backlog: Defining and ordering stories in the backlog.";
  const std::string he = "He is the one who decides the order of the backlog.";
  const std::string rest = "\n- Sprint Planning: Meeting the team.";

  const ComposedAnswer with_lead_in = Compose(
      q, testing::ScoreWithoutModels(
             q, std::vector<std::string>{lead_in + "\n- " + item + " " + he + rest}));
  const size_t at_lead_in = with_lead_in.text.find(lead_in);
  const size_t at_item = with_lead_in.text.find(item);
  const size_t at_he = with_lead_in.text.find(he);
  ASSERT_NE(at_he, std::string::npos) << with_lead_in.text;
  EXPECT_LT(at_lead_in, at_item) << with_lead_in.text;
  EXPECT_LT(at_item, at_he) << with_lead_in.text;

  const std::string this_one = "This backlog is where the order of the stories is decided.";
  const ComposedAnswer own = Compose(
      q, testing::ScoreWithoutModels(
             q, std::vector<std::string>{lead_in + "\n- " + item + " " + this_one + rest}));
  EXPECT_NE(own.text.find(this_one), std::string::npos) << own.text;
  EXPECT_EQ(own.text.find(lead_in), std::string::npos) << own.text;

  const ComposedAnswer no_lead_in = Compose(
      q, testing::ScoreWithoutModels(q, std::vector<std::string>{"- " + item + " " + he + rest}));
  EXPECT_EQ(no_lead_in.text.find(he), std::string::npos) << no_lead_in.text;
}

TEST(AnswerComposerTest, AChainOfPointingSentencesIsNeverCutInTheMiddle) {
  const AnalyzedQuestion q = Analyze("Which sales teams run the campaigns?");
  const ScoredCandidates scored = testing::ScoreWithoutModels(
      q, std::vector<std::string>{
             "Marketing plans the launch. This involves the campaigns. It needs the sales teams "
             "too."});
  // "It needs the sales teams" covers most; it points at "This involves the campaigns",
  // which points at "Marketing plans the launch": Compose checks that every sentence that
  // points back comes after the one it points to.
  const ComposedAnswer answer = Compose(q, scored);
  EXPECT_NE(answer.text.find("It needs the sales teams too."), std::string::npos);
  const size_t at = answer.text.find("This involves the campaigns");
  EXPECT_EQ(answer.text.find("This involves the campaigns", at + 1), std::string::npos);
}

TEST(AnswerComposerTest, CountsWhatOnlyTheEarlierSentenceSaysForLess) {
  // Joined, the first passage's two sentences hold every word of the question; but the
  // second alone lacks "keeps", and the other passage's sentence says it all by itself.
  const AnalyzedQuestion q = Analyze("What keeps the brand visible?");
  const ScoredCandidates scored = testing::ScoreWithoutModels(
      q, std::vector<std::string>{
             "Marketing keeps the brand campaigns running. This makes the brand visible.",
             "Regular posts keep the brand visible."});
  const ComposedAnswer answer = Compose(q, scored);
  EXPECT_EQ(answer.text, "Regular posts keep the brand visible. [1]");
  ASSERT_EQ(answer.cited.size(), 1u);
  EXPECT_EQ(answer.cited[0].passage, 1u);
}

TEST(AnswerComposerTest, NeverQuotesWhatSellsAnnouncesAsksOrTrailsOff) {
  const AnalyzedQuestion q = Analyze("What does a product owner do with the backlog?");
  const std::string plain = "The product owner orders the backlog.";
  const std::string unquotable[] = {
      "Sign up for our newsletter on what a product owner does with the backlog.",
      "Contact us to learn what a product owner does with the backlog.",
      "In this article, we will explore what a product owner does with the backlog.",
      "What does a product owner do with the backlog?",
      "A product owner does many things with the backlog...",
  };
  for (const std::string& bad : unquotable) {
    // Alone in its passage, and before a plain sentence in the same passage.
    for (const std::vector<std::string>& passages :
         {std::vector<std::string>{bad, plain}, std::vector<std::string>{bad + " " + plain}}) {
      const ScoredCandidates scored = testing::ScoreWithoutModels(q, passages);
      ASSERT_GE(testing::OptionIndex(scored, bad), 0) << bad;
      const ComposedAnswer answer = Compose(q, scored);
      EXPECT_EQ(answer.text.find(bad.substr(0, 20)), std::string::npos) << answer.text;
      EXPECT_EQ(answer.text.rfind(plain, 0), 0u) << answer.text;
    }
  }
  // Nothing else to say: no answer.
  const ScoredCandidates only_bad =
      testing::ScoreWithoutModels(q, std::vector<std::string>{unquotable[0], unquotable[3]});
  EXPECT_TRUE(Compose(q, only_bad).text.empty());
  EXPECT_TRUE(Compose(q, ScoredCandidates{}).text.empty());
}

TEST(AnswerComposerTest, FurtherSentencesComeFromTheFirstSentencesPassage) {
  const AnalyzedQuestion q = Analyze("What does a product owner do with the backlog?");
  ScoredCandidates scored = testing::ScoreWithoutModels(
      q, std::vector<std::string>{
             "The product owner orders the backlog. The product owner refines the backlog.",
             "A product owner shares the backlog with stakeholders."});
  testing::SetChances(&scored, {{"The product owner orders the backlog.", 0.9},
                                {"A product owner shares the backlog with stakeholders.", 0.8},
                                {"The product owner refines the backlog.", 0.6}});
  const ComposedAnswer answer = Compose(q, scored, /*follow_threshold=*/0.5);
  EXPECT_EQ(answer.text,
            "The product owner orders the backlog. [1] The product owner refines the backlog. [1]");
  ASSERT_EQ(answer.cited.size(), 1u);
  EXPECT_EQ(answer.cited[0].passage, 0u);
  // Below the follow threshold, a sentence does not join.
  const ComposedAnswer strict = Compose(q, scored, /*follow_threshold=*/0.7);
  EXPECT_EQ(strict.text, "The product owner orders the backlog. [1]");
}

TEST(AnswerComposerTest, SentencesOfAnArticleComeInItsOrder) {
  const AnalyzedQuestion q = Analyze("What does a product owner do with the backlog?");
  ScoredCandidates scored = testing::ScoreWithoutModels(
      q, std::vector<std::string>{"The product owner writes the backlog. The product owner "
                                  "then orders the backlog by value."});
  testing::SetChances(&scored, {{"The product owner then orders the backlog by value.", 0.9},
                                {"The product owner writes the backlog.", 0.7}});
  const ComposedAnswer answer = Compose(q, scored);
  EXPECT_EQ(answer.text,
            "The product owner writes the backlog. [1] The product owner then orders the backlog "
            "by value. [1]");
  ASSERT_EQ(answer.cited.size(), 1u);
  const std::string& text = scored.passages[0].candidate.text;
  const size_t second = text.find("The product owner then");
  EXPECT_EQ(answer.cited[0].quotes,
            (std::vector<std::pair<int, int>>{
                {0, static_cast<int>(second) - 1},
                {static_cast<int>(second), static_cast<int>(text.size())}}));
}

TEST(AnswerComposerTest, AComparisonGetsTheMissingSideFromAnyPassage) {
  const AnalyzedQuestion q = Analyze("Who earns more, a product owner or a product manager?");
  ASSERT_TRUE(q.is_comparison);
  struct Case {
    std::vector<PassageText> passages;
    std::string answer;
  } cases[] = {
      // Two articles: the first sentence's article first.
      {{{"A product owner earns $107,000 a year.", 7, 3},
        {"A product manager earns $97,000 a year.", 8, 0}},
       "A product owner earns $107,000 a year. [1] A product manager earns $97,000 a year. [2]"},
      // One article: its order, and the markers follow their first use.
      {{{"A product owner earns $107,000 a year.", 7, 3},
        {"A product manager earns $97,000 a year.", 7, 1}},
       "A product manager earns $97,000 a year. [1] A product owner earns $107,000 a year. [2]"},
  };
  for (const auto& c : cases) {
    const ScoredCandidates scored = testing::ScoreWithoutModels(q, c.passages);
    const ComposedAnswer answer = Compose(q, scored, /*follow_threshold=*/1.1);
    EXPECT_EQ(answer.text, c.answer);
    ASSERT_EQ(answer.cited.size(), 2u);
    EXPECT_EQ(scored.passages[answer.cited[0].passage].candidate.text.substr(0, 17),
              c.answer.substr(0, 17));
  }
}

TEST(AnswerComposerTest, AListStaysAList) {
  const AnalyzedQuestion q = Analyze("What challenges come up when one person holds both roles?");
  ASSERT_TRUE(q.asks_list);
  const ScoredCandidates scored = testing::ScoreWithoutModels(
      q, std::vector<std::string>{
             "When one person holds both roles, they must balance strategy with daily work. It "
             "can be demanding. Here are some considerations:\n"
             "- Time Allocation: the daily work takes hours.\n"
             "- Risk of Burnout: doing everything is exhausting.\n"
             "Both roles need support from the team.\n"});
  const std::string list =
      "Here are some considerations:\n- Time Allocation: the daily work takes hours\n"
      "- Risk of Burnout: doing everything is exhausting";
  ASSERT_GE(testing::OptionIndex(scored, list), 0);
  struct Case {
    std::vector<std::pair<std::string, double>> chances;
    std::string answer;
  } cases[] = {
      {{{list, 0.99}}, list + " [1]"},
      // What follows a list starts on a line of its own.
      {{{list, 0.99}, {"Both roles need support from the team.", 0.97}},
       list + " [1]\nBoth roles need support from the team. [1]"},
      // The list starts on a line of its own, after what comes before it in the article.
      {{{list, 0.99}, {"It can be demanding.", 0.98}},
       "When one person holds both roles, they must balance strategy with daily work. [1] It can "
       "be demanding. [1]\n" +
           list + " [1]"},
      // Its items are not said again on their own.
      {{{list, 0.99}, {"Risk of Burnout: doing everything is exhausting.", 0.98}}, list + " [1]"},
  };
  for (const auto& c : cases) {
    ScoredCandidates chosen = scored;
    testing::SetChances(&chosen, c.chances);
    EXPECT_EQ(Compose(q, chosen, /*follow_threshold=*/0.95).text, c.answer);
  }
}

TEST(AnswerComposerTest, ALongSentenceIsShortenedToFit) {
  const AnalyzedQuestion q = Analyze("What does a product owner do with the backlog?");
  std::string sentence = "The product owner orders the backlog";
  while (sentence.size() < 700) sentence += " and orders the backlog";
  sentence += ".";
  const ScoredCandidates scored =
      testing::ScoreWithoutModels(q, std::vector<std::string>{sentence});
  const ComposedAnswer answer = ComposeAnswer(q, scored, 0.5);
  EXPECT_LE(answer.text.size(), defaults::kMaxAnswerBytes);
  EXPECT_EQ(answer.text.rfind("The product owner orders the backlog and", 0), 0u);
  EXPECT_NE(answer.text.find("\xE2\x80\xA6 [1]"), std::string::npos) << answer.text;
  ASSERT_EQ(answer.cited.size(), 1u);
  EXPECT_EQ(answer.cited[0].quotes,
            (std::vector<std::pair<int, int>>{{0, static_cast<int>(sentence.size())}}));
}

}  // namespace
}  // namespace citeqa::retriever
