#include "retriever/analysis/stopwords.h"

#include <string>
#include <unordered_set>

namespace citeqa::retriever {

bool IsStopword(std::string_view lower_word) {
  // Function words (after the common Lucene/Snowball English lists) plus question frames.
  static const std::unordered_set<std::string_view> kStopwords = {
      "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
      "are", "aren", "as", "at", "be", "because", "been", "before", "being", "below", "between",
      "both", "but", "by", "can", "could", "did", "didn", "do", "does", "doesn", "doing", "don",
      "down", "during", "each", "either", "else", "ever", "few", "for", "from", "further", "get",
      "gets", "got", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him",
      "himself", "his", "how", "i", "if", "in", "into", "is", "isn", "it", "its", "itself", "just",
      "let", "like", "ll", "me", "might", "mine", "more", "most", "much", "must", "my", "myself",
      "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our",
      "ours", "ourselves", "out", "over", "own", "per", "please", "re", "s", "same", "shall", "she",
      "should", "so", "some", "such", "t", "than", "that", "the", "their", "theirs", "them",
      "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too",
      "under", "until", "up", "us", "ve", "very", "was", "wasn", "we", "were", "what", "whats",
      "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with",
      "would", "you", "your", "yours", "yourself", "d", "m", "o", "y",
      // prepositions that only relate ("around a launch", "across teams"), unlike "without"
      "across", "along", "among", "around", "onto", "toward", "towards", "upon",
      // question frames
      "tell", "explain", "describe", "know", "want", "wondering", "question", "anyone", "someone",
      "thing", "things", "kind", "sort", "really", "actually", "exactly", "many", "way", "ways",
      "mean", "means", "meant", "give", "example", "examples", "say", "says", "said", "according",
      "typically", "usually", "generally", "often", "need", "needs", "needed"};
  return kStopwords.count(lower_word) > 0;
}

bool IsAnaphor(std::string_view lower_word) {
  static const std::unordered_set<std::string_view> kAnaphors = {
      "they", "them", "their", "theirs", "themselves", "it",   "its",   "itself", "he",
      "him",  "his",  "she",   "her",    "hers",       "this", "these", "those",  "such"};
  return kAnaphors.count(lower_word) > 0;
}

bool IsPreposition(std::string_view lower_word) {
  static const std::unordered_set<std::string_view> kPrepositions = {
      "about",  "above",  "across", "after",   "against", "along",   "among",  "around", "at",
      "before", "behind", "below",  "beneath", "beside",  "between", "beyond", "by",     "down",
      "during", "for",    "from",   "in",      "inside",  "into",    "like",   "near",   "of",
      "off",    "on",     "onto",   "out",     "over",    "through", "to",     "toward", "towards",
      "under",  "until",  "up",     "upon",    "with",    "within",  "without"};
  return kPrepositions.count(lower_word) > 0;
}

}  // namespace citeqa::retriever
