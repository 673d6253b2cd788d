// The terms FTS5 makes of a passage for passages_fts: its own tokenizer (porter over
// unicode61, as the schema declares), so that counts kept by the indexer (stem_frequency)
// agree term for term with the full-text index.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "indexer/status.h"

struct sqlite3;
struct Fts5Tokenizer;
struct fts5_tokenizer;

namespace citeqa::indexer {

// FTS5's tokenize= argument of passages_fts, word by word.
inline constexpr const char* kPassageTokenizerArgs[] = {"porter", "unicode61", "remove_diacritics",
                                                        "2"};

// Owns an in-memory SQLite connection (FTS5 hands out tokenizers per connection) and one
// tokenizer. Not thread-safe: one per thread. Move-only.
class PassageTokenizer {
 public:
  // Errors: kIoError when SQLite cannot open a connection or has no such tokenizer.
  static Result<PassageTokenizer> Open();
  PassageTokenizer(PassageTokenizer&&) noexcept;
  PassageTokenizer& operator=(PassageTokenizer&&) noexcept;
  ~PassageTokenizer();

  // Calls on_term with each term of `text` as FTS5 indexes it (lower-cased, stemmed), in
  // order; a view valid only during the call.
  void ForEachTerm(std::string_view text,
                   const std::function<void(std::string_view)>& on_term) const;

 private:
  PassageTokenizer() = default;
  void Close();

  sqlite3* db_ = nullptr;
  const fts5_tokenizer* methods_ = nullptr;  // owned by the connection's FTS5 module
  Fts5Tokenizer* tokenizer_ = nullptr;
};

}  // namespace citeqa::indexer
