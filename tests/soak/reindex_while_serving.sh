#!/usr/bin/env bash
# Soak test: `citeqa serve` answers questions from three clients without pause while the
# corpus changes and the index is rebuilt every second (POST /api/reindex and `citeqa
# index` in turn). Fails if any request fails, any cited passage does not resolve to the
# same text right after, or an answer changes. The CI runs the same test for ~5 s.
#   usage: tests/soak/reindex_while_serving.sh [BUILD_DIR (build)] [SECONDS (60)]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
seconds=${2:-60}
cmake --build "$build" -j2 --target citeqa admin_integration_tests >/dev/null
CITEQA_SOAK_SECONDS="$seconds" exec "$build/tests/server/admin_integration_tests" \
  --gtest_filter='AdminIntegrationTest.ReindexWhileServing'
