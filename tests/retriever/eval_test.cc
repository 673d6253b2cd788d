// The eval scorer over a scripted Engine: what counts as a hit, an answer hit, an abstention
// and a false one, accuracy, answers that mix articles; and the question file format.
#include "retriever/eval/eval.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

namespace citeqa::retriever {
namespace {

TEST(SentenceMarkersTest, TheMarkerThatEndsEachSentence) {
  struct Case {
    std::string answer;
    std::vector<int> markers;
  } cases[] = {
      {"The owner orders the backlog. [1]", {1}},
      {"A sentence. [1] Another one. [2] A third. [1]", {1, 2, 1}},
      // Several markers in a row end one sentence: the last one counts.
      {"Both say so. [1][2] Then more. [3]", {2, 3}},
      {"Both say so. [1] [3]", {3}},
      {"A list:\n- one\n- two [1]\nAfter it. [2]", {1, 2}},
      {"Said twice. [2]\n[1]", {2, 1}},
      // Only a bracketed number of one to three digits is a marker.
      {"See [abc] and [1x] and [] and [1234] then. [12]", {12}},
      {"No markers at all.", {}},
      {"", {}},
      {"[", {}},
      {"Unclosed [1", {}},
  };
  for (const auto& c : cases) EXPECT_EQ(SentenceMarkers(c.answer), c.markers) << c.answer;
}

// Answers each question from a script and records what it was asked; a question not in the
// script fails with kIoError.
class ScriptedEngine : public Engine {
 public:
  void Answer(const std::string& question, AskResponse response) {
    script_[question] = std::move(response);
  }
  Result<AskResponse> Ask(const AskRequest& request) override {
    std::lock_guard<std::mutex> lock(mu_);
    asked_.push_back(request);
    const auto it = script_.find(request.question);
    if (it == script_.end()) return Status::IoError("index unreadable");
    return it->second;
  }
  Result<PassageContext> GetPassage(int64_t, int) override { return Status::NotFound("none"); }
  Result<std::vector<DocumentInfo>> ListDocuments() override { return std::vector<DocumentInfo>{}; }
  Result<IndexStats> Stats() override { return IndexStats{}; }
  std::vector<AskRequest> asked() const {
    std::lock_guard<std::mutex> lock(mu_);
    return asked_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, AskResponse> script_;
  std::vector<AskRequest> asked_;
};

Citation Cite(int n, const std::string& doc, const std::string& passage) {
  Citation c;
  c.n = n;
  c.cited = true;
  c.doc = doc;
  c.passage = passage;
  return c;
}

AskResponse Found(const std::string& answer, std::vector<Citation> citations, double took_ms) {
  AskResponse r;
  r.found = true;
  r.answer = answer;
  r.citations = std::move(citations);
  r.took_ms = took_ms;
  return r;
}

AskResponse NotFound(double took_ms) {
  AskResponse r;
  r.answer = "I could not find an answer to that in the articles.";
  r.took_ms = took_ms;
  return r;
}

EvalQuestion Answerable(const std::string& id, const std::string& kind,
                        std::vector<std::string> turns, std::vector<std::string> gold) {
  EvalQuestion q;
  q.id = id;
  q.kind = kind;
  q.turns = std::move(turns);
  q.gold = std::move(gold);
  return q;
}

EvalQuestion Negative(const std::string& id, const std::string& question) {
  EvalQuestion q;
  q.id = id;
  q.kind = "negative";
  q.turns = {question};
  q.expect_abstain = true;
  return q;
}

class RunEvalTest : public ::testing::Test {
 protected:
  RunEvalTest() {
    engine_.Answer("What does the owner do?",
                   Found("The owner orders the backlog. [1]",
                         {Cite(1, "a.txt", "The owner orders the backlog.")}, 1));
    // The gold is in the second citation only; the answer mixes two articles.
    engine_.Answer("Who keeps the roadmap?",
                   Found("Plans matter. [1] Teams plan ahead. [2]",
                         {Cite(1, "a.txt", "Plans matter."),
                          Cite(2, "b.txt", "The product manager keeps the ROADMAP.")},
                         2));
    engine_.Answer("What does a PO earn?", NotFound(3));  // a false abstention
    // "Why is the index down?" is not in the script: the engine fails, an abstention.
    engine_.Answer("What is the capital of France?", NotFound(4));
    engine_.Answer("Who won the World Cup?",
                   Found("Someone won. [1]", {Cite(1, "c.txt", "Someone won.")}, 5));
    engine_.Answer("How much do they earn?",
                   Found("They earn   $107,000 a year. [1]",
                         {Cite(1, "a.txt", "A product owner earns $107,000 a year.")}, 6));
    questions_ = {
        Answerable("a1", "lookup", {"What does the owner do?"}, {"backlog"}),
        Answerable("a2", "lookup", {"Who keeps the roadmap?"}, {"the roadmap"}),
        Answerable("a3", "salary", {"What does a PO earn?"}, {"$107,000"}),
        Answerable("a4", "lookup", {"Why is the index down?"}, {"down"}),
        Negative("n1", "What is the capital of France?"),
        Negative("n2", "Who won the World Cup?"),
        Answerable("c1", "conversation", {"What does a PO do?", "How much do they earn?"},
                   {"$107,000 a year"}),
    };
  }

