#!/usr/bin/env bash
# citeqa's performance numbers in one command: for each corpus size, index build throughput
# beside a bare FTS5 table, Ask latency (p50/p99) beside the naive OR query, where an Ask's
# time goes, and `citeqa serve` under wrk (/api/ask against /healthz, peak memory), once
# with the answer cache off and once with it on, and re-indexing while serving
# (bench/reindex_bench.sh: full, unchanged and one-file re-index, cold start, wrk during
# re-indexes beside wrk without); then the fuzzers for a fixed time. Writes
# bench/results/results.md and latency.png; raw JSON stays in build-bench/results/STAMP/.
#
#   bench/run.sh [--sizes seed,10000,100000] [--steps index,ask,stages,serve,reindex]
#                [--rounds N] [--ask-rounds N]
#                [--wrk-seconds 15] [--wrk-connections 8] [--reindex-seconds 20]
#                [--fuzz-seconds 60] [--seed 42]
#                [--out bench/results] [--raw build-bench/results/STAMP]
#
# --steps runs only some steps per size (without "index", the database of an earlier run,
# build-bench/db/SIZE.db, is reused by ask, stages and serve; "reindex" indexes its own
# copy of the corpus, in build-bench/work/reindex/, and needs none); --raw adds to (or
# redoes parts of) an earlier run's raw results, so that the table covers all of it.
# --fuzz-seconds 0 skips the fuzzers. --reindex-seconds is each of the reindex step's two
# wrk runs.
# --ask-rounds and --rounds are the rounds of the question mix for citeqa's Ask and for the
# naive query; by default enough for 500 and 100 calls (one round of the naive query at a
# million passages, where it takes about 1.4 s a call).
#
# Sizes: "seed" (corpus/, 5 articles), a number N (a synthetic corpus of about N passages
# from citeqa_gen_corpus, cached in build-bench/corpora/), "pydocs" (the Python 3.11 HTML
# manual, bench/docs_corpus.sh) or "squad" (the 48 Wikipedia articles of the SQuAD dev set in
# ${CITEQA_SQUAD:-../shared/eval/squad}/corpus, asked every 40th of its questions; optional,
# the run stops if the folder is missing; about 3 minutes). The defaults finish in about 25
# minutes on 2 cores (7 of them fuzzing, 3 re-indexing while serving); a 1000000-passage
# corpus adds about 28 minutes (2.5 to generate it, 6 to index it, 5 for the bare-FTS5
# baselines, 3 for one round of the naive query, the rest asking and serving) and needs
# 3.5 GB of memory and 2.2 GB of disk, and its reindex step as much again (a copy indexed).
# Everything generated lives under build-bench/.
#
# Question mixes (id<TAB>kind<TAB>question, regenerated in build-bench/questions/ on every
# run by bench/question_mixes.py): seed and synthetic sizes ask the written mix, the rows of
# bench/questions.tsv and every distinct single-turn question of tests/testdata/{dev_qa,
# qa_own,qa_probe,qa_heldout}.jsonl (125 questions); the per-question tables (ask/ID,
# stages/ID) stay on bench/questions.tsv's 15. pydocs asks bench/questions_pydocs.tsv;
# squad its sample, summarised by kind.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
source "$root/bench/serve_start.sh"
build=$root/build-bench

sizes=seed,10000,100000
rounds=""      # default: per size, see naive_rounds_for
ask_rounds=""  # default: per size, see ask_rounds_for
wrk_seconds=15
wrk_connections=8
fuzz_seconds=60
reindex_seconds=20
steps=index,ask,stages,serve,reindex
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
    --reindex-seconds) reindex_seconds=$2; shift 2 ;;
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

squad=${CITEQA_SQUAD:-$root/../shared/eval/squad}
for size in ${sizes//,/ }; do
  if [[ ! $size =~ ^(seed|pydocs|squad|[0-9]+)$ ]]; then
    echo "run.sh: bad size '$size' (seed, pydocs, squad or a number)" >&2
    exit 2
  fi
  if [[ $size == squad && ! ( -d $squad/corpus && -f $squad/questions.jsonl ) ]]; then
    echo "run.sh: size squad needs $squad/corpus/ and $squad/questions.jsonl (the SQuAD dev" \
      "set; set CITEQA_SQUAD to its folder)" >&2
    exit 2
  fi
done

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
mkdir -p "$raw" "$build/corpora" "$build/db" "$build/work" "$build/questions"
touch "$raw/sizes.txt"
# A later run into the same --raw folder is recorded beside the first one's arguments, with
# the commit it measured.
[[ -e $raw/machine.txt ]] &&
  echo "also=$(date -u +%H:%M:%SZ)@$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)_${args// /_}" \
    >>"$raw/machine.txt"
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
    squad) echo "$squad/corpus" ;;
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

