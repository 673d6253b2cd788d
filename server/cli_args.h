// Command-line parsing for the `citeqa` binary: turns argv into one subcommand and its
// settings, or a message for the user. No I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "indexer/status.h"
#include "server/config.h"

namespace citeqa::server {

enum class Subcommand {
  kHelp,
  kVersion,
  kIndex,
  kAsk,
  kServe,
  kEval,
  kFeatures,
  kReport,
  kSnapshot
};

struct IndexArgs {
  std::string corpus_dir;
  std::string db_path;
  std::string synonyms_path;  // empty: keep what the index has
  bool verify = false;        // read and hash every file, whatever its stamp
};

struct AskArgs {
  std::string db_path;
  std::string models_dir;  // empty: the models built into the binary
  bool json = false;
  bool explain = false;  // why this answer: as text after it, or inside the JSON
  int top_k = 5;
  std::vector<std::string> history;  // earlier questions, oldest first
  std::string question;              // the positional words joined by single spaces
};

struct EvalArgs {
  std::string db_path;
  std::string models_dir;
  std::string questions_path;
  bool json = false;
};

// `citeqa features`: the models' inputs for every question of a file, for training.
struct FeaturesArgs {
  std::string db_path;
  std::string models_dir;  // the models trained so far; empty: the built-in ones
  std::string questions_path;
};

// `citeqa report unanswered|forget`: the unanswered-questions report of an index's question
// log, or forgetting its entries.
// `citeqa snapshot --db FILE --to COPY`: a consistent copy of a live index.
struct SnapshotArgs {
  std::string db_path;
  std::string to_path;
};

struct ReportArgs {
  bool forget = false;  // `report forget`; else `report unanswered`
  std::string db_path;
  std::optional<int64_t> since;  // --since DATE (seconds since the epoch); unanswered only
  int limit = 100;               // --limit N (1..1000); unanswered only
  bool json = false;             // --json; unanswered only
  std::string question;          // --question NORMALISED; forget only (empty: everything)
};

struct CommandLine {
  Subcommand subcommand = Subcommand::kHelp;
  // For kHelp: the subcommand whose options were asked for ("serve" for `citeqa serve
  // --help` or `citeqa help serve`); empty for the whole text.
  std::string help_topic;
  // For kHelp: false when nothing at all was asked (`citeqa` alone), a usage error.
  bool help_requested = true;
  IndexArgs index;        // set for kIndex
  AskArgs ask;            // set for kAsk
  ServerConfig serve;     // set for kServe
  EvalArgs eval;          // set for kEval
  FeaturesArgs features;  // set for kFeatures
  ReportArgs report;      // set for kReport
  SnapshotArgs snapshot;  // set for kSnapshot
};

// Parses the arguments after the program name. Options take `--name value` or
// `--name=value`; `--` ends the options. `--help`/`-h` anywhere or `help [SUBCOMMAND]`
// give kHelp (with the subcommand as help_topic); no arguments give kHelp with
// help_requested false; `--version` gives kVersion. Errors: kInvalidArgument with a
// one-line message for an unknown subcommand or option, a missing or malformed value, a
// missing required option or positional argument.
Result<CommandLine> ParseCommandLine(const std::vector<std::string>& args);

}  // namespace citeqa::server
