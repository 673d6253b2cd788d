#include "server/usage_text.h"

#include <array>
#include <utility>

namespace citeqa::server {
namespace {

// Subcommand name -> its section, in the order `citeqa --help` lists them.
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kSections = {{
    {"index",
     "  citeqa index --corpus DIR --db FILE [--synonyms FILE] [--verify]\n"
     "      (re)index the .txt/.md/.html articles of DIR into FILE; a file whose size,\n"
     "      times and inode are as last indexed is not read again, unless --verify\n"},
    {"ask",
     "  citeqa ask --db FILE [--json] [--explain] [--top-k N] [--history EARLIER_Q]... "
     "QUESTION\n"
     "      answer QUESTION with citations; --explain adds why: how the question was\n"
     "      understood and every model score with its features' contributions (as\n"
     "      text, or inside the JSON with --json); --models DIR uses the model files\n"
     "      in DIR instead of the ones built in\n"},
    {"serve",
     "  citeqa serve --db FILE [--corpus DIR [--watch]] [--host H] [--port P] [--threads N]\n"
     "               [--answer-cache N] [--header-timeout S] [--body-timeout S]\n"
     "               [--keep-alive-timeout S] [--max-connections N]\n"
     "               [--question-log-days D]\n"
     "               [--log-format text|json] [--trust-proxy] [--models DIR]\n"
     "      serve the chat page and the HTTP API (host 127.0.0.1, port 8080;\n"
     "      --port 0 picks a free port) until SIGINT/SIGTERM; --watch re-indexes\n"
     "      when files in DIR change; keeps the last N answers (1024; 0: none) for\n"
     "      questions asked again; admin API token from CITEQA_ADMIN_TOKEN.\n"
     "      Slow and idle clients: a request head must arrive whole within\n"
     "      --header-timeout (10 s; else 408) and a body within --body-timeout (30 s);\n"
     "      idle keep-alive connections close after --keep-alive-timeout (2 s); beyond\n"
     "      --max-connections (1024) the longest-idle one is closed, or 503 is sent.\n"
     "      Heads are limited to 100 fields, 8 KiB a line, 16 KiB in all (else 431).\n"
     "      Access log on stderr: time, client, method, path, status, latency and\n"
     "      request id (X-Request-Id, kept or made, and sent back), as text or JSON;\n"
     "      --trust-proxy logs X-Forwarded-For's last address (behind nginx).\n"
     "      Unanswered questions and readers' votes are kept in the index for\n"
     "      --question-log-days (30; 0: nothing kept, POST /api/feedback off)\n"},
    {"eval",
     "  citeqa eval --db FILE [--models DIR] QUESTIONS.jsonl [--json]\n"
     "      score a question file: hit@k, MRR@5, answer hits, abstentions, accuracy,\n"
     "      mixed-article answers, latency\n"},
    {"report",
     "  citeqa report unanswered --db FILE [--since DATE] [--limit N] [--json]\n"
     "      questions that went unanswered or were voted down, grouped (since DATE:\n"
     "      YYYY-MM-DD or RFC 3339; default the last 30 days); read-only\n"
     "  citeqa report forget --db FILE [--question NORMALISED]\n"
     "      forget the kept questions and votes of one group, or all\n"},
    {"snapshot",
     "  citeqa snapshot --db FILE --to COPY\n"
     "      a consistent copy of the index, even while it is served or re-indexed, for\n"
     "      backups and for publishing to other hosts; COPY appears all at once\n"
     "      (written beside it, then renamed), so a server of COPY switches to it\n"
     "      between two requests\n"},
    {"features",
     "  citeqa features --db FILE [--models DIR] QUESTIONS.jsonl\n"
     "      the models' inputs for each question, as JSON lines (training/train.sh)\n"},
    {"version",
     "  citeqa --version\n"
     "      the version of this build\n"},
}};

}  // namespace

std::string UsageText() {
  std::string text = "usage:\n";
  for (const auto& [name, section] : kSections) text += section;
  text += "  citeqa SUBCOMMAND --help prints one subcommand's section\n";
  return text;
}

std::optional<std::string> SubcommandUsage(std::string_view name) {
  for (const auto& [section_name, section] : kSections) {
    if (section_name == name) return "usage:\n" + std::string(section);
  }
  return std::nullopt;
}

}  // namespace citeqa::server
