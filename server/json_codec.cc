#include "server/json_codec.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "server/json_writer.h"

namespace citeqa::server {
namespace {

using nlohmann::json;
// Output keeps the field order of CONTRACT.md's examples, for people reading it.
using OrderedJson = nlohmann::ordered_json;

std::string Dump(const OrderedJson& value) {
  // `replace` turns invalid UTF-8 (from an article or a command-line argument) into U+FFFD
  // instead of throwing.
  return value.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

std::string_view TrimAsciiSpace(std::string_view text) {
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// C0 controls and DEL; tab, newline and carriage return count as text when `allow_spacing`.
bool HasControlCharacters(std::string_view text, bool allow_spacing) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool spacing = c == '\t' || c == '\n' || c == '\r';
    if ((byte < 0x20 && !(allow_spacing && spacing)) || byte == 0x7f) return true;
  }
  return false;
}

// Checks one question-like text (the question or a history entry) and returns it trimmed.
Result<std::string> CheckQuestionText(const json& value, const std::string& field) {
  if (!value.is_string()) return Status::InvalidArgument("field '" + field + "' must be a string");
  const std::string_view text = TrimAsciiSpace(value.get_ref<const std::string&>());
  if (text.size() > retriever::kMaxQuestionBytes) {
    return Status::InvalidArgument("field '" + field + "' is longer than " +
                                   std::to_string(retriever::kMaxQuestionBytes) + " bytes");
  }
  if (HasControlCharacters(text, /*allow_spacing=*/true)) {
    return Status::InvalidArgument("field '" + field + "' must not contain control characters");
  }
  return std::string(text);
}

Status ParseHistory(const json& value, std::vector<std::string>* history) {
  if (!value.is_array()) {
    return Status::InvalidArgument("field 'history' must be an array of strings");
  }
  if (value.size() > kMaxHistoryEntries) {
    return Status::InvalidArgument("field 'history' must have at most " +
                                   std::to_string(kMaxHistoryEntries) + " entries");
  }
  for (size_t i = 0; i < value.size(); ++i) {
    auto entry = CheckQuestionText(value[i], "history[" + std::to_string(i) + "]");
    if (!entry.ok()) return entry.status();
    if (!entry->empty()) history->push_back(std::move(*entry));
  }
  return Status::Ok();
}

Status ParseConversationId(const json& value, std::string* conversation_id) {
  if (!value.is_string()) {
    return Status::InvalidArgument("field 'conversation_id' must be a string");
  }
  const auto& text = value.get_ref<const std::string&>();
  if (const size_t limit = MaxConversationIdBytes(text); text.size() > limit) {
    return Status::InvalidArgument("field 'conversation_id' must be at most " +
                                   std::to_string(limit) + " bytes");
  }
  if (HasControlCharacters(text, /*allow_spacing=*/false)) {
    return Status::InvalidArgument("field 'conversation_id' must not contain control characters");
  }
  *conversation_id = text;
  return Status::Ok();
}

Status ParseTopK(const json& value, int* top_k) {
  // Non-negative integers parse as unsigned, negative ones as signed; 5.0 and booleans are
  // neither, which is what we want.
  int64_t parsed = 0;
  if (value.is_number_unsigned()) {
    parsed = static_cast<int64_t>(std::min<uint64_t>(value.get<uint64_t>(), 1000));
  } else if (value.is_number_integer()) {
    parsed = value.get<int64_t>();
  } else {
    return Status::InvalidArgument("field 'top_k' must be an integer from 1 to 20");
  }
  if (parsed < 1 || parsed > 20) {
    return Status::InvalidArgument("field 'top_k' must be an integer from 1 to 20");
  }
  *top_k = static_cast<int>(parsed);
  return Status::Ok();
}

Result<retriever::AskRequest> ParseAskObject(const json& body) {
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  retriever::AskRequest request;
  const auto question = body.find("question");
  if (question == body.end() || question->is_null()) {
    return Status::InvalidArgument("field 'question' is required");
  }
  auto text = CheckQuestionText(*question, "question");
  if (!text.ok()) return text.status();
  if (text->empty()) return Status::InvalidArgument("field 'question' must not be empty");
  request.question = std::move(*text);

  if (const auto it = body.find("conversation_id"); it != body.end() && !it->is_null()) {
    CITEQA_RETURN_IF_ERROR(ParseConversationId(*it, &request.conversation_id));
  }
  if (const auto it = body.find("history"); it != body.end() && !it->is_null()) {
    CITEQA_RETURN_IF_ERROR(ParseHistory(*it, &request.history));
  }
  if (const auto it = body.find("top_k"); it != body.end() && !it->is_null()) {
    CITEQA_RETURN_IF_ERROR(ParseTopK(*it, &request.top_k));
  }
  if (const auto it = body.find("explain"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean()) return Status::InvalidArgument("field 'explain' must be true or false");
    request.explain = it->get<bool>();
  }
  return request;
}

double RoundMillis(double ms) { return std::round(ms * 1000.0) / 1000.0; }

// [[begin, end], ...], as nlohmann writes an array of two-integer arrays.
void AppendRanges(std::string* out, const std::vector<std::pair<int, int>>& ranges) {
  *out += '[';
  for (size_t i = 0; i < ranges.size(); ++i) {
    // One append per range: ",[" + two ints (11 characters at most each) + "]".
    constexpr int kIntChars = 11;
    char buffer[32];
    char* end = buffer;
    if (i > 0) *end++ = ',';
    *end++ = '[';
    end = std::to_chars(end, end + kIntChars, ranges[i].first).ptr;
    *end++ = ',';
    end = std::to_chars(end, end + kIntChars, ranges[i].second).ptr;
    *end++ = ']';
    out->append(buffer, end);
  }
  *out += ']';
}

OrderedJson ScoreJson(const retriever::ScoreExplanation& s) {
  OrderedJson features = OrderedJson::array();
  for (const retriever::FeatureContribution& f : s.features) {
    features.push_back({{"name", f.name}, {"value", f.value}, {"contribution", f.contribution}});
  }
  return {{"score", s.score}, {"bias", s.bias}, {"features", std::move(features)}};
}

OrderedJson ExplanationJson(const retriever::Explanation& e) {
  const retriever::QuestionExplanation& q = e.question;
  OrderedJson concepts = OrderedJson::array();
  for (const retriever::ConceptExplanation& c : q.concepts) {
    concepts.push_back({{"label", c.label},
                        {"wordings", c.wordings},
                        {"related", c.related},
                        {"weight", c.weight},
                        {"passages", c.passages},
                        {"carried", c.carried},
                        {"name", c.name},
                        {"verb", c.verb}});
  }
  OrderedJson corrections = OrderedJson::array();
  for (const auto& [typed, fixed] : q.corrections) {
    corrections.push_back({{"typed", typed}, {"corrected", fixed}});
  }
  OrderedJson passages = OrderedJson::array();
  for (const retriever::PassageExplanation& p : e.passages) {
    passages.push_back({{"rank", p.rank},
                        {"passage_id", p.passage_id},
                        {"doc", p.doc},
                        {"model", ScoreJson(p.score)}});
  }
  OrderedJson sentences = OrderedJson::array();
  for (const retriever::SentenceExplanation& s : e.sentences) {
    sentences.push_back({{"passage_id", s.passage_id},
                         {"text", s.text},
                         {"probability", s.probability},
                         {"model", ScoreJson(s.score)}});
  }
  const retriever::DecisionExplanation& d = e.decision;
  return {{"question",
           {{"text", q.text},
            {"question_word", q.question_word},
            {"answer_type", q.answer_type},
            {"compares", q.compares},
            {"corrections", std::move(corrections)},
            {"concepts", std::move(concepts)}}},
          {"passages", std::move(passages)},
          {"sentences", std::move(sentences)},
          {"decision",
           {{"found", d.found},
            {"probability", d.probability},
            {"threshold", d.threshold},
            {"reason", d.reason},
            {"model", ScoreJson(d.answerability)}}},
          {"stage_ms",
           {{"analysis", e.stages.analysis_ms},
            {"retrieval", e.stages.retrieval_ms},
            {"scoring", e.stages.scoring_ms},
            {"decision", e.stages.decision_ms},
            {"composition", e.stages.composition_ms}}}};
}

OrderedJson KindScoresJson(const retriever::KindScores& scores) {
  return {{"answerable", scores.answerable},
          {"hit_at_1", scores.hit_at_1},
          {"hit_at_3", scores.hit_at_3},
          {"hit_at_5", scores.hit_at_5},
          {"mrr_at_5", scores.mrr_at_5},
          {"answer_hit", scores.answer_hit},
          {"false_abstentions", scores.false_abstentions}};
}

}  // namespace

Result<retriever::AskRequest> ParseAskRequest(std::string_view body) {
  try {
    return ParseAskObject(json::parse(body));
  } catch (const json::parse_error& e) {
    return Status::InvalidArgument("request body is not valid JSON (error at byte " +
                                   std::to_string(e.byte) + ")");
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("request body could not be read: ") + e.what());
  }
}

