#!/usr/bin/env bash
# Builds citeqa's libFuzzer targets (clang, ASan + UBSan, in build-fuzz/) and runs each for
# a short, fixed time; fails if any target finds a crash, a sanitizer report, a leak, a
# timeout or a broken invariant. For CI and for bench/run.sh (which sets a longer time).
#
#   tests/fuzz/run_short.sh [TARGET...]        (default: every target fuzz/ builds)
#   FUZZ_SECONDS=10        seconds per target
#   FUZZ_BUILD_DIR=build-fuzz
#   FUZZ_JOBS=2            parallel compile jobs
#
# Seeds come from fuzz/corpus/NAME/ (read-only); inputs found while fuzzing go to
# build-fuzz/fuzz-corpus/NAME/ and crash inputs to build-fuzz/artifacts/NAME/, with the
# log in build-fuzz/logs/NAME.log. Prints one line per target:
#   target=NAME seconds=S runs=N result=ok
#   target=NAME seconds=S runs=N result=FAILED reason=WHAT_BROKE log=PATH
# Reproduce a crash with: build-fuzz/fuzz/NAME build-fuzz/artifacts/NAME/crash-...
set -uo pipefail

cd "$(dirname "$0")/../.."
root=$PWD
seconds=${FUZZ_SECONDS:-10}
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
jobs=${FUZZ_JOBS:-2}

if ! command -v clang++ >/dev/null; then
  echo "run_short.sh: clang++ not found (apt-get install clang)" >&2
  exit 1
fi
mkdir -p "$build"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCITEQA_BUILD_FUZZ=ON -DCITEQA_BUILD_TESTS=OFF >"$build/configure.log" 2>&1 || {
  cat "$build/configure.log" >&2
  exit 1
}
grep '^-- fuzz:' "$build/configure.log" >&2

mapfile -t manifest <"$build/fuzz_targets.txt"
wanted=("$@")
selected=()
for line in "${manifest[@]}"; do
  read -r name _ _ <<<"$line"
  if [[ ${#wanted[@]} -eq 0 ]] || [[ " ${wanted[*]} " == *" $name "* ]]; then selected+=("$line"); fi
done
if [[ ${#selected[@]} -eq 0 ]]; then
  echo "run_short.sh: no such target: ${wanted[*]}" >&2
  exit 2
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
for line in "${selected[@]}"; do
  read -r name corpus dict <<<"$line"
  work=$build/fuzz-corpus/$name
  artifacts=$build/artifacts/$name
  log=$build/logs/$name.log
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  # Built one by one, so that a library that does not compile stops only its own targets.
  if ! cmake --build "$build" -j"$jobs" --target "$name" >"$build/logs/$name.build.log" 2>&1; then
    failed=1
    grep -m5 -E 'error' "$build/logs/$name.build.log" >&2
    echo "target=$name seconds=0 runs=0 result=FAILED reason=does_not_build log=$build/logs/$name.build.log"
    continue
  fi
  flags=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192
         -print_final_stats=1 -artifact_prefix="$artifacts/")
  [[ $dict != - ]] && flags+=(-dict="$root/fuzz/dicts/$dict")
  # The first folder receives new inputs; the seeds in fuzz/corpus are only read.
  "$build/fuzz/$name" "${flags[@]}" "$work" "$root/fuzz/corpus/$corpus" >"$log" 2>&1
  status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  if [[ $status -eq 0 ]]; then
    result=ok
  else
    failed=1
    what=$(grep -m1 -oE 'FUZZ_CHECK failed.*|ERROR: [A-Za-z]+Sanitizer: [a-z-]+|runtime error|ERROR: libFuzzer: [a-z-]+' "$log" | head -1 | tr ' ' '_')
    result="FAILED reason=${what:-exit_$status} log=$log"
    tail -30 "$log" >&2
  fi
  echo "target=$name seconds=$seconds runs=${runs:-0} result=$result"
done
exit $failed
