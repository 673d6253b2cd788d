#include "bench/question_mix.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include "indexer/text.h"
#include "retriever/analysis/stopwords.h"

namespace citeqa::bench {

Result<std::vector<BenchQuestion>> LoadQuestionMix(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("question mix " + path);
  std::vector<BenchQuestion> questions;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const size_t first = line.find('\t');
    const size_t second = first == std::string::npos ? first : line.find('\t', first + 1);
    if (second == std::string::npos || second + 1 >= line.size()) {
      return Status::InvalidArgument(path + ":" + std::to_string(number) +
                                     ": expected id<TAB>kind<TAB>question");
    }
    questions.push_back(BenchQuestion{line.substr(0, first),
                                      line.substr(first + 1, second - first - 1),
                                      line.substr(second + 1)});
  }
  if (questions.empty()) return Status::InvalidArgument(path + " holds no questions");
  return questions;
}

std::vector<std::string> NaiveWords(std::string_view question) {
  std::set<std::string> words;
  for (const indexer::Token& t : indexer::Tokenize(question)) {
    if (!retriever::IsStopword(t.text)) words.insert(t.text);
  }
  return {words.begin(), words.end()};
}

std::string NaiveMatchExpression(std::string_view question) {
  std::string match;
  for (const std::string& w : NaiveWords(question)) {
    if (!match.empty()) match += " OR ";
    match += "\"" + w + "\"";  // tokens never contain '"'
  }
  return match;
}

double Percentile(std::vector<double> samples, double fraction) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const double rank = std::ceil(fraction * static_cast<double>(samples.size()));
  const size_t index = static_cast<size_t>(std::max(rank, 1.0)) - 1;
  return samples[std::min(index, samples.size() - 1)];
}

}  // namespace citeqa::bench
