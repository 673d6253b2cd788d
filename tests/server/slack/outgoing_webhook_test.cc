#include "server/slack/outgoing_webhook.h"

#include <gtest/gtest.h>

namespace citeqa::server::slack {
namespace {

TEST(OutgoingWebhookTest, StripsAWholeTriggerWord) {
  struct Case {
    const char* text;
    const char* trigger;
    const char* expected;
  };
  const Case cases[] = {
      {"!ask how long?", "!ask", "how long?"},
      {"!ASK   how\nlong?", "!ask", "how long?"},
      {"citeqa: how long?", "citeqa", "how long?"},
      {"@citeqa, how long?", "@citeqa", "how long?"},
      {"asking about leave", "ask", "asking about leave"},
      {"how long? !ask", "!ask", "how long? !ask"},
      {"!ask", "!ask", ""},
      {"  how long?  ", "", "how long?"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(StripTriggerWord(c.text, c.trigger), c.expected) << c.text << " / " << c.trigger;
  }
}

TEST(OutgoingWebhookTest, ParsesFormAndJson) {
  SlackHttpRequest form;
  form.body = "token=t&text=a+b&trigger_word=%21x&user_name=u";
  form.headers["content-type"] = {"application/x-www-form-urlencoded"};
  const Result<OutgoingWebhook> f = ParseOutgoingWebhook(form);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->token, "t");
  EXPECT_EQ(f->text, "a b");
  EXPECT_EQ(f->trigger_word, "!x");

  SlackHttpRequest json;
  json.body = R"({"token":"t","text":"a+b","trigger_word":null})";
  json.headers["content-type"] = {"Application/JSON"};
  const Result<OutgoingWebhook> j = ParseOutgoingWebhook(json);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->text, "a+b") << "JSON text is not form-decoded";
  EXPECT_EQ(j->trigger_word, "");

  SlackHttpRequest repeated = form;
  repeated.body += "&text=c";
  EXPECT_EQ(ParseOutgoingWebhook(repeated).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace citeqa::server::slack
