// Portable, seeded randomness for the corpus generator: the same seed gives the same bytes
// on every compiler and standard library (std:: distributions are implementation-defined,
// so none are used).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace citeqa::bench {

// SplitMix64: derives independent seeds, e.g. one per article from (seed, index).
inline uint64_t MixSeed(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// xoshiro256** (Blackman and Vigna). Not thread-safe; one per thread or per article.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& s : state_) {
      seed = MixSeed(seed);
      s = seed;
    }
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Uniform in [lo, hi] (inclusive); lo <= hi.
  int Between(int lo, int hi) {
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    return lo + static_cast<int>(Next() % span);
  }

  bool Chance(double p) { return Uniform() < p; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4] = {};
};

// Draws an index from fixed weights (e.g. Zipf's 1/rank^s) by binary search in the
// cumulative sums. Immutable after construction, so thread-safe.
class WeightedSampler {
 public:
  WeightedSampler() = default;
  explicit WeightedSampler(const std::vector<double>& weights) {
    cumulative_.reserve(weights.size());
    double sum = 0;
    for (double w : weights) cumulative_.push_back(sum += w);
  }

  // Zipf over ranks 1..n: weight of rank r is 1 / r^exponent.
  static WeightedSampler Zipf(size_t n, double exponent) {
    std::vector<double> weights(n);
    for (size_t r = 0; r < n; ++r) {
      weights[r] = 1.0 / std::pow(static_cast<double>(r + 1), exponent);
    }
    return WeightedSampler(weights);
  }

  // An index in [0, size()); size() must be > 0.
  size_t Sample(Rng& rng) const {
    const double x = rng.Uniform() * cumulative_.back();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
    return std::min(static_cast<size_t>(it - cumulative_.begin()), cumulative_.size() - 1);
  }

  size_t size() const { return cumulative_.size(); }

 private:
  std::vector<double> cumulative_;
};

}  // namespace citeqa::bench
