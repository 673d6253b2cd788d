#include "server/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace citeqa::server {
namespace {

TEST(MetricsTest, CounterText) {
  CounterFamily counter("demo_total", "A demo counter.", {"route", "status"});
  counter.Increment({"/b", "200"});
  counter.Increment({"/a", "404"}, 2);
  counter.Increment({"/b", "200"});
  std::string text;
  counter.AppendText(&text);
  EXPECT_EQ(text,
            "# HELP demo_total A demo counter.\n"
            "# TYPE demo_total counter\n"
            "demo_total{route=\"/a\",status=\"404\"} 2\n"
            "demo_total{route=\"/b\",status=\"200\"} 2\n");
  EXPECT_EQ(counter.Value({"/b", "200"}), 2);
  EXPECT_EQ(counter.Value({"/c", "200"}), 0);
}

TEST(MetricsTest, HistogramTextIsCumulative) {
  HistogramFamily histogram("demo_seconds", "A demo histogram.", {"route"}, {0.01, 0.1, 1});
  histogram.Observe({"/x"}, 0.005);
  histogram.Observe({"/x"}, 0.01);  // a value equal to a bound belongs to that bucket
  histogram.Observe({"/x"}, 0.5);
  histogram.Observe({"/x"}, 7);
  std::string text;
  histogram.AppendText(&text);
  EXPECT_EQ(text,
            "# HELP demo_seconds A demo histogram.\n"
            "# TYPE demo_seconds histogram\n"
            "demo_seconds_bucket{route=\"/x\",le=\"0.01\"} 2\n"
            "demo_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"
            "demo_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"
            "demo_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
            "demo_seconds_sum{route=\"/x\"} 7.515\n"
            "demo_seconds_count{route=\"/x\"} 4\n");
}

TEST(MetricsTest, GaugeAndUnlabelled) {
  std::string text;
  AppendGauge(&text, "demo_items", "Items.", 63);
  EXPECT_EQ(text, "# HELP demo_items Items.\n# TYPE demo_items gauge\ndemo_items 63\n");

  CounterFamily plain("plain_total", "No labels.", {});
  plain.Increment({});
  std::string plain_text;
  plain.AppendText(&plain_text);
  EXPECT_NE(plain_text.find("\nplain_total 1\n"), std::string::npos) << plain_text;
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  struct Case {
    std::string raw;
    std::string escaped;
  } cases[] = {
      {"plain", "plain"},
      {"a\"b", "a\\\"b"},
      {"back\\slash", "back\\\\slash"},
      {"new\nline", "new\\nline"},
  };
  for (const Case& c : cases) EXPECT_EQ(EscapeLabelValue(c.raw), c.escaped) << c.raw;
}

TEST(MetricsTest, ServerMetricsRender) {
  ServerMetrics metrics;
  metrics.RecordRequest("/api/ask", 200, 0.002);
  metrics.RecordRequest("/api/ask", 400, 0.0001);
  metrics.RecordQuestion(true);
  metrics.RecordQuestion(false);
  metrics.RecordQuestion(false);
  retriever::IndexStats stats{5, 63, 4, 3, 2};
  stats.statistics_in_use_since = 1796680000.25;
  stats.statistics_load_seconds = 0.125;
  const std::string text = metrics.Render(stats);
  for (const char* line : {
           "citeqa_http_requests_total{route=\"/api/ask\",status=\"200\"} 1\n",
           "citeqa_http_requests_total{route=\"/api/ask\",status=\"400\"} 1\n",
           "citeqa_http_request_duration_seconds_bucket{route=\"/api/ask\",status=\"200\","
           "le=\"0.0025\"} 1\n",
           "citeqa_http_request_duration_seconds_bucket{route=\"/api/ask\",status=\"200\","
           "le=\"0.001\"} 0\n",
           "citeqa_http_request_duration_seconds_count{route=\"/api/ask\",status=\"400\"} 1\n",
           "citeqa_questions_total{outcome=\"answered\"} 1\n",
           "citeqa_questions_total{outcome=\"abstained\"} 2\n",
           "citeqa_index_documents 5\n",
           "citeqa_index_passages 63\n",
           "citeqa_statistics_generation 3\n",
           "# TYPE citeqa_statistics_loads_total counter\n",
           "citeqa_statistics_loads_total 2\n",
           "citeqa_statistics_in_use_timestamp_seconds 1796680000.25\n",
           "citeqa_statistics_load_seconds 0.125\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\nin:\n" << text;
  }
  EXPECT_EQ(metrics.RequestCount("/api/ask", 200), 1);
  EXPECT_EQ(metrics.Render(std::nullopt).find("citeqa_index_documents"), std::string::npos);
}

TEST(MetricsTest, BothOutcomesAreExportedFromTheStart) {
  const std::string text = ServerMetrics().Render(std::nullopt);
  EXPECT_NE(text.find("citeqa_questions_total{outcome=\"answered\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("citeqa_questions_total{outcome=\"abstained\"} 0\n"), std::string::npos);
}

TEST(MetricsTest, ConcurrentUpdatesAreAllCounted) {
  ServerMetrics metrics;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics] {
      for (int i = 0; i < kPerThread; ++i) {
        metrics.RecordRequest("/healthz", 200, 0.001);
        metrics.RecordQuestion(i % 2 == 0);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(metrics.RequestCount("/healthz", 200), kThreads * kPerThread);
  EXPECT_EQ(metrics.QuestionCount(true), kThreads * kPerThread / 2);
  const std::string text = metrics.Render(std::nullopt);
  EXPECT_NE(text.find("citeqa_http_request_duration_seconds_count{route=\"/healthz\",status="
                      "\"200\"} 20000\n"),
            std::string::npos);
}

}  // namespace
}  // namespace citeqa::server
