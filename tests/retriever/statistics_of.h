// Statistics of an index version with nothing in them but its generation: for tests of what
// the engine does with versions (loading, swapping, warming up), not with their contents.
#pragma once

#include <cstdint>
#include <memory>

#include "retriever/index_statistics.h"

namespace citeqa::testing {

inline std::shared_ptr<const retriever::IndexStatistics> StatisticsOf(int64_t generation) {
  auto statistics = std::make_shared<retriever::IndexStatistics>();
  statistics->generation = generation;
  return statistics;
}

}  // namespace citeqa::testing
