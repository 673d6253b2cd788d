#!/usr/bin/env bash
# Configures and builds citeqa in ./build (Release), two jobs.
#   scripts/build.sh            everything, tests included
#   scripts/build.sh citeqa     only the binary (what serving needs)
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
if (($#)); then
  cmake --build build -j2 --target "$@"
else
  cmake --build build -j2
fi
