#include "server/slack/form_decoding.h"

#include <gtest/gtest.h>

namespace citeqa::server::slack {
namespace {

TEST(FormDecodingTest, PercentDecodes) {
  struct Case {
    const char* input;
    const char* expected;
  };
  const Case cases[] = {
      {"", ""},
      {"plain", "plain"},
      {"what+is+leave%3F", "what is leave?"},
      {"a%2Fb", "a/b"},
      {"a%2fb", "a/b"},
      {"%2B1", "+1"},
      {"100%25", "100%"},
      {"caf%C3%A9", "caf\xC3\xA9"},          // é
      {"%E2%9C%93+ok", "\xE2\x9C\x93 ok"},   // ✓
      {"%F0%9F%98%80", "\xF0\x9F\x98\x80"},  // 😀
      {"caf\xC3\xA9", "caf\xC3\xA9"},        // raw UTF-8 passes through
      {"%3C%40U123%3E", "<@U123>"},
  };
  for (const auto& c : cases) {
    const Result<std::string> got = PercentDecode(c.input);
    ASSERT_TRUE(got.ok()) << c.input << ": " << got.status().ToString();
    EXPECT_EQ(*got, c.expected) << c.input;
  }
}

TEST(FormDecodingTest, RefusesMalformedEscapesAndNonUtf8) {
  const char* inputs[] = {"%",
                          "abc%",
                          "%2",
                          "%zz",
                          "%G1",
                          "%-1",
                          "% 1",
                          "%C3",
                          "%FF",
                          "%C3%28",
                          "%ED%A0%80" /* surrogate */,
                          "%C0%AF" /* overlong '/' */};
  for (const char* input : inputs) {
    const Result<std::string> got = PercentDecode(input);
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument) << input;
  }
}

TEST(FormDecodingTest, DecodesForms) {
  struct Case {
    const char* body;
    FormFields expected;
  };
  const Case cases[] = {
      {"", {}},
      {"text=", {{"text", {""}}}},
      {"text", {{"text", {""}}}},
      {"a=1&b=two+words", {{"a", {"1"}}, {"b", {"two words"}}}},
      {"a=1&&b=2&", {{"a", {"1"}}, {"b", {"2"}}}},
      {"a=1=2", {{"a", {"1=2"}}}},
      {"a%20b=c", {{"a b", {"c"}}}},
      {"text=a&text=b&text=", {{"text", {"a", "b", ""}}}},
      {"command=%2Fask&text=caf%C3%A9%3F", {{"command", {"/ask"}}, {"text", {"caf\xC3\xA9?"}}}},
  };
  for (const auto& c : cases) {
    const Result<FormFields> got = DecodeForm(c.body);
    ASSERT_TRUE(got.ok()) << c.body << ": " << got.status().ToString();
    EXPECT_EQ(*got, c.expected) << c.body;
  }
}

TEST(FormDecodingTest, RefusesAFormWithAnyBadComponent) {
  for (const char* body : {"text=100%", "a=1&b=%zz", "%ZZ=1", "text=%FF"}) {
    EXPECT_EQ(DecodeForm(body).status().code(), StatusCode::kInvalidArgument) << body;
  }
}

TEST(FormDecodingTest, SingleAndOptionalValues) {
  const FormFields fields = *DecodeForm("text=hi&dup=1&dup=2&empty=");
  EXPECT_EQ(*SingleValue(fields, "text"), "hi");
  EXPECT_EQ(*SingleValue(fields, "empty"), "");
  EXPECT_EQ(SingleValue(fields, "missing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(SingleValue(fields, "dup").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*OptionalValue(fields, "missing"), "");
  EXPECT_EQ(*OptionalValue(fields, "text"), "hi");
  EXPECT_EQ(OptionalValue(fields, "dup").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace citeqa::server::slack
