#include "retriever/pipeline.h"

#include <chrono>

namespace citeqa::retriever {
namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point* start) {
  const Clock::time_point now = Clock::now();
  const double ms = std::chrono::duration<double, std::milli>(now - *start).count();
  *start = now;
  return ms;
}

template <size_t N>
ScoreExplanation ExplainScore(const TreeModel* model, const std::array<float, N>& features,
                              const std::array<std::string_view, N>& names) {
  ScoreExplanation out;
  if (model == nullptr) return out;
  std::vector<double> contributions;
  out.score = model->Explain(features, &contributions, &out.bias);
  for (size_t i = 0; i < N; ++i) out.features.push_back({names[i], features[i], contributions[i]});
  return out;
}

std::string Joined(const Phrase& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

QuestionExplanation ExplainQuestion(const AnalyzedQuestion& q) {
  QuestionExplanation out;
  out.text = q.text;
  out.question_word = std::string(QuestionWordName(q.question_word));
  out.answer_type = std::string(AnswerTypeName(q.answer_type));
  out.compares = q.is_comparison;
  out.corrections = q.corrections;
  for (const Concept& c : q.concepts) {
    ConceptExplanation e;
    e.label = c.label;
    for (const Phrase& p : c.alternatives) e.wordings.push_back(Joined(p));
    for (const Phrase& p : c.related) e.related.push_back(Joined(p));
    e.weight = c.weight;
    e.passages = c.df;
    e.carried = c.carried;
    e.name = c.proper || c.entity;
    e.verb = c.verb;
    out.concepts.push_back(std::move(e));
  }
  return out;
}

Explanation Explain(const PipelineResult& r, const Models& models) {
  Explanation e;
  e.question = ExplainQuestion(r.question);
  constexpr size_t kPassagesExplained = 5;
  for (size_t i = 0; i < r.scored.ranked && i < kPassagesExplained; ++i) {
    const ScoredPassage& p = r.scored.passages[i];
    e.passages.push_back({static_cast<int>(i + 1), p.candidate.passage_id, p.candidate.doc,
                          ExplainScore(models.passages ? &*models.passages : nullptr,
                                       p.evidence.features, kPassageFeatureNames)});
  }
  for (size_t i : r.answer.sentences) {
    const ScoredSentence& s = r.scored.sentences[i];
    e.sentences.push_back({r.scored.passages[s.option.passage].candidate.passage_id, s.option.text,
                           s.probability,
                           ExplainScore(models.sentences ? &*models.sentences : nullptr, s.features,
                                        kSentenceFeatureNames)});
  }
  const Decision& d = r.decision;
  e.decision = {d.found, d.probability, d.threshold, d.reason,
                ExplainScore(models.answerability ? &*models.answerability : nullptr, d.features,
                             kAnswerabilityFeatureNames)};
  e.stages = r.times;
  return e;
}

}  // namespace

Result<PipelineResult> RunPipeline(const std::string& question,
                                   const std::vector<std::string>& history,
                                   const PipelineContext& context) {
  PipelineResult r;
  Clock::time_point start = Clock::now();
  auto analyzed = AnalyzeInConversation(question, history, context.analysis);
  if (!analyzed.ok()) return analyzed.status();
  r.question = std::move(*analyzed);
  r.times.analysis_ms = MsSince(&start);

  auto candidates = RetrieveCandidates(context.index, r.question.concepts, context.limits,
                                       context.ranking);
  if (!candidates.ok()) return candidates.status();
  r.times.retrieval_ms = MsSince(&start);

  const Models& models = *context.models;
  const ScoringModels scoring{models.passages ? &*models.passages : nullptr,
                              models.sentences ? &*models.sentences : nullptr};
  Status context_read;  // the first error reading a passage's context, if any
  const PassageBeforeFetch passage_before = [&](const Candidate& c) -> std::optional<Candidate> {
    auto row = context.index->PassageAt(c.doc_id, c.ordinal - 1);
    if (row.ok()) return std::move(*row);
    if (context_read.ok()) context_read = row.status();
    return std::nullopt;
  };
  r.scored =
      ScoreCandidates(r.question, std::move(*candidates), scoring, context.layouts, passage_before);
  if (!context_read.ok()) return context_read;
  r.times.scoring_ms = MsSince(&start);

  r.decision = Decide(r.question, r.scored, models.answerability ? &*models.answerability : nullptr,
                      models.answer_threshold);
  r.times.decision_ms = MsSince(&start);

  if (r.decision.found) {
    r.answer = ComposeAnswer(r.question, r.scored, models.follow_threshold);
    if (r.answer.text.empty()) {
      r.decision.found = false;
      r.decision.reason = "no sentence of the leading passages reads as an answer";
    }
  }
  r.times.composition_ms = MsSince(&start);
  return r;
}

AskResponse ToResponse(PipelineResult result, size_t top_k, bool explain, const Models& models) {
  AskResponse response;
  if (explain) response.explanation = Explain(result, models);
  if (!result.decision.found) {
    response.answer = kNotFoundAnswer;
    return response;
  }
  response.found = true;
  response.answer = result.answer.text;
  std::vector<bool> used(result.scored.passages.size(), false);
  auto cite = [&](size_t passage, std::vector<std::pair<int, int>> quotes, bool cited) {
    ScoredPassage& p = result.scored.passages[passage];
    used[passage] = true;
    Citation c;
    c.n = static_cast<int>(response.citations.size() + 1);
    c.cited = cited;
    c.doc = p.candidate.doc;
    c.title = p.candidate.title;
    c.passage_id = p.candidate.passage_id;
    c.passage = std::move(p.candidate.text);
    c.score = p.score;
    c.quotes = std::move(quotes);
    c.highlights = std::move(p.evidence.reading.match.highlights);
    response.citations.push_back(std::move(c));
  };
  for (CitedPassage& c : result.answer.cited) cite(c.passage, std::move(c.quotes), true);
  // Related passages: the ranked ones not cited (a context passage is there for its answer).
  for (size_t i = 0; i < result.scored.ranked && response.citations.size() < top_k; ++i) {
    if (!used[i]) cite(i, {}, false);
  }
  return response;
}

}  // namespace citeqa::retriever