# --- Question mixes ------------------------------------------------------------------
# Regenerated on every run (a second or less), so that they follow the written files.
python3 "$root/bench/question_mixes.py" written --out "$build/questions/written.tsv" \
  --base bench/questions.tsv tests/testdata/dev_qa.jsonl tests/testdata/qa_own.jsonl \
  tests/testdata/qa_probe.jsonl tests/testdata/qa_heldout.jsonl
if [[ ",$sizes," == *",squad,"* ]]; then
  python3 "$root/bench/question_mixes.py" sample --out "$build/questions/squad.tsv" --every 40 \
    "$squad/questions.jsonl"
fi

# The mix of distinct questions a size is asked: the whole-mix latencies and /api/ask.
mix_for() {
  case $1 in
    pydocs) echo "$root/bench/questions_pydocs.tsv" ;;
    squad) echo "$build/questions/squad.tsv" ;;
    *) echo "$build/questions/written.tsv" ;;
  esac
}

# The questions of the per-question tables (ask/ID and naive/ID, stages/ID); empty for
# squad, whose 260 questions the report summarises by kind instead.
table_questions_for() {
  case $1 in
    pydocs) echo "$root/bench/questions_pydocs.tsv" ;;
    squad) echo "" ;;
    *) echo "$root/bench/questions.tsv" ;;
  esac
}

count_questions() { grep -cv -e '^#' -e '^$' "$1"; }

# citeqa_bench_ask's --benchmark_filter: the whole-mix benchmarks, and ask/ID, naive/ID and
# xapian/ID only for the questions of FILE (none if FILE is empty). Ids are letters, digits,
# - and _.
ask_filter() {
  local ids=""
  [[ -n $1 ]] && ids=$(awk -F'\t' '!/^#/ && NF >= 3 { printf "%s%s", sep, $1; sep = "|" }' "$1")
  if [[ -n $ids ]]; then echo "^(ask|naive|xapian)(_mix|/($ids)(/|\$))"
  else echo '^(ask|naive|xapian)_mix'; fi
}

# Rounds of a mix of N questions: enough calls for a p99 that is more than the slowest call.
ask_rounds_for() { echo "${ask_rounds:-$(( (500 + $1 - 1) / $1 ))}"; }
naive_rounds_for() {
  local size=$1 n=$2
  if [[ -n $rounds ]]; then echo "$rounds"
  elif [[ $size =~ ^[0-9]+$ && $size -ge 1000000 ]]; then echo 1
  else echo $(( (100 + n - 1) / n )); fi
}

