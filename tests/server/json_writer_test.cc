#include "server/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

namespace citeqa::server {
namespace {

// What the writer must match: nlohmann's dump as the API wrote it before.
std::string NlohmannDump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string WrittenString(std::string_view text) {
  std::string out = "prefix ";  // appends, never overwrites (even when falling back)
  AppendJsonString(&out, text);
  return out;
}

TEST(JsonWriterTest, StringsAsNlohmannWritesThem) {
  const std::string cases[] = {
      "",
      "plain text",
      "quote \" backslash \\ slash /",
      "tab\tnewline\ncr\rbackspace\bformfeed\f",
      std::string("nul \0 inside", 12),
      "\x01\x02\x1f\x7f end",
      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe4\xb8\xad",  // 2-, 3- and 4-byte UTF-8
      "\xed\x9f\xbf \xee\x80\x80 \xf4\x8f\xbf\xbf",              // the edges that are valid
      // Not UTF-8: each goes through nlohmann's replacement rules.
      "bad \xff\xfe bytes",
      "lone continuation \x80 here",
      "overlong \xc0\x80 and \xc1\xbf",
      "overlong three \xe0\x80\x80",
      "surrogate \xed\xa0\x80",
      "beyond U+10FFFF \xf4\x90\x80\x80 and \xf5\x80\x80\x80",
      "truncated at the end \xe2\x82",
      "truncated inside \xe2\x82 then text",
      "\xc3",
      "\"escapes\" before \xff and after \n",
  };
  for (const std::string& text : cases) {
    EXPECT_EQ(WrittenString(text), "prefix " + NlohmannDump(text)) << "case: " << text;
  }
}

TEST(JsonWriterTest, EveryAsciiByteAsNlohmannWritesIt) {
  for (int byte = 0; byte < 0x80; ++byte) {
    std::string text = "a_b";
    text[1] = static_cast<char>(byte);
    EXPECT_EQ(WrittenString(text), "prefix " + NlohmannDump(text)) << "byte " << byte;
  }
}

// The writer skips plain text a word (8 bytes) at a time: a byte that needs escaping, or
// UTF-8, is found wherever it falls in a word.
TEST(JsonWriterTest, SpecialBytesAtEveryOffset) {
  const std::string specials[] = {"\"", "\\", "\n",       "\x01",         "\x1f", "\x7f",
                                  " ",  "~",  "\xc3\xa9", "\xe2\x82\xac", "\xff", "\xe2\x82"};
  for (const std::string& special : specials) {
    for (size_t offset = 0; offset <= 24; ++offset) {
      std::string text(offset, 'a');
      text += special;
      text += std::string(24 - offset, 'b');
      EXPECT_EQ(WrittenString(text), "prefix " + NlohmannDump(text))
          << "special " << special << " at " << offset;
      const std::string at_end = std::string(offset, 'c') + special;
      EXPECT_EQ(WrittenString(at_end), "prefix " + NlohmannDump(at_end))
          << "special " << special << " ending text of " << at_end.size();
    }
  }
}

TEST(JsonWriterTest, NumbersAsNlohmannWritesThem) {
  const double cases[] = {0.0,
                          -0.0,
                          1.0,
                          5.0,
                          -3.0,
                          0.4,
                          0.412,
                          7.31,
                          5.2,
                          1.0 / 3.0,
                          1e-5,
                          1.5e-7,
                          123456789012345.0,
                          1e15,
                          1e16,
                          1e21,
                          -2.5e-300,
                          std::numeric_limits<double>::max(),
                          std::numeric_limits<double>::min(),
                          std::numeric_limits<double>::denorm_min(),
                          static_cast<double>(7.31f)};
  for (const double value : cases) {
    std::string out;
    AppendJsonNumber(&out, value);
    EXPECT_EQ(out, NlohmannDump(value)) << "case: " << value;
  }
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> score(-20.0, 20.0);
  std::uniform_int_distribution<uint64_t> bits;
  for (int i = 0; i < 2000; ++i) {
    uint64_t raw = bits(random);
    double any = 0;
    static_assert(sizeof(any) == sizeof(raw));
    std::memcpy(&any, &raw, sizeof(any));
    for (const double value : {score(random), std::round(score(random) * 1000.0) / 1000.0, any}) {
      std::string out;
      AppendJsonNumber(&out, value);
      EXPECT_EQ(out, NlohmannDump(value)) << "case: " << value;
    }
  }
}

TEST(JsonWriterTest, NotFiniteNumbersAreNull) {
  for (const double value :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity()}) {
    std::string out;
    AppendJsonNumber(&out, value);
    EXPECT_EQ(out, "null");
    EXPECT_EQ(out, NlohmannDump(value));
  }
}

TEST(JsonWriterTest, IntegersAndBooleans) {
  const int64_t cases[] = {0,
                           1,
                           -1,
                           42,
                           2147483647,
                           -2147483648LL,
                           std::numeric_limits<int64_t>::max(),
                           std::numeric_limits<int64_t>::min()};
  for (const int64_t value : cases) {
    std::string out;
    AppendJsonInteger(&out, value);
    EXPECT_EQ(out, NlohmannDump(value)) << "case: " << value;
  }
  std::string out;
  AppendJsonBool(&out, true);
  out += ',';
  AppendJsonBool(&out, false);
  EXPECT_EQ(out, "true,false");
}

}  // namespace
}  // namespace citeqa::server
