#include "retriever/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "indexer/corpus_indexer.h"
#include "tests/retriever/test_index.h"

namespace citeqa::retriever {
namespace {

using citeqa::testing::TestIndex;

double UnixSecondsNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Three small articles with one clear answer each, plus a distractor that repeats the
// question's common words without answering it.
const std::map<std::string, std::string>& Articles() {
  static const std::map<std::string, std::string> articles = {
      {"owner.txt",
       "The Product Owner Role\n"
       "Duties\n"
       "A product owner owns the product backlog and orders it by business value. They accept "
       "or reject the work of each sprint and answer questions from stakeholders so the team can "
       "keep working without interruptions.\n"
       "Salary\n"
       "In the United States a product owner earns about $107,000 a year on average, according "
       "to a survey of job listings published last spring.\n"},
      {"manager.txt",
       "The Product Manager Role\n"
       "Duties\n"
       "A product manager sets the product strategy and maintains the product roadmap. They "
       "study the market, talk to customers and decide which problems the product should solve "
       "next quarter.\n"
       "Salary\n"
       "A product manager earns around $97,000 a year in the United States, a little less than "
       "a product owner according to the same survey of listings.\n"},
      {"distractor.txt",
       "Product News\n"
       "Product product product. Our product team shipped a new product page for the product "
       "catalogue and the product photos, with product filters on every product listing and a "
       "product newsletter for every product fan.\n"},
  };
  return articles;
}

class EngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { index_ = new TestIndex(Articles()); }
  static void TearDownTestSuite() { delete index_; }
  void SetUp() override {
    EngineOptions options;
    options.db_path = index_->db_path();
    auto engine = Engine::Open(options);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(*engine);
  }
  AskResponse Ask(const std::string& question, std::vector<std::string> history = {}) {
    AskRequest request;
    request.question = question;
    request.history = std::move(history);
    auto response = engine_->Ask(request);
    EXPECT_TRUE(response.ok()) << question << ": " << response.status().ToString();
    return response.ok() ? *response : AskResponse{};
  }

  static TestIndex* index_;
  std::unique_ptr<Engine> engine_;
};
TestIndex* EngineTest::index_ = nullptr;

// The models are retrained as the method changes: the answering passage must be among the
// citations, and every answer must keep the contract (cited passages first, numbered by
// their markers' first use; quotes and highlights inside their passages).
TEST_F(EngineTest, CitesTheAnsweringPassageAndKeepsTheContract) {
  struct Case {
    std::string question;
    std::string doc;   // the article that answers it
    std::string gold;  // in the answering passage
  } cases[] = {
      {"What does a product owner do?", "owner.txt", "backlog"},
      {"How much does a PO earn?", "owner.txt", "$107,000"},
      {"What is the salary of a product manager?", "manager.txt", "$97,000"},
      {"who maintains the product roadmap", "manager.txt", "roadmap"},
      {"prodct mangaer roadmap", "manager.txt", "roadmap"},  // typos
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.question);
    const AskResponse r = Ask(c.question);
    ASSERT_TRUE(r.found);
    ASSERT_FALSE(r.citations.empty());
    EXPECT_TRUE(std::any_of(r.citations.begin(), r.citations.end(), [&](const Citation& x) {
      return x.doc == c.doc && x.passage.find(c.gold) != std::string::npos;
    })) << r.answer;
    EXPECT_LE(r.answer.size(), 600u);
    EXPECT_NE(r.answer.find("[1]"), std::string::npos) << r.answer;
    ASSERT_TRUE(r.citations[0].cited) << "the answer's source comes first";
    bool related = false;
    for (const Citation& citation : r.citations) {
      EXPECT_NE(citation.doc, "distractor.txt");
      EXPECT_FALSE(citation.passage.empty());
      EXPECT_FALSE(related && citation.cited) << "cited passages before related ones";
      related = related || !citation.cited;
      EXPECT_EQ(citation.quotes.empty(), !citation.cited);
      for (const auto& [b, e] : citation.quotes) {
        ASSERT_LT(b, e);
        ASSERT_LE(static_cast<size_t>(e), citation.passage.size());
        EXPECT_NE(r.answer.find(
                      citation.passage.substr(static_cast<size_t>(b), static_cast<size_t>(e - b))),
                  std::string::npos);
      }
      for (const auto& [b, e] : citation.highlights) {
        ASSERT_LT(b, e);
        ASSERT_LE(static_cast<size_t>(e), citation.passage.size());
      }
    }
    EXPECT_FALSE(r.conversation_id.empty());
  }
}

