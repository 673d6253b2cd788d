// The suggestion cache (one computation per index generation, shared by concurrent callers)
// and GET /api/suggestions' handler.
#include "server/suggestion_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "server/suggestion_handler.h"

namespace citeqa::server {
namespace {

// An index whose generation the test sets; each computation returns "q<generation>".
struct FakeIndex {
  std::atomic<int64_t> generation{1};
  std::atomic<int> computed{0};
  std::mutex mu;
  Status fail_with;  // OK: computations succeed

  SuggestionService::Compute Compute() {
    return [this]() -> Result<SuggestionSet> {
      ++computed;
      std::lock_guard<std::mutex> lock(mu);
      if (!fail_with.ok()) return fail_with;
      const int64_t g = generation.load();
      return SuggestionSet{g, {"q" + std::to_string(g)}};
    };
  }
  SuggestionService::Generation Generation() {
    return [this]() -> Result<int64_t> { return generation.load(); };
  }
};

std::vector<std::string> Questions(SuggestionService& service) {
  auto got = service.Current();
  EXPECT_TRUE(got.ok()) << got.status().ToString();
  return got.ok() ? *got : std::vector<std::string>{"(error)"};
}

TEST(SuggestionServiceTest, ComputesOncePerGeneration) {
  FakeIndex index;
  SuggestionService service(index.Compute(), index.Generation());
  const struct {
    int64_t generation;
    const char* expected;
    int computed_after;
  } steps[] = {
      {1, "q1", 1}, {1, "q1", 1}, {2, "q2", 2},
      {2, "q2", 2}, {1, "q1", 3},  // a smaller generation (a snapshot moved over the index) is new
                                   // too
  };
  for (const auto& step : steps) {
    index.generation = step.generation;
    EXPECT_EQ(Questions(service), std::vector<std::string>{step.expected}) << step.generation;
    EXPECT_EQ(index.computed.load(), step.computed_after) << step.generation;
  }
  EXPECT_EQ(service.computations(), 3u);
}

TEST(SuggestionServiceTest, AFailureIsReportedAndNotKept) {
  FakeIndex index;
  SuggestionService service(index.Compute(), index.Generation());
  index.fail_with = Status::Unavailable("index moved away");
  EXPECT_EQ(service.Current().status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(service.Current().status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(index.computed.load(), 2);
  index.fail_with = Status::Ok();
  EXPECT_EQ(Questions(service), std::vector<std::string>{"q1"});

  SuggestionService no_generation(index.Compute(),
                                  []() -> Result<int64_t> { return Status::IoError("stat"); });
  EXPECT_EQ(no_generation.Current().status().code(), StatusCode::kIoError);
}

TEST(SuggestionServiceTest, ConcurrentCallersShareOneComputation) {
  FakeIndex index;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> computed{0};
  SuggestionService service(
      [&]() -> Result<SuggestionSet> {
        ++computed;
        released.wait();  // held until every caller has started
        return SuggestionSet{1, {"q1"}};
      },
      index.Generation());
  std::vector<std::thread> callers;
  std::vector<std::vector<std::string>> results(8);
  for (size_t i = 0; i < results.size(); ++i) {
    callers.emplace_back([&, i] { results[i] = Questions(service); });
  }
  release.set_value();
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(computed.load(), 1);
  for (const auto& r : results) EXPECT_EQ(r, std::vector<std::string>{"q1"});
}

TEST(SuggestionServiceTest, TheRefresherComputesBeforeAnyRequest) {
  FakeIndex index;
  {
    SuggestionService service(index.Compute(), index.Generation());
    service.StartRefreshing(std::chrono::milliseconds(5));
    while (service.computations() == 0) std::this_thread::yield();
    EXPECT_EQ(Questions(service), std::vector<std::string>{"q1"});
    index.generation = 2;
    while (service.computations() < 2) std::this_thread::yield();
    EXPECT_EQ(Questions(service), std::vector<std::string>{"q2"});
  }  // the destructor stops the refresher
  EXPECT_EQ(index.computed.load(), 2);
}

TEST(SuggestionHandlerTest, ListsTheQuestionsOrTheError) {
  FakeIndex index;
  SuggestionService service(index.Compute(), index.Generation());
  HttpRequest request;
  request.method = "GET";
  request.path = "/api/suggestions";
  HttpResponse ok = HandleSuggestions(service, request);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.content_type, "application/json");
  EXPECT_EQ(nlohmann::json::parse(ok.body), nlohmann::json({{"suggestions", {"q1"}}}));

  const struct {
    Status status;
    int http;
  } failures[] = {{Status::Unavailable("no index"), 503}, {Status::IoError("disk"), 500}};
  for (const auto& f : failures) {
    index.generation = index.generation + 1;
    {
      std::lock_guard<std::mutex> lock(index.mu);
      index.fail_with = f.status;
    }
    HttpResponse failed = HandleSuggestions(service, request);
    EXPECT_EQ(failed.status, f.http) << f.status.ToString();
    EXPECT_TRUE(nlohmann::json::parse(failed.body).contains("error")) << failed.body;
  }
}

}  // namespace
}  // namespace citeqa::server
