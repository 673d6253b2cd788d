#include "indexer/encoding.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "indexer/text.h"

namespace citeqa::indexer {
namespace {

constexpr size_t kBinarySniffBytes = 8192;
constexpr size_t kMetaPrescanBytes = 1024;
constexpr uint32_t kReplacement = 0xFFFD;

// windows-1252 0x80-0x9F. The five unassigned bytes map to the C1 code point of the same
// value (as in the WHATWG encoding spec), which the final sanitising step drops.
constexpr std::array<uint16_t, 32> kWindows1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

uint32_t Windows1252CodePoint(unsigned char b) {
  return b >= 0x80 && b <= 0x9F ? kWindows1252High[b - 0x80] : b;
}

// Length of the well-formed UTF-8 sequence at `i` (no overlongs, surrogates or values past
// U+10FFFF), or 0.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  size_t len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  if (b1 < lo || b1 > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return len;
}

// Valid sequences are copied; every other byte is decoded as windows-1252.
std::string RepairUtf8(std::string_view bytes, int* repaired) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    if (static_cast<unsigned char>(bytes[i]) < 0x80) {  // a run of ASCII, copied at once
      size_t end = i + 1;
      while (end < bytes.size() && static_cast<unsigned char>(bytes[end]) < 0x80) ++end;
      out.append(bytes.substr(i, end - i));
      i = end;
      continue;
    }
    const size_t len = Utf8SequenceLength(bytes, i);
    if (len > 0) {
      out.append(bytes.substr(i, len));
      i += len;
    } else {
      AppendUtf8(Windows1252CodePoint(static_cast<unsigned char>(bytes[i])), &out);
      ++*repaired;
      ++i;
    }
  }
  return out;
}

std::string Utf16ToUtf8(std::string_view bytes, bool big_endian) {
  std::string out;
  out.reserve(bytes.size());
  auto unit_at = [&](size_t i) {
    const auto a = static_cast<unsigned char>(bytes[i]);
    const auto b = static_cast<unsigned char>(bytes[i + 1]);
    return static_cast<uint32_t>(big_endian ? (a << 8) | b : (b << 8) | a);
  };
  size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) {
    const uint32_t unit = unit_at(i);
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 3 < bytes.size()) {
      const uint32_t low = unit_at(i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        AppendUtf8(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), &out);
        i += 2;
        continue;
      }
    }
    AppendUtf8(unit >= 0xD800 && unit <= 0xDFFF ? kReplacement : unit, &out);
  }
  if (i < bytes.size()) AppendUtf8(kReplacement, &out);  // odd trailing byte
  return out;
}

bool HasNonAscii(std::string_view bytes) {
  return std::any_of(bytes.begin(), bytes.end(),
                     [](char c) { return (static_cast<unsigned char>(c) & 0x80) != 0; });
}

// "\r\n" and lone "\r" become "\n"; controls other than \n and \t are dropped; a leading
// U+FEFF (a second BOM) is dropped.
std::string Normalize(std::string_view utf8) {
  std::string lines;
  if (utf8.find('\r') != std::string_view::npos) {
    lines.reserve(utf8.size());
    for (size_t i = 0; i < utf8.size(); ++i) {
      if (utf8[i] != '\r') {
        lines.push_back(utf8[i]);
      } else if (i + 1 >= utf8.size() || utf8[i + 1] != '\n') {
        lines.push_back('\n');
      }
    }
    utf8 = lines;
  }
  std::string out = SanitizeUtf8(utf8);
  if (out.rfind("\xEF\xBB\xBF", 0) == 0) out.erase(0, 3);
  return out;
}

std::string BinaryMessage(std::string_view bytes) {
  // UTF-16 without a BOM: ASCII text with every other byte zero.
  const size_t sample = std::min(bytes.size(), kBinarySniffBytes) & ~size_t{1};
  std::array<size_t, 2> zeros = {0, 0};
  for (size_t i = 0; i < sample; ++i) {
    if (bytes[i] == 0) ++zeros[i % 2];
  }
  const size_t half = sample / 2;
  if (half >= 8 && (zeros[0] * 10 >= half * 9 || zeros[1] * 10 >= half * 9) &&
      std::min(zeros[0], zeros[1]) * 10 < half) {
    return "binary content, not text (it looks like UTF-16 without a byte-order mark; save "
           "it as UTF-8)";
  }
  return "binary content, not text";
}

}  // namespace

