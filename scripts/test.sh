#!/usr/bin/env bash
# The README's second command: installs what is missing, builds, and runs every test:
#   1. the GoogleTest suites (unit and integration against the real binary) via ctest
#   2. the browser test in headless Chromium against the real binary
#   3. the same GoogleTest suites built with -fsanitize=address,undefined
#   4. the same suites built with -fsanitize=thread (the integration tests run the
#      TSan-built server, with its worker pool, re-index service and Slack queue)
#   5. every libFuzzer target for a few seconds (if fuzz/ is present)
# CITEQA_QUICK=1 stops after step 2. Each stage ends with its time in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
stage_started=$SECONDS
stage_done() {
  echo "-- $1: $((SECONDS - stage_started)) s"
  stage_started=$SECONDS
}
# The sanitizer builds compile at -O1 with line tables only (-g1): sanitizer reports keep
# their file:line stacks, and the instrumented template code of the JSON library compiles in
# about half the time it takes at -O2 -g, which keeps the whole run well inside CI's limit.
sanitizer_flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
                 "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG")
bash scripts/install_deps.sh --test
bash scripts/build.sh
stage_done "install and build"

echo "== unit and integration tests (ctest)"
ctest --test-dir build --output-on-failure --no-tests=error -j2 --timeout 300
stage_done "ctest"

echo "== browser test (headless Chromium)"
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)'; then
  echo "the browser test needs Node.js 18 or newer (Debian 12's nodejs); found $(node --version)" >&2
  exit 1
fi
if [[ ! -d tests/e2e/node_modules/playwright-core ]]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
mkdir -p build/screenshots
CITEQA_BIN="$PWD/build/citeqa" CITEQA_CORPUS="$PWD/corpus" \
  CITEQA_SCREENSHOT_DIR="$PWD/build/screenshots" node --test tests/e2e/
stage_done "browser test"

[[ "${CITEQA_QUICK:-0}" == "1" ]] && exit 0

echo "== the same suites under AddressSanitizer and UndefinedBehaviorSanitizer"
cmake -S . -B build-asan "${sanitizer_flags[@]}" -DCITEQA_SANITIZE=ON >/dev/null
cmake --build build-asan -j2
stage_done "ASan+UBSan build"
ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure --no-tests=error -j2 --timeout 600
stage_done "ASan+UBSan tests"

echo "== the same suites under ThreadSanitizer"
cmake -S . -B build-tsan "${sanitizer_flags[@]}" -DCITEQA_TSAN=ON >/dev/null
cmake --build build-tsan -j2
stage_done "TSan build"
TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/tests/sanitizers/tsan.supp" \
  ctest --test-dir build-tsan --output-on-failure --no-tests=error -j2 --timeout 600
stage_done "TSan tests"

if [[ -x tests/fuzz/run_short.sh ]]; then
  echo "== fuzzers, a few seconds each"
  FUZZ_SECONDS="${FUZZ_SECONDS:-10}" bash tests/fuzz/run_short.sh
  stage_done "fuzzers"
fi
