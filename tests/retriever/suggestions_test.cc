// Example questions drawn from headings, definitions and titles (question_candidates.h),
// and the check that the engine answers them (suggestions.h).
#include "retriever/suggestions/suggestions.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "retriever/analysis/wordnet.h"
#include "retriever/suggestions/question_candidates.h"
#include "tests/retriever/test_index.h"

namespace citeqa::retriever {
namespace {

const WordNet* Wn() {
  const WordNet& wordnet = SharedWordNet();
  return wordnet.loaded() ? &wordnet : nullptr;
}

std::string Show(const std::optional<std::string>& q) { return q ? *q : "(none)"; }

TEST(QuestionCandidatesTest, QuestionHeadingsAreUsedAsWritten) {
  const struct {
    const char* heading;
    std::optional<std::string> expected;
  } cases[] = {
      {"How Are Product Owners and Managers Similar?",
       "How Are Product Owners and Managers Similar?"},
      {"  Why   do kites fly? ", "Why do kites fly?"},
      {"What is Scrum?", "What is Scrum?"},
      {"Why?", std::nullopt},    // one word
      {"Salary", std::nullopt},  // not a question
      {"", std::nullopt},
      {"Is this heading far too long to be offered as an example question on the page at all?",
       std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Show(QuestionFromQuestionHeading(c.heading)), Show(c.expected)) << c.heading;
  }
}

TEST(QuestionCandidatesTest, DefinitionsOpeningASectionBecomeWhatIsQuestions) {
  const struct {
    const char* heading;
    const char* text;
    std::optional<std::string> expected;
  } cases[] = {
      {"", "Oxygen is a chemical element with symbol O. Most oxygen on Earth is in water.",
       "What is oxygen?"},
      {"",
       "The Amazon rainforest (Portuguese: Floresta Amazônica), also known as Amazonia, is a "
       "moist broadleaf forest.",
       "What is the Amazon rainforest?"},
      {"",
       "Fresno (/ˈfrɛznoʊ/), the county seat of Fresno County, is a city in California. "
       "The city grew with the railway to Fresno.",
       "What is Fresno?"},
      {"", "Super Bowl 50 was an American football game to determine the champion.",
       "What was Super Bowl 50?"},
      {"",
       "A prime number is a natural number greater than 1 that has no divisors but 1 and "
       "itself. Every prime number is odd except 2.",
       "What is a prime number?"},
      {"",
       "Computational complexity theory is a branch of the theory of computation. Each "
       "computational problem has a complexity.",
       "What is computational complexity theory?"},
      {"", "The Normans were the people who gave their name to Normandy.",
       "What were the Normans?"},
      // A named subject in a text about a person.
      {"",
       "Martin Luther was a German professor of theology. He came to reject several "
       "teachings, and his writings spread quickly.",
       "Who was Martin Luther?"},
      // ... but not a common noun in a text that mentions someone.
      {"",
       "The Apollo program was the third United States human spaceflight program. It was "
       "first conceived during his presidency, and he announced it himself.",
       "What was the Apollo program?"},
      // The heading line the passage repeats is not part of the sentence.
      {"Who is a Product Owner?",
       "Who is a Product Owner?\nThe Product Owner is a critical role within a team.",
       "What is the Product Owner?"},
      {"", "The product manager is charged with the voice of the customer.", std::nullopt},
      {"", "The Black Death is thought to have originated in Central Asia.", std::nullopt},
      {"", "In 1990 the company was the largest broadcaster.", std::nullopt},
      {"", "However, it is the case that nobody knows.", std::nullopt},
      {"", "It is a member of the chalcogen group.", std::nullopt},
      {"", "Following a referendum in 1997, the Parliament was convened by the Act.", std::nullopt},
      {"", "", std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Show(QuestionFromDefinition(c.heading, c.text, Wn())), Show(c.expected)) << c.text;
  }
}

TEST(QuestionCandidatesTest, TopicHeadingsBecomeWhatIsTheQuestions) {
  const struct {
    const char* heading;
    const char* text;
    std::optional<std::string> expected;
  } cases[] = {
      {"Salary", "Salary\nThe salary of an owner grows with experience.", "What is the salary?"},
      {"Career Path", "Career Path\nMost people start as analysts.", "What is the career path?"},
      {"Duties and Responsibilities", "Duties and Responsibilities\nOwners set goals.",
       "What are the duties and responsibilities?"},
      {"Skills Required by Product Owners",
       "Skills Required by Product Owners\nOwners need "
       "focus.",
       "What are the skills required by product owners?"},
      // Names the text writes capitalised mid-sentence keep their capital.
      {"Usersnap Tools", "Usersnap Tools\nMany teams use tools made by Usersnap.",
       "What are the Usersnap tools?"},
      {"The Fresnel Lens", "The Fresnel Lens\nIt was named after Augustin Fresnel, who made it.",
       std::nullopt},  // opens with "The": a stopword
      {"Explore Our Programs", "Explore Our Programs\nSign up now.", std::nullopt},
      {"Contact Us", "Contact Us\nWrite to us.", std::nullopt},
      {"Frequently Asked Questions", "Frequently Asked Questions\nQ: ...", std::nullopt},
      {"Step 2: Mixing", "Step 2: Mixing\nMix the flour.", std::nullopt},
      {"2024", "2024\nA year.", std::nullopt},
      {"", "Text without a heading.", std::nullopt},
      {"Start Thinking Of Your Product Today And Reach Success", "...", std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Show(QuestionFromTopicHeading(c.heading, c.text, Wn())), Show(c.expected))
        << c.heading;
  }
}

TEST(QuestionCandidatesTest, ShortTitlesBecomeWhatIsQuestions) {
  const struct {
    const char* title;
    const char* text;
    std::optional<std::string> expected;
  } cases[] = {
      {"Geology", "There are three types of rock studied in geology.", "What is geology?"},
      {"Black Death", "The Black Death spread along the Silk Road.", "What is Black Death?"},
      {"Sky (United Kingdom)", "Sky is a broadcaster.", "What is Sky?"},
      {"Steam engines", "Coal-fired steam engines burn coal.", "What are steam engines?"},
      {"Product Owner vs. Product Manager: Key Differences", "...", std::nullopt},
      {"tips for creating synergy between teams", "...", std::nullopt},
      {"The End", "...", std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Show(QuestionFromTitle(c.title, c.text)), Show(c.expected)) << c.title;
  }
}

indexer::PassageRow Section(int64_t id, std::string doc, std::string title, std::string heading,
                            std::string text) {
  indexer::PassageRow row;
  row.passage_id = id;
  row.doc = std::move(doc);
  row.title = std::move(title);
  row.heading = std::move(heading);
  row.text = row.heading.empty() ? std::move(text) : row.heading + "\n" + text;
  return row;
}

TEST(QuestionCandidatesTest, CandidatesSpreadOverDocumentsBestKindFirst) {
  const std::vector<indexer::PassageRow> sections = {
      Section(1, "a.md", "Kites", "", "A kite is a tethered craft; kites fly in the wind."),
      Section(2, "b.md", "Bread and baking in the modern home", "Why Does Dough Rise?",
              "Yeast makes gas."),
      Section(3, "a.md", "Kites", "Why Do Kites Fly?", "The wind lifts them."),
      Section(4, "a.md", "Kites", "Materials", "Kites are made of paper and silk."),
      Section(5, "b.md", "Bread and baking in the modern home", "why does dough rise?", "Again."),
  };
  const std::vector<QuestionCandidate> candidates = CandidateQuestions(sections, Wn());
  std::vector<std::string> questions;
  std::map<std::string, std::vector<CandidateKind>> kinds_by_doc;
  for (const QuestionCandidate& c : candidates) {
    questions.push_back(c.question);
    kinds_by_doc[c.doc].push_back(c.kind);
  }
  // Each document's best first (a question heading each), then a.md's others by kind; the
  // repeated heading (in other case) only once.
  ASSERT_EQ(candidates.size(), 5u) << ::testing::PrintToString(questions);
  const std::set<std::string> first_round = {questions[0], questions[1]};
  EXPECT_EQ(first_round, (std::set<std::string>{"Why Do Kites Fly?", "Why Does Dough Rise?"}));
  EXPECT_EQ(questions[2], "What is a kite?");
  EXPECT_EQ(questions[3], "What are the materials?");
  EXPECT_EQ(questions[4], "What are kites?");
  EXPECT_EQ(kinds_by_doc["a.md"], (std::vector<CandidateKind>{
                                      CandidateKind::kQuestionHeading, CandidateKind::kDefinedTerm,
                                      CandidateKind::kTopicHeading, CandidateKind::kTitle}));
  for (const QuestionCandidate& c : candidates) {
    if (c.question == "What is a kite?") EXPECT_EQ(c.passage_id, 1);
    if (c.question == "Why Does Dough Rise?") EXPECT_EQ(c.doc, "b.md");
  }
  EXPECT_TRUE(CandidateQuestions({}, Wn()).empty());
}

// Answers questions holding a key word from one document, and fails on "fail".
class ScriptedEngine : public Engine {
 public:
  explicit ScriptedEngine(std::map<std::string, std::pair<std::string, int64_t>> answers)
      : answers_(std::move(answers)) {}
  Result<AskResponse> Ask(const AskRequest& request) override {
    asked.push_back(request.question);
    if (request.question.find("fail") != std::string::npos) return Status::IoError("disk");
    if (request.question.find("empty") != std::string::npos) {
      return Status::InvalidArgument("empty");
    }
    AskResponse response;
    for (const auto& [word, where] : answers_) {
      if (request.question.find(word) == std::string::npos) continue;
      response.found = true;
      Citation citation;
      citation.cited = true;
      citation.doc = where.first;
      citation.passage_id = where.second;
      response.citations.push_back(citation);
      break;
    }
    return response;
  }
  Result<PassageContext> GetPassage(int64_t, int) override { return Status::NotFound("none"); }
  Result<std::vector<DocumentInfo>> ListDocuments() override { return std::vector<DocumentInfo>{}; }
  Result<IndexStats> Stats() override { return IndexStats{}; }
  std::vector<std::string> asked;

