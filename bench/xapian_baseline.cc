#include "bench/xapian_baseline.h"

#include <xapian.h>

#include <cstdlib>
#include <exception>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "bench/question_mix.h"
#include "indexer/text.h"

namespace citeqa::bench {
namespace {

// Xapian's term for a word: its stem, prefixed as Xapian's own stemmed terms are.
std::string StemTerm(const Xapian::Stem& stemmer, const std::string& word) {
  std::string term = "Z";
  term += stemmer(word);
  return term;
}

}  // namespace

struct XapianBaseline::State {
  std::filesystem::path folder;
  Xapian::Database db;
  Xapian::Stem stemmer{"english"};
};

XapianBaseline::XapianBaseline(std::unique_ptr<State> state, int64_t passages)
    : state_(std::move(state)), passages_(passages) {}

XapianBaseline::~XapianBaseline() {
  state_->db.close();
  std::error_code ignored;
  std::filesystem::remove_all(state_->folder, ignored);
}

Result<std::unique_ptr<XapianBaseline>> XapianBaseline::Build(indexer::Database* db) {
  auto stmt = db->Prepare("SELECT heading, text FROM passages ORDER BY id");
  if (!stmt.ok()) return stmt.status();
  auto state = std::make_unique<State>();
  std::string folder = (std::filesystem::temp_directory_path() / "citeqa-xapian-XXXXXX").string();
  if (mkdtemp(folder.data()) == nullptr) return Status::IoError("mkdtemp " + folder);
  state->folder = folder;
  const auto fail = [&](Status status) {
    std::error_code ignored;
    std::filesystem::remove_all(state->folder, ignored);
    return status;
  };
  int64_t passages = 0;
  try {
    Xapian::WritableDatabase writable(folder + "/db",
                                      Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
    while (stmt->Step()) {
      Xapian::Document document;
      for (const int column : {0, 1}) {
        for (const indexer::Token& word : indexer::Tokenize(stmt->ColumnTextView(column))) {
          document.add_term(StemTerm(state->stemmer, word.text));
        }
      }
      writable.add_document(document);
      ++passages;
    }
    if (!stmt->status().ok()) return fail(stmt->status());
    writable.commit();
    writable.close();
    state->db = Xapian::Database(folder + "/db");
  } catch (const Xapian::Error& e) {
    return fail(Status::IoError("xapian: " + e.get_description()));
  } catch (const std::exception& e) {  // out of memory, say
    return fail(Status::IoError(std::string("xapian: ") + e.what()));
  }
  return std::unique_ptr<XapianBaseline>(new XapianBaseline(std::move(state), passages));
}

int64_t XapianBaseline::Search(std::string_view question, int64_t limit) const {
  try {
    std::set<std::string> terms;
    for (const std::string& word : NaiveWords(question)) {
      terms.insert(StemTerm(state_->stemmer, word));
    }
    if (terms.empty()) return 0;
    Xapian::Enquire enquire(state_->db);  // BM25Weight, Xapian's default
    enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
    return static_cast<int64_t>(enquire.get_mset(0, static_cast<Xapian::doccount>(limit)).size());
  } catch (const Xapian::Error&) {
    return -1;
  }
}

}  // namespace citeqa::bench
