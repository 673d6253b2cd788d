#include "server/cli_args.h"

#include <charconv>
#include <functional>
#include <string_view>

#include "server/report_codec.h"
#include "server/usage_text.h"

namespace citeqa::server {
namespace {

// One accepted option: a flag (no value) or an option that takes a value.
struct OptionSpec {
  std::string_view name;  // without the leading "--"
  bool takes_value;
  std::function<Status(const std::string& value)> apply;
};

Result<int> ParseInt(const std::string& text, std::string_view option, int min, int max) {
  int value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value < min || value > max) {
    return Status::InvalidArgument("--" + std::string(option) + " must be an integer from " +
                                   std::to_string(min) + " to " + std::to_string(max) + ", got '" +
                                   text + "'");
  }
  return value;
}

std::function<Status(const std::string&)> SetString(std::string* target) {
  return [target](const std::string& value) {
    *target = value;
    return Status::Ok();
  };
}

std::function<Status(const std::string&)> SetInt(int* target, std::string_view option, int min,
                                                 int max) {
  return [target, option, min, max](const std::string& value) {
    auto parsed = ParseInt(value, option, min, max);
    if (!parsed.ok()) return parsed.status();
    *target = *parsed;
    return Status::Ok();
  };
}

std::function<Status(const std::string&)> SetFlag(bool* target) {
  return [target](const std::string&) {
    *target = true;
    return Status::Ok();
  };
}

// Applies `specs` to `args` (the arguments after the subcommand) and collects positionals.
Status ParseOptions(std::string_view subcommand, const std::vector<std::string>& args,
                    const std::vector<OptionSpec>& specs, std::vector<std::string>* positionals) {
  bool options_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_ended || arg.size() < 2 || arg[0] != '-') {
      positionals->push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0) {
      return Status::InvalidArgument("unknown option '" + arg + "' for " + std::string(subcommand));
    }
    const size_t equals = arg.find('=');
    const std::string name =
        arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& candidate : specs) {
      if (candidate.name == name) spec = &candidate;
    }
    if (spec == nullptr) {
      return Status::InvalidArgument("unknown option '--" + name + "' for " +
                                     std::string(subcommand));
    }
    std::string value;
    if (!spec->takes_value) {
      if (equals != std::string::npos) {
        return Status::InvalidArgument("--" + name + " does not take a value");
      }
    } else if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return Status::InvalidArgument("--" + name + " needs a value");
    }
    CITEQA_RETURN_IF_ERROR(spec->apply(value));
  }
  return Status::Ok();
}

Status Require(const std::string& value, std::string_view what) {
  if (value.empty()) return Status::InvalidArgument(std::string(what) + " is required");
  return Status::Ok();
}

Status ParseIndex(const std::vector<std::string>& args, IndexArgs* out) {
  std::vector<std::string> positionals;
  CITEQA_RETURN_IF_ERROR(ParseOptions("index", args,
                                      {{"corpus", true, SetString(&out->corpus_dir)},
                                       {"db", true, SetString(&out->db_path)},
                                       {"synonyms", true, SetString(&out->synonyms_path)},
                                       {"verify", false, SetFlag(&out->verify)}},
                                      &positionals));
  if (!positionals.empty()) {
    return Status::InvalidArgument("unexpected argument '" + positionals[0] + "' for index");
  }
  CITEQA_RETURN_IF_ERROR(Require(out->corpus_dir, "--corpus"));
  return Require(out->db_path, "--db");
}

Status ParseAsk(const std::vector<std::string>& args, AskArgs* out) {
  std::vector<std::string> positionals;
  CITEQA_RETURN_IF_ERROR(ParseOptions("ask", args,
                                      {{"db", true, SetString(&out->db_path)},
                                       {"models", true, SetString(&out->models_dir)},
                                       {"json", false, SetFlag(&out->json)},
                                       {"explain", false, SetFlag(&out->explain)},
                                       {"top-k", true, SetInt(&out->top_k, "top-k", 1, 20)},
                                       {"history", true,
                                        [out](const std::string& value) {
                                          out->history.push_back(value);
                                          return Status::Ok();
                                        }}},
                                      &positionals));
  CITEQA_RETURN_IF_ERROR(Require(out->db_path, "--db"));
  for (const std::string& word : positionals) {
    if (!out->question.empty()) out->question += ' ';
    out->question += word;
  }
  return Require(out->question, "a QUESTION");
}