 private:
  std::map<std::string, std::pair<std::string, int64_t>> answers_;
};

QuestionCandidate Candidate(std::string question, std::string doc) {
  return {std::move(question), CandidateKind::kDefinedTerm, 1, std::move(doc)};
}

TEST(AnsweredQuestionsTest, KeepsOnlyQuestionsAnsweredFromTheirArticle) {
  // Keys are tried in order: "Why do kites fly?" is answered by "fly" (passage 11).
  ScriptedEngine engine({{"kite", {"a.md", 10}},
                         {"dough", {"b.md", 20}},
                         {"fly", {"a.md", 11}},
                         {"bread", {"a.md", 30}},
                         {"yeast", {"b.md", 20}}});
  const std::vector<QuestionCandidate> candidates = {
      Candidate("What is a kite?", "a.md"),    // answered from a.md: kept
      Candidate("What is bread?", "b.md"),     // answered, but from another article
      Candidate("What is a banana?", "a.md"),  // not answered
      Candidate("empty question", "a.md"),     // refused as a question: skipped
      Candidate("What is dough?", "b.md"),     // kept
      Candidate("What is yeast?", "b.md"),     // same passage as "dough": left out
      Candidate("Why do kites fly?", "a.md"),  // over max_suggestions
  };
  auto kept = AnsweredQuestions(engine, candidates, 2, 40);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, (std::vector<std::string>{"What is a kite?", "What is dough?"}));
  EXPECT_EQ(engine.asked.size(), 5u);