TEST_F(EngineTest, ComparisonDrawsOnBothSides) {
  const AskResponse r = Ask("Who earns more, a product owner or a product manager?");
  ASSERT_TRUE(r.found);
  EXPECT_NE(r.answer.find("$107,000"), std::string::npos) << r.answer;
  EXPECT_NE(r.answer.find("$97,000"), std::string::npos) << r.answer;
}

TEST_F(EngineTest, AbstainsWhenTheArticlesDoNotAnswer) {
  for (const char* question :
       {"What is the capital of France?", "How do I cook pasta al dente?",
        "What is the average salary of a product owner in Germany?", "Who won the FIFA World Cup?",
        "What is the airspeed velocity of an unladen swallow?"}) {
    const AskResponse r = Ask(question);
    EXPECT_FALSE(r.found) << question << " -> " << r.answer;
    EXPECT_TRUE(r.citations.empty()) << question;
    EXPECT_FALSE(r.answer.empty());
  }
}

bool Cites(const AskResponse& r, const std::string& doc, const std::string& gold) {
  return std::any_of(r.citations.begin(), r.citations.end(), [&](const Citation& c) {
    return c.doc == doc && c.passage.find(gold) != std::string::npos;
  });
}

TEST_F(EngineTest, FollowUpsUseTheConversation) {
  // Stateless: the history is sent; "they" are the product owners.
  AskResponse r = Ask("How much do they earn?", {"What does a product owner do?"});
  ASSERT_TRUE(r.found) << r.answer;
  EXPECT_TRUE(Cites(r, "owner.txt", "$107,000")) << r.answer;
  // Stateful: the engine remembers the conversation id, and answers as if the history had
  // been sent.
  AskRequest first;
  first.question = "What does a product manager do?";
  auto a = engine_->Ask(first);
  ASSERT_TRUE(a.ok());
  AskRequest second;
  second.question = "How much do they earn?";
  second.conversation_id = a->conversation_id;
  auto b = engine_->Ask(second);
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(b->found);
  EXPECT_EQ(b->conversation_id, a->conversation_id);
  EXPECT_TRUE(Cites(*b, "manager.txt", "$97,000")) << b->answer;
  const AskResponse sent = Ask("How much do they earn?", {"What does a product manager do?"});
  EXPECT_EQ(b->answer, sent.answer);
  ASSERT_EQ(b->citations.size(), sent.citations.size());
  for (size_t i = 0; i < sent.citations.size(); ++i) {
    EXPECT_EQ(b->citations[i].passage_id, sent.citations[i].passage_id);
  }
  // A question with its own subject ignores the earlier one: it is answered as if asked alone.
  const AskResponse alone = Ask("What does a product owner do?");
  r = Ask("What does a product owner do?", {"What does a product manager do?"});
  EXPECT_EQ(r.answer, alone.answer);
  ASSERT_EQ(r.citations.size(), alone.citations.size());
  for (size_t i = 0; i < r.citations.size(); ++i) {
    EXPECT_EQ(r.citations[i].passage_id, alone.citations[i].passage_id);
  }
}

