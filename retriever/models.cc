#include "retriever/models.h"

#include <cstdlib>
#include <fstream>
#include <future>
#include <sstream>

#include "retriever/decision/answerability_features.h"
#include "retriever/embedded_models.h"
#include "retriever/scoring/passage_features.h"
#include "retriever/scoring/sentence_features.h"

namespace citeqa::retriever {
namespace {

constexpr const char* kPassageFile = "passage_ranker.json";
constexpr const char* kSentenceFile = "sentence_ranker.json";
constexpr const char* kAnswerabilityFile = "answerability.json";

// The file's content from `dir`, or the embedded copy when `dir` is empty; nullopt when
// there is none.
Result<std::optional<std::string>> ReadModel(const std::string& dir, const std::string& name) {
  if (dir.empty()) {
    for (const EmbeddedModel& m : EmbeddedModelFiles()) {
      if (m.name == name) return std::optional<std::string>(std::string(m.bytes));
    }
    return std::optional<std::string>();
  }
  const std::string path = dir + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::optional<std::string>();
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IoError("cannot read model " + path);
  return std::optional<std::string>(text.str());
}

// A model attribute as a number in (0, 1). Errors: kCorruption.
Result<double> Probability(const TreeModel& model, const std::string& file,
                           const std::string& key) {
  const std::string value = model.Attribute(key);
  char* end = nullptr;
  const double p = std::strtod(value.c_str(), &end);
  if (value.empty() || end == value.c_str() || *end != '\0' || !(p > 0 && p < 1)) {
    return Status::Corruption("model " + file + ": attribute '" + key +
                              "' must be a number between 0 and 1");
  }
  return p;
}

Result<Models> Load(const std::string& dir, bool all_required) {
  Models models;
  const std::string where = dir.empty() ? "built into this binary" : "in " + dir;
  auto load = [&](const char* file, std::span<const std::string_view> features,
                  std::optional<TreeModel>* into) -> Status {
    auto text = ReadModel(dir, file);
    if (!text.ok()) return text.status();
    if (!text->has_value()) {
      if (!all_required) return Status::Ok();
      return Status::NotFound(std::string("model ") + file + " is missing (" + where +
                              "); train it with training/train.sh");
    }
    auto model = TreeModel::Parse(**text, file, features);
    if (!model.ok()) return model.status();
    *into = std::move(*model);
    return Status::Ok();
  };
  // Parsing the models' JSON is most of what starting costs (some 50 ms): the two larger
  // ones are parsed beside the third, and failures reported in a fixed order.
  auto passages =
      std::async(std::launch::async, load, kPassageFile,
                 std::span<const std::string_view>(kPassageFeatureNames), &models.passages);
  auto sentences =
      std::async(std::launch::async, load, kSentenceFile,
                 std::span<const std::string_view>(kSentenceFeatureNames), &models.sentences);
  const Status answerability =
      load(kAnswerabilityFile, kAnswerabilityFeatureNames, &models.answerability);
  const Status passages_loaded = passages.get();
  const Status sentences_loaded = sentences.get();
  CITEQA_RETURN_IF_ERROR(passages_loaded);
  CITEQA_RETURN_IF_ERROR(sentences_loaded);
  CITEQA_RETURN_IF_ERROR(answerability);
  if (models.sentences) {
    auto follow = Probability(*models.sentences, kSentenceFile, "follow_threshold");
    if (!follow.ok()) return follow.status();
    models.follow_threshold = *follow;
  }
  if (models.answerability) {
    auto threshold = Probability(*models.answerability, kAnswerabilityFile, "threshold");
    if (!threshold.ok()) return threshold.status();
    models.answer_threshold = *threshold;
  }
  return models;
}

}  // namespace

Result<Models> LoadModels(const std::string& dir) { return Load(dir, true); }

Result<Models> LoadAvailableModels(const std::string& dir) { return Load(dir, false); }

}  // namespace citeqa::retriever
