#!/usr/bin/env bash
# Soak test: wrk hammers POST /api/ask with many connections while `citeqa index` re-indexes
# the served database in a loop (each round adds, changes or removes an article, so every
# run writes and bumps the index generation). Loopback only, bounded by --seconds.
# Passes (exit 0) only if every response was 2xx, no connection failed (connect, read or
# write errors), every re-index succeeded, and the server was still alive at the end and
# exited 0 on SIGTERM. Requests slower than wrk's 10 s timeout are reported (timeouts=),
# not failed: they measure overload, not breakage.
#
#   bench/soak.sh [--corpus corpus] [--seconds 60] [--connections 64] [--threads 2]
#                 [--server-threads 0] [--citeqa build-bench/citeqa] [--no-reindex]
#
# --no-reindex runs the same load without the re-index loop, as a baseline.
#
# Works on a copy of the corpus in build-bench/soak/ (the original is never touched).
# Prints a summary line: key=value pairs, then PASS or FAIL.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
corpus=$root/corpus
seconds=60
connections=64
threads=2
server_threads=0
citeqa=$root/build-bench/citeqa
reindex=1

while [[ $# -gt 0 ]]; do
  case $1 in
    --corpus) corpus=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --server-threads) server_threads=$2; shift 2 ;;
    --citeqa) citeqa=$2; shift 2 ;;
    --no-reindex) reindex=0; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ ! -x $citeqa ]]; then
  echo "soak.sh: $citeqa not found; build it: cmake --build build-bench --target citeqa" >&2
  exit 2
fi
log() { printf '[soak.sh %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

work=$root/build-bench/soak
rm -rf "$work"
mkdir -p "$work"
cp -r "$corpus" "$work/corpus"
db=$work/soak.db
"$citeqa" index --corpus "$work/corpus" --db "$db" >&2

serve_args=(serve --db "$db" --port 0)
[[ $server_threads -gt 0 ]] && serve_args+=(--threads "$server_threads")
"$citeqa" "${serve_args[@]}" >"$work/serve.out" 2>"$work/serve.err" &
server=$!
reindexer=""
cleanup() {
  [[ -n $reindexer ]] && kill "$reindexer" 2>/dev/null || true
  kill -0 "$server" 2>/dev/null && kill -TERM "$server" 2>/dev/null || true
}
trap cleanup EXIT

url=""
for _ in $(seq 1 300); do
  url=$(grep -o 'http://[^ ]*' "$work/serve.out" 2>/dev/null || true)
  [[ -n $url ]] && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
if [[ -z $url ]]; then
  cat "$work/serve.err" >&2
  echo "soak.sh: the server did not start" >&2
  exit 1
fi
case $url in
  http://127.0.0.1:*|http://localhost:*) ;;
  *) echo "soak.sh: refusing a non-loopback server address $url" >&2; exit 1 ;;
esac
log "serving $db at $url; ${seconds}s of wrk with $connections connections while re-indexing"

# The re-index loop: each round changes the corpus, then indexes it into the served db.
reindex_loop() {
  local round=0 ok=0 failed=0 first
  first=$(find "$work/corpus" -type f \( -name '*.txt' -o -name '*.md' -o -name '*.html' \) | sort | sed -n 1p)
  echo "reindex_runs=0 reindex_failures=0" >"$work/reindex.status"
  while [[ $reindex -eq 1 && ! -e $work/stop ]]; do
    round=$((round + 1))
    case $((round % 3)) in
      0) rm -f "$work/corpus/soak_added.txt" ;;
      1) printf 'Soak round %d. The product owner reviewed the backlog with the team.\n\n' "$round" \
           >"$work/corpus/soak_added.txt" ;;
      2) printf '\nSoak edit %d: product managers and product owners shared the roadmap.\n' "$round" \
           >>"$first" ;;
    esac
    if "$citeqa" index --corpus "$work/corpus" --db "$db" >>"$work/reindex.log" 2>&1; then
      ok=$((ok + 1))
    else
      failed=$((failed + 1))
    fi
    echo "reindex_runs=$round reindex_failures=$failed" >"$work/reindex.status"
  done
}
rm -f "$work/stop"
reindex_loop &
reindexer=$!

wrk_threads=$(( connections < threads ? connections : threads ))
result=$(wrk -t"$wrk_threads" -c"$connections" -d"${seconds}s" --timeout 10s \
  -s "$root/bench/wrk/citeqa.lua" "$url" -- ask "$root/bench/questions.tsv" | grep '^RESULT' ||
  echo "RESULT wrk_failed=1")
touch "$work/stop"
wait "$reindexer" || true
reindexer=""

alive=1
kill -0 "$server" 2>/dev/null || alive=0
exit_code=0
if [[ $alive -eq 1 ]]; then
  kill -TERM "$server"
  wait "$server" || exit_code=$?
else
  wait "$server" || exit_code=$?
fi
trap - EXIT

summary="${result#RESULT } $(cat "$work/reindex.status" 2>/dev/null || echo reindex_runs=0) server_alive=$alive server_exit=$exit_code"
get() { grep -o "\b$1=[0-9.]*" <<<"$summary" | head -1 | cut -d= -f2; }
verdict=PASS
[[ $(get non2xx) == 0 ]] || verdict=FAIL
for k in connect_errors read_errors write_errors reindex_failures server_exit; do
  [[ $(get $k) == 0 ]] || verdict=FAIL
done
[[ $(get responses) -gt 0 && $alive -eq 1 ]] || verdict=FAIL
[[ $reindex -eq 0 || $(get reindex_runs) -gt 0 ]] || verdict=FAIL
grep -q wrk_failed <<<"$summary" && verdict=FAIL
echo "$summary $verdict"
if [[ $verdict != PASS ]]; then
  log "server stderr (last lines):"
  tail -5 "$work/serve.err" >&2
  log "re-index log (last lines):"
  tail -5 "$work/reindex.log" >&2
  exit 1
fi