  ScriptedEngine engine_;
  std::vector<EvalQuestion> questions_;
};

TEST_F(RunEvalTest, ScoresEachQuestion) {
  auto report = RunEval(engine_, questions_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  struct Expected {
    std::string id;
    int hit_rank;
    bool answer_hit;
    bool correct;
  } expected[] = {
      {"a1", 1, true, true},   {"a2", 2, false, true}, {"a3", 0, false, false},
      {"a4", 0, false, false}, {"n1", 0, false, true}, {"n2", 0, false, false},
      {"c1", 1, true, true},
  };
  ASSERT_EQ(report->results.size(), std::size(expected));
  for (size_t i = 0; i < std::size(expected); ++i) {
    const EvalResult& r = report->results[i];
    EXPECT_EQ(r.id, expected[i].id);
    EXPECT_EQ(r.kind, questions_[i].kind);
    EXPECT_EQ(r.hit_rank, expected[i].hit_rank) << r.id;
    EXPECT_EQ(r.answer_hit, expected[i].answer_hit) << r.id;
    EXPECT_EQ(r.correct, expected[i].correct) << r.id;
  }
  // A failed question is scored as an abstention that says why.
  EXPECT_FALSE(report->results[3].response.found);
  EXPECT_NE(report->results[3].response.answer.find("index unreadable"), std::string::npos);
  // A conversation's earlier turns are its history; every question gets top_k 5.
  const std::vector<AskRequest> asked = engine_.asked();
  ASSERT_EQ(asked.size(), 7u);
  EXPECT_EQ(asked[6].question, "How much do they earn?");
  EXPECT_EQ(asked[6].history, (std::vector<std::string>{"What does a PO do?"}));
  for (const AskRequest& r : asked) EXPECT_EQ(r.top_k, 5);
  EXPECT_TRUE(asked[0].history.empty());
}

TEST_F(RunEvalTest, SummarisesAnswersAbstentionsAndMixedArticles) {
  auto report = RunEval(engine_, questions_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const EvalSummary& s = report->summary;
  EXPECT_EQ(s.questions, 7);
  EXPECT_EQ(s.negatives, 2);
  EXPECT_EQ(s.overall.answerable, 5);
  EXPECT_DOUBLE_EQ(s.overall.hit_at_1, 2.0 / 5);
  EXPECT_DOUBLE_EQ(s.overall.hit_at_3, 3.0 / 5);
  EXPECT_DOUBLE_EQ(s.overall.hit_at_5, 3.0 / 5);
  EXPECT_DOUBLE_EQ(s.overall.mrr_at_5, (1 + 0.5 + 1) / 5);
  EXPECT_DOUBLE_EQ(s.overall.answer_hit, 2.0 / 5);
  EXPECT_EQ(s.overall.false_abstentions, 2);
  EXPECT_DOUBLE_EQ(s.false_abstention_share, 2.0 / 5);
  EXPECT_DOUBLE_EQ(s.abstention_rate, 1.0 / 2);
  // (answer hits + abstained negatives) / all questions.
  EXPECT_DOUBLE_EQ(s.accuracy, (2.0 + 1.0) / 7);
  // Sentences of every answer given (negatives' too): a1 1, a2 2 (one from b.txt), n2 1, c1 1.
  EXPECT_EQ(s.answer_sentences, 5);
  EXPECT_DOUBLE_EQ(s.mixed_share, 1.0 / 5);
  ASSERT_EQ(s.by_kind.size(), 3u);
  EXPECT_EQ(s.by_kind.count("negative"), 0u);
  EXPECT_EQ(s.by_kind.at("lookup").answerable, 3);
  EXPECT_DOUBLE_EQ(s.by_kind.at("lookup").hit_at_1, 1.0 / 3);
  EXPECT_EQ(s.by_kind.at("lookup").false_abstentions, 1);
  EXPECT_EQ(s.by_kind.at("salary").false_abstentions, 1);
  EXPECT_DOUBLE_EQ(s.by_kind.at("conversation").answer_hit, 1.0);
  // Latency over the answered calls' took_ms: 1..6 ms.
  EXPECT_DOUBLE_EQ(s.latency_p50_ms, 4.0);
  EXPECT_DOUBLE_EQ(s.latency_p99_ms, 6.0);
  const std::string table = FormatEvalTable(s);
  for (const char* part : {"accuracy: 0.429", "false abstentions: 2 of 5 (0.400)",
                           "mixed-article answer sentences: 0.200 of 5", "lookup", "salary"}) {
    EXPECT_NE(table.find(part), std::string::npos) << part << " in:\n" << table;
  }
}

TEST(RunEvalEmptyTest, NoQuestionsScoreZero) {
  ScriptedEngine engine;
  auto report = RunEval(engine, {});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->summary.questions, 0);
  EXPECT_EQ(report->summary.accuracy, 0.0);
  EXPECT_EQ(report->summary.mixed_share, 0.0);
  EXPECT_EQ(report->summary.false_abstention_share, 0.0);
}

class LoadEvalQuestionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("citeqa_eval_questions_" + std::to_string(::getpid()) + ".jsonl"))
                .string();
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_;
};

TEST_F(LoadEvalQuestionsTest, ReadsEveryFormAndItsSource) {
  std::ofstream(path_)
      << R"({"id": "q1", "q": "What is it?", "gold": ["it"], "kind": "lookup", "doc": "a.txt", "para": 3})"
      << "\n\n"
      << R"({"id": "n1", "q": "Capital of France?", "expect": "abstain", "kind": "negative"})"
      << "\n"
      << R"({"id": "c1", "turns": ["First?", "Second?"], "gold": ["x"], "kind": "conversation"})"
      << "\n";
  auto questions = LoadEvalQuestions(path_);
  ASSERT_TRUE(questions.ok()) << questions.status().ToString();
  ASSERT_EQ(questions->size(), 3u);
  const EvalQuestion& q = (*questions)[0];
  EXPECT_EQ(q.turns, (std::vector<std::string>{"What is it?"}));
  EXPECT_EQ(q.doc, "a.txt");
  EXPECT_EQ(q.para, 3);
  EXPECT_FALSE(q.expect_abstain);
  EXPECT_TRUE((*questions)[1].expect_abstain);
  EXPECT_EQ((*questions)[1].doc, "");
  EXPECT_EQ((*questions)[1].para, -1);
  EXPECT_EQ((*questions)[2].turns, (std::vector<std::string>{"First?", "Second?"}));
}

TEST_F(LoadEvalQuestionsTest, NamesTheLineOfAMalformedEntry) {
  struct Case {
    std::string line;
    std::string message_part;
  } cases[] = {
      {"not json", "not a JSON object"},
      {R"({"q": "x", "gold": ["y"]})", "missing \"id\""},
      {R"({"id": "a", "gold": ["y"]})", "needs \"q\" or \"turns\""},
      {R"({"id": "a", "q": "x"})", "needs \"gold\""},
      {R"({"id": "a", "turns": [], "gold": ["y"]})", "\"turns\""},
      {R"({"id": "a", "q": "x", "gold": "y"})", "\"gold\" must be an array"},
  };
  for (const auto& c : cases) {
    std::ofstream(path_, std::ios::trunc) << R"({"id": "ok", "q": "x", "gold": ["y"]})"
                                          << "\n"
                                          << c.line << "\n";
    auto questions = LoadEvalQuestions(path_);
    ASSERT_FALSE(questions.ok()) << c.line;
    EXPECT_EQ(questions.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(questions.status().message().find(":2: "), std::string::npos)
        << questions.status().message();
    EXPECT_NE(questions.status().message().find(c.message_part), std::string::npos)
        << c.line << ": " << questions.status().message();
  }
  EXPECT_EQ(LoadEvalQuestions("/nonexistent/questions.jsonl").status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace citeqa::retriever
