// A small thread-safe metrics registry rendered in the Prometheus text format (0.0.4):
// labelled counters and histograms, plus the server's own set of metrics.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "retriever/engine.h"

namespace citeqa::server {

// name{label="value",...} count. All methods are thread-safe.
class CounterFamily {
 public:
  CounterFamily(std::string name, std::string help, std::vector<std::string> label_names);

  // `label_values` has one entry per label name (extra entries are ignored, missing ones
  // are empty).
  void Increment(const std::vector<std::string>& label_values, double amount = 1);
  double Value(const std::vector<std::string>& label_values) const;
  // Appends # HELP, # TYPE and one sample line per label set, in label order.
  void AppendText(std::string* out) const;

 private:
  std::vector<std::string> Normalise(const std::vector<std::string>& label_values) const;

  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, double> values_;
};

// Cumulative histogram: name_bucket{...,le="b"}, name_sum, name_count. Thread-safe.
class HistogramFamily {
 public:
  // `upper_bounds` ascending; +Inf is added.
  HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> upper_bounds);

  void Observe(const std::vector<std::string>& label_values, double value);
  void AppendText(std::string* out) const;

 private:
  struct Series {
    std::vector<uint64_t> bucket_counts;  // not cumulative; one per bound plus +Inf
    double sum = 0;
    uint64_t count = 0;
  };

  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const std::vector<double> upper_bounds_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, Series> series_;
};

// Appends a single unlabelled gauge with its HELP and TYPE lines.
void AppendGauge(std::string* out, std::string_view name, std::string_view help, double value);

// Prometheus label value escaping: backslash, double quote and newline.
std::string EscapeLabelValue(std::string_view value);

// The server's metrics: requests and their latency per route and status, answered versus
// abstained questions, re-index runs and their duration; index size gauges are read at
// render time. Thread-safe.
class ServerMetrics {
 public:
  ServerMetrics();

  // `route` is the route pattern ("/api/passages/{id}"), never the raw path, so the number
  // of series stays bounded.
  void RecordRequest(std::string_view route, int status, double seconds);
  void RecordQuestion(bool found);
  // One re-index run: `trigger` is a bounded name ("api", "article", "watch"), `ok` whether
  // it committed.
  void RecordReindex(std::string_view trigger, bool ok, double seconds);
  // The question log (question_log_service.h): a vote accepted, an entry dropped because
  // the writer's queue was full (or its write failed), an abstention written.
  void RecordFeedback(bool helpful);
  void RecordQuestionLogDropped(double entries = 1);
  void RecordAbstentionLogged(double entries = 1);
  double FeedbackCount(bool helpful) const;
  double QuestionLogDroppedCount() const;
  double AbstentionsLoggedCount() const;
  double RequestCount(std::string_view route, int status) const;
  double QuestionCount(bool found) const;
  double ReindexCount(std::string_view trigger, bool ok) const;

  // The whole exposition text; the index gauges are included when `stats` is given.
  std::string Render(const std::optional<retriever::IndexStats>& stats) const;

 private:
  CounterFamily requests_;
  HistogramFamily latency_;
  CounterFamily questions_;
  CounterFamily reindex_runs_;
  HistogramFamily reindex_duration_;
  CounterFamily feedback_;
  CounterFamily question_log_dropped_;
  CounterFamily abstentions_logged_;
};

}  // namespace citeqa::server
