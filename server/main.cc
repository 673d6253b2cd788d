// The `citeqa` binary: index, ask, serve and eval (CONTRACT.md). Each subcommand is a few
// lines over the libraries; exit code 0 on success, 1 on failure, 2 on a usage error.
#include <cstdio>
#include <exception>
#include <mutex>
#include <string>
#include <vector>

#include "indexer/corpus_indexer.h"
#include "retriever/engine.h"
#include "retriever/eval.h"
#include "server/answer_text.h"
#include "server/cli_args.h"
#include "server/handlers.h"
#include "server/json_codec.h"
#include "server/metrics.h"
#include "server/routes.h"
#include "server/static_assets.h"
#include "server/termination_signals.h"

namespace citeqa::server {
namespace {

int Fail(const Status& status) {
  std::fprintf(stderr, "citeqa: %s\n", status.ToString().c_str());
  return 1;
}

Result<std::unique_ptr<retriever::Engine>> OpenEngine(const std::string& db_path) {
  retriever::EngineOptions options;
  options.db_path = db_path;
  return retriever::Engine::Open(options);
}

int RunIndex(const IndexArgs& args) {
  indexer::IndexOptions options;
  options.corpus_dir = args.corpus_dir;
  options.db_path = args.db_path;
  options.synonyms_path = args.synonyms_path;
  auto summary = indexer::IndexCorpus(options);
  if (!summary.ok()) return Fail(summary.status());
  for (const std::string& message : summary->messages) {
    std::fprintf(stderr, "%s\n", message.c_str());
  }
  std::printf("%s\n", summary->ToLine().c_str());
  return 0;
}

int RunAsk(const AskArgs& args) {
  auto engine = OpenEngine(args.db_path);
  if (!engine.ok()) return Fail(engine.status());
  retriever::AskRequest request;
  request.question = args.question;
  request.history = args.history;
  request.top_k = args.top_k;
  auto response = (*engine)->Ask(request);
  if (!response.ok()) return Fail(response.status());
  const std::string out =
      args.json ? SerializeAskResponse(*response) + "\n" : FormatAnswerText(*response);
  std::fputs(out.c_str(), stdout);
  return 0;
}

int RunServe(const ServerConfig& config) {
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

  auto engine = OpenEngine(config.db_path);
  if (!engine.ok()) return Fail(engine.status());
  ServerMetrics metrics;
  HandlerContext context;
  context.engine = engine->get();
  context.metrics = &metrics;
  HttpServer server(config, context, WebAssets(EmbeddedWebFiles()));
  auto port = server.Bind();
  if (!port.ok()) return Fail(port.status());
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
  if (!run.ok()) return Fail(run);
  std::fprintf(stderr, "citeqa: stopped\n");
  return 0;
}

int RunEval(const EvalArgs& args) {
  auto questions = retriever::LoadEvalQuestions(args.questions_path);
  if (!questions.ok()) return Fail(questions.status());
  auto engine = OpenEngine(args.db_path);
  if (!engine.ok()) return Fail(engine.status());
  auto report = retriever::RunEval(**engine, *questions);
  if (!report.ok()) return Fail(report.status());
  const std::string out = args.json ? SerializeEvalReport(*report) + "\n"
                                    : retriever::FormatEvalTable(report->summary);
  std::fputs(out.c_str(), stdout);
  return 0;
}

int Run(const std::vector<std::string>& args) {
  auto command = ParseCommandLine(args);
  if (!command.ok()) {
    std::fprintf(stderr, "citeqa: %s\n\n%s", command.status().message().c_str(),
                 UsageText().c_str());
    return 2;
  }
  switch (command->subcommand) {
    case Subcommand::kIndex: return RunIndex(command->index);
    case Subcommand::kAsk: return RunAsk(command->ask);
    case Subcommand::kServe: return RunServe(command->serve);
    case Subcommand::kEval: return RunEval(command->eval);
    case Subcommand::kHelp: break;
  }
  std::fputs(UsageText().c_str(), stderr);
  return 2;
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
