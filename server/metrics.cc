#include "server/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace citeqa::server {
namespace {

std::string FormatNumber(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

// {a="x",b="y"} with an optional extra label (for `le`); empty string for no labels.
std::string FormatLabels(const std::vector<std::string>& names,
                         const std::vector<std::string>& values, std::string_view extra_name = {},
                         std::string_view extra_value = {}) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    out += out.empty() ? "{" : ",";
    out += names[i] + "=\"" + EscapeLabelValue(values[i]) + "\"";
  }
  if (!extra_name.empty()) {
    out += out.empty() ? "{" : ",";
    out += std::string(extra_name) + "=\"" + std::string(extra_value) + "\"";
  }
  if (!out.empty()) out += "}";
  return out;
}

void AppendHeader(std::string* out, std::string_view name, std::string_view help,
                  std::string_view type) {
  *out += "# HELP " + std::string(name) + " " + std::string(help) + "\n";
  *out += "# TYPE " + std::string(name) + " " + std::string(type) + "\n";
}

std::vector<std::string> FitLabels(const std::vector<std::string>& values, size_t count) {
  std::vector<std::string> out(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(
                                                                    std::min(count, values.size())));
  out.resize(count);
  return out;
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void AppendGauge(std::string* out, std::string_view name, std::string_view help, double value) {
  AppendHeader(out, name, help, "gauge");
  *out += std::string(name) + " " + FormatNumber(value) + "\n";
}

CounterFamily::CounterFamily(std::string name, std::string help,
                             std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}

std::vector<std::string> CounterFamily::Normalise(const std::vector<std::string>& values) const {
  return FitLabels(values, label_names_.size());
}

void CounterFamily::Increment(const std::vector<std::string>& label_values, double amount) {
  std::vector<std::string> key = Normalise(label_values);
  std::lock_guard<std::mutex> lock(mu_);
  values_[std::move(key)] += amount;
}

double CounterFamily::Value(const std::vector<std::string>& label_values) const {
  const std::vector<std::string> key = Normalise(label_values);
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = values_.find(key);
  return it == values_.end() ? 0 : it->second;
}

void CounterFamily::AppendText(std::string* out) const {
  AppendHeader(out, name_, help_, "counter");
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [labels, value] : values_) {
    *out += name_ + FormatLabels(label_names_, labels) + " " + FormatNumber(value) + "\n";
  }
}

HistogramFamily::HistogramFamily(std::string name, std::string help,
                                 std::vector<std::string> label_names,
                                 std::vector<double> upper_bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      upper_bounds_(std::move(upper_bounds)) {}

void HistogramFamily::Observe(const std::vector<std::string>& label_values, double value) {
  std::vector<std::string> key = FitLabels(label_values, label_names_.size());
  const size_t bucket = static_cast<size_t>(
      std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) - upper_bounds_.begin());
  std::lock_guard<std::mutex> lock(mu_);
  Series& series = series_[std::move(key)];
  if (series.bucket_counts.empty()) series.bucket_counts.assign(upper_bounds_.size() + 1, 0);
  ++series.bucket_counts[bucket];
  series.sum += value;
  ++series.count;
}

void HistogramFamily::AppendText(std::string* out) const {
  AppendHeader(out, name_, help_, "histogram");
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [labels, series] : series_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < series.bucket_counts.size(); ++i) {
      cumulative += series.bucket_counts[i];
      const std::string le = i < upper_bounds_.size() ? FormatNumber(upper_bounds_[i]) : "+Inf";
      *out += name_ + "_bucket" + FormatLabels(label_names_, labels, "le", le) + " " +
              std::to_string(cumulative) + "\n";
    }
    *out += name_ + "_sum" + FormatLabels(label_names_, labels) + " " +
            FormatNumber(series.sum) + "\n";
    *out += name_ + "_count" + FormatLabels(label_names_, labels) + " " +
            std::to_string(series.count) + "\n";
  }
}

