// Turns an article file's bytes into a ParsedDocument, choosing the reader by extension.
#pragma once

#include <optional>
#include <string_view>

#include "indexer/document.h"
#include "indexer/status.h"

namespace citeqa::indexer {

enum class DocumentFormat { kPlainText, kMarkdown, kHtml };

// The format for a file name by its extension (case-insensitive): .txt, .md/.markdown,
// .html/.htm. nullopt for anything else.
std::optional<DocumentFormat> FormatForPath(std::string_view path);

// Decodes (UTF-8, BOM allowed, invalid bytes repaired) and parses. Errors:
// kInvalidArgument for binary content (NUL bytes, mostly non-text) or an empty document.
Result<ParsedDocument> ReadDocument(DocumentFormat format, std::string_view bytes);

}  // namespace citeqa::indexer