std::string SerializeAskResponse(const retriever::AskResponse& response) {
  // Written directly (json_writer.h), not through an nlohmann tree: this runs on every
  // /api/ask, and the tree cost as much as the rest of the HTTP layer. The bytes are those
  // nlohmann's dump of the same object gives (json_codec_test.cc compares the two).
  std::string out;
  size_t text_bytes = response.answer.size() + response.conversation_id.size();
  for (const retriever::Citation& c : response.citations) {
    text_bytes += c.doc.size() + c.title.size() + c.passage.size() +
                  16 * (c.quotes.size() + c.highlights.size()) + 128;
  }
  out.reserve(text_bytes + 128);
  out += "{\"answer\":";
  AppendJsonString(&out, response.answer);
  out += ",\"found\":";
  AppendJsonBool(&out, response.found);
  out += ",\"citations\":[";
  for (size_t i = 0; i < response.citations.size(); ++i) {
    const retriever::Citation& c = response.citations[i];
    out += i == 0 ? "{\"n\":" : ",{\"n\":";
    AppendJsonInteger(&out, c.n);
    out += ",\"cited\":";
    AppendJsonBool(&out, c.cited);
    out += ",\"doc\":";
    AppendJsonString(&out, c.doc);
    out += ",\"title\":";
    AppendJsonString(&out, c.title);
    out += ",\"passage_id\":";
    AppendJsonInteger(&out, c.passage_id);
    out += ",\"passage\":";
    AppendJsonString(&out, c.passage);
    out += ",\"score\":";
    AppendJsonNumber(&out, c.score);
    out += ",\"quotes\":";
    AppendRanges(&out, c.quotes);
    out += ",\"highlights\":";
    AppendRanges(&out, c.highlights);
    out += '}';
  }
  out += "],\"conversation_id\":";
  AppendJsonString(&out, response.conversation_id);
  out += ",\"took_ms\":";
  AppendJsonNumber(&out, RoundMillis(response.took_ms));
  if (response.explanation) {
    out += ",\"explanation\":";
    out += Dump(ExplanationJson(*response.explanation));
  }
  out += '}';
  return out;
}

