#!/usr/bin/env bash
# citeqa's performance numbers in one command: for each corpus size, index build throughput
# beside a bare FTS5 table, Ask latency (p50/p99) beside the naive OR query, where an Ask's
# time goes, and `citeqa serve` under wrk (/api/ask against /healthz, peak memory); then
# the fuzzers for a fixed time. Writes bench/results/results.md and latency.png; raw JSON
# stays in build-bench/results/STAMP/.
#
#   bench/run.sh [--sizes seed,10000,100000] [--steps index,ask,stages,serve] [--rounds 5]
#                [--ask-rounds 20]
#                [--wrk-seconds 15] [--wrk-connections 8] [--fuzz-seconds 60] [--seed 42]
#                [--out bench/results] [--raw build-bench/results/STAMP]
#
# --steps runs only some steps per size (without "index", the database of an earlier run,
# build-bench/db/SIZE.db, is reused); --raw adds to (or redoes parts of) an earlier run's
# raw results, so that the table covers all of it. --fuzz-seconds 0 skips the fuzzers.
#
# Sizes: "seed" (corpus/, 5 articles), a number N (a synthetic corpus of about N passages
# from citeqa_gen_corpus, cached in build-bench/corpora/), or "pydocs" (the Python 3.11 HTML
# manual, bench/docs_corpus.sh). The defaults finish in about 20 minutes on 2 cores (7 of
# them fuzzing); a 1000000-passage corpus adds about 25 minutes (2.5 to generate it, 6 to
# index it, 5 for the bare-FTS5 baselines, the rest asking) and needs 3.5 GB of memory and
# 2.2 GB of disk. Everything generated lives under build-bench/.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
build=$root/build-bench

sizes=seed,10000,100000
rounds=5
ask_rounds=20  # citeqa's mix: enough calls (300) for its p99 to be more than its slowest
wrk_seconds=15
wrk_connections=8
fuzz_seconds=60
steps=index,ask,stages,serve
raw=""
seed=42
out=$root/bench/results
args="$*"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit "${1:-2}"; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --ask-rounds) ask_rounds=$2; shift 2 ;;
    --wrk-seconds) wrk_seconds=$2; shift 2 ;;
    --wrk-connections) wrk_connections=$2; shift 2 ;;
    --fuzz-seconds) fuzz_seconds=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --raw) raw=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; usage ;;
  esac
done

log() { printf '[run.sh %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
step() { [[ ",$steps," == *",$1,"* ]]; }

# --- Build ---------------------------------------------------------------------------
bash "$root/scripts/install_deps.sh" --bench
log "building in $build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCITEQA_BUILD_BENCH=ON \
  -DCITEQA_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target citeqa_gen_corpus citeqa_bench_index citeqa_bench_ask \
  citeqa_bench_stages >/dev/null
have_server=1
if ! cmake --build "$build" -j2 --target citeqa >"$build/citeqa-build.log" 2>&1; then
  have_server=0
  log "the citeqa binary did not build (see $build/citeqa-build.log): server runs skipped"
fi

if [[ -z $raw ]]; then
  raw=$build/results/$(date -u +%Y%m%dT%H%M%SZ)
fi
mkdir -p "$raw" "$build/corpora" "$build/db" "$build/work"
touch "$raw/sizes.txt"
# A later run into the same --raw folder is recorded beside the first one's arguments.
[[ -e $raw/machine.txt ]] && echo "also=$(date -u +%H:%M:%SZ)_${args// /_}" >>"$raw/machine.txt"
[[ -e $raw/machine.txt ]] || {
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ) cpus=$(nproc)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs | tr ' ' '_')"
  echo "load=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"
  echo "git=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "dirty=$(git -C "$root" status --porcelain 2>/dev/null | wc -l)"
  echo "args=${args// /_}"
} >"$raw/machine.txt"

# --- Corpora -------------------------------------------------------------------------
# Prints the corpus folder for a size, generating (or reusing) it.
corpus_for() {
  local size=$1
  case $size in
    seed) echo "$root/corpus" ;;
    pydocs)
      local dir=$build/corpora/pydocs
      [[ -d $dir ]] || "$root/bench/docs_corpus.sh" "$dir" >&2
      echo "$dir" ;;
    *)
      local dir=$build/corpora/synthetic-$size-s$seed
      if ! grep -q "\"seed\": $seed, \"target_passages\": $size," "$dir/.generator.json" 2>/dev/null; then
        log "generating $size passages into $dir"
        rm -rf "$dir"
        "$build/bench/citeqa_gen_corpus" --out "$dir" --passages "$size" --seed "$seed" \
          --seed-corpus "$root/corpus" --threads 2 >&2
      fi
      echo "$dir" ;;
  esac
}

questions_for() {
  if [[ $1 == pydocs ]]; then echo "$root/bench/questions_pydocs.tsv"; else echo "$root/bench/questions.tsv"; fi
}

