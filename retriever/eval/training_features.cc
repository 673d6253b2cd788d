#include "retriever/eval/training_features.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "retriever/pipeline.h"

namespace citeqa::retriever {
namespace {

using nlohmann::ordered_json;

// The values as one string of numbers, each with the 9 significant digits that give back
// exactly the float the model sees (training must not see other values than serving).
template <size_t N>
std::string Values(const std::array<float, N>& row) {
  std::string out;
  char buffer[32];
  for (float v : row) {
    std::snprintf(buffer, sizeof buffer, "%.9g", static_cast<double>(v));
    if (!out.empty()) out += ' ';
    out += buffer;
  }
  return out;
}

template <size_t N>
ordered_json Names(const std::array<std::string_view, N>& names) {
  ordered_json out = ordered_json::array();
  for (std::string_view n : names) out.push_back(n);
  return out;
}

ordered_json Line(const EvalQuestion& q, const PipelineResult* r) {
  ordered_json line = {{"id", q.id},     {"kind", q.kind},
                       {"gold", q.gold}, {"expect_abstain", q.expect_abstain},
                       {"doc", q.doc},   {"para", q.para}};
  ordered_json candidates = ordered_json::array();
  ordered_json ranked = ordered_json::array();
  ordered_json sentences = ordered_json::array();
  if (r != nullptr) {
    for (const auto& [id, row] : r->scored.candidate_features) {
      candidates.push_back({{"passage_id", id}, {"features", Values(row)}});
    }
    for (size_t i = 0; i < r->scored.ranked; ++i) {
      ranked.push_back(r->scored.passages[i].candidate.passage_id);
    }
    for (const ScoredSentence& s : r->scored.sentences) {
      sentences.push_back(
          {{"passage_id", r->scored.passages[s.option.passage].candidate.passage_id},
           {"rank", s.option.passage},
           {"text", s.option.text},
           {"score", s.score},
           {"features", Values(s.features)}});
    }
  }
  line["candidates"] = std::move(candidates);
  line["ranked"] = std::move(ranked);
  line["sentences"] = std::move(sentences);
  line["answerability"] = r != nullptr ? Values(r->decision.features) : std::string();
  line["probability"] = r != nullptr ? r->decision.probability : 0.0;
  line["found"] = r != nullptr && r->decision.found;
  line["answer"] = r != nullptr ? r->answer.text : std::string();
  return line;
}

}  // namespace

Status WriteTrainingFeatures(const TrainingFeaturesOptions& options,
                             const std::vector<EvalQuestion>& questions, std::ostream& out) {
  std::optional<PipelineResult> last;
  EngineOptions engine_options;
  engine_options.db_path = options.db_path;
  engine_options.models_dir = options.models_dir;
  engine_options.require_all_models = false;
  engine_options.answer_cache_entries = 0;
  engine_options.inspect = [&last](const PipelineResult& r) { last = r; };
  auto engine = Engine::Open(engine_options);
  if (!engine.ok()) return engine.status();
  const auto dump = [](const ordered_json& j) {
    return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
  };
  out << dump({{"features",
                {{"passage", Names(kPassageFeatureNames)},
                 {"sentence", Names(kSentenceFeatureNames)},
                 {"answerability", Names(kAnswerabilityFeatureNames)}}}})
      << "\n";
  for (const EvalQuestion& q : questions) {
    AskRequest request;
    for (size_t t = 0; t + 1 < q.turns.size(); ++t) request.history.push_back(q.turns[t]);
    request.question = q.turns.back();
    last.reset();
    auto response = (*engine)->Ask(request);
    out << dump(Line(q, response.ok() && last ? &*last : nullptr)) << "\n";
  }
  if (!out) return Status::IoError("could not write the features");
  return Status::Ok();
}

}  // namespace citeqa::retriever
