#include "server/slack/slack_config.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace citeqa::server::slack {
namespace {

Result<SlackConfig> Load(const std::map<std::string, std::string>& env) {
  return LoadSlackConfig([&env](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

TEST(SlackConfigTest, DefaultsWhenNothingIsSet) {
  const Result<SlackConfig> config = Load({});
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->signing_secret, "");
  EXPECT_EQ(config->bot_token, "");
  EXPECT_EQ(config->webhook_token, "");
  EXPECT_EQ(config->public_base_url, "");
  EXPECT_EQ(config->api_base, "https://slack.com/api");
  EXPECT_EQ(config->response_type, "in_channel");
}

TEST(SlackConfigTest, ReadsEveryVariable) {
  const Result<SlackConfig> config = Load({
      {"CITEQA_SLACK_SIGNING_SECRET", " 8f742231b10e8888abcd99yyyzzz85a5\n"},
      {"CITEQA_SLACK_BOT_TOKEN", "xoxb-1"},
      {"CITEQA_WEBHOOK_TOKEN", "hooktoken"},
      {"CITEQA_PUBLIC_BASE_URL", "https://qa.example.com/"},
      {"CITEQA_SLACK_API_BASE", "http://127.0.0.1:9999/api//"},
      {"CITEQA_SLACK_RESPONSE_TYPE", "ephemeral"},
  });
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->signing_secret, "8f742231b10e8888abcd99yyyzzz85a5");
  EXPECT_EQ(config->bot_token, "xoxb-1");
  EXPECT_EQ(config->webhook_token, "hooktoken");
  EXPECT_EQ(config->public_base_url, "https://qa.example.com");
  EXPECT_EQ(config->api_base, "http://127.0.0.1:9999/api");
  EXPECT_EQ(config->response_type, "ephemeral");
}

TEST(SlackConfigTest, EmptyMeansUnset) {
  const Result<SlackConfig> config = Load({{"CITEQA_SLACK_API_BASE", "  "},
                                           {"CITEQA_SLACK_RESPONSE_TYPE", ""},
                                           {"CITEQA_SLACK_SIGNING_SECRET", "\t"}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->api_base, "https://slack.com/api");
  EXPECT_EQ(config->response_type, "in_channel");
  EXPECT_EQ(config->signing_secret, "");
}

TEST(SlackConfigTest, RefusesBadValues) {
  const std::map<std::string, std::string> cases[] = {
      {{"CITEQA_SLACK_RESPONSE_TYPE", "in-channel"}},
      {{"CITEQA_SLACK_RESPONSE_TYPE", "EPHEMERAL"}},
      {{"CITEQA_PUBLIC_BASE_URL", "qa.example.com"}},
      {{"CITEQA_PUBLIC_BASE_URL", "https://"}},
      {{"CITEQA_SLACK_API_BASE", "ftp://slack.com/api"}},
      {{"CITEQA_SLACK_API_BASE", "http:///"}},
  };
  for (const auto& env : cases) {
    EXPECT_EQ(Load(env).status().code(), StatusCode::kInvalidArgument) << env.begin()->second;
  }
}

}  // namespace
}  // namespace citeqa::server::slack
