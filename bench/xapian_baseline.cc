#include "bench/xapian_baseline.h"

#include <xapian.h>

#include <utility>
#include <vector>

#include "bench/question_mix.h"

namespace citeqa::bench {

struct XapianBaseline::State {
  Xapian::WritableDatabase db{std::string(), Xapian::DB_BACKEND_INMEMORY};
  Xapian::Stem stemmer{"english"};
};

XapianBaseline::XapianBaseline(std::unique_ptr<State> state, int64_t passages)
    : state_(std::move(state)), passages_(passages) {}

XapianBaseline::~XapianBaseline() = default;

Result<std::unique_ptr<XapianBaseline>> XapianBaseline::Build(indexer::Database* db) {
  auto stmt = db->Prepare("SELECT id, heading, text FROM passages ORDER BY id");
  if (!stmt.ok()) return stmt.status();
  try {
    auto state = std::make_unique<State>();
    Xapian::TermGenerator terms;
    terms.set_stemmer(state->stemmer);
    // Stemmed terms only ("Z" + stem), the ones the queries ask for.
    terms.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
    int64_t passages = 0;
    while (stmt->Step()) {
      Xapian::Document document;
      terms.set_document(document);
      terms.index_text(stmt->ColumnText(1));
      terms.increase_termpos();
      terms.index_text(stmt->ColumnText(2));
      state->db.replace_document(static_cast<Xapian::docid>(stmt->ColumnInt(0)), document);
      ++passages;
    }
    if (!stmt->status().ok()) return stmt->status();
    state->db.commit();
    return std::unique_ptr<XapianBaseline>(new XapianBaseline(std::move(state), passages));
  } catch (const Xapian::Error& e) {
    return Status::IoError("xapian: " + e.get_description());
  }
}

int64_t XapianBaseline::Search(std::string_view question, int64_t limit) const {
  try {
    std::vector<Xapian::Query> words;
    for (const std::string& word : NaiveWords(question)) {
      std::string term = "Z";
      term += state_->stemmer(word);
      words.emplace_back(term);
    }
    if (words.empty()) return 0;
    Xapian::Enquire enquire(state_->db);  // BM25Weight, Xapian's default
    enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end()));
    const Xapian::MSet best = enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
    int64_t found = 0;
    for (auto it = best.begin(); it != best.end(); ++it) found += *it > 0 ? 1 : 0;
    return found;
  } catch (const Xapian::Error&) {
    return -1;
  }
}

}  // namespace citeqa::bench
