// PassageLayouts (one layout per passage of an index version, shared by questions) and what a
// layout remembers: its stems and the answer-type fit of each sentence.
#include "retriever/scoring/passage_layout.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "retriever/scoring/concept_matcher.h"
#include "retriever/scoring/pointing_back.h"
#include "retriever/scoring/sentence_cues.h"

namespace citeqa::retriever {
namespace {

// For every answer type, the fit a layout remembers (`remembered(type)`) is the fit of `text`
// itself.
template <typename RememberedFit>
void ExpectFitsOf(const std::string& text, const RememberedFit& remembered) {
  for (size_t t = 0; t < kAnswerTypeCount; ++t) {
    const auto type = static_cast<AnswerType>(t);
    EXPECT_FLOAT_EQ(static_cast<float>(remembered(type)),
                    static_cast<float>(AnswerTypeFit(type, text)))
        << text << " / " << AnswerTypeName(type);
  }
}

TEST(PassageLayoutTest, StemsAndWordSetFollowTheTokens) {
  const std::string text = "Owners\nProduct owners order backlogs. The owner orders them.";
  const PassageLayout layout = LayOutPassage(text, "Owners");
  ASSERT_EQ(layout.stems.size(), layout.tokens.size());
  for (size_t i = 0; i < layout.tokens.size(); ++i) {
    EXPECT_EQ(layout.stems[i], indexer::Stem(layout.tokens[i].text)) << layout.tokens[i].text;
  }
  // "owner" and "orders"... appear twice as words or stems, but the word set counts each
  // distinct word once.
  EXPECT_LT(layout.word_set.size(), layout.tokens.size());
  EXPECT_TRUE(std::is_sorted(layout.word_set.begin(), layout.word_set.end()));
  ASSERT_EQ(layout.sentences.size(), 2u);
  ASSERT_EQ(layout.type_fits.size(), layout.sentences.size());
}

// A layout looks each word's facts up once (a memo per thread): a word met again, capitalised
// or not, still gets its own token's kinds, and every stem its hash.
TEST(PassageLayoutTest, WordKindsAndStemHashesFollowEachToken) {
  const std::string text = "Three owners met in 1998. three Owners left; the owners stayed.";
  for (int pass = 0; pass < 2; ++pass) {  // the second pass finds every word remembered
    const PassageLayout layout = LayOutPassage(text, "");
    ASSERT_EQ(layout.word_kinds.size(), layout.tokens.size());
    ASSERT_EQ(layout.stem_hashes.size(), layout.tokens.size());
    for (size_t i = 0; i < layout.tokens.size(); ++i) {
      EXPECT_EQ(layout.word_kinds[i], KindsOfWord(text, layout.tokens[i]))
          << pass << " " << layout.tokens[i].text << " at " << layout.tokens[i].begin;
      EXPECT_EQ(layout.stem_hashes[i], StemHash(layout.stems[i])) << layout.tokens[i].text;
    }
    // "Three" and "three", "owners" and "Owners": the capital is the token's, not the word's.
    EXPECT_NE(layout.word_kinds[0] & kWordIsCapitalised, 0);
    EXPECT_EQ(layout.word_kinds[5] & kWordIsCapitalised, 0);
    EXPECT_NE(layout.word_kinds[6] & kWordIsCapitalised, 0);
    EXPECT_NE(layout.word_kinds[0] & kWordIsNumberWord, 0);
    EXPECT_NE(layout.word_kinds[4] & kWordIsYear, 0);
  }
}

TEST(PassageLayoutTest, RememberedTypeFitsEqualTheFitOfTheSentenceText) {
  const std::string text =
      "Pay\n"
      "A product owner earns $120,000 a year on average. Teams exist because work needs "
      "owners. The role is responsible for the backlog. Scrum is a framework, whereas Kanban "
      "is a method. It started in 2001.";
  const PassageLayout layout = LayOutPassage(text, "Pay");
  ASSERT_EQ(layout.sentences.size(), 5u);
  for (int round = 0; round < 2; ++round) {  // worked out, then remembered
    for (size_t s = 0; s < layout.sentences.size(); ++s) {
      const SentenceSpan& span = layout.sentences[s];
      const std::string sentence =
          text.substr(static_cast<size_t>(span.begin), static_cast<size_t>(span.end - span.begin));
      ExpectFitsOf(sentence, [&](AnswerType type) { return layout.SentenceTypeFit(s, type); });
    }
  }
  // The sentences differ in kind: the amount fits kAmount and the reason kReason only.
  EXPECT_GT(layout.SentenceTypeFit(0, AnswerType::kAmount), 0.0);
  EXPECT_EQ(layout.SentenceTypeFit(1, AnswerType::kAmount), 0.0);
  EXPECT_GT(layout.SentenceTypeFit(1, AnswerType::kReason), 0.0);
}

// A list item's quote drops its marker and full stop; a list option's text is given.
TEST(PassageLayoutTest, RememberedQuoteAndListFitsEqualTheFitOfTheirText) {
  const std::string text =
      "Pay\n"
      "Owners are paid in three ways:\n"
      "- A salary of $120,000.\n"
      "- A bonus because targets were met.";
  const PassageLayout layout = LayOutPassage(text, "Pay");
  ASSERT_EQ(layout.sentences.size(), 3u);
  ASSERT_TRUE(layout.sentences[1].list_item);
  const std::string list = "Owners are paid in three ways: a salary; a bonus.";
  for (int round = 0; round < 2; ++round) {  // worked out, then remembered
    for (size_t s = 0; s < layout.sentences.size(); ++s) {
      const auto [begin, end] = QuotedRange(text, layout.sentences[s]);
      const std::string quote =
          text.substr(static_cast<size_t>(begin), static_cast<size_t>(end - begin));
      ExpectFitsOf(quote, [&](AnswerType type) { return layout.QuotedTypeFit(s, type); });
      ExpectFitsOf(list, [&](AnswerType type) { return layout.ListTypeFit(0, type, list); });
    }
  }
  EXPECT_EQ(QuotedRange(text, layout.sentences[1]).first, layout.sentences[1].begin + 2);
  EXPECT_GT(layout.QuotedTypeFit(1, AnswerType::kAmount), 0.0);
  EXPECT_GT(layout.QuotedTypeFit(2, AnswerType::kReason), 0.0);
}

// The cues are of the sentence as quoted: a list item without its marker and full stop.
TEST(PassageLayoutTest, RememberedCuesEqualTheCuesOfTheQuotedSentenceText) {
  const std::string text =
      "Roles\n"
      "It was founded in 2001. Sign up for our newsletter today. The owner orders the "
      "backlog. See the next section for the details. Teams then ...\n"
      "- This includes market research.\n"
      "- Planning";
  const PassageLayout layout = LayOutPassage(text, "Roles");
  ASSERT_EQ(layout.sentences.size(), 7u);
  EXPECT_EQ(QuotedRange(text, layout.sentences[5]),
            std::pair(static_cast<int>(text.find("This includes")),
                      static_cast<int>(text.find(" research.") + 9)));
  ASSERT_EQ(layout.cue_bits.size(), layout.sentences.size());
  int cues_seen = 0;
  for (int round = 0; round < 2; ++round) {  // worked out, then remembered
    for (size_t s = 0; s < layout.sentences.size(); ++s) {
      const auto [begin, end] = QuotedRange(text, layout.sentences[s]);
      const std::string sentence =
          text.substr(static_cast<size_t>(begin), static_cast<size_t>(end - begin));
      const SentenceCues kept = layout.CuesOf(s);
      const SentenceCues fresh = CuesOfText(sentence);
      EXPECT_EQ(kept.leans_back, fresh.leans_back) << sentence;
      EXPECT_EQ(kept.signpost, fresh.signpost) << sentence;
      EXPECT_EQ(kept.promotional, fresh.promotional) << sentence;
      EXPECT_EQ(kept.unfinished, fresh.unfinished) << sentence;
      EXPECT_EQ(kept.points_back, fresh.points_back) << sentence;
      // No sentence here opens with a dummy "it" or a connective with its own object, the
      // one way LeansBack holds and HowItPointsBack does not.
      EXPECT_TRUE(!kept.leans_back || kept.points_back) << "the wider reading holds the narrower";
      cues_seen += kept.leans_back + kept.signpost + kept.promotional + kept.unfinished;
    }
  }
  EXPECT_TRUE(layout.CuesOf(0).leans_back);
  EXPECT_TRUE(layout.CuesOf(1).promotional);
  EXPECT_TRUE(layout.CuesOf(4).unfinished);
  EXPECT_TRUE(layout.CuesOf(5).leans_back);
  const SentenceCues plain = layout.CuesOf(2);
  EXPECT_FALSE(plain.leans_back || plain.signpost || plain.promotional || plain.unfinished ||
               plain.points_back);
  EXPECT_GE(cues_seen, 6);

  // Pointing back past the opening word is a cue of its own, kept apart from leans_back.
  const PassageLayout steps =
      LayOutPassage("Plan the launch. By following these steps, teams ship.", "");
  ASSERT_EQ(steps.sentences.size(), 2u);
  for (int round = 0; round < 2; ++round) {
    EXPECT_TRUE(steps.CuesOf(1).points_back);
    EXPECT_FALSE(steps.CuesOf(1).leans_back);
    EXPECT_FALSE(steps.CuesOf(0).points_back);
  }
}

TEST(PassageLayoutsTest, APassageIsLaidOutOnceAndShared) {
  PassageLayouts layouts(1000);
  const auto first = layouts.Get(7, "Alpha beta gamma.", "");
  const auto again = layouts.Get(7, "Alpha beta gamma.", "");
  EXPECT_EQ(first.get(), again.get());
  const auto other = layouts.Get(8, "Delta epsilon.", "");
  EXPECT_NE(other.get(), first.get());
  EXPECT_EQ(other->tokens.size(), 2u);
}

TEST(PassageLayoutsTest, NewerTextUnderAKeptIdIsLaidOutAfreshAndNotKept) {
  PassageLayouts layouts(1000);
  const auto kept = layouts.Get(7, "Alpha beta gamma.", "");
  const auto newer = layouts.Get(7, "Alpha beta gamma delta.", "");
  EXPECT_NE(newer.get(), kept.get());
  EXPECT_EQ(newer->tokens.size(), 4u);
  EXPECT_EQ(newer->text, "Alpha beta gamma delta.");
  // The version's own text still gets the kept layout.
  EXPECT_EQ(layouts.Get(7, "Alpha beta gamma.", "").get(), kept.get());
  // A different heading is a different layout too (its first line is no sentence).
  const auto headed = layouts.Get(7, "Alpha beta gamma.", "Alpha beta gamma.");
  EXPECT_NE(headed.get(), kept.get());
  EXPECT_TRUE(headed->sentences.empty());
}

TEST(PassageLayoutsTest, ForgetsWhenFullAndKeepsWorking) {
  PassageLayouts layouts(5);  // tokens
  const auto a = layouts.Get(1, "one two three", "");
  EXPECT_EQ(layouts.Get(1, "one two three", "").get(), a.get());
  const auto b = layouts.Get(2, "four five six", "");  // 6 tokens > 5: a is forgotten
  EXPECT_EQ(layouts.Get(2, "four five six", "").get(), b.get());
  const auto a2 = layouts.Get(1, "one two three", "");
  EXPECT_NE(a2.get(), a.get());
  EXPECT_EQ(a2->tokens.size(), 3u);  // the forgotten layout is still valid for its holder
  EXPECT_EQ(a->tokens.size(), 3u);
}

// Questions that read a little more than the budget, over and over (a server's regular
// questions at 100,000 passages), still find many of their layouts kept (42% here): forgetting
// everything when full found none.
TEST(PassageLayoutsTest, WhenFullForgetsAboutHalfAndKeepsTheRest) {
  constexpr size_t kBudget = 200;  // tokens
  PassageLayouts layouts(kBudget);
  const auto text_of = [](int id) { return "word" + std::to_string(id) + " another"; };
  constexpr int kPassages = 110;  // of 2 tokens each: 1.1 times the budget
  for (int id = 0; id < kPassages; ++id) layouts.Get(id, text_of(id), "");
  EXPECT_LE(layouts.held_tokens(), kBudget);
  EXPECT_GE(layouts.held_tokens(), kBudget / 2);
  int kept = 0;
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    for (int id = 0; id < kPassages; ++id) {
      bool laid_out = true;
      const auto layout = layouts.Get(id, text_of(id), "", &laid_out);
      ASSERT_EQ(layout->text, text_of(id));
      kept += laid_out ? 0 : 1;
      ASSERT_LE(layouts.held_tokens(), kBudget);
    }
  }
  EXPECT_GE(kept, kRounds * kPassages / 3);
}

TEST(PassageLayoutsTest, ForgetLaysOutAgain) {
  PassageLayouts layouts(1000);
  const auto before = layouts.Get(1, "one two three", "");
  layouts.Forget();
  const auto after = layouts.Get(1, "one two three", "");
  EXPECT_NE(after.get(), before.get());
  EXPECT_EQ(layouts.Get(1, "one two three", "").get(), after.get());
}

TEST(PassageLayoutsTest, ALaterVersionSharesUnchangedLayoutsAndLaysOutChangedOnes) {
  PassageLayouts earlier(1000);
  const auto unchanged = earlier.Get(1, "Alpha beta gamma.", "");
  const auto changed = earlier.Get(2, "Delta epsilon.", "");
  const auto unread = earlier.Get(4, "Iota kappa.", "");
  const auto line = earlier.GetLine("A heading");

  PassageLayouts later(1000);
  later.Inherit(earlier);
  bool laid_out = true;
  EXPECT_EQ(later.Get(1, "Alpha beta gamma.", "", &laid_out).get(), unchanged.get());
  EXPECT_FALSE(laid_out);
  const auto rewritten = later.Get(2, "Delta epsilon zeta.", "", &laid_out);
  EXPECT_TRUE(laid_out);
  EXPECT_NE(rewritten.get(), changed.get());
  EXPECT_EQ(rewritten->tokens.size(), 3u);
  // The changed passage's new layout is this version's own: kept, not laid out again.
  EXPECT_EQ(later.Get(2, "Delta epsilon zeta.", "", &laid_out).get(), rewritten.get());
  EXPECT_FALSE(laid_out);
  EXPECT_EQ(later.GetLine("A heading").get(), line.get());
  // The earlier version keeps its own layouts for the questions still reading it.
  EXPECT_EQ(earlier.Get(2, "Delta epsilon.", "").get(), changed.get());

  // A third version takes over what the second read and what it inherited unread (id 4),
  // not what the first laid out after the second took over (id 3).
  const auto after_the_copy = earlier.Get(3, "Eta theta.", "");
  PassageLayouts third(1000);
  third.Inherit(later);
  EXPECT_EQ(third.Get(1, "Alpha beta gamma.", "").get(), unchanged.get());
  EXPECT_EQ(third.Get(2, "Delta epsilon zeta.", "").get(), rewritten.get());
  EXPECT_EQ(third.Get(4, "Iota kappa.", "").get(), unread.get());
  EXPECT_NE(third.Get(3, "Eta theta.", "").get(), after_the_copy.get());
}

TEST(PassageLayoutsTest, DroppingWhatWasInheritedAndNotReadFreesItsBudget) {
  PassageLayouts earlier(1000);
  const auto read = earlier.Get(1, "one two three", "");
  const auto gone = earlier.Get(2, "four five six", "");
  PassageLayouts later(8);  // tokens: the six inherited and two more
  later.Inherit(earlier);
  EXPECT_EQ(later.Get(1, "one two three", "").get(), read.get());
  later.DropInherited();
  EXPECT_NE(later.Get(2, "four five six", "").get(), gone.get()) << "dropped";
  // 3 + 3 tokens now held: another 2 fit without forgetting passage 1...
  const auto fits = later.Get(5, "seven eight", "");
  EXPECT_EQ(later.Get(1, "one two three", "").get(), read.get());
  EXPECT_EQ(later.Get(5, "seven eight", "").get(), fits.get());
}

TEST(PassageLayoutsTest, InheritingMoreThanTheBudgetTakesNothing) {
  PassageLayouts earlier(1000);
  const auto kept = earlier.Get(1, "one two three four five six", "");
  PassageLayouts later(5);  // tokens
  later.Inherit(earlier);
  EXPECT_NE(later.Get(1, "one two three four five six", "").get(), kept.get());
}

TEST(PassageLayoutTest, ALineIsLaidOutAsAPassagesWords) {
  const LineLayout line = LayOutLine("What the Product Owners of a team do");
  ASSERT_EQ(line.tokens.size(), 8u);
  ASSERT_EQ(line.stems.size(), line.tokens.size());
  ASSERT_EQ(line.stem_hashes.size(), line.tokens.size());
  for (size_t i = 0; i < line.tokens.size(); ++i) {
    EXPECT_EQ(line.stems[i], indexer::Stem(line.tokens[i].text));
    EXPECT_EQ(line.stem_hashes[i], StemHash(line.stems[i]));
  }
  EXPECT_EQ(line.content_words, 3);  // product, owners, team
  EXPECT_TRUE(LayOutLine("").tokens.empty());
  EXPECT_EQ(LayOutLine("The and of").content_words, 0);
}

TEST(PassageLayoutsTest, LinesAreKeptBesidePassagesAndForgottenWhenFull) {
  PassageLayouts layouts(8);  // tokens
  const auto title = layouts.GetLine("Product owner");
  EXPECT_EQ(layouts.GetLine("Product owner").get(), title.get());
  EXPECT_NE(layouts.GetLine("Product manager").get(), title.get());
  const auto passage = layouts.Get(1, "one two three", "");  // 2 + 2 + 3 tokens: all fit
  EXPECT_EQ(layouts.GetLine("Product owner").get(), title.get());
  layouts.Get(2, "four five", "");  // 9 > 8: lines forgotten, passages until 2 fit in 4
  const auto again = layouts.GetLine("Product owner");
  EXPECT_NE(again.get(), title.get());
  EXPECT_EQ(again->stems, title->stems);
  layouts.Forget();
  EXPECT_NE(layouts.GetLine("Product owner").get(), again.get());
  EXPECT_EQ(layouts.GetLine("").get(), layouts.GetLine("").get());  // an empty line is kept too
}

TEST(PassageLayoutsTest, ManyThreadsShareLayoutsAndTypeFits) {
  PassageLayouts layouts(100000);
  const std::string text =
      "Salary\nA product owner earns $120,000. It pays well because of demand.";
  constexpr size_t kThreads = 8;
  std::vector<std::thread> threads;
  std::vector<double> fits(kThreads);
  std::vector<size_t> tokens(kThreads);
  for (size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int64_t id = 0; id < 50; ++id) {
        const auto layout = layouts.Get(id, text, "Salary");
        fits[t] = layout->SentenceTypeFit(0, AnswerType::kAmount);
        tokens[t] = layout->tokens.size();
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (size_t t = 0; t < kThreads; ++t) {
    EXPECT_EQ(fits[t], fits[0]);
    EXPECT_EQ(tokens[t], tokens[0]);
  }
  EXPECT_GT(fits[0], 0.0);
  EXPECT_EQ(layouts.Get(3, text, "Salary")->text, text);
}

}  // namespace
}  // namespace citeqa::retriever
