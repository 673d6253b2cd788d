// Fuzz target: indexer::ChunkDocument over ReadDocument output, before and after
// CleanDocument, as `citeqa index` runs them. The first input byte picks the format
// (mod 3: text, Markdown, HTML) and the chunker options (default or tiny sizes, which make
// every cut path run); the rest is the file.
// Invariants: passages are numbered 0, 1, 2, ... in order; their text is non-empty valid
// UTF-8; and no paragraph or list text is lost: the words of those blocks appear, in order,
// among the words of the passages.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/document_checks.h"
#include "indexer/chunker.h"
#include "indexer/cleaner.h"
#include "indexer/reader.h"
#include "indexer/text.h"

namespace {

using citeqa::indexer::BlockKind;
using citeqa::indexer::ParsedDocument;
using citeqa::indexer::Passage;

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  for (citeqa::indexer::Token& t : citeqa::indexer::Tokenize(text)) {
    out.push_back(std::move(t.text));
  }
  return out;
}

void CheckPassages(const ParsedDocument& doc, const std::vector<Passage>& passages) {
  std::vector<std::string> passage_words;
  for (size_t i = 0; i < passages.size(); ++i) {
    const Passage& p = passages[i];
    FUZZ_CHECK(p.ordinal == static_cast<int>(i), "passage %zu has ordinal %d", i, p.ordinal);
    FUZZ_CHECK(!p.text.empty(), "passage %zu is empty", i);
    FUZZ_CHECK(citeqa::indexer::IsValidUtf8(p.text), "passage %zu is not UTF-8", i);
    FUZZ_CHECK(citeqa::indexer::IsValidUtf8(p.heading), "heading of passage %zu is not UTF-8", i);
    for (std::string& w : Words(p.text)) passage_words.push_back(std::move(w));
  }
  size_t at = 0;  // body words must be a subsequence of the passages' words
  for (const citeqa::indexer::Block& b : doc.blocks) {
    if (b.kind == BlockKind::kHeading) continue;
    for (const std::string& w : Words(b.text)) {
      while (at < passage_words.size() && passage_words[at] != w) ++at;
      FUZZ_CHECK(at < passage_words.size(), "the word '%s' of a %s block is in no passage",
                 w.c_str(), b.kind == BlockKind::kParagraph ? "paragraph" : "list item");
      ++at;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using citeqa::indexer::DocumentFormat;
  if (size == 0) return 0;
  const DocumentFormat formats[] = {DocumentFormat::kPlainText, DocumentFormat::kMarkdown,
                                    DocumentFormat::kHtml};
  const DocumentFormat format = formats[data[0] % 3];
  citeqa::indexer::ChunkerOptions options;
  if ((data[0] / 3) % 2 == 1) options = {.min_words = 2, .target_words = 5, .max_words = 8};
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

  auto doc = citeqa::indexer::ReadDocument(format, bytes);
  if (!doc.ok()) return 0;
  citeqa::fuzz::CheckParsedDocument(*doc);
  CheckPassages(*doc, citeqa::indexer::ChunkDocument(*doc, options));

  citeqa::indexer::RepeatedLineCounter repeated;
  repeated.AddDocument(*doc);
  citeqa::indexer::CleanDocument(&*doc, &repeated);
  citeqa::fuzz::CheckParsedDocument(*doc);
  CheckPassages(*doc, citeqa::indexer::ChunkDocument(*doc, options));
  return 0;
}
