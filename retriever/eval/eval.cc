#include "retriever/eval/eval.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "indexer/text.h"

namespace citeqa::retriever {
namespace {

std::string Normalise(const std::string& text) {
  return indexer::AsciiLower(indexer::CollapseWhitespace(text));
}

Result<EvalQuestion> ParseQuestion(const std::string& line) {
  const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::InvalidArgument("not a JSON object");
  EvalQuestion q;
  if (!j.contains("id") || !j["id"].is_string()) return Status::InvalidArgument("missing \"id\"");
  q.id = j["id"].get<std::string>();
  if (j.contains("kind") && !j["kind"].is_string())
    return Status::InvalidArgument("\"kind\" must be a string");
  if (j.contains("expect") && !j["expect"].is_string()) {
    return Status::InvalidArgument("\"expect\" must be a string");
  }
  q.kind = j.value("kind", "");
  if (j.contains("turns")) {
    if (!j["turns"].is_array() || j["turns"].empty()) {
      return Status::InvalidArgument("\"turns\" must be a non-empty array of strings");
    }
    for (const auto& t : j["turns"]) {
      if (!t.is_string()) return Status::InvalidArgument("\"turns\" must hold strings");
      q.turns.push_back(t.get<std::string>());
    }
  } else if (j.contains("q") && j["q"].is_string()) {
    q.turns.push_back(j["q"].get<std::string>());
  } else {
    return Status::InvalidArgument("needs \"q\" or \"turns\"");
  }
  q.expect_abstain = j.value("expect", "") == "abstain";
  if (j.contains("doc") && j["doc"].is_string()) q.doc = j["doc"].get<std::string>();
  if (j.contains("para") && j["para"].is_number_integer()) q.para = j["para"].get<int>();
  if (j.contains("gold")) {
    if (!j["gold"].is_array()) return Status::InvalidArgument("\"gold\" must be an array");
    for (const auto& g : j["gold"]) {
      if (!g.is_string()) return Status::InvalidArgument("\"gold\" must hold strings");
      q.gold.push_back(g.get<std::string>());
    }
  }
  if (!q.expect_abstain && q.gold.empty()) {
    return Status::InvalidArgument("an answerable question needs \"gold\" phrases");
  }
  return q;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index = static_cast<size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

void Accumulate(const EvalResult& r, KindScores* s) {
  ++s->answerable;
  if (r.hit_rank == 1) s->hit_at_1 += 1;
  if (r.hit_rank >= 1 && r.hit_rank <= 3) s->hit_at_3 += 1;
  if (r.hit_rank >= 1 && r.hit_rank <= 5) {
    s->hit_at_5 += 1;
    s->mrr_at_5 += 1.0 / r.hit_rank;
  }
  if (r.answer_hit) s->answer_hit += 1;
  if (!r.response.found) ++s->false_abstentions;
}

void Finish(KindScores* s) {
  if (s->answerable == 0) return;
  const double n = s->answerable;
  s->hit_at_1 /= n;
  s->hit_at_3 /= n;
  s->hit_at_5 /= n;
  s->mrr_at_5 /= n;
  s->answer_hit /= n;
}

}  // namespace

bool ContainsGold(const std::string& text, const std::vector<std::string>& gold) {
  const std::string haystack = Normalise(text);
  return std::any_of(gold.begin(), gold.end(), [&](const std::string& g) {
    const std::string needle = Normalise(g);
    return !needle.empty() && haystack.find(needle) != std::string::npos;
  });
}

std::vector<int> SentenceMarkers(const std::string& answer) {
  std::vector<int> markers;
  bool in_run = false;  // "[1][2]": one sentence citing two passages ends at the last
  for (size_t i = 0; i < answer.size(); ++i) {
    if (answer[i] == '[') {
      const size_t close = answer.find(']', i);
      if (close != std::string::npos && close > i + 1 && close - i <= 4 &&
          answer.find_first_not_of("0123456789", i + 1) == close) {
        const int n = std::stoi(answer.substr(i + 1, close - i - 1));
        if (in_run) {
          markers.back() = n;
        } else {
          markers.push_back(n);
        }
        in_run = true;
        i = close;
        continue;
      }
    }
    if (answer[i] != ' ') in_run = false;
  }
  return markers;
}

Result<std::vector<EvalQuestion>> LoadEvalQuestions(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open question file " + path);
  std::vector<EvalQuestion> questions;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (indexer::CollapseWhitespace(line).empty()) continue;
    auto q = ParseQuestion(line);
    if (!q.ok()) {
      return Status::InvalidArgument(path + ":" + std::to_string(number) + ": " +
                                     q.status().message());
    }
    questions.push_back(std::move(*q));
  }
  if (in.bad()) return Status::IoError("error reading " + path);
  return questions;
}

Result<EvalReport> RunEval(Engine& engine, const std::vector<EvalQuestion>& questions) {
  EvalReport report;
  std::vector<double> latencies;
  for (const EvalQuestion& q : questions) {
    AskRequest request;
    request.top_k = 5;
    for (size_t t = 0; t + 1 < q.turns.size(); ++t) request.history.push_back(q.turns[t]);
    request.question = q.turns.back();
    auto response = engine.Ask(request);
    EvalResult r;
    r.id = q.id;
    r.kind = q.kind;
    if (response.ok()) {
      r.response = std::move(*response);
      latencies.push_back(r.response.took_ms);
    } else {
      r.response.answer = response.status().ToString();  // scored as an abstention
    }
    if (q.expect_abstain) {
      r.correct = !r.response.found;
    } else {
      for (size_t i = 0; i < r.response.citations.size() && r.hit_rank == 0; ++i) {
        if (ContainsGold(r.response.citations[i].passage, q.gold))
          r.hit_rank = static_cast<int>(i + 1);
      }
      r.answer_hit = r.response.found && ContainsGold(r.response.answer, q.gold);
      r.correct = r.hit_rank > 0;
    }
    report.results.push_back(std::move(r));
  }
  EvalSummary& s = report.summary;
  int abstained = 0;
  int mixed = 0;
  for (const EvalResult& r : report.results) {
    const auto& q = questions[static_cast<size_t>(&r - report.results.data())];
    ++s.questions;
    if (r.response.found) {
      const std::vector<int> markers = SentenceMarkers(r.response.answer);
      const auto& citations = r.response.citations;
      auto doc_of = [&](int n) {
        return n >= 1 && static_cast<size_t>(n) <= citations.size()
                   ? citations[static_cast<size_t>(n) - 1].doc
                   : std::string();
      };
      for (int n : markers) {
        ++s.answer_sentences;
        if (doc_of(n) != doc_of(markers.front())) ++mixed;
      }
    }
    if (q.expect_abstain) {
      ++s.negatives;
      if (!r.response.found) ++abstained;
      continue;
    }
    Accumulate(r, &s.overall);
    Accumulate(r, &s.by_kind[r.kind]);
  }
  const int answer_hits = static_cast<int>(s.overall.answer_hit + 0.5);
  s.accuracy = s.questions > 0 ? static_cast<double>(answer_hits + abstained) / s.questions : 0;
  s.false_abstention_share =
      s.overall.answerable > 0
          ? static_cast<double>(s.overall.false_abstentions) / s.overall.answerable
          : 0;
  s.mixed_share = s.answer_sentences > 0 ? static_cast<double>(mixed) / s.answer_sentences : 0;
  Finish(&s.overall);
  for (auto& [kind, scores] : s.by_kind) Finish(&scores);
  s.abstention_rate = s.negatives > 0 ? static_cast<double>(abstained) / s.negatives : 1.0;
  s.latency_p50_ms = Percentile(latencies, 0.50);
  s.latency_p99_ms = Percentile(latencies, 0.99);
  return report;
}

std::string FormatEvalTable(const EvalSummary& summary) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3);
  auto row = [&](const std::string& name, const KindScores& k) {
    out << std::left << std::setw(14) << name << std::right << std::setw(4) << k.answerable
        << std::setw(8) << k.hit_at_1 << std::setw(8) << k.hit_at_3 << std::setw(8) << k.hit_at_5
        << std::setw(8) << k.mrr_at_5 << std::setw(9) << k.answer_hit << std::setw(10)
        << k.false_abstentions << "\n";
  };
  out << std::left << std::setw(14) << "kind" << std::right << std::setw(4) << "n" << std::setw(8)
      << "hit@1" << std::setw(8) << "hit@3" << std::setw(8) << "hit@5" << std::setw(8) << "MRR@5"
      << std::setw(9) << "ans-hit" << std::setw(10) << "false-abs"
      << "\n";
  for (const auto& [kind, scores] : summary.by_kind) row(kind, scores);
  row("all", summary.overall);
  out << "negatives: " << summary.negatives << ", abstained: " << std::setprecision(3)
      << summary.abstention_rate << "\n";
  out << "false abstentions: " << summary.overall.false_abstentions << " of "
      << summary.overall.answerable << " (" << summary.false_abstention_share << ")\n";
  out << "accuracy: " << summary.accuracy << "\n";
  out << "mixed-article answer sentences: " << summary.mixed_share << " of "
      << summary.answer_sentences << "\n";
  out << std::setprecision(3) << "latency (in-process): p50 " << summary.latency_p50_ms
      << " ms, p99 " << summary.latency_p99_ms << " ms\n";
  return out.str();
}

}  // namespace citeqa::retriever
