#include "server/cli_args.h"
#include "server/usage_text.h"

#include <gtest/gtest.h>

namespace citeqa::server {
namespace {

TEST(CliArgsTest, ParsesEachSubcommand) {
  auto index = ParseCommandLine({"index", "--corpus", "c", "--db=x.db", "--synonyms", "s.txt"});
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  EXPECT_EQ(index->subcommand, Subcommand::kIndex);
  EXPECT_EQ(index->index.corpus_dir, "c");
  EXPECT_EQ(index->index.db_path, "x.db");
  EXPECT_EQ(index->index.synonyms_path, "s.txt");

  auto ask = ParseCommandLine({"ask", "--db", "x.db", "--json", "--top-k", "3", "--history",
                               "first?", "--history=second?", "what", "is", "it?"});
  ASSERT_TRUE(ask.ok()) << ask.status().ToString();
  EXPECT_EQ(ask->subcommand, Subcommand::kAsk);
  EXPECT_EQ(ask->ask.db_path, "x.db");
  EXPECT_TRUE(ask->ask.json);
  EXPECT_EQ(ask->ask.top_k, 3);
  EXPECT_EQ(ask->ask.history, (std::vector<std::string>{"first?", "second?"}));
  EXPECT_EQ(ask->ask.question, "what is it?");
  EXPECT_FALSE(ask->ask.explain);
  auto explained = ParseCommandLine({"ask", "--db", "x.db", "--explain", "why?"});
  ASSERT_TRUE(explained.ok()) << explained.status().ToString();
  EXPECT_TRUE(explained->ask.explain);
  EXPECT_EQ(explained->ask.question, "why?");

  auto serve = ParseCommandLine({"serve", "--db", "x.db", "--corpus", "c", "--host", "0.0.0.0",
                                 "--port", "0", "--threads", "4"});
  ASSERT_TRUE(serve.ok()) << serve.status().ToString();
  EXPECT_EQ(serve->subcommand, Subcommand::kServe);
  EXPECT_EQ(serve->serve.db_path, "x.db");
  EXPECT_EQ(serve->serve.corpus_dir, "c");
  EXPECT_EQ(serve->serve.host, "0.0.0.0");
  EXPECT_EQ(serve->serve.port, 0);
  EXPECT_EQ(serve->serve.threads, 4);

  auto eval = ParseCommandLine({"eval", "--db", "x.db", "q.jsonl", "--json"});
  ASSERT_TRUE(eval.ok()) << eval.status().ToString();
  EXPECT_EQ(eval->subcommand, Subcommand::kEval);
  EXPECT_EQ(eval->eval.questions_path, "q.jsonl");
  EXPECT_TRUE(eval->eval.json);
}

TEST(CliArgsTest, ModelsFolderAndTheFeaturesSubcommand) {
  auto ask = ParseCommandLine({"ask", "--db", "x.db", "--models", "m", "--explain", "why?"});
  ASSERT_TRUE(ask.ok()) << ask.status().ToString();
  EXPECT_EQ(ask->ask.models_dir, "m");
  EXPECT_TRUE(ask->ask.explain);
  auto serve = ParseCommandLine({"serve", "--db", "x.db", "--models=/opt/models"});
  ASSERT_TRUE(serve.ok()) << serve.status().ToString();
  EXPECT_EQ(serve->serve.models_dir, "/opt/models");
  auto eval = ParseCommandLine({"eval", "--models", "m", "--db", "x.db", "q.jsonl"});
  ASSERT_TRUE(eval.ok()) << eval.status().ToString();
  EXPECT_EQ(eval->eval.models_dir, "m");
  EXPECT_EQ(eval->eval.questions_path, "q.jsonl");

  auto features = ParseCommandLine({"features", "--db", "x.db", "--models", "m", "q.jsonl"});
  ASSERT_TRUE(features.ok()) << features.status().ToString();
  EXPECT_EQ(features->subcommand, Subcommand::kFeatures);
  EXPECT_EQ(features->features.db_path, "x.db");
  EXPECT_EQ(features->features.models_dir, "m");
  EXPECT_EQ(features->features.questions_path, "q.jsonl");
  auto bare = ParseCommandLine({"features", "--db", "x.db", "q.jsonl"});
  ASSERT_TRUE(bare.ok()) << bare.status().ToString();
  EXPECT_EQ(bare->features.models_dir, "") << "no models: the features before any model";

  // Without --models: the models built into the binary.
  auto plain = ParseCommandLine({"ask", "--db", "x.db", "why?"});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->ask.models_dir, "");
  EXPECT_EQ(ParseCommandLine({"serve", "--db", "x.db"})->serve.models_dir, "");
  EXPECT_EQ(ParseCommandLine({"eval", "--db", "x.db", "q.jsonl"})->eval.models_dir, "");
}

TEST(CliArgsTest, Defaults) {
  auto serve = ParseCommandLine({"serve", "--db", "x.db"});
  ASSERT_TRUE(serve.ok());
  EXPECT_EQ(serve->serve.host, "127.0.0.1");
  EXPECT_EQ(serve->serve.port, 8080);
  EXPECT_EQ(serve->serve.threads, 0);
  EXPECT_GE(EffectiveThreadCount(serve->serve), 2);

  auto ask = ParseCommandLine({"ask", "--db", "x.db", "why?"});
  ASSERT_TRUE(ask.ok());
  EXPECT_EQ(ask->ask.top_k, 5);
  EXPECT_FALSE(ask->ask.json);
  EXPECT_TRUE(ask->ask.history.empty());
}

TEST(CliArgsTest, ConnectionGuardFlags) {
  auto defaults = ParseCommandLine({"serve", "--db", "x.db"});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->serve.header_timeout_seconds, 10);
  EXPECT_EQ(defaults->serve.body_timeout_seconds, 30);
  EXPECT_EQ(defaults->serve.keep_alive_timeout_seconds, 2);
  EXPECT_EQ(defaults->serve.max_connections, 1024);