Status ParseServe(const std::vector<std::string>& args, ServerConfig* out) {
  std::vector<std::string> positionals;
  CITEQA_RETURN_IF_ERROR(ParseOptions(
      "serve", args,
      {{"db", true, SetString(&out->db_path)},
       {"corpus", true, SetString(&out->corpus_dir)},
       {"host", true, SetString(&out->host)},
       {"port", true, SetInt(&out->port, "port", 0, 65535)},
       {"threads", true, SetInt(&out->threads, "threads", 1, 1024)},
       {"answer-cache", true, SetInt(&out->answer_cache_entries, "answer-cache", 0, 1000000)},
       {"header-timeout", true, SetInt(&out->header_timeout_seconds, "header-timeout", 1, 3600)},
       {"body-timeout", true, SetInt(&out->body_timeout_seconds, "body-timeout", 1, 3600)},
       {"keep-alive-timeout", true,
        SetInt(&out->keep_alive_timeout_seconds, "keep-alive-timeout", 1, 3600)},
       {"max-connections", true, SetInt(&out->max_connections, "max-connections", 1, 100000)},
       {"log-format", true,
        [out](const std::string& value) {
          if (value != "text" && value != "json") {
            return Status::InvalidArgument("--log-format must be text or json, not '" + value +
                                           "'");
          }
          out->log_format = value == "json" ? LogFormat::kJson : LogFormat::kText;
          return Status::Ok();
        }},
       {"trust-proxy", false, SetFlag(&out->trust_forwarded_for)},
       {"models", true, SetString(&out->models_dir)},
       {"question-log-days", true, SetInt(&out->question_log_days, "question-log-days", 0, 3650)},
       {"watch", false, SetFlag(&out->watch)}},
      &positionals));
  if (!positionals.empty()) {
    return Status::InvalidArgument("unexpected argument '" + positionals[0] + "' for serve");
  }
  return ValidateServerConfig(*out);
}

// A subcommand over an index and one question file: --db (required), --models, the `extra`
// options, and the file.
Status ParseIndexAndQuestions(std::string_view name, const std::vector<std::string>& args,
                              std::vector<OptionSpec> extra, std::string* db_path,
                              std::string* models_dir, std::string* questions_path) {
  std::vector<OptionSpec> specs = {{"db", true, SetString(db_path)},
                                   {"models", true, SetString(models_dir)}};
  specs.insert(specs.end(), extra.begin(), extra.end());
  std::vector<std::string> positionals;
  CITEQA_RETURN_IF_ERROR(ParseOptions(name, args, specs, &positionals));
  CITEQA_RETURN_IF_ERROR(Require(*db_path, "--db"));
  if (positionals.size() != 1) {
    return Status::InvalidArgument(std::string(name) + " takes exactly one QUESTIONS.jsonl file");
  }
  *questions_path = positionals[0];
  return Status::Ok();
}

Status ParseEval(const std::vector<std::string>& args, EvalArgs* out) {
  return ParseIndexAndQuestions("eval", args, {{"json", false, SetFlag(&out->json)}}, &out->db_path,
                                &out->models_dir, &out->questions_path);
}

Status ParseFeatures(const std::vector<std::string>& args, FeaturesArgs* out) {
  return ParseIndexAndQuestions("features", args, {}, &out->db_path, &out->models_dir,
                                &out->questions_path);
}

Status ParseSnapshot(const std::vector<std::string>& args, SnapshotArgs* out) {
  std::vector<std::string> positionals;
  CITEQA_RETURN_IF_ERROR(
      ParseOptions("snapshot", args,
                   {{"db", true, SetString(&out->db_path)}, {"to", true, SetString(&out->to_path)}},
                   &positionals));
  if (!positionals.empty()) {
    return Status::InvalidArgument("unexpected argument '" + positionals[0] + "' for snapshot");
  }
  CITEQA_RETURN_IF_ERROR(Require(out->db_path, "--db"));
  return Require(out->to_path, "--to");
}