# --- Server under wrk ----------------------------------------------------------------
# Asks every question of the mix FILE once at URL, so that a run with the answer cache on
# measures answers from the cache; prints how many were answered with 200.
warm_answer_cache() {
  python3 - "$1" "$2" <<'PY'
import json, sys, urllib.request
url, path, answered = sys.argv[1].rstrip("/") + "/api/ask", sys.argv[2], 0
for line in open(path, encoding="utf-8"):
    parts = line.rstrip("\n").split("\t", 2)
    if line.startswith("#") or len(parts) < 3:
        continue
    body = json.dumps({"question": parts[2]}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            answered += response.status == 200
    except OSError:
        pass
print(answered)
PY
}

# One `citeqa serve` on DB with --answer-cache CACHE ("default": the flag left out): wrk on
# /healthz, then on /api/ask with the mix QUESTIONS (asked once beforehand when the cache is
# on). Prints key=value lines, every key starting with PREFIX.
serve_run() {
  local db=$1 questions=$2 cache=$3 p=$4 prefix=$build/work/serve
  local -a cache_flag=()
  [[ $cache != default ]] && cache_flag=(--answer-cache "$cache")
  serve_start "$prefix.out" "$prefix.err" "$build/citeqa" serve --db "$db" --port 0 "${cache_flag[@]}"
  local pid=$serve_pid url=$serve_url
  if [[ -z $url ]]; then
    echo "${p}skipped=serve_did_not_start"
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return
  fi
  local startup
  startup=$(awk -v s="$serve_listen_s" 'BEGIN { printf "%.2f", s }')
  local idle_rss
  idle_rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  local warmed=0
  [[ $cache != 0 ]] && warmed=$(warm_answer_cache "$url" "$questions")
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
  echo "${p}answer_cache=$cache ${p}questions=$(count_questions "$questions") ${p}warmed=$warmed"
  echo "${p}startup_s=$startup ${p}idle_rss_kb=$idle_rss ${p}peak_rss_kb=$peak_rss" \
    "${p}anon_rss_kb=$anon_rss ${p}file_rss_kb=$file_rss ${p}exit_code=$exit_code"
  echo "$health" | sed 's/^RESULT //' | tr ' ' '\n' | sed "s/^/${p}healthz_/" | tr '\n' ' '; echo
  echo "$ask" | sed 's/^RESULT //' | tr ' ' '\n' | sed "s/^/${p}ask_/" | tr '\n' ' '; echo
}

# Writes key=value lines about `citeqa serve` on DB to FILE: a server with the answer cache
# off (unprefixed keys: every /api/ask runs the pipeline), then a new one with the default
# cache, warmed with the mix (keys cached_*: answers from the cache).
serve_bench() {
  local db=$1 questions=$2 file=$3
  if [[ $have_server -eq 0 ]]; then echo "skipped=citeqa_binary_did_not_build" >"$file"; return; fi
  {
    serve_run "$db" "$questions" 0 ""
    serve_run "$db" "$questions" default cached_
  } >"$file"
}

# --- Per size ------------------------------------------------------------------------
for size in ${sizes//,/ }; do
  grep -qx "$size" "$raw/sizes.txt" || echo "$size" >>"$raw/sizes.txt"
  corpus=$(corpus_for "$size")
  mix=$(mix_for "$size")
  table=$(table_questions_for "$size")
  db=$build/db/$size.db
  # The report reads which questions each size was asked from the raw folder.
  cp "$mix" "$raw/questions-$size.tsv"
  mix_size=$(count_questions "$mix")

  if step index || { [[ ! -e $db ]] && { step ask || step stages || step serve; }; }; then
    log "[$size] index build throughput ($corpus)"
    "$build/bench/citeqa_bench_index" --corpus "$corpus" --work "$build/work" --keep-db "$db" \
      --benchmark_out="$raw/index-$size.json" --benchmark_out_format=json >&2
  fi

  if step ask; then
    size_ask_rounds=$(ask_rounds_for "$mix_size")
    size_rounds=$(naive_rounds_for "$size" "$mix_size")
    log "[$size] Ask latency ($mix_size questions; citeqa: $size_ask_rounds rounds, naive: $size_rounds)"
    # Xapian's index of a million passages takes minutes.
    xapian_flag=()
    [[ $size =~ ^[0-9]+$ && $size -ge 1000000 ]] && xapian_flag=(--no-xapian)
    "$build/bench/citeqa_bench_ask" --db "$db" --questions "$mix" --rounds "$size_rounds" \
      --ask-rounds "$size_ask_rounds" "${xapian_flag[@]}" \
      --benchmark_filter="$(ask_filter "$table")" \
      --benchmark_out="$raw/ask-$size.json" --benchmark_out_format=json >&2
  fi

  if step stages; then
    log "[$size] Ask stages"
    "$build/bench/citeqa_bench_stages" --db "$db" --questions "${table:-$mix}" \
      --benchmark_min_time=0.2 \
      --benchmark_out="$raw/stages-$size.json" --benchmark_out_format=json >&2
  fi

  if step serve; then
    log "[$size] citeqa serve under wrk (${wrk_seconds}s a run, $wrk_connections connections," \
      "$mix_size questions): answer cache off, then on"
    serve_bench "$db" "$mix" "$raw/serve-$size.txt"
    cat "$raw/serve-$size.txt" >&2
  fi

  if step reindex; then
    log "[$size] re-indexing while serving (${reindex_seconds}s of wrk without re-indexing," \
      "then as long with 3 one-file re-indexes)"
    if [[ $have_server -eq 0 ]]; then
      echo "skipped=citeqa_binary_did_not_build" >"$raw/reindex-$size.txt"
    elif ! "$root/bench/reindex_bench.sh" --citeqa "$build/citeqa" --corpus "$corpus" \
        --questions "$mix" --work "$build/work/reindex" --out "$raw/reindex-$size.txt" \
        --seconds "$reindex_seconds" --connections "$wrk_connections" --changes 3; then
      echo "failed=1" >>"$raw/reindex-$size.txt"
      log "[$size] the re-index benchmark failed (see above and $build/work/reindex/)"
    fi
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
# gnuplot refuses a plot without points: a run without the ask step has none.
if grep -qv '^#' "$out/latency.dat"; then
  gnuplot -e "datafile='$out/latency.dat'; outfile='$out/latency.png'" "$root/bench/latency.gp"
  log "wrote $out/results.md and $out/latency.png (raw: $raw)"
else
  log "wrote $out/results.md (no Ask latencies measured: no latency.png; raw: $raw)"
fi
