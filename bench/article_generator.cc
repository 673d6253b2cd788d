#include "bench/article_generator.h"

#include <cstdio>
#include <vector>

namespace citeqa::bench {
namespace {

constexpr size_t kTopicWords = 8;
constexpr double kTopicShare = 0.12;    // of content words, taken from the article's topic
constexpr double kNumberShare = 0.015;  // of content words, a year, amount or percentage
constexpr double kCommaChance = 0.06;
constexpr double kListChance = 0.3;  // of sections, ending in a bulleted list

class ArticleWriter {
 public:
  ArticleWriter(const TextModel& model, uint64_t seed) : model_(model), rng_(seed) {
    // Topic words: moderately common words (not the very top, which every article uses).
    while (topic_.size() < kTopicWords) {
      const size_t rank = model_.SampleContentRank(rng_);
      if (rank >= 50) topic_.push_back(rank);
    }
  }

  std::string Write() {
    std::string out = "# ";
    out += TitleCase(rng_.Between(4, 8));
    out += "\n\n";
    const int sections = rng_.Between(3, 8);
    for (int s = 0; s < sections; ++s) {
      out += "## ";
      out += TitleCase(rng_.Between(2, 5));
      out += "\n\n";
      const int paragraphs = rng_.Between(1, 4);
      for (int p = 0; p < paragraphs; ++p) {
        const int sentences = rng_.Between(2, 6);
        for (int k = 0; k < sentences; ++k) {
          if (k > 0) out += ' ';
          out += Sentence();
        }
        out += "\n\n";
      }
      if (rng_.Chance(kListChance)) {
        const int items = rng_.Between(3, 6);
        for (int i = 0; i < items; ++i) {
          out += "- ";
          out += Sentence();
          out += '\n';
        }
        out += "\n";
      }
    }
    return out;
  }

 private:
  size_t ContentRank() {
    if (rng_.Chance(kTopicShare)) return topic_[static_cast<size_t>(rng_.Next() % topic_.size())];
    return model_.SampleContentRank(rng_);
  }

  std::string Number() {
    char text[24];
    switch (rng_.Between(0, 3)) {
      case 0:
        std::snprintf(text, sizeof text, "%d", rng_.Between(1995, 2024));
        break;
      case 1:
        std::snprintf(text, sizeof text, "$%d,000", rng_.Between(40, 200));
        break;
      case 2:
        std::snprintf(text, sizeof text, "%d%%", rng_.Between(1, 99));
        break;
      default:
        std::snprintf(text, sizeof text, "%d", rng_.Between(2, 50));
        break;
    }
    return text;
  }

  // Function and content words in the seed corpus's proportions; a content word is
  // sometimes followed by a word that followed it in the seed corpus ("product owner").
  std::string Sentence() {
    const int length = model_.SampleSentenceLength(rng_);
    std::vector<std::string> words;
    while (static_cast<int>(words.size()) < length) {
      if (rng_.Chance(model_.function_share())) {
        words.push_back(model_.SampleFunctionWord(rng_));
        continue;
      }
      if (rng_.Chance(kNumberShare)) {
        words.push_back(Number());
        continue;
      }
      size_t rank = ContentRank();
      words.push_back(model_.ContentWord(rank));
      while (static_cast<int>(words.size()) < length && rng_.Chance(model_.continue_share())) {
        const int64_t next = model_.SampleSuccessor(rank, rng_);
        if (next < 0) break;
        rank = static_cast<size_t>(next);
        words.push_back(model_.ContentWord(rank));
      }
    }
    std::string out;
    for (size_t i = 0; i < words.size(); ++i) {
      if (i > 0) out += (rng_.Chance(kCommaChance) && i + 1 < words.size()) ? ", " : " ";
      out += words[i];
    }
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') {
      out[0] = static_cast<char>(out[0] - 'a' + 'A');
    }
    out += '.';
    return out;
  }

  std::string TitleCase(int words) {
    std::string out;
    for (int i = 0; i < words; ++i) {
      std::string w = model_.ContentWord(
          i == 0 ? topic_[static_cast<size_t>(rng_.Next() % topic_.size())] : ContentRank());
      w[0] = static_cast<char>(w[0] - 'a' + 'A');
      if (!out.empty()) out += ' ';
      out += w;
    }
    return out;
  }

  const TextModel& model_;
  Rng rng_;
  std::vector<size_t> topic_;
};

}  // namespace

std::string GenerateArticle(const TextModel& model, uint64_t article_seed) {
  return ArticleWriter(model, article_seed).Write();
}

}  // namespace citeqa::bench