  const struct {
    size_t max_suggestions;
    size_t max_asks;
    std::vector<std::string> expected;
  } cases[] = {
      {10, 1, {"What is a kite?"}},
      {10, 3, {"What is a kite?"}},
      {10, 40, {"What is a kite?", "What is dough?", "Why do kites fly?"}},
      {0, 40, {}},
  };
  for (const auto& c : cases) {
    auto got = AnsweredQuestions(engine, candidates, c.max_suggestions, c.max_asks);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(*got, c.expected) << c.max_suggestions << " " << c.max_asks;
  }
  // An engine failure other than a refused question is reported.
  auto failed = AnsweredQuestions(engine, {Candidate("fail now", "a.md")}, 4, 40);
  EXPECT_EQ(failed.status().code(), StatusCode::kIoError);
}

TEST(SuggestQuestionsTest, AnIndexWithHeadingsGetsAnsweredQuestionsFromIt) {
  citeqa::testing::TestIndex index({
      {"kites.md",
       "# Kites\n\n## Why Do Kites Fly?\n\nKites fly because the wind pushes against "
       "the sail, held at an angle by the bridle, and the air lifts the kite while "
       "the line holds it against the wind.\n\n## Materials\n\nA kite is a light "
       "frame of wood or carbon covered with paper, silk or nylon sail cloth.\n"},
      {"bread.md",
       "# Sourdough\n\nSourdough is a bread leavened by wild yeast and lactic acid "
       "bacteria instead of baker's yeast, which gives it a sour taste.\n"},
  });
  EngineOptions options;
  options.db_path = index.db_path();
  auto engine = Engine::Open(options);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  auto suggestions = SuggestQuestions(**engine, {index.db_path(), 4, 40, 4000});
  ASSERT_TRUE(suggestions.ok()) << suggestions.status().ToString();
  auto stats = (*engine)->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(suggestions->generation, stats->generation);
  ASSERT_GE(suggestions->questions.size(), 2u) << ::testing::PrintToString(suggestions->questions);
  EXPECT_EQ(suggestions->questions[0], "Why Do Kites Fly?");
  for (const std::string& q : suggestions->questions) {
    AskRequest request;
    request.question = q;
    auto answer = (*engine)->Ask(request);
    ASSERT_TRUE(answer.ok());
    EXPECT_TRUE(answer->found) << q;
  }
  EXPECT_EQ(SuggestQuestions(**engine, {"/nonexistent/index.db", 4, 40, 4000}).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace citeqa::retriever
