#include "retriever/scoring/stem_prefilter.h"

#include <algorithm>

namespace citeqa::retriever {

StemPrefilter::StemPrefilter(const std::vector<std::string>& stems) {
  for (const std::string& s : stems) Add(s);
  Seal();
}

void StemPrefilter::Add(std::string_view stem) {
  if (stem.empty()) return;
  const auto first = static_cast<unsigned char>(stem[0]);
  if (stem.size() == 1) {
    first_only_.push_back(first);
  } else {
    first_two_.push_back(PairKey(first, static_cast<unsigned char>(stem[1])));
  }
}

void StemPrefilter::Seal() {
  std::sort(first_two_.begin(), first_two_.end());
  first_two_.erase(std::unique(first_two_.begin(), first_two_.end()), first_two_.end());
}

bool StemPrefilter::HasPair(unsigned char first, unsigned char second) const {
  return std::binary_search(first_two_.begin(), first_two_.end(), PairKey(first, second));
}

bool StemPrefilter::MayMatch(std::string_view lower_word) const {
  if (lower_word.size() <= 3) return true;
  const auto first = static_cast<unsigned char>(lower_word[0]);
  const auto second = static_cast<unsigned char>(lower_word[1]);
  if (HasPair(first, second)) return true;
  if (second == 'y' && HasPair(first, 'i')) return true;
  return std::find(first_only_.begin(), first_only_.end(), first) != first_only_.end();
}

}  // namespace citeqa::retriever
