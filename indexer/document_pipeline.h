// The CPU half of an indexing run: parsing a corpus's files on several threads while
// counting the lines they share (the cleaner's cross-document evidence), then cleaning and
// chunking the documents in order on a worker thread, ahead of the thread that writes them.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "indexer/chunker.h"
#include "indexer/cleaner.h"
#include "indexer/document.h"
#include "indexer/reader.h"
#include "indexer/status.h"
#include "indexer/vocabulary_delta.h"

namespace citeqa::indexer {

struct SourceFile {
  std::string name;  // path relative to the corpus folder; also the fallback title
  DocumentFormat format = DocumentFormat::kPlainText;
  std::string bytes;
  bool keep = true;  // false: only its lines are counted, its parse is dropped
};

struct ParsedCorpus {
  // One per input file, in input order. A file that could not be read holds its error; a
  // file with keep == false holds an empty document.
  std::vector<Result<ParsedDocument>> documents;
  // One per input file: RepeatedLineCounter::KeysOf its document (empty if unreadable).
  std::vector<std::vector<RepeatedLineCounter::LineKey>> line_keys;
  RepeatedLineCounter repeated;  // over every readable file, kept or not
};

// Reads every file with ReadDocument on up to `threads` threads (at least one; the caller's
// thread is one of them) and releases each file's bytes once read. The result does not
// depend on the thread count.
ParsedCorpus ParseCorpus(std::vector<SourceFile>* files, int threads);

// A document ready to be written: its title and its passages.
struct PreparedDocument {
  std::string title;
  std::vector<Passage> passages;
};

// Chooses the title (before cleaning: the parser's, else ChooseTitle, else the file
// name's stem), cleans with the corpus's repeated-line counts and chunks. Pure;
// thread-safe.
PreparedDocument PrepareDocument(ParsedDocument doc, const std::string& file_name,
                                 const RepeatedLineCounter& repeated);

// Runs PrepareDocument over a list of documents on `threads` worker threads, at most
// `lookahead` documents ahead of the consumer, and counts the words of their passages
// (for passage_vocab and stem_frequency). Next() returns the documents in input order. The
// destructor stops the workers (unfinished documents are dropped) and joins them. `repeated` must
// outlive this object. For one consumer thread.
class DocumentPreparer {
 public:
  struct Job {
    ParsedDocument doc;
    std::string file_name;
  };
  DocumentPreparer(std::vector<Job> jobs, const RepeatedLineCounter* repeated, int threads,
                   size_t lookahead);
  DocumentPreparer(const DocumentPreparer&) = delete;
  DocumentPreparer& operator=(const DocumentPreparer&) = delete;
  ~DocumentPreparer();

  // The next document, blocking until it is ready. Must not be called more often than
  // there are jobs.
  PreparedDocument Next();
  // The vocabulary counts of every prepared document's passages. Only after the last
  // Next().
  VocabularyDelta TakeVocabulary();

 private:
  void Run(size_t worker);
  void Stop();

  std::vector<Job> jobs_;
  const RepeatedLineCounter* repeated_;
  const size_t lookahead_;
  std::mutex mu_;
  std::condition_variable ready_;       // a document was prepared
  std::condition_variable consumed_;    // a document was taken, or stop_
  std::vector<PreparedDocument> done_;  // by job index; moved out by Next()
  std::vector<bool> is_done_;
  size_t next_job_ = 0;       // the next job a worker takes
  size_t next_consumed_ = 0;  // the next job Next() returns
  bool stop_ = false;
  std::vector<VocabularyDelta> vocabulary_;  // one per worker, written by it until joined
  std::vector<std::thread> workers_;
};

// RepeatedLineCounter keys as stored in the index (16 bytes each) and back, into `keys`
// (replacing what it held: one vector serves many documents). Decoding bytes whose length
// is not a multiple of 16 fails (false).
std::string EncodeLineKeys(const std::vector<RepeatedLineCounter::LineKey>& keys);
bool DecodeLineKeys(std::string_view bytes, std::vector<RepeatedLineCounter::LineKey>* keys);

// Threads worth using for the CPU half of indexing on this machine (at least one).
int IndexingThreads();

}  // namespace citeqa::indexer
