#include "indexer/encoding.h"

#include <gtest/gtest.h>

#include "indexer/text.h"

namespace citeqa::indexer {
namespace {

std::string Utf16(std::u16string_view text, bool big_endian, bool bom = true) {
  std::string bytes = bom ? (big_endian ? "\xFE\xFF" : "\xFF\xFE") : "";
  for (char16_t unit : text) {
    const char hi = static_cast<char>(unit >> 8);
    const char lo = static_cast<char>(unit & 0xFF);
    bytes.push_back(big_endian ? hi : lo);
    bytes.push_back(big_endian ? lo : hi);
  }
  return bytes;
}

TEST(DecodeTextTest, DecodesEachEncoding) {
  struct Case {
    std::string name;
    std::string bytes;
    std::optional<TextEncoding> declared;
    std::string expected;
    TextEncoding encoding;
    int repaired;
  } cases[] = {
      {"plain utf-8", "caf\xC3\xA9 cr\xC3\xA8me", std::nullopt, "café crème", TextEncoding::kUtf8,
       0},
      {"utf-8 bom", "\xEF\xBB\xBFhello", std::nullopt, "hello", TextEncoding::kUtf8, 0},
      {"latin-1 bytes repaired", "caf\xE9 na\xEFve \x93quoted\x94", std::nullopt,
       "café naïve \xE2\x80\x9Cquoted\xE2\x80\x9D", TextEncoding::kUtf8, 4},
      {"utf-8 with one stray latin-1 byte", "na\xC3\xAFve caf\xE9", std::nullopt, "naïve café",
       TextEncoding::kUtf8, 1},
      {"declared windows-1252", "caf\xE9 \x80 5", TextEncoding::kWindows1252, "café € 5",
       TextEncoding::kWindows1252, 0},
      {"declared windows-1252 keeps valid-looking pairs", "\xC3\xA9t\xE9",
       TextEncoding::kWindows1252, "Ã©té", TextEncoding::kWindows1252, 0},
      {"declared latin-1 but really utf-8", "caf\xC3\xA9", TextEncoding::kWindows1252, "café",
       TextEncoding::kUtf8, 0},
      {"utf-16le bom", Utf16(u"Hello \u00E9t\u00E9 \U0001F600", false), std::nullopt,
       "Hello été \xF0\x9F\x98\x80", TextEncoding::kUtf16Le, 0},
      {"utf-16be bom", Utf16(u"Line one\r\nLine two", true), std::nullopt, "Line one\nLine two",
       TextEncoding::kUtf16Be, 0},
      {"utf-16 lone surrogate", Utf16(std::u16string(u"a") + char16_t{0xD800} + u"b", false),
       std::nullopt,
       "a\xEF\xBF\xBD"
       "b",
       TextEncoding::kUtf16Le, 0},
      {"line ends and controls", "one\r\ntwo\rthree\x07\tfour and more text", std::nullopt,
       "one\ntwo\nthree\tfour and more text", TextEncoding::kUtf8, 0},
  };
  for (const auto& c : cases) {
    auto decoded = DecodeText(c.bytes, c.declared);
    ASSERT_TRUE(decoded.ok()) << c.name << ": " << decoded.status().ToString();
    EXPECT_EQ(decoded->text, c.expected) << c.name;
    EXPECT_EQ(decoded->encoding, c.encoding) << c.name;
    EXPECT_EQ(decoded->repaired_bytes, c.repaired) << c.name;
    EXPECT_TRUE(IsValidUtf8(decoded->text)) << c.name;
  }
}

TEST(DecodeTextTest, RefusesEmptyAndBinary) {
  std::string png = "\x89PNG\r\n\x1A\n";
  png.append(std::string("\0\0\0\rIHDR\0\0\0\x10", 12));
  struct Case {
    std::string name;
    std::string bytes;
    std::string message_part;
  } cases[] = {
      {"empty", "", "empty"},
      {"png", png, "binary"},
      {"nul in text", std::string("text\0text", 9), "binary"},
      {"utf-16 without bom", Utf16(u"Plain ASCII text in UTF-16 with no BOM", false, false),
       "UTF-16 without a byte-order mark"},
      {"control characters", std::string(200, '\x01') + "abc", "binary"},
      {"utf-16 of binary", Utf16(std::u16string(40, char16_t{0}), false), "binary"},
  };
  for (const auto& c : cases) {
    auto decoded = DecodeText(c.bytes);
    ASSERT_FALSE(decoded.ok()) << c.name;
    EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_NE(decoded.status().message().find(c.message_part), std::string::npos)
        << c.name << ": " << decoded.status().message();
  }
}

TEST(EncodingForLabelTest, KnowsTheLabelsItDecodes) {
  struct Case {
    std::string label;
    std::optional<TextEncoding> expected;
  } cases[] = {
      {"utf-8", TextEncoding::kUtf8},
      {"UTF8", TextEncoding::kUtf8},
      {"ISO-8859-1", TextEncoding::kWindows1252},
      {"windows-1252", TextEncoding::kWindows1252},
      {" latin1 ", TextEncoding::kWindows1252},
      {"us-ascii", TextEncoding::kWindows1252},
      {"shift_jis", std::nullopt},
      {"koi8-r", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(EncodingForLabel(c.label), c.expected) << c.label;
}

TEST(FindMetaCharsetTest, FindsBothFormsInThePrescanWindow) {
  struct Case {
    std::string html;
    std::string expected;
  } cases[] = {
      {"<html><head><meta charset=\"utf-8\"><title>x</title>", "utf-8"},
      {"<META CHARSET='Windows-1252'>", "windows-1252"},
      {"<meta charset=iso-8859-1>", "iso-8859-1"},
      {"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">",
       "iso-8859-1"},
      {"<meta name=\"viewport\" content=\"width=device-width\"><p>charset=koi8</p>", ""},
      {std::string(1100, ' ') + "<meta charset=\"windows-1252\">", ""},
      {"<p>no meta</p>", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(FindMetaCharset(c.html), c.expected) << c.html;
}

TEST(Windows1252ToUtf8Test, MapsTheHighRange) {
  EXPECT_EQ(Windows1252ToUtf8("\x80\x85\x91\x92\x96\x97\x99\xA0\xE9\xFF"),
            "€…‘’–—™\xC2\xA0"
            "éÿ");
  EXPECT_EQ(Windows1252ToUtf8("plain"), "plain");
}

}  // namespace
}  // namespace citeqa::indexer