bool LooksBinary(std::string_view bytes) {
  const size_t sample = std::min(bytes.size(), kBinarySniffBytes);
  size_t control = 0;
  for (size_t i = 0; i < sample; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == 0) return true;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++control;
  }
  return sample > 0 && control * 10 > sample;
}

std::string Windows1252ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char c : bytes) AppendUtf8(Windows1252CodePoint(static_cast<unsigned char>(c)), &out);
  return out;
}

std::optional<TextEncoding> EncodingForLabel(std::string_view label) {
  std::string lower = AsciiLower(CollapseWhitespace(label));
  static constexpr std::array<std::string_view, 3> kUtf8 = {"utf-8", "utf8", "unicode-1-1-utf-8"};
  static constexpr std::array<std::string_view, 14> kWindows1252 = {
      "windows-1252", "cp1252", "x-cp1252",    "iso-8859-1", "iso8859-1",
      "iso_8859-1",   "latin1", "l1",          "us-ascii",   "ascii",
      "cp819",        "ibm819", "csisolatin1", "iso-ir-100"};
  if (std::find(kUtf8.begin(), kUtf8.end(), lower) != kUtf8.end()) return TextEncoding::kUtf8;
  if (std::find(kWindows1252.begin(), kWindows1252.end(), lower) != kWindows1252.end()) {
    return TextEncoding::kWindows1252;
  }
  return std::nullopt;
}

std::string FindMetaCharset(std::string_view html) {
  const std::string head = AsciiLower(html.substr(0, std::min(html.size(), kMetaPrescanBytes)));
  for (size_t p = head.find("<meta"); p != std::string::npos; p = head.find("<meta", p + 5)) {
    const size_t tag_end = std::min(head.find('>', p), head.size());
    const size_t key = head.find("charset", p);
    if (key == std::string::npos || key >= tag_end) continue;
    size_t i = key + 7;
    auto skip = [&](std::string_view chars) {
      while (i < tag_end && chars.find(head[i]) != std::string_view::npos) ++i;
    };
    skip(" \t\n");
    if (i >= tag_end || head[i] != '=') continue;
    ++i;
    skip(" \t\n\"'");
    const size_t begin = i;
    while (i < tag_end && std::string_view(" \t\n\"';/").find(head[i]) == std::string_view::npos) {
      ++i;
    }
    if (i > begin) return head.substr(begin, i - begin);
  }
  return "";
}

Result<DecodedText> DecodeText(std::string_view bytes, std::optional<TextEncoding> declared) {
  if (bytes.empty()) return Status::InvalidArgument("empty file");
  DecodedText decoded;
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    const bool big_endian = bytes[0] == '\xFE';
    decoded.encoding = big_endian ? TextEncoding::kUtf16Be : TextEncoding::kUtf16Le;
    const std::string utf8 = Utf16ToUtf8(bytes.substr(2), big_endian);
    if (LooksBinary(utf8)) return Status::InvalidArgument("binary content, not text (UTF-16)");
    decoded.text = Normalize(utf8);
  } else {
    if (bytes.starts_with("\xEF\xBB\xBF")) {
      bytes.remove_prefix(3);
      declared = TextEncoding::kUtf8;
    }
    if (LooksBinary(bytes)) return Status::InvalidArgument(BinaryMessage(bytes));
    const bool mislabelled_utf8 = HasNonAscii(bytes) && IsValidUtf8(bytes);
    if (declared == TextEncoding::kWindows1252 && !mislabelled_utf8) {
      decoded.encoding = TextEncoding::kWindows1252;
      decoded.text = Normalize(Windows1252ToUtf8(bytes));
    } else {
      decoded.text = Normalize(RepairUtf8(bytes, &decoded.repaired_bytes));
    }
  }
  return decoded;
}

}  // namespace citeqa::indexer