TEST_F(EngineTest, HostileQuestionsNeverFailTheIndex) {
  const std::string hostile[] = {
      "\"",
      "\"\"\"",
      "*",
      "NEAR(",
      "NEAR(product owner",
      "product AND OR NOT",
      "owner:*",
      "{text heading}: salary",
      "^salary",
      "'; DROP TABLE passages; --",
      "salary)",
      "(((",
      std::string("salary\x00\x01\x1b[31m", 12),
      "\xC3\x28\xA0\xA1 owner",
      "ünïcödé ✓ 产品经理 🚀",
      std::string(1999, 'x'),
      "x" + std::string(3000, ' ') + "y",
  };
  for (const auto& q : hostile) {
    AskRequest request;
    request.question = q;
    auto r = engine_->Ask(request);
    if (r.ok()) continue;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument)
        << q << ": " << r.status().ToString();
  }
  for (size_t size : {size_t{10000}, size_t{1} << 20}) {
    AskRequest request;
    request.question = std::string(size, 'a');
    EXPECT_EQ(engine_->Ask(request).status().code(), StatusCode::kInvalidArgument);
  }
  AskRequest empty;
  EXPECT_EQ(engine_->Ask(empty).status().code(), StatusCode::kInvalidArgument);
  AskRequest long_id;
  long_id.question = "salary";
  long_id.conversation_id = std::string(200, 'c');
  EXPECT_EQ(engine_->Ask(long_id).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(EngineTest, PassagesDocumentsAndStats) {
  auto docs = engine_->ListDocuments();
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 3u);
  EXPECT_EQ((*docs)[0].file, "distractor.txt");
  std::map<std::string, DocumentInfo> by_file;
  for (const DocumentInfo& d : *docs) by_file[d.file] = d;
  EXPECT_EQ(by_file.at("owner.txt").title, "The Product Owner Role");
  EXPECT_EQ(by_file.at("owner.txt").passages, 2);
  // Every cited passage, with the rest of its (two-passage) article around it.
  const AskResponse r = Ask("What does a product owner do?");
  ASSERT_FALSE(r.citations.empty());
  for (const Citation& c : r.citations) {
    auto passage = engine_->GetPassage(c.passage_id, 2);
    ASSERT_TRUE(passage.ok()) << passage.status().ToString();
    EXPECT_EQ(passage->passage, c.passage);
    EXPECT_EQ(passage->doc, c.doc);
    EXPECT_EQ(passage->title, by_file.at(c.doc).title);
    EXPECT_EQ(passage->title, c.title);
    EXPECT_EQ(passage->passage.rfind(passage->heading + "\n", 0), 0u) << passage->passage;
    EXPECT_EQ(static_cast<int>(passage->before.size() + passage->after.size()),
              by_file.at(c.doc).passages - 1)
        << c.doc;
    auto alone = engine_->GetPassage(c.passage_id, 0);
    ASSERT_TRUE(alone.ok());
    EXPECT_TRUE(alone->before.empty() && alone->after.empty());
  }
  EXPECT_EQ(engine_->GetPassage(999999, 2).status().code(), StatusCode::kNotFound);
  auto stats = engine_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->documents, 3);
  EXPECT_GE(stats->passages, 5);
}

TEST(EngineOpenTest, ReportsMissingAndForeignDatabases) {
  EngineOptions options;
  options.db_path = "/nonexistent/dir/index.db";
  EXPECT_EQ(Engine::Open(options).status().code(), StatusCode::kNotFound);
  const std::string foreign = ::testing::TempDir() + "/citeqa_foreign.db";
  std::ofstream(foreign) << "this is not a database at all, just some text that is long enough";
  options.db_path = foreign;
  const auto status = Engine::Open(options).status();
  EXPECT_TRUE(status.code() == StatusCode::kCorruption || status.code() == StatusCode::kIoError)
      << status.ToString();
}

TEST(EngineUnicodeTest, AccentsAndCaseFoldAsTheIndexFoldsThem) {
  TestIndex index(std::map<std::string, std::string>{
      {"a.txt",
       "Coffee in Zürich\nThe Café Sprüngli in Zürich serves hot chocolate and "
       "pastries to visitors from all over the world every day.\n"}});
  EngineOptions options;
  options.db_path = index.db_path();
  auto engine = Engine::Open(options);
  ASSERT_TRUE(engine.ok());
  for (const char* question :
       {"What does the café in Zürich serve?", "What does the CAFE in zurich serve?"}) {
    AskRequest request;
    request.question = question;
    auto r = (*engine)->Ask(request);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->found) << question;
  }
}

const char kZebras[] =
    "Zebras\nZebras are striped animals that live in herds on the African "
    "savanna and eat grass all day long in large groups.\n";
const char kOkapis[] =
    "Okapis\nOkapis are forest giraffes of the Congo that eat leaves, buds and fruit, and "
    "are rarely seen by people in the wild.\n";

AskRequest Question(std::string text) {
  AskRequest request;
  request.question = std::move(text);
  return request;
}

// Writes an article into the index's corpus and indexes it again (the index's generation
// grows by one).
void AddArticleAndReindex(const TestIndex& index, const std::string& name,
                          const std::string& text) {
  std::ofstream(index.corpus() / name, std::ios::binary) << text;
  indexer::IndexOptions reindex;
  reindex.corpus_dir = index.corpus().string();
  reindex.db_path = index.db_path();
  reindex.synonyms_path = CITEQA_SYNONYMS_FILE;
  auto summary = indexer::IndexCorpus(reindex);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
}

