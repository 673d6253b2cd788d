// The `citeqa` binary: index, ask, serve and eval (CONTRACT.md). Each subcommand is a few
// lines over the libraries; exit code 0 on success, 1 on failure, 2 on a usage error.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "indexer/corpus_indexer.h"
#include "indexer/index_snapshot.h"
#include "indexer/question_log.h"
#include "retriever/analysis/synonyms.h"
#include "retriever/engine.h"
#include "retriever/eval/eval.h"
#include "retriever/eval/training_features.h"
#include "retriever/suggestions/suggestions.h"
#include "server/admin_handlers.h"
#include "server/answer_text.h"
#include "server/api_description.h"
#include "server/cli_args.h"
#include "server/corpus_watcher.h"
#include "server/feedback_handler.h"
#include "server/handlers.h"
#include "server/json_codec.h"
#include "server/metrics.h"
#include "server/conversation_token.h"
#include "server/conversation_token_engine.h"
#include "server/observing_engine.h"
#include "server/question_log_service.h"
#include "server/reindex_service.h"
#include "server/report_codec.h"
#include "server/report_handlers.h"
#include "server/routes.h"
#include "server/slack/slack_config.h"
#include "server/slack/slack_service.h"
#include "server/slack_routes.h"
#include "server/static_assets.h"
#include "server/suggestion_handler.h"
#include "server/suggestion_service.h"
#include "server/termination_signals.h"
#include "server/usage_text.h"