  auto set = ParseCommandLine({"serve", "--db", "x.db", "--header-timeout", "1",
                               "--body-timeout=4", "--keep-alive-timeout", "7",
                               "--max-connections", "50"});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->serve.header_timeout_seconds, 1);
  EXPECT_EQ(set->serve.body_timeout_seconds, 4);
  EXPECT_EQ(set->serve.keep_alive_timeout_seconds, 7);
  EXPECT_EQ(set->serve.max_connections, 50);

  struct Case {
    std::vector<std::string> args;
    std::string message_part;
  } cases[] = {
      {{"serve", "--db", "x", "--header-timeout", "0"}, "--header-timeout must be an integer"},
      {{"serve", "--db", "x", "--body-timeout", "-3"}, "--body-timeout must be an integer"},
      {{"serve", "--db", "x", "--keep-alive-timeout", "x"}, "--keep-alive-timeout must be"},
      {{"serve", "--db", "x", "--max-connections", "0"}, "--max-connections must be"},
      {{"serve", "--db", "x", "--max-connections", "100001"}, "--max-connections must be"},
  };
  for (const Case& c : cases) {
    auto command = ParseCommandLine(c.args);
    ASSERT_FALSE(command.ok()) << ::testing::PrintToString(c.args);
    EXPECT_NE(command.status().message().find(c.message_part), std::string::npos)
        << ::testing::PrintToString(c.args) << " gave: " << command.status().message();
  }

  ServerConfig config;
  config.db_path = "x";
  config.max_connections = 0;
  EXPECT_FALSE(ValidateServerConfig(config).ok());
  config.max_connections = 1;
  config.header_timeout_seconds = 0;
  EXPECT_FALSE(ValidateServerConfig(config).ok());
  config.header_timeout_seconds = 1;
  EXPECT_TRUE(ValidateServerConfig(config).ok());
}

TEST(CliArgsTest, DoubleDashEndsOptions) {
  auto ask = ParseCommandLine({"ask", "--db", "x.db", "--", "--json", "-5?"});
  ASSERT_TRUE(ask.ok()) << ask.status().ToString();
  EXPECT_FALSE(ask->ask.json);
  EXPECT_EQ(ask->ask.question, "--json -5?");
}

TEST(CliArgsTest, HelpRequests) {
  struct Case {
    std::vector<std::string> args;
    std::string topic;
    bool requested;
  } cases[] = {
      {{}, "", false},
      {{"help"}, "", true},
      {{"--help"}, "", true},
      {{"-h"}, "", true},
      {{"ask", "--help"}, "ask", true},
      {{"serve", "--db", "x", "-h"}, "serve", true},
      {{"features", "--help"}, "features", true},
      {{"help", "report"}, "report", true},
      {{"--help", "serve"}, "", true},
  };
  for (const Case& c : cases) {
    auto command = ParseCommandLine(c.args);
    ASSERT_TRUE(command.ok()) << ::testing::PrintToString(c.args);
    EXPECT_EQ(command->subcommand, Subcommand::kHelp) << ::testing::PrintToString(c.args);
    EXPECT_EQ(command->help_topic, c.topic) << ::testing::PrintToString(c.args);
    EXPECT_EQ(command->help_requested, c.requested) << ::testing::PrintToString(c.args);
  }
  EXPECT_FALSE(ParseCommandLine({"help", "bogus"}).ok());
  EXPECT_FALSE(ParseCommandLine({"bogus", "--help"}).ok());
  auto version = ParseCommandLine({"--version"});
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->subcommand, Subcommand::kVersion);
}

TEST(CliArgsTest, EachSubcommandHasItsOwnHelp) {
  for (const char* name : {"index", "ask", "serve", "eval", "report", "features"}) {
    const auto usage = SubcommandUsage(name);
    ASSERT_TRUE(usage.has_value()) << name;
    EXPECT_NE(usage->find(std::string("citeqa ") + name + " "), std::string::npos) << *usage;
    EXPECT_NE(UsageText().find(usage->substr(std::string("usage:\n").size())), std::string::npos)
        << name;
    for (const char* other : {"index", "ask", "serve", "eval", "report", "features"}) {
      if (std::string(other) == name) continue;
      EXPECT_EQ(usage->find(std::string("citeqa ") + other + " "), std::string::npos)
          << name << " shows " << other;
    }
  }
  EXPECT_NE(SubcommandUsage("serve")->find("--max-connections"), std::string::npos);
  EXPECT_FALSE(SubcommandUsage("bogus").has_value());
}

