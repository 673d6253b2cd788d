// The Engine over a citeqa SQLite index: a pool of connections (one per concurrent
// question), caches of the index's statistics refreshed when a re-index changes it, and
// per-conversation memory.
#pragma once

#include <memory>

#include "retriever/engine.h"

namespace citeqa::retriever {

// See Engine::Open.
Result<std::unique_ptr<Engine>> OpenQaEngine(const EngineOptions& options);

}  // namespace citeqa::retriever