int64_t IndexGeneration(Engine& engine) {
  auto stats = engine.Stats();
  EXPECT_TRUE(stats.ok()) << stats.status().ToString();
  return stats.ok() ? stats->generation : -1;
}

// Polls the engine until it answers with the statistics of `generation`, which a re-index's
// first question loads in the background. False if that has not happened after a minute,
// which only a loader that never swaps takes.
bool AwaitStatistics(Engine& engine, int64_t generation) {
  for (int i = 0; i < 6000; ++i) {
    auto stats = engine.Stats();
    if (stats.ok() && stats->statistics_generation == generation) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST(EngineReindexTest, PicksUpANewArticleWithoutReopening) {
  TestIndex index(std::map<std::string, std::string>{{"a.txt", kZebras}});
  EngineOptions options;
  options.db_path = index.db_path();
  auto engine = Engine::Open(options);
  ASSERT_TRUE(engine.ok());
  EXPECT_FALSE((*engine)->Ask(Question("What do okapis eat?"))->found);
  ASSERT_NO_FATAL_FAILURE(AddArticleAndReindex(index, "b.txt", kOkapis));
  // Answered at once, with the statistics at hand, while the new ones load.
  ASSERT_TRUE((*engine)->Ask(Question("What do okapis eat?")).ok());
  ASSERT_TRUE(AwaitStatistics(**engine, IndexGeneration(**engine)));
  auto after = (*engine)->Ask(Question("What do okapis eat?"));
  ASSERT_TRUE(after.ok());
  ASSERT_TRUE(after->found) << after->answer;
  EXPECT_EQ(after->citations[0].doc, "b.txt");
}

// Questions arriving together after a re-index are all answered at once, and the new
// version's statistics are loaded once for all of them.
TEST(EngineReindexTest, ConcurrentQuestionsAfterAReindexShareOneBackgroundLoad) {
  TestIndex index(std::map<std::string, std::string>{{"a.txt", kZebras}});
  EngineOptions options;
  options.db_path = index.db_path();
  auto engine = Engine::Open(options);
  ASSERT_TRUE(engine.ok());
  auto before = (*engine)->Stats();
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->statistics_generation, before->generation);
  EXPECT_GT(before->statistics_in_use_since, 0);
  EXPECT_GT(before->statistics_load_seconds, 0) << "the load at the engine's opening timed";
  ASSERT_NO_FATAL_FAILURE(AddArticleAndReindex(index, "b.txt", kOkapis));
  const double reindexed_at = UnixSecondsNow();
  auto reindexed = (*engine)->Stats();
  ASSERT_TRUE(reindexed.ok());
  ASSERT_GT(reindexed->generation, before->generation);
  EXPECT_EQ(reindexed->statistics_generation, before->generation) << "loaded by a health check";
  EXPECT_EQ(reindexed->statistics_in_use_since, before->statistics_in_use_since);
  EXPECT_EQ(reindexed->passages, before->passages + 1) << "counts of the new version";

  constexpr int kQuestions = 8;
  std::vector<Result<AskResponse>> answers(kQuestions, Status::Unavailable("not asked"));
  std::vector<std::thread> askers;
  for (int i = 0; i < kQuestions; ++i) {
    askers.emplace_back([&, i] {
      answers[static_cast<size_t>(i)] =
          (*engine)->Ask(Question(i % 2 == 0 ? "What do okapis eat?" : "What do zebras eat?"));
    });
  }
  for (auto& asker : askers) asker.join();
  for (const auto& answer : answers) EXPECT_TRUE(answer.ok()) << answer.status().ToString();

  ASSERT_TRUE(AwaitStatistics(**engine, reindexed->generation));
  auto swapped = (*engine)->Stats();
  ASSERT_TRUE(swapped.ok());
  EXPECT_EQ(swapped->statistics_loads, before->statistics_loads + 1);
  // The time the new statistics went into use: after the re-index, and not yet to come.
  EXPECT_GE(swapped->statistics_in_use_since, reindexed_at);
  EXPECT_LE(swapped->statistics_in_use_since, UnixSecondsNow());
  EXPECT_GT(swapped->statistics_load_seconds, 0);
  auto okapis = (*engine)->Ask(Question("What do okapis eat?"));
  ASSERT_TRUE(okapis.ok());
  ASSERT_TRUE(okapis->found) << okapis->answer;
  EXPECT_EQ(okapis->citations[0].doc, "b.txt");
  EXPECT_EQ((*engine)->Stats()->statistics_loads, before->statistics_loads + 1);
}

// The first question after a re-index reads the new rows with the old statistics: its
// answer is neither taken from the cache (where the old version's answer is) nor put there
// (where the new version's belongs). `inspect` sees every answer not taken from the cache.
TEST(EngineReindexTest, AnswersFromStatisticsOfAnotherVersionAreNotCached) {
  TestIndex index(std::map<std::string, std::string>{{"a.txt", kZebras}});
  std::atomic<int> answered_anew{0};
  EngineOptions options;
  options.db_path = index.db_path();
  options.inspect = [&answered_anew](const PipelineResult&) { ++answered_anew; };
  auto engine = Engine::Open(options);
  ASSERT_TRUE(engine.ok());
  const AskRequest question = Question("What do okapis eat?");
  struct Step {
    const char* name;
    bool reindex_first;
    bool await_statistics_first;
    int expected_answered_anew;
  } steps[] = {
      {"first time", false, false, 1},
      {"cached", false, false, 0},
      {"after the re-index, old statistics", true, false, 1},
      {"new statistics", false, true, 1},
      {"cached with the new statistics", false, false, 0},
  };
  for (const Step& step : steps) {
    if (step.reindex_first) ASSERT_NO_FATAL_FAILURE(AddArticleAndReindex(index, "b.txt", kOkapis));
    if (step.await_statistics_first) {
      ASSERT_TRUE(AwaitStatistics(**engine, IndexGeneration(**engine))) << step.name;
    }
    const int anew_before = answered_anew.load();
    auto answer = (*engine)->Ask(question);
    ASSERT_TRUE(answer.ok()) << step.name << ": " << answer.status().ToString();
    EXPECT_EQ(answered_anew.load() - anew_before, step.expected_answered_anew) << step.name;
  }
  EXPECT_TRUE((*engine)->Ask(question)->found);
}

// The server's own re-index runs wait for the new statistics, so that an article they
// added is answered as soon as they return.
TEST(EngineReindexTest, AwaitStatisticsLoadsTheNewVersionBeforeReturning) {
  TestIndex index(std::map<std::string, std::string>{{"a.txt", kZebras}});
  EngineOptions options;
  options.db_path = index.db_path();
  auto engine = Engine::Open(options);
  ASSERT_TRUE(engine.ok());
  auto before = (*engine)->Stats();
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE((*engine)->AwaitStatistics().ok()) << "in use already";
  ASSERT_NO_FATAL_FAILURE(AddArticleAndReindex(index, "b.txt", kOkapis));

  const Status awaited = (*engine)->AwaitStatistics();
  ASSERT_TRUE(awaited.ok()) << awaited.ToString();
  auto after = (*engine)->Stats();
  ASSERT_TRUE(after.ok());
  EXPECT_GT(after->generation, before->generation);
  EXPECT_EQ(after->statistics_generation, after->generation);
  EXPECT_EQ(after->statistics_loads, before->statistics_loads + 1);
  auto okapis = (*engine)->Ask(Question("What do okapis eat?"));
  ASSERT_TRUE(okapis.ok());
  ASSERT_TRUE(okapis->found) << okapis->answer;
  EXPECT_EQ(okapis->citations[0].doc, "b.txt");
}

// EngineOptions::warm_up_layouts: every passage of the version in use is laid out in the
// background, and answers are the same as without (a layout is a pure function of its text).
TEST(EngineWarmUpTest, LaysOutEveryPassageAheadAndAnswersAsWithout) {
  TestIndex index(Articles());
  EngineOptions options;
  options.db_path = index.db_path();
  options.answer_cache_entries = 0;
  auto warmed = Engine::Open(options);
  options.warm_up_layouts = false;
  auto cold = Engine::Open(options);
  ASSERT_TRUE(warmed.ok());
  ASSERT_TRUE(cold.ok());
  (*warmed)->AwaitWarmUp();
  (*cold)->AwaitWarmUp();  // returns at once
  const auto warmed_stats = (*warmed)->Stats();
  ASSERT_TRUE(warmed_stats.ok());
  EXPECT_GT(warmed_stats->passages, 0);
  EXPECT_EQ(warmed_stats->passages_laid_out_ahead, warmed_stats->passages);
  EXPECT_EQ((*cold)->Stats()->passages_laid_out_ahead, 0);
  for (const char* question :
       {"Who owns the product backlog?", "How much does a product manager earn?",
        "What does a product manager study?", "What is the capital of Australia?"}) {
    auto a = (*warmed)->Ask(Question(question));
    auto b = (*cold)->Ask(Question(question));
    ASSERT_TRUE(a.ok() && b.ok()) << question;
    EXPECT_EQ(a->found, b->found) << question;
    EXPECT_EQ(a->answer, b->answer) << question;
    ASSERT_EQ(a->citations.size(), b->citations.size()) << question;
    for (size_t i = 0; i < a->citations.size(); ++i) {
      EXPECT_EQ(a->citations[i].passage_id, b->citations[i].passage_id) << question;
      EXPECT_EQ(a->citations[i].quotes, b->citations[i].quotes) << question;
    }
  }
}

TEST(EngineWarmUpTest, ANewVersionIsLaidOutOnceQuestionsUseIt) {
  TestIndex index(std::map<std::string, std::string>{{"a.txt", kZebras}});
  EngineOptions options;
  options.db_path = index.db_path();
  auto engine = Engine::Open(options);
  ASSERT_TRUE(engine.ok());
  (*engine)->AwaitWarmUp();
  const auto before = (*engine)->Stats();
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->passages_laid_out_ahead, before->passages);

  ASSERT_NO_FATAL_FAILURE(AddArticleAndReindex(index, "b.txt", kOkapis));
  ASSERT_TRUE((*engine)->AwaitStatistics().ok());
  // A question that uses the new version but reads no passage: had it read the new
  // article's, it might have laid it out before the warm-up got to it.
  ASSERT_TRUE((*engine)->Ask(Question("What is a quagga?")).ok());
  (*engine)->AwaitWarmUp();
  const auto after = (*engine)->Stats();
  ASSERT_TRUE(after.ok());
  EXPECT_GT(after->passages, before->passages);
  // The unchanged article's passages keep the layouts of the version before.
  EXPECT_EQ(after->passages_laid_out_ahead, after->passages);
}