std::string SerializePassageContext(const retriever::PassageContext& passage) {
  return Dump({{"passage_id", passage.passage_id},
               {"doc", passage.doc},
               {"file", passage.doc},
               {"title", passage.title},
               {"heading", passage.heading},
               {"passage", passage.passage},
               {"before", passage.before},
               {"after", passage.after}});
}

std::string SerializeDocuments(const std::vector<retriever::DocumentInfo>& documents) {
  OrderedJson list = OrderedJson::array();
  for (const retriever::DocumentInfo& d : documents) {
    list.push_back({{"id", d.id},
                    {"file", d.file},
                    {"title", d.title},
                    {"passages", d.passages},
                    {"bytes", d.bytes},
                    {"indexed_at", d.indexed_at}});
  }
  return Dump({{"documents", std::move(list)}});
}

std::string SerializeHealth(const retriever::IndexStats& stats) {
  return Dump({{"status", "ok"},
               {"documents", stats.documents},
               {"passages", stats.passages},
               {"generation", stats.generation}});
}

std::string SerializeEvalReport(const retriever::EvalReport& report) {
  const retriever::EvalSummary& s = report.summary;
  OrderedJson summary = KindScoresJson(s.overall);
  OrderedJson by_kind = OrderedJson::object();
  for (const auto& [kind, scores] : s.by_kind) by_kind[kind] = KindScoresJson(scores);
  summary["by_kind"] = std::move(by_kind);
  summary["questions"] = s.questions;
  summary["negatives"] = s.negatives;
  summary["abstention_rate"] = s.abstention_rate;
  summary["false_abstention_share"] = s.false_abstention_share;
  summary["accuracy"] = s.accuracy;
  summary["mixed_share"] = s.mixed_share;
  summary["answer_sentences"] = s.answer_sentences;
  summary["latency_p50_ms"] = RoundMillis(s.latency_p50_ms);
  summary["latency_p99_ms"] = RoundMillis(s.latency_p99_ms);

  OrderedJson results = OrderedJson::array();
  for (const retriever::EvalResult& r : report.results) {
    results.push_back({{"id", r.id},
                       {"kind", r.kind},
                       {"hit_rank", r.hit_rank},
                       {"answer_hit", r.answer_hit},
                       {"correct", r.correct},
                       // The bytes /api/ask answers with, parsed back: one definition
                       // of the response's shape (eval is not a hot path).
                       {"response", OrderedJson::parse(SerializeAskResponse(r.response))}});
  }
  return Dump({{"summary", std::move(summary)}, {"results", std::move(results)}});
}

std::string SerializeError(std::string_view code, std::string_view message) {
  return Dump({{"error", {{"code", code}, {"message", message}}}});
}

}  // namespace citeqa::server
