#!/usr/bin/env bash
# The README's second command: installs what is missing, builds, and runs every test:
# the GoogleTest suites (ctest) and the browser test in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh --test
bash scripts/build.sh

echo "== unit and integration tests (ctest)"
ctest --test-dir build --output-on-failure -j2 --timeout 300

echo "== browser test (headless Chromium)"
if [[ ! -d tests/e2e/node_modules/playwright-core ]]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
mkdir -p build/screenshots
CITEQA_BIN="$PWD/build/citeqa" CITEQA_CORPUS="$PWD/corpus" \
  CITEQA_SCREENSHOT_DIR="$PWD/build/screenshots" node --test tests/e2e/