// Two small indexes that answer different questions, to move over one another.
struct TwoIndexes {
  TestIndex zebras{std::map<std::string, std::string>{{"a.txt", kZebras}}};
  TestIndex okapis{std::map<std::string, std::string>{{"b.txt", kOkapis}}};
};

TEST(EngineIndexFileTest, AFileMovedOverTheIndexIsReadAndAGoneOneIsReported) {
  TwoIndexes indexes;
  const std::string live = indexes.zebras.db_path();
  EngineOptions options;
  options.db_path = live;
  auto engine = Engine::Open(options);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  EXPECT_FALSE((*engine)->Ask(Question("What do okapis eat?"))->found);
  ASSERT_TRUE((*engine)->Ask(Question("What do zebras eat?"))->found);  // now cached

  std::filesystem::rename(indexes.okapis.db_path(), live);  // the deploy: mv new.db live.db
  auto okapis = (*engine)->Ask(Question("What do okapis eat?"));
  ASSERT_TRUE(okapis.ok()) << okapis.status().ToString();
  ASSERT_TRUE(okapis->found) << okapis->answer;
  EXPECT_EQ(okapis->citations[0].doc, "b.txt");
  EXPECT_FALSE((*engine)->Ask(Question("What do zebras eat?"))->found) << "an answer cached "
                                                                          "from the old file";
  auto documents = (*engine)->ListDocuments();
  ASSERT_TRUE(documents.ok());
  ASSERT_EQ(documents->size(), 1u);
  EXPECT_EQ((*documents)[0].file, "b.txt");

  std::filesystem::remove(live);
  for (const auto& status :
       {(*engine)->Ask(Question("What do okapis eat?")).status(), (*engine)->Stats().status(),
        (*engine)->ListDocuments().status(), (*engine)->GetPassage(1, 1).status()}) {
    EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.ToString();
    EXPECT_NE(status.message().find("gone"), std::string::npos) << status.ToString();
  }

  TestIndex again(std::map<std::string, std::string>{{"c.txt", kZebras}});
  std::filesystem::rename(again.db_path(), live);
  auto back = (*engine)->Ask(Question("What do zebras eat?"));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_TRUE(back->found);
  EXPECT_EQ(back->citations[0].doc, "c.txt");
  EXPECT_TRUE((*engine)->Stats().ok());
}

