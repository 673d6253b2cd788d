#include "indexer/passage_tokenizer.h"

#include <sqlite3.h>

#include <iterator>
#include <utility>

#include "indexer/sqlite_db.h"

namespace citeqa::indexer {
namespace {

int OnToken(void* context, int flags, const char* token, int length, int /*start*/, int /*end*/) {
  // Porter over unicode61 never adds colocated terms (synonyms); skip them if it ever did,
  // as FTS5 counts them as the same position.
  if ((flags & FTS5_TOKEN_COLOCATED) != 0) return SQLITE_OK;
  const auto& on_term = *static_cast<const std::function<void(std::string_view)>*>(context);
  on_term(std::string_view(token, static_cast<size_t>(length)));
  return SQLITE_OK;
}

}  // namespace

Result<PassageTokenizer> PassageTokenizer::Open() {
  PassageTokenizer out;
  ConfigureSqlite();
  if (sqlite3_open_v2(":memory:", &out.db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, nullptr) !=
      SQLITE_OK) {
    return Status::IoError("cannot open SQLite for the FTS5 tokenizer");
  }
  fts5_api* api = Fts5Api(out.db_);
  if (api == nullptr) return Status::IoError("this SQLite has no FTS5");
  void* user_data = nullptr;
  fts5_tokenizer methods{};
  if (api->xFindTokenizer(api, kPassageTokenizerArgs[0], &user_data, &methods) != SQLITE_OK) {
    return Status::IoError(std::string("FTS5 has no tokenizer ") + kPassageTokenizerArgs[0]);
  }
  out.methods_ = new fts5_tokenizer(methods);
  const char* args[std::size(kPassageTokenizerArgs) - 1];
  for (size_t i = 1; i < std::size(kPassageTokenizerArgs); ++i) {
    args[i - 1] = kPassageTokenizerArgs[i];
  }
  if (methods.xCreate(user_data, args, static_cast<int>(std::size(args)), &out.tokenizer_) !=
      SQLITE_OK) {
    return Status::IoError("cannot create the FTS5 tokenizer");
  }
  return out;
}

PassageTokenizer::PassageTokenizer(PassageTokenizer&& other) noexcept { *this = std::move(other); }

PassageTokenizer& PassageTokenizer::operator=(PassageTokenizer&& other) noexcept {
  if (this != &other) {
    Close();
    db_ = std::exchange(other.db_, nullptr);
    methods_ = std::exchange(other.methods_, nullptr);
    tokenizer_ = std::exchange(other.tokenizer_, nullptr);
  }
  return *this;
}

PassageTokenizer::~PassageTokenizer() { Close(); }

void PassageTokenizer::Close() {
  if (tokenizer_ != nullptr) methods_->xDelete(tokenizer_);
  delete methods_;
  if (db_ != nullptr) sqlite3_close_v2(db_);
  tokenizer_ = nullptr;
  methods_ = nullptr;
  db_ = nullptr;
}

void PassageTokenizer::ForEachTerm(std::string_view text,
                                   const std::function<void(std::string_view)>& on_term) const {
  if (text.empty()) return;
  methods_->xTokenize(tokenizer_, const_cast<std::function<void(std::string_view)>*>(&on_term),
                      FTS5_TOKENIZE_DOCUMENT, text.data(), static_cast<int>(text.size()), OnToken);
}

}  // namespace citeqa::indexer
