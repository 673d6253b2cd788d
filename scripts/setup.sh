#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, indexes corpus/ and serves
# the chat page on http://127.0.0.1:8080 until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/build.sh citeqa
mkdir -p data
./build/citeqa index --corpus corpus --db data/citeqa.db --synonyms indexer/synonyms.txt
exec ./build/citeqa serve --db data/citeqa.db --corpus corpus --host "${CITEQA_HOST:-127.0.0.1}" \
  --port "${CITEQA_PORT:-8080}"
