// Fuzz target: indexer::ReadDocument for one format (CITEQA_FUZZ_FORMAT, set per executable
// by fuzz/CMakeLists.txt: kPlainText, kMarkdown or kHtml). Any bytes may be refused with a
// Status; what is accepted must satisfy document.h's contract (CheckParsedDocument), and the
// same bytes must always give the same document.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/document_checks.h"
#include "indexer/reader.h"

#ifndef CITEQA_FUZZ_FORMAT
#error "define CITEQA_FUZZ_FORMAT as kPlainText, kMarkdown or kHtml"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using citeqa::indexer::DocumentFormat;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto doc = citeqa::indexer::ReadDocument(DocumentFormat::CITEQA_FUZZ_FORMAT, bytes);
  if (!doc.ok()) return 0;
  citeqa::fuzz::CheckParsedDocument(*doc);
  auto again = citeqa::indexer::ReadDocument(DocumentFormat::CITEQA_FUZZ_FORMAT, bytes);
  FUZZ_CHECK(again.ok() && again->title == doc->title && again->blocks.size() == doc->blocks.size(),
             "reading the same bytes twice gave different documents");
  return 0;
}