TEST(CliArgsTest, RejectsBadCommandLines) {
  struct Case {
    std::vector<std::string> args;
    std::string message_part;
  } cases[] = {
      {{"frobnicate"}, "unknown subcommand 'frobnicate'"},
      {{"index", "--db", "x.db"}, "--corpus is required"},
      {{"index", "--corpus", "c"}, "--db is required"},
      {{"index", "--corpus", "c", "--db", "x", "extra"}, "unexpected argument 'extra'"},
      {{"index", "--corpus"}, "--corpus needs a value"},
      {{"index", "--corpus", "c", "--db", "x", "--verbose"}, "unknown option '--verbose'"},
      {{"ask", "--db", "x.db"}, "a QUESTION is required"},
      {{"ask", "why?"}, "--db is required"},
      {{"ask", "--db", "x", "--top-k", "0", "q"}, "--top-k must be an integer from 1 to 20"},
      {{"ask", "--db", "x", "--top-k", "21", "q"}, "--top-k must be an integer from 1 to 20"},
      {{"ask", "--db", "x", "--top-k", "3x", "q"}, "--top-k must be an integer"},
      {{"ask", "--db", "x", "--top-k", "", "q"}, "--top-k must be an integer"},
      {{"ask", "--db", "x", "--json=yes", "q"}, "--json does not take a value"},
      {{"ask", "--db", "x", "-j", "q"}, "unknown option '-j'"},
      {{"serve", "--db", "x", "--port", "65536"}, "--port must be an integer from 0 to 65535"},
      {{"serve", "--db", "x", "--port", "-1"}, "--port must be an integer"},
      {{"serve", "--db", "x", "--port", "99999999999999"}, "--port must be an integer"},
      {{"serve", "--db", "x", "--threads", "0"}, "--threads must be an integer from 1 to 1024"},
      {{"serve", "--db", "x", "--host", ""}, "--host must not be empty"},
      {{"serve", "--port", "0"}, "--db is required"},
      {{"eval", "--db", "x"}, "exactly one QUESTIONS.jsonl"},
      {{"eval", "--db", "x", "a.jsonl", "b.jsonl"}, "exactly one QUESTIONS.jsonl"},
      {{"eval", "--db", "x", "--models"}, "--models needs a value"},
      {{"ask", "--db", "x", "--models", "q"}, "a QUESTION is required"},
      {{"features", "--db", "x"}, "exactly one QUESTIONS.jsonl"},
      {{"features", "--db", "x", "a.jsonl", "b.jsonl"}, "exactly one QUESTIONS.jsonl"},
      {{"features", "q.jsonl"}, "--db is required"},
      {{"features", "--db", "x", "--json", "q.jsonl"}, "unknown option '--json'"},
      {{"index", "--corpus", "c", "--db", "x", "--models", "m"}, "unknown option '--models'"},
  };
  for (const Case& c : cases) {
    auto command = ParseCommandLine(c.args);
    ASSERT_FALSE(command.ok()) << ::testing::PrintToString(c.args);
    EXPECT_EQ(command.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(command.status().message().find(c.message_part), std::string::npos)
        << ::testing::PrintToString(c.args) << " gave: " << command.status().message();
  }
}

TEST(CliArgsTest, ServeLogSettings) {
  auto defaults = ParseCommandLine({"serve", "--db", "x.db"});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->serve.log_format, LogFormat::kText);
  EXPECT_FALSE(defaults->serve.trust_forwarded_for);

  auto set = ParseCommandLine({"serve", "--db", "x.db", "--log-format", "json", "--trust-proxy"});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->serve.log_format, LogFormat::kJson);
  EXPECT_TRUE(set->serve.trust_forwarded_for);

  auto wrong = ParseCommandLine({"serve", "--db", "x.db", "--log-format", "xml"});
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("--log-format must be text or json"), std::string::npos)
      << wrong.status().message();
}

TEST(CliArgsTest, UsageNamesEverySubcommand) {
  const std::string usage = UsageText();
  for (const char* word :
       {"citeqa index", "citeqa ask", "citeqa serve", "citeqa eval", "citeqa features", "--port",
        "--top-k", "--history", "--synonyms", "--threads", "--models", "--explain",
        "--header-timeout", "--body-timeout", "--keep-alive-timeout", "--max-connections",
        "--log-format", "--trust-proxy"}) {
    EXPECT_NE(usage.find(word), std::string::npos) << word;
  }
}

TEST(ConfigTest, ServerUrl) {
  struct Case {
    std::string host;
    int port;
    std::string expected;
  } cases[] = {
      {"127.0.0.1", 8080, "http://127.0.0.1:8080"},
      {"localhost", 1, "http://localhost:1"},
      {"::1", 9000, "http://[::1]:9000"},
  };
  for (const Case& c : cases) EXPECT_EQ(ServerUrl(c.host, c.port), c.expected) << c.host;
}

}  // namespace
}  // namespace citeqa::server
