// The CPU half of indexing gives the same documents and passages whatever the number of
// threads, in input order, and ParseCorpus counts lines repeated across all documents.
#include "indexer/document_pipeline.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace citeqa::indexer {
namespace {

std::vector<SourceFile> Corpus(int documents) {
  std::vector<SourceFile> files;
  for (int i = 0; i < documents; ++i) {
    std::string text = "# Article " + std::to_string(i) + "\n\nHome\n\nAbout\n\nContact\n\n";
    for (int s = 0; s < 5 + i % 7; ++s) {
      text += "Sentence " + std::to_string(s) + " of article " + std::to_string(i) +
              " talks about topic number " + std::to_string(i * 31 % 17) + ". ";
    }
    text += "\n\nSubscribe to the weekly digest for more.\n";
    files.push_back(SourceFile{"a" + std::to_string(i) + ".md", DocumentFormat::kMarkdown, text,
                               i % 3 != 0});
  }
  files.push_back(SourceFile{"binary.txt", DocumentFormat::kPlainText, std::string("\0\0\0", 3),
                             true});
  return files;
}

std::vector<PreparedDocument> Prepare(int parse_threads, int prepare_threads, size_t lookahead) {
  std::vector<SourceFile> files = Corpus(40);
  ParsedCorpus corpus = ParseCorpus(&files, parse_threads);
  std::vector<DocumentPreparer::Job> jobs;
  for (size_t i = 0; i < files.size(); ++i) {
    if (files[i].keep && corpus.documents[i].ok()) {
      jobs.push_back({std::move(*corpus.documents[i]), files[i].name});
    }
  }
  const size_t count = jobs.size();
  DocumentPreparer preparer(std::move(jobs), &corpus.repeated, prepare_threads, lookahead);
  std::vector<PreparedDocument> out;
  for (size_t i = 0; i < count; ++i) out.push_back(preparer.Next());
  return out;
}

TEST(DocumentPipelineTest, ParseCorpusCountsEveryDocumentAndKeepsOnlyThoseAsked) {
  std::vector<SourceFile> files = Corpus(10);
  ParsedCorpus corpus = ParseCorpus(&files, 3);
  ASSERT_EQ(corpus.documents.size(), files.size());
  EXPECT_FALSE(corpus.documents.back().ok()) << "binary content";
  EXPECT_TRUE(corpus.documents[0]->blocks.empty()) << "keep == false: counted only";
  EXPECT_FALSE(corpus.documents[1]->blocks.empty());
  EXPECT_TRUE(files[1].bytes.empty()) << "bytes released once read";
  EXPECT_EQ(corpus.repeated.DocumentsContaining("home"), 10);
  EXPECT_EQ(corpus.repeated.DocumentsContaining("Subscribe to the weekly digest for more."), 10);
}

TEST(DocumentPipelineTest, SameResultWhateverTheThreads) {
  const std::vector<PreparedDocument> expected = Prepare(1, 1, 1);
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(expected[0].title, "Article 1");
  const struct {
    int parse_threads;
    int prepare_threads;
    size_t lookahead;
  } cases[] = {{2, 1, 64}, {3, 2, 1}, {4, 4, 3}, {8, 3, 1000}};
  for (const auto& c : cases) {
    const std::vector<PreparedDocument> got = Prepare(c.parse_threads, c.prepare_threads,
                                                      c.lookahead);
    ASSERT_EQ(got.size(), expected.size()) << c.parse_threads << "/" << c.prepare_threads;
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].title, expected[i].title) << i;
      ASSERT_EQ(got[i].passages.size(), expected[i].passages.size()) << i;
      for (size_t p = 0; p < got[i].passages.size(); ++p) {
        EXPECT_EQ(got[i].passages[p].text, expected[i].passages[p].text) << i << "/" << p;
      }
    }
  }
  // The menu lines and the newsletter prompt, in every document, are cleaned away.
  for (const PreparedDocument& doc : expected) {
    for (const Passage& p : doc.passages) {
      EXPECT_EQ(p.text.find("Subscribe"), std::string::npos) << p.text;
      EXPECT_EQ(p.text.find("Contact"), std::string::npos) << p.text;
    }
  }
}

TEST(DocumentPipelineTest, StoppingEarlyJoinsTheWorkers) {
  std::vector<SourceFile> files = Corpus(30);
  for (SourceFile& f : files) f.keep = true;
  ParsedCorpus corpus = ParseCorpus(&files, 2);
  std::vector<DocumentPreparer::Job> jobs;
  for (size_t i = 0; i + 1 < files.size(); ++i) {
    jobs.push_back({std::move(*corpus.documents[i]), files[i].name});
  }
  DocumentPreparer preparer(std::move(jobs), &corpus.repeated, 2, 4);
  EXPECT_EQ(preparer.Next().title, "Article 0");
  // Destroyed with most documents unconsumed: must not hang or crash.
}

}  // namespace
}  // namespace citeqa::indexer