ServerMetrics::ServerMetrics()
    : requests_("citeqa_http_requests_total", "HTTP requests by route and status.",
                {"route", "status"}),
      latency_("citeqa_http_request_duration_seconds",
               "Time from reading the request to writing the response.", {"route", "status"},
               {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}),
      questions_("citeqa_questions_total", "Questions answered or abstained.", {"outcome"}),
      reindex_runs_("citeqa_reindex_runs_total", "Re-index runs by trigger and outcome.",
                    {"trigger", "outcome"}),
      reindex_duration_("citeqa_reindex_duration_seconds", "Duration of re-index runs.",
                        {"trigger"}, {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300}),
      feedback_("citeqa_feedback_total", "Readers' votes on answers accepted, by vote.", {"vote"}),
      question_log_dropped_("citeqa_question_log_dropped_total",
                            "Question log entries dropped (writer queue full or write failed).",
                            {}),
      abstentions_logged_("citeqa_question_log_abstentions_total",
                          "Unanswered questions written to the question log.", {}) {
  // Both outcomes are present from the start, so rate() works before the first question.
  questions_.Increment({"answered"}, 0);
  questions_.Increment({"abstained"}, 0);
  feedback_.Increment({"up"}, 0);
  feedback_.Increment({"down"}, 0);
  question_log_dropped_.Increment({}, 0);
  abstentions_logged_.Increment({}, 0);
}

void ServerMetrics::RecordFeedback(bool helpful) { feedback_.Increment({helpful ? "up" : "down"}); }

void ServerMetrics::RecordQuestionLogDropped(double entries) {
  question_log_dropped_.Increment({}, entries);
}

void ServerMetrics::RecordAbstentionLogged(double entries) {
  abstentions_logged_.Increment({}, entries);
}

double ServerMetrics::FeedbackCount(bool helpful) const {
  return feedback_.Value({helpful ? "up" : "down"});
}

double ServerMetrics::QuestionLogDroppedCount() const { return question_log_dropped_.Value({}); }

double ServerMetrics::AbstentionsLoggedCount() const { return abstentions_logged_.Value({}); }

void ServerMetrics::RecordRequest(std::string_view route, int status, double seconds) {
  const std::vector<std::string> labels = {std::string(route), std::to_string(status)};
  requests_.Increment(labels);
  latency_.Observe(labels, seconds);
}

void ServerMetrics::RecordQuestion(bool found) {
  questions_.Increment({found ? "answered" : "abstained"});
}

void ServerMetrics::RecordReindex(std::string_view trigger, bool ok, double seconds) {
  reindex_runs_.Increment({std::string(trigger), ok ? "ok" : "failed"});
  reindex_duration_.Observe({std::string(trigger)}, seconds);
}

double ServerMetrics::ReindexCount(std::string_view trigger, bool ok) const {
  return reindex_runs_.Value({std::string(trigger), ok ? "ok" : "failed"});
}

double ServerMetrics::RequestCount(std::string_view route, int status) const {
  return requests_.Value({std::string(route), std::to_string(status)});
}

double ServerMetrics::QuestionCount(bool found) const {
  return questions_.Value({found ? "answered" : "abstained"});
}

std::string ServerMetrics::Render(const std::optional<retriever::IndexStats>& stats) const {
  std::string out;
  requests_.AppendText(&out);
  latency_.AppendText(&out);
  questions_.AppendText(&out);
  reindex_runs_.AppendText(&out);
  reindex_duration_.AppendText(&out);
  feedback_.AppendText(&out);
  question_log_dropped_.AppendText(&out);
  abstentions_logged_.AppendText(&out);
  if (stats.has_value()) {
    AppendGauge(&out, "citeqa_index_documents", "Documents in the index.",
                static_cast<double>(stats->documents));
    AppendGauge(&out, "citeqa_index_passages", "Passages in the index.",
                static_cast<double>(stats->passages));
    AppendGauge(&out, "citeqa_statistics_generation",
                "Index generation whose word statistics answer questions (behind the index's "
                "while a re-index's statistics load in the background; -1 before any load).",
                static_cast<double>(stats->statistics_generation));
    AppendGauge(&out, "citeqa_statistics_in_use_timestamp_seconds",
                "Unix time when the word statistics of citeqa_statistics_generation went into "
                "use (0 before any load).",
                stats->statistics_in_use_since);
    AppendGauge(&out, "citeqa_statistics_load_seconds",
                "How long the load of the word statistics in use took: read whole, or the "
                "previous version's updated with a re-index's changes (0 before any load).",
                stats->statistics_load_seconds);
    AppendHeader(&out, "citeqa_statistics_loads_total",
                 "Loads of the index's word statistics since the server started.", "counter");
    out += "citeqa_statistics_loads_total " +
           FormatNumber(static_cast<double>(stats->statistics_loads)) + "\n";
    AppendHeader(&out, "citeqa_passages_laid_out_ahead_total",
                 "Passages laid out in the background ahead of questions since the server "
                 "started.",
                 "counter");
    out += "citeqa_passages_laid_out_ahead_total " +
           FormatNumber(static_cast<double>(stats->passages_laid_out_ahead)) + "\n";
  }
  return out;
}

}  // namespace citeqa::server