// The first questions on a file moved over the index cannot use the previous file's
// statistics: they wait for the new file's, loaded once for all of them.
TEST(EngineIndexFileTest, FirstQuestionsOnAMovedInFileShareOneLoadOfItsStatistics) {
  TwoIndexes indexes;
  // A second indexing run sets the okapis file's generation apart from the zebras file's,
  // so that the generation of the statistics in use tells which file they are of.
  ASSERT_NO_FATAL_FAILURE(AddArticleAndReindex(
      indexes.okapis, "c.txt",
      "Giraffes\nGiraffes are the tallest animals on land and browse the leaves of acacia "
      "trees on the savanna.\n"));
  const std::string live = indexes.zebras.db_path();
  EngineOptions options;
  options.db_path = live;
  auto engine = Engine::Open(options);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  auto before = (*engine)->Stats();
  ASSERT_TRUE(before.ok());

  std::filesystem::rename(indexes.okapis.db_path(), live);
  constexpr int kQuestions = 6;
  std::vector<Result<AskResponse>> answers(kQuestions, Status::Unavailable("not asked"));
  std::vector<std::thread> askers;
  for (int i = 0; i < kQuestions; ++i) {
    askers.emplace_back([&, i] {
      answers[static_cast<size_t>(i)] = (*engine)->Ask(Question("What do okapis eat?"));
    });
  }
  for (auto& asker : askers) asker.join();
  for (const auto& answer : answers) {
    ASSERT_TRUE(answer.ok()) << answer.status().ToString();
    ASSERT_TRUE(answer->found) << answer->answer;
    EXPECT_EQ(answer->citations[0].doc, "b.txt");
  }
  auto after = (*engine)->Stats();
  ASSERT_TRUE(after.ok());
  ASSERT_NE(after->generation, before->generation);
  EXPECT_EQ(after->statistics_generation, after->generation);
  EXPECT_EQ(after->statistics_loads, before->statistics_loads + 1);
}