namespace citeqa::server {
namespace {

int Fail(const Status& status) {
  std::fprintf(stderr, "citeqa: %s\n", status.ToString().c_str());
  return 1;
}

// `warm_up_layouts`: EngineOptions::warm_up_layouts, for a process that asks more than one
// question.
Result<std::unique_ptr<retriever::Engine>> OpenEngine(const std::string& db_path,
                                                      const std::string& models_dir,
                                                      bool warm_up_layouts,
                                                      int answer_cache_entries = 0) {
  retriever::EngineOptions options;
  options.db_path = db_path;
  options.models_dir = models_dir;
  options.answer_cache_entries = answer_cache_entries;
  options.warm_up_layouts = warm_up_layouts;
  return retriever::Engine::Open(options);
}

int RunIndex(const IndexArgs& args) {
  indexer::IndexOptions options;
  options.corpus_dir = args.corpus_dir;
  options.db_path = args.db_path;
  options.synonyms_path = args.synonyms_path;
  options.optimize_min_changes = kOptimizeAfterChanges;
  options.verify = args.verify;
  // A synonyms file the engine could not read is refused before it reaches the index.
  if (!args.synonyms_path.empty()) {
    auto synonyms = retriever::SynonymTable::Load(args.synonyms_path);
    if (!synonyms.ok()) return Fail(synonyms.status());
  }
  auto summary = indexer::IndexCorpus(options);
  if (!summary.ok()) return Fail(summary.status());
  for (const std::string& message : summary->messages) {
    std::fprintf(stderr, "%s\n", message.c_str());
  }
  std::printf("%s\n", summary->ToLine().c_str());
  return 0;
}

int RunAsk(const AskArgs& args) {
  auto engine = OpenEngine(args.db_path, args.models_dir, /*warm_up_layouts=*/false);
  if (!engine.ok()) return Fail(engine.status());
  retriever::AskRequest request;
  request.question = args.question;
  request.history = args.history;
  request.top_k = args.top_k;
  request.explain = args.explain;
  auto response = (*engine)->Ask(request);
  if (!response.ok()) return Fail(response.status());
  std::string out =
      args.json ? SerializeAskResponse(*response) + "\n" : FormatAnswerText(*response);
  if (args.explain && !args.json && response->explanation) {
    out += '\n';
    out += retriever::ExplanationText(*response->explanation);
  }
  std::fputs(out.c_str(), stdout);
  return 0;
}

void LogReindex(const Result<ReindexRun>& run) {
  if (!run.ok()) {
    std::fprintf(stderr, "citeqa: re-index failed, the previous index keeps serving: %s\n",
                 run.status().ToString().c_str());
    return;
  }
  std::fprintf(stderr, "citeqa: re-index %llu (%s): %s\n",
               static_cast<unsigned long long>(run->run), run->trigger.c_str(),
               run->summary.ToLine().c_str());
  for (const std::string& message : run->summary.messages) {
    std::fprintf(stderr, "citeqa:   %s\n", message.c_str());
  }
}

// The admin API (and --watch) over the corpus folder. Without --corpus the admin routes
// still exist and answer 503, so a client learns why.
struct CorpusAdmin {
  std::unique_ptr<ReindexService> reindex;
  AdminContext context;
  std::unique_ptr<CorpusWatcher> watcher;
};

void SetUpCorpusAdmin(const ServerConfig& config, retriever::Engine* engine, ServerMetrics* metrics,
                      CorpusAdmin* admin) {
  admin->context.admin_token = config.admin_token;
  admin->context.engine = engine;
  if (config.admin_token.empty()) {
    std::fprintf(stderr, "citeqa: CITEQA_ADMIN_TOKEN is not set: the admin API is off\n");
  } else if (config.admin_token.size() < 16) {
    std::fprintf(stderr, "citeqa: warning: CITEQA_ADMIN_TOKEN is short; use 16+ random bytes\n");
  }
  if (config.corpus_dir.empty()) return;
  indexer::IndexOptions options;
  options.corpus_dir = config.corpus_dir;
  options.db_path = config.db_path;
  options.optimize_min_changes = kOptimizeAfterChanges;
  admin->reindex = std::make_unique<ReindexService>(options, metrics);
  admin->context.corpus_dir = config.corpus_dir;
  admin->context.reindex = admin->reindex.get();
}

void AddAdminRoutes(const AdminContext& admin, HttpServer* server) {
  server->AddRoute("POST", "/api/reindex", "/api/reindex",
                   [&admin](const HttpRequest& r) { return HandleReindex(admin, r); });
  server->AddRoute("GET", "/api/reindex", "/api/reindex",
                   [&admin](const HttpRequest& r) { return HandleLastReindex(admin, r); });
  server->AddRoute(
      "POST", "/api/articles", "/api/articles",
      [&admin](const HttpRequest& r) { return HandlePostArticle(admin, r); },
      kMaxArticleRequestBytes);
  server->AddRoute("DELETE", "/api/articles/([^/]+)", "/api/articles/{file}",
                   [&admin](const HttpRequest& r) { return HandleDeleteArticle(admin, r); });
}

// POST /api/feedback and the unanswered-questions report; with --question-log-days 0 they
// answer 503. `log` must outlive the server.
void AddQuestionLogRoutes(const ServerConfig& config, QuestionLogService* log, HttpServer* server) {
  FeedbackContext feedback;
  feedback.recorder = log->enabled() ? log : nullptr;
  feedback.max_body_bytes = config.max_body_bytes;
  ReportContext reports;
  reports.admin_token = config.admin_token;
  reports.reports = log->enabled() ? log : nullptr;
  server->AddRoute("POST", "/api/feedback", "/api/feedback",
                   [feedback](const HttpRequest& r) { return HandleFeedback(feedback, r); });
  server->AddRoute("GET", "/api/reports/unanswered", "/api/reports/unanswered",
                   [reports](const HttpRequest& r) { return HandleUnansweredReport(reports, r); });
  server->AddRoute("DELETE", "/api/reports/unanswered", "/api/reports/unanswered",
                   [reports](const HttpRequest& r) { return HandleForgetUnanswered(reports, r); });
}

// GET /api/suggestions and the Slack help's examples: questions drawn from the index, kept
// per generation and refreshed in the background (a re-index is noticed within a poll).
constexpr std::chrono::seconds kSuggestionPoll{2};

std::unique_ptr<SuggestionService> MakeSuggestionService(retriever::Engine* engine,
                                                         const std::string& db_path) {
  auto compute = [engine, db_path]() -> Result<SuggestionSet> {
    retriever::SuggestionOptions options;
    options.db_path = db_path;
    auto suggestions = retriever::SuggestQuestions(*engine, options);
    if (!suggestions.ok()) return suggestions.status();
    return SuggestionSet{suggestions->generation, std::move(suggestions->questions)};
  };
  auto generation = [engine]() -> Result<int64_t> {
    auto stats = engine->Stats();
    if (!stats.ok()) return stats.status();
    return stats->generation;
  };
  return std::make_unique<SuggestionService>(compute, generation);
}

// What the Slack adapter takes from the rest of the server: the help text's examples from
// `suggestions` and, when `feedback` is set, the votes of its answers' buttons (null: no
// buttons). Both must outlive the Slack service.
slack::SlackServiceHooks SlackHooks(SuggestionService* suggestions, FeedbackRecorder* feedback) {
  slack::SlackServiceHooks hooks;
  hooks.suggestions = [suggestions] {
    auto questions = suggestions->Current();
    return questions.ok() ? *questions : std::vector<std::string>{};
  };
  hooks.feedback = feedback;
  return hooks;
}

// --watch: a re-index once changes in the folder settle (and once at start).
Status StartWatching(const ServerConfig& config, CorpusAdmin* admin) {
  if (!config.watch) return Status::Ok();
  CorpusWatcherOptions options;
  options.corpus_dir = config.corpus_dir;
  options.debounce = std::chrono::milliseconds(config.watch_debounce_ms);
  ReindexService* reindex = admin->reindex.get();
  auto watcher =
      CorpusWatcher::Start(options, [reindex] { LogReindex(reindex->Reindex("watch")); });
  if (!watcher.ok()) return watcher.status();
  admin->watcher = std::move(*watcher);
  return Status::Ok();
}

int RunServe(ServerConfig config) {
  // Before any other thread exists, so that every thread inherits the blocked signals.
  std::mutex mu;
  HttpServer* live_server = nullptr;
  bool stop_requested = false;
  TerminationSignalWatcher watcher([&](int signal_number) {
    std::fprintf(stderr, "citeqa: signal %d, stopping\n", signal_number);
    std::lock_guard<std::mutex> lock(mu);
    stop_requested = true;
    if (live_server != nullptr) live_server->Stop();
  });

  auto engine = OpenEngine(config.db_path, config.models_dir, /*warm_up_layouts=*/true,
                           config.answer_cache_entries);
  if (!engine.ok()) return Fail(engine.status());
  ServerMetrics metrics;
  // With a shared secret, the API's conversations travel in signed tokens that every
  // replica can read; without one they stay in this process's memory.
  auto conversation_secret = ConversationSecretFromEnvironment();
  if (!conversation_secret.ok()) return Fail(conversation_secret.status());
  std::optional<ConversationTokens> conversation_tokens;
  if (!conversation_secret->empty()) {
    conversation_tokens.emplace(
        *conversation_secret,
        std::chrono::seconds(retriever::EngineOptions{}.conversation_ttl_seconds));
    std::fprintf(stderr,
                 "citeqa: conversations travel in signed tokens (CITEQA_CONVERSATION_SECRET)\n");
  }
  ConversationTokenEngine token_engine(
      engine->get(), conversation_tokens.has_value() ? &*conversation_tokens : nullptr);
  HandlerContext context;
  context.engine = &token_engine;
  context.metrics = &metrics;
  config.admin_token = AdminTokenFromEnvironment();
  CorpusAdmin admin;
  SetUpCorpusAdmin(config, engine->get(), &metrics, &admin);
  // Declared before the server so that it outlives every request the server handles.
  auto slack_config = slack::LoadSlackConfig(std::getenv);
  if (!slack_config.ok()) return Fail(slack_config.status());
  auto suggestions = MakeSuggestionService(engine->get(), config.db_path);
  // Keeps unanswered questions (of /api/ask and Slack) and votes for the report.
  QuestionLogOptions log_options;
  log_options.log_path = indexer::QuestionLogPathFor(config.db_path);
  log_options.retention_days = config.question_log_days;
  QuestionLogService question_log(log_options, &metrics);
  if (question_log.enabled()) context.answers = &question_log;
  ObservingEngine slack_engine(engine->get(), &question_log, "slack");
  auto slack_service = slack::MakeSlackService(
      *slack_config, slack_engine,
      SlackHooks(suggestions.get(), question_log.enabled() ? &question_log : nullptr));
  std::vector<StaticAsset> assets = WebAssets(EmbeddedWebFiles());
  assets.push_back(ApiDescriptionAsset());
  HttpServer server(config, context, std::move(assets));
  AddAdminRoutes(admin.context, &server);
  AddSlackRoutes(slack_service.get(), &server);
  AddQuestionLogRoutes(config, &question_log, &server);
  server.AddRoute(
      "GET", "/api/suggestions", "/api/suggestions",
      [&suggestions](const HttpRequest& r) { return HandleSuggestions(*suggestions, r); });
  auto port = server.Bind();
  if (!port.ok()) return Fail(port.status());
  if (Status watching = StartWatching(config, &admin); !watching.ok()) return Fail(watching);
  suggestions->StartRefreshing(kSuggestionPoll);
  question_log.Start();
  std::printf("listening on %s\n", ServerUrl(config.host, *port).c_str());
  std::fflush(stdout);
  {
    std::lock_guard<std::mutex> lock(mu);
    live_server = &server;
    if (stop_requested) server.Stop();
  }
  const Status run = server.Run();
  {
    std::lock_guard<std::mutex> lock(mu);
    live_server = nullptr;
  }
  if (admin.watcher != nullptr) admin.watcher->Stop();
  question_log.Stop();
  if (!run.ok()) return Fail(run);
  std::fprintf(stderr, "citeqa: stopped\n");
  return 0;
}

int RunEval(const EvalArgs& args) {
  auto questions = retriever::LoadEvalQuestions(args.questions_path);
  if (!questions.ok()) return Fail(questions.status());
  auto engine = OpenEngine(args.db_path, args.models_dir, /*warm_up_layouts=*/true);
  if (!engine.ok()) return Fail(engine.status());
  // Questions are timed as a served user's are, after the warm-up, not beside it.
  (*engine)->AwaitWarmUp();
  auto report = retriever::RunEval(**engine, *questions);
  if (!report.ok()) return Fail(report.status());
  const std::string out =
      args.json ? SerializeEvalReport(*report) + "\n" : retriever::FormatEvalTable(report->summary);
  std::fputs(out.c_str(), stdout);
  return 0;
}

// `citeqa report unanswered` reads the log read-only; `citeqa report forget` deletes.
int RunReport(const ReportArgs& args) {
  // The log of an index that is not there is surely a mistyped --db.
  if (std::error_code error; !std::filesystem::exists(args.db_path, error)) {
    return Fail(Status::NotFound("no index at " + args.db_path));
  }
  if (args.forget) {
    auto log = indexer::QuestionLog::Open(indexer::QuestionLogPathFor(args.db_path),
                                          indexer::QuestionLogAccess::kWrite);
    if (!log.ok()) return Fail(log.status());
    auto deleted = log->Forget(args.question);
    if (!deleted.ok()) return Fail(deleted.status());
    std::printf("forgot %lld question log entries\n", static_cast<long long>(*deleted));
    return 0;
  }
  auto log = indexer::QuestionLog::Open(indexer::QuestionLogPathFor(args.db_path),
                                        indexer::QuestionLogAccess::kRead);
  if (!log.ok()) return Fail(log.status());
  constexpr int64_t kSecondsPerDay = 24 * 60 * 60;
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  indexer::UnansweredQuery query;
  query.since = args.since.value_or(now - kDefaultQuestionLogDays * kSecondsPerDay);
  query.limit = args.limit;
  auto report = log->Unanswered(query);
  if (!report.ok()) return Fail(report.status());
  const std::string out =
      args.json ? SerializeUnansweredReport(*report, query.since, kDefaultQuestionLogDays) + "\n"
                : FormatUnansweredTable(*report, query.since);
  std::fputs(out.c_str(), stdout);
  return 0;
}

int RunSnapshot(const SnapshotArgs& args) {
  auto snapshot = indexer::SnapshotIndex(args.db_path, args.to_path);
  if (!snapshot.ok()) return Fail(snapshot.status());
  std::printf("snapshot of generation %lld written to %s (%lld bytes)\n",
              static_cast<long long>(snapshot->generation), args.to_path.c_str(),
              static_cast<long long>(snapshot->bytes));
  return 0;
}

int RunFeatures(const FeaturesArgs& args) {
  auto questions = retriever::LoadEvalQuestions(args.questions_path);
  if (!questions.ok()) return Fail(questions.status());
  const Status written =
      retriever::WriteTrainingFeatures({args.db_path, args.models_dir}, *questions, std::cout);
  std::cout.flush();
  if (!written.ok()) return Fail(written);
  return 0;
}

int Run(const std::vector<std::string>& args) {
  auto command = ParseCommandLine(args);
  if (!command.ok()) {
    const std::string see = args.empty() || args[0].rfind('-', 0) == 0 || !SubcommandUsage(args[0])
                                ? "citeqa --help"
                                : "citeqa " + args[0] + " --help";
    std::fprintf(stderr, "citeqa: %s (see %s)\n", command.status().message().c_str(),
                 see.c_str());
    return 2;
  }
  switch (command->subcommand) {
    case Subcommand::kIndex:
      return RunIndex(command->index);
    case Subcommand::kAsk:
      return RunAsk(command->ask);
    case Subcommand::kServe:
      return RunServe(command->serve);
    case Subcommand::kEval:
      return RunEval(command->eval);
    case Subcommand::kFeatures:
      return RunFeatures(command->features);
    case Subcommand::kReport:
      return RunReport(command->report);
    case Subcommand::kSnapshot:
      return RunSnapshot(command->snapshot);
    case Subcommand::kVersion:
      std::printf("citeqa %s\n", CITEQA_VERSION);
      return 0;
    case Subcommand::kHelp:
      break;
  }
  if (!command->help_requested) {
    std::fputs(UsageText().c_str(), stderr);
    return 2;
  }
  const std::string text =
      command->help_topic.empty() ? UsageText() : *SubcommandUsage(command->help_topic);
  std::fputs(text.c_str(), stdout);
  return 0;
}

}  // namespace
}  // namespace citeqa::server

int main(int argc, char** argv) {
  try {
    return citeqa::server::Run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    // Nothing is meant to throw (errors are Status values); this only reports, say, bad_alloc.
    std::fprintf(stderr, "citeqa: internal error: %s\n", e.what());
    return 1;
  }
}