Status ParseReport(const std::vector<std::string>& args, ReportArgs* out) {
  if (args.empty() || (args[0] != "unanswered" && args[0] != "forget")) {
    return Status::InvalidArgument("report needs 'unanswered' or 'forget'");
  }
  out->forget = args[0] == "forget";
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  std::vector<OptionSpec> specs = {{"db", true, SetString(&out->db_path)}};
  bool question_given = false;
  if (out->forget) {
    specs.push_back({"question", true, [out, &question_given](const std::string& value) {
                       question_given = true;
                       out->question = value;
                       return Status::Ok();
                     }});
  } else {
    specs.push_back({"since", true, [out](const std::string& value) {
                       auto since = ParseReportTime(value);
                       if (!since.ok()) {
                         return Status::InvalidArgument("--" + since.status().message());
                       }
                       out->since = *since;
                       return Status::Ok();
                     }});
    specs.push_back({"limit", true, SetInt(&out->limit, "limit", 1, 1000)});
    specs.push_back({"json", false, SetFlag(&out->json)});
  }
  std::vector<std::string> positionals;
  CITEQA_RETURN_IF_ERROR(ParseOptions("report " + args[0], rest, specs, &positionals));
  if (!positionals.empty()) {
    return Status::InvalidArgument("unexpected argument '" + positionals[0] + "' for report");
  }
  if (question_given && out->question.empty()) {
    return Status::InvalidArgument("--question must not be empty (leave it out to forget all)");
  }
  return Require(out->db_path, "--db");
}

bool AsksForHelp(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--") return false;
    if (arg == "--help" || arg == "-h") return true;
  }
  return false;
}

}  // namespace

Result<CommandLine> ParseCommandLine(const std::vector<std::string>& args) {
  CommandLine command;
  if (args.empty()) {
    command.help_requested = false;
    return command;
  }
  if (args[0] == "--version") {
    command.subcommand = Subcommand::kVersion;
    return command;
  }
  if (args[0] == "help" || AsksForHelp(args)) {
    const std::string& topic = args[0] == "help" ? (args.size() > 1 ? args[1] : "") : args[0];
    if (!topic.empty() && topic[0] != '-') {
      if (!SubcommandUsage(topic)) {
        return Status::InvalidArgument("unknown subcommand '" + topic + "'");
      }
      command.help_topic = topic;
    }
    return command;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  const std::string& name = args[0];
  if (name == "index") {
    command.subcommand = Subcommand::kIndex;
    CITEQA_RETURN_IF_ERROR(ParseIndex(rest, &command.index));
  } else if (name == "ask") {
    command.subcommand = Subcommand::kAsk;
    CITEQA_RETURN_IF_ERROR(ParseAsk(rest, &command.ask));
  } else if (name == "serve") {
    command.subcommand = Subcommand::kServe;
    CITEQA_RETURN_IF_ERROR(ParseServe(rest, &command.serve));
  } else if (name == "eval") {
    command.subcommand = Subcommand::kEval;
    CITEQA_RETURN_IF_ERROR(ParseEval(rest, &command.eval));
  } else if (name == "report") {
    command.subcommand = Subcommand::kReport;
    CITEQA_RETURN_IF_ERROR(ParseReport(rest, &command.report));
  } else if (name == "snapshot") {
    command.subcommand = Subcommand::kSnapshot;
    CITEQA_RETURN_IF_ERROR(ParseSnapshot(rest, &command.snapshot));
  } else if (name == "features") {
    command.subcommand = Subcommand::kFeatures;
    CITEQA_RETURN_IF_ERROR(ParseFeatures(rest, &command.features));
  } else {
    return Status::InvalidArgument("unknown subcommand '" + name + "'");
  }
  return command;
}

}  // namespace citeqa::server
