#include "indexer/document_pipeline.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <utility>

#include "indexer/parallel_for.h"
#include "indexer/text.h"

namespace citeqa::indexer {

ParsedCorpus ParseCorpus(std::vector<SourceFile>* files, int threads) {
  ParsedCorpus corpus;
  corpus.documents.reserve(files->size());
  for (size_t i = 0; i < files->size(); ++i) corpus.documents.emplace_back(ParsedDocument());
  corpus.line_keys.resize(files->size());
  const size_t workers = ParallelWorkers(files->size(), threads);
  // Each thread counts into its own counter; counts add up across disjoint documents, so
  // the merged counter is the same whichever thread read which file.
  std::vector<RepeatedLineCounter> counters(workers);
  ParallelFor(files->size(), threads, [&](size_t worker, size_t i) {
    SourceFile& file = (*files)[i];
    Result<ParsedDocument> doc = ReadDocument(file.format, file.bytes);
    std::string().swap(file.bytes);
    if (doc.ok()) {
      corpus.line_keys[i] = RepeatedLineCounter::KeysOf(*doc);
      counters[worker].AddKeys(corpus.line_keys[i]);
      if (!file.keep) doc = ParsedDocument();
    }
    corpus.documents[i] = std::move(doc);
  });
  corpus.repeated = std::move(counters[0]);
  for (size_t w = 1; w < workers; ++w) corpus.repeated.Merge(counters[w]);
  return corpus;
}

PreparedDocument PrepareDocument(ParsedDocument doc, const std::string& file_name,
                                 const RepeatedLineCounter& repeated) {
  PreparedDocument prepared;
  prepared.title = doc.title;
  if (prepared.title.empty()) prepared.title = ChooseTitle(doc);
  if (prepared.title.empty()) prepared.title = std::filesystem::path(file_name).stem().string();
  CleanDocument(&doc, &repeated);
  // The title heading is stored with the document; as a section heading it would be
  // repeated in every passage.
  const std::string lower_title = AsciiLower(prepared.title);
  std::erase_if(doc.blocks, [&](const Block& b) {
    return b.kind == BlockKind::kHeading && AsciiLower(b.text) == lower_title;
  });
  prepared.passages = ChunkDocument(doc);
  return prepared;
}

DocumentPreparer::DocumentPreparer(std::vector<Job> jobs, const RepeatedLineCounter* repeated,
                                   int threads, size_t lookahead)
    : jobs_(std::move(jobs)),
      repeated_(repeated),
      lookahead_(std::max<size_t>(lookahead, 1)),
      done_(jobs_.size()),
      is_done_(jobs_.size(), false),
      vocabulary_(static_cast<size_t>(std::max(threads, 1))) {
  for (size_t w = 0; w < vocabulary_.size(); ++w) workers_.emplace_back([this, w] { Run(w); });
}

DocumentPreparer::~DocumentPreparer() { Stop(); }

void DocumentPreparer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  consumed_.notify_all();
  for (std::thread& t : workers_) {
    if (t.joinable()) t.join();
  }
}

void DocumentPreparer::Run(size_t worker) {
  while (true) {
    size_t job = 0;
    {
      std::unique_lock<std::mutex> lock(mu_);
      consumed_.wait(lock, [&] {
        return stop_ || next_job_ >= jobs_.size() || next_job_ < next_consumed_ + lookahead_;
      });
      if (stop_ || next_job_ >= jobs_.size()) return;
      job = next_job_++;
    }
    PreparedDocument prepared =
        PrepareDocument(std::move(jobs_[job].doc), jobs_[job].file_name, *repeated_);
    vocabulary_[worker].AddPassages(prepared.passages);
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_[job] = std::move(prepared);
      is_done_[job] = true;
    }
    ready_.notify_all();
  }
}

PreparedDocument DocumentPreparer::Next() {
  std::unique_lock<std::mutex> lock(mu_);
  const size_t job = next_consumed_;
  ready_.wait(lock, [&] { return is_done_[job]; });
  PreparedDocument prepared = std::move(done_[job]);
  done_[job] = PreparedDocument();
  ++next_consumed_;
  lock.unlock();
  consumed_.notify_all();
  return prepared;
}

VocabularyDelta DocumentPreparer::TakeVocabulary() {
  // After the last Next() no job is left: the workers end on their own.
  for (std::thread& t : workers_) {
    if (t.joinable()) t.join();
  }
  VocabularyDelta all = std::move(vocabulary_[0]);
  for (size_t w = 1; w < vocabulary_.size(); ++w) all.Merge(std::move(vocabulary_[w]));
  return all;
}

std::string EncodeLineKeys(const std::vector<RepeatedLineCounter::LineKey>& keys) {
  std::string bytes(keys.size() * 16, '\0');
  for (size_t i = 0; i < keys.size(); ++i) {
    std::memcpy(bytes.data() + i * 16, &keys[i].high, 8);
    std::memcpy(bytes.data() + i * 16 + 8, &keys[i].low, 8);
  }
  return bytes;
}

bool DecodeLineKeys(std::string_view bytes, std::vector<RepeatedLineCounter::LineKey>* keys) {
  if (bytes.size() % 16 != 0) return false;
  keys->resize(bytes.size() / 16);
  for (size_t i = 0; i < keys->size(); ++i) {
    std::memcpy(&(*keys)[i].high, bytes.data() + i * 16, 8);
    std::memcpy(&(*keys)[i].low, bytes.data() + i * 16 + 8, 8);
  }
  return true;
}

int IndexingThreads() {
  const unsigned cores = std::thread::hardware_concurrency();
  return static_cast<int>(std::clamp(cores, 1u, 8u));
}

}  // namespace citeqa::indexer