// Requests in flight while index files are moved over the live one, again and again: each
// is answered from one whole file or the other, never fails.
TEST(EngineIndexFileTest, NoRequestFailsWhileFilesAreMovedOverTheIndex) {
  TwoIndexes indexes;
  const std::filesystem::path folder =
      std::filesystem::path(indexes.zebras.db_path()).parent_path();
  const std::string live = (folder / "live.db").string();
  std::filesystem::copy_file(indexes.zebras.db_path(), live);
  EngineOptions options;
  options.db_path = live;
  options.answer_cache_entries = 0;
  auto engine = Engine::Open(options);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();

  std::atomic<bool> done{false};
  std::atomic<int> asked{0};
  std::atomic<int> failed{0};
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  std::vector<std::thread> askers;
  for (int t = 0; t < 3; ++t) {
    askers.emplace_back([&, t] {
      while (!done.load()) {
        Status status =
            t == 2 ? (*engine)->Stats().status()
                   : (*engine)
                         ->Ask(Question(t == 0 ? "What do okapis eat?" : "What do zebras eat?"))
                         .status();
        ++asked;
        if (!status.ok()) {
          ++failed;
          std::lock_guard<std::mutex> lock(failures_mutex);
          if (failures.size() < 5) failures.push_back(status.ToString());
        }
      }
    });
  }
  for (int round = 0; round < 20; ++round) {
    const std::string next = (folder / "next.db").string();
    std::filesystem::copy_file(round % 2 == 0 ? indexes.okapis.db_path() : indexes.zebras.db_path(),
                               next);
    std::filesystem::rename(next, live);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  done = true;
  for (auto& asker : askers) asker.join();
  EXPECT_GT(asked.load(), 0);
  EXPECT_EQ(failed.load(), 0) << (failures.empty() ? "" : failures[0]);
  // The last file moved in (zebras) is the one read now.
  auto last = (*engine)->Ask(Question("What do zebras eat?"));
  ASSERT_TRUE(last.ok());
  EXPECT_TRUE(last->found);
}

}  // namespace
}  // namespace citeqa::retriever