# --- Server under wrk ----------------------------------------------------------------
# Writes key=value lines about `citeqa serve` on DB to FILE.
serve_bench() {
  local db=$1 questions=$2 file=$3 prefix=$build/work/serve
  if [[ $have_server -eq 0 ]]; then echo "skipped=citeqa_binary_did_not_build" >"$file"; return; fi
  local started=$EPOCHREALTIME
  "$build/citeqa" serve --db "$db" --port 0 >"$prefix.out" 2>"$prefix.err" &
  local pid=$!
  local url=""
  for _ in $(seq 1 1200); do
    url=$(grep -o 'http://[^ ]*' "$prefix.out" 2>/dev/null || true)
    [[ -n $url ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z $url ]]; then
    echo "skipped=serve_did_not_start" >"$file"
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return
  fi
  local startup
  startup=$(awk -v now="$EPOCHREALTIME" -v then="$started" 'BEGIN { printf "%.2f", now - then }')
  local idle_rss
  idle_rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  local threads=$(( wrk_connections < 2 ? wrk_connections : 2 ))
  local health ask
  health=$(wrk -t"$threads" -c"$wrk_connections" -d"${wrk_seconds}s" --timeout 30s \
    -s "$root/bench/wrk/citeqa.lua" "$url" -- healthz | grep '^RESULT' || echo "RESULT failed=1")
  ask=$(wrk -t"$threads" -c"$wrk_connections" -d"${wrk_seconds}s" --timeout 30s \
    -s "$root/bench/wrk/citeqa.lua" "$url" -- ask "$questions" | grep '^RESULT' || echo "RESULT failed=1")
  # VmHWM counts the index pages SQLite maps (mmap_size) as well as the heap; RssAnon is the
  # heap alone, RssFile the mapped file pages (shared, reclaimable).
  local peak_rss anon_rss file_rss
  peak_rss=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
  anon_rss=$(awk '/^RssAnon/ {print $2}' "/proc/$pid/status")
  file_rss=$(awk '/^RssFile/ {print $2}' "/proc/$pid/status")
  kill -TERM "$pid"
  local exit_code=0
  wait "$pid" || exit_code=$?
  {
    echo "startup_s=$startup idle_rss_kb=$idle_rss peak_rss_kb=$peak_rss anon_rss_kb=$anon_rss file_rss_kb=$file_rss exit_code=$exit_code"
    echo "$health" | sed 's/^RESULT //' | tr ' ' '\n' | sed 's/^/healthz_/' | tr '\n' ' '; echo
    echo "$ask" | sed 's/^RESULT //' | tr ' ' '\n' | sed 's/^/ask_/' | tr '\n' ' '; echo
  } >"$file"
}

# --- Per size ------------------------------------------------------------------------
for size in ${sizes//,/ }; do
  if [[ ! $size =~ ^(seed|pydocs|[0-9]+)$ ]]; then
    echo "run.sh: bad size '$size' (seed, pydocs or a number)" >&2
    exit 2
  fi
  grep -qx "$size" "$raw/sizes.txt" || echo "$size" >>"$raw/sizes.txt"
  corpus=$(corpus_for "$size")
  questions=$(questions_for "$size")
  db=$build/db/$size.db
  size_rounds=$rounds
  if [[ $size =~ ^[0-9]+$ && $size -ge 1000000 && $rounds -gt 2 ]]; then size_rounds=2; fi

  if step index || [[ ! -e $db ]]; then
    log "[$size] index build throughput ($corpus)"
    "$build/bench/citeqa_bench_index" --corpus "$corpus" --work "$build/work" --keep-db "$db" \
      --benchmark_out="$raw/index-$size.json" --benchmark_out_format=json >&2
  fi

  if step ask; then
    log "[$size] Ask latency (citeqa: $ask_rounds rounds of the mix, naive: $size_rounds)"
    "$build/bench/citeqa_bench_ask" --db "$db" --questions "$questions" --rounds "$size_rounds" \
      --ask-rounds "$ask_rounds" \
      --benchmark_out="$raw/ask-$size.json" --benchmark_out_format=json >&2
  fi

  if step stages; then
    log "[$size] Ask stages"
    "$build/bench/citeqa_bench_stages" --db "$db" --questions "$questions" \
      --benchmark_min_time=0.2 \
      --benchmark_out="$raw/stages-$size.json" --benchmark_out_format=json >&2
  fi

  if step serve; then
    log "[$size] citeqa serve under wrk (${wrk_seconds}s each, $wrk_connections connections)"
    serve_bench "$db" "$questions" "$raw/serve-$size.txt"
    cat "$raw/serve-$size.txt" >&2
  fi
done

# --- Fuzzers -------------------------------------------------------------------------
if [[ $fuzz_seconds -gt 0 ]]; then
  log "fuzzers, ${fuzz_seconds}s each"
  FUZZ_SECONDS=$fuzz_seconds "$root/tests/fuzz/run_short.sh" | tee "$raw/fuzz.txt" >&2 ||
    log "a fuzzer failed: see $raw/fuzz.txt and build-fuzz/artifacts/"
fi

# --- Report --------------------------------------------------------------------------
mkdir -p "$out"
python3 "$root/bench/report.py" --raw "$raw" --out "$out" --questions "$root/bench/questions.tsv" >&2
gnuplot -e "datafile='$out/latency.dat'; outfile='$out/latency.png'" "$root/bench/latency.gp"
log "wrote $out/results.md and $out/latency.png (raw: $raw)"
