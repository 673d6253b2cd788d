// Turns an article file's raw bytes into valid UTF-8: byte-order marks, UTF-16, the
// single-byte encodings old web pages declare, repair of invalid bytes, and the refusal of
// binary files. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "indexer/status.h"

namespace citeqa::indexer {

enum class TextEncoding {
  kUtf8,
  kUtf16Le,
  kUtf16Be,
  kWindows1252,  // also what "iso-8859-1" and "us-ascii" labels mean, as in the WHATWG spec
};

struct DecodedText {
  std::string text;  // valid UTF-8; "\n" line ends; no BOM; no control characters but \n, \t
  TextEncoding encoding = TextEncoding::kUtf8;  // what the bytes were decoded as
  int repaired_bytes = 0;  // bytes of invalid UTF-8 that were decoded as windows-1252
};

// Decodes `bytes`. A byte-order mark decides the encoding (UTF-8, UTF-16 LE/BE). Without
// one, `declared` (from an HTML <meta charset>) is honoured when it is kWindows1252, unless
// the bytes are valid UTF-8 with non-ASCII text (a mislabelled UTF-8 page). Otherwise the
// bytes are read as UTF-8, and each byte that is not part of a valid sequence is decoded as
// its windows-1252 character (Latin-1 text, or UTF-8 with stray Latin-1 bytes, comes out
// right instead of as U+FFFD). Errors: kInvalidArgument for empty input ("empty file") or
// binary content (message contains "binary").
Result<DecodedText> DecodeText(std::string_view bytes,
                               std::optional<TextEncoding> declared = std::nullopt);

// The encoding named by a charset label ("utf-8", "ISO-8859-1", "cp1252", ...), for the
// labels this module decodes; nullopt for any other label (the caller then treats the
// bytes as UTF-8, with repair).
std::optional<TextEncoding> EncodingForLabel(std::string_view label);

// The charset label an HTML document declares in a <meta charset=...> or
// <meta http-equiv="Content-Type" content="...; charset=..."> tag within its first 1024
// bytes (where HTML5 requires it), or "" if none. A byte-level prescan like the one the
// HTML5 spec describes: it only finds the label; parsing is gumbo's job.
std::string FindMetaCharset(std::string_view html);

// Decodes windows-1252 bytes (ASCII-compatible; 0x80-0x9F are typographic characters).
std::string Windows1252ToUtf8(std::string_view bytes);

// True for content that is not text: a NUL byte, or more than 10% C0 control characters,
// in the first 8 KiB.
bool LooksBinary(std::string_view bytes);

}  // namespace citeqa::indexer
