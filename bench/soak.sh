#!/usr/bin/env bash
# Soak test: wrk hammers POST /api/ask with many connections while two writers change
# the served index: `citeqa index` re-indexes the corpus folder in a loop (each round adds,
# changes or removes an article, so every run writes and bumps the index generation), and
# an admin client uploads, replaces and deletes an article through the server's own API
# (POST /api/articles, DELETE /api/articles/{file}, POST /api/reindex). Loopback only,
# bounded by --seconds.
# Passes (exit 0) only if every response was 2xx, no connection failed (connect, read or
# write errors), every re-index and every admin call succeeded, and the server was still
# alive at the end and exited 0 on SIGTERM. Requests slower than wrk's 10 s timeout are
# reported (timeouts=), not failed: they measure overload, not breakage.
#
#   bench/soak.sh [--corpus corpus] [--seconds 60] [--connections 64] [--threads 2]
#                 [--server-threads 0] [--citeqa build-bench/citeqa] [--no-reindex]
#
# --no-reindex runs the same load without either writer, as a baseline.
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

# The admin API needs a token (from the environment) and the corpus folder.
export CITEQA_ADMIN_TOKEN
CITEQA_ADMIN_TOKEN=$(openssl rand -hex 24)
serve_args=(serve --db "$db" --corpus "$work/corpus" --port 0)
[[ $server_threads -gt 0 ]] && serve_args+=(--threads "$server_threads")
"$citeqa" "${serve_args[@]}" >"$work/serve.out" 2>"$work/serve.err" &
server=$!
reindexer=""
uploader=""
cleanup() {
  [[ -n $reindexer ]] && kill "$reindexer" 2>/dev/null || true
  [[ -n $uploader ]] && kill "$uploader" 2>/dev/null || true
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
log "serving $db at $url; ${seconds}s of wrk with $connections connections," \
  "re-indexing and uploading meanwhile"

# The re-index loop: each round changes the corpus, then indexes it into the served db.
# The article the loop edits: chosen before either writer adds its own.
first=$(find "$work/corpus" -type f \( -name '*.txt' -o -name '*.md' -o -name '*.html' \) |
  sort | sed -n 1p)
reindex_loop() {
  local round=0 ok=0 failed=0
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
# The admin loop: upload an article, replace it, delete it, re-scan the folder; again.
# Any status but the expected one counts as a failure (the response goes to admin.log).
upload_loop() {
  local round=0 failed=0 code
  local auth="Authorization: Bearer $CITEQA_ADMIN_TOKEN"
  echo "admin_calls=0 admin_failures=0" >"$work/admin.status"
  admin_call() {  # expected status, then curl arguments
    local expected=$1
    shift
    rm -f "$work/admin.body"
    code=$(curl -sS --max-time 60 -o "$work/admin.body" -w '%{http_code}' -H "$auth" "$@" \
      2>>"$work/admin.log") || true
    code=${code:-000}
    if [[ $code != "$expected" ]]; then
      failed=$((failed + 1))
      {
        echo "round $round: $code, expected $expected: $*"
        cat "$work/admin.body" 2>/dev/null || true
        echo
      } >>"$work/admin.log"
    fi
  }
  while [[ $reindex -eq 1 && ! -e $work/stop ]]; do
    round=$((round + 1))
    case $((round % 4)) in
      1) admin_call 201 -H 'Content-Type: application/json' "$url/api/articles" \
           -d "{\"title\": \"Soak upload $round\", \"file\": \"soak_upload.md\", \"markdown\":
                \"# Soak upload $round\\n\\nThe product manager owns the roadmap.\"}" ;;
      2) admin_call 201 -H 'Content-Type: text/markdown' \
           --data-binary $'# Soak replace '"$round"$'\n\nThe scrum master coaches the team.' \
           "$url/api/articles?file=soak_upload.md&title=Soak&replace=true" ;;
      3) admin_call 200 -X DELETE "$url/api/articles/soak_upload.md" ;;
      0) admin_call 200 -X POST "$url/api/reindex" ;;
    esac
    echo "admin_calls=$round admin_failures=$failed" >"$work/admin.status"
  done
}
rm -f "$work/stop"
reindex_loop &
reindexer=$!
upload_loop &
uploader=$!

wrk_threads=$(( connections < threads ? connections : threads ))
result=$(wrk -t"$wrk_threads" -c"$connections" -d"${seconds}s" --timeout 10s \
  -s "$root/bench/wrk/citeqa.lua" "$url" -- ask "$root/bench/questions.tsv" | grep '^RESULT' ||
  echo "RESULT wrk_failed=1")
touch "$work/stop"
writers_ok=1
wait "$reindexer" || writers_ok=0
wait "$uploader" || writers_ok=0
reindexer=""
uploader=""

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

summary="${result#RESULT } $(cat "$work/reindex.status" 2>/dev/null || echo reindex_runs=0)"
summary+=" $(cat "$work/admin.status" 2>/dev/null || echo admin_calls=0) writers_ok=$writers_ok"
summary+=" server_alive=$alive server_exit=$exit_code"
get() { grep -o "\b$1=[0-9.]*" <<<"$summary" | head -1 | cut -d= -f2; }
verdict=PASS
[[ $(get non2xx) == 0 ]] || verdict=FAIL
for k in connect_errors read_errors write_errors reindex_failures admin_failures server_exit; do
  [[ $(get $k) == 0 ]] || verdict=FAIL
done
[[ $writers_ok -eq 1 ]] || verdict=FAIL  # a writer loop that died stopped writing
[[ $(get responses) -gt 0 && $alive -eq 1 ]] || verdict=FAIL
[[ $reindex -eq 0 || ( $(get reindex_runs) -gt 0 && $(get admin_calls) -gt 0 ) ]] || verdict=FAIL
grep -q wrk_failed <<<"$summary" && verdict=FAIL
echo "$summary $verdict"
if [[ $verdict != PASS ]]; then
  log "server stderr (last lines):"
  tail -5 "$work/serve.err" >&2
  log "re-index log (last lines):"
  tail -5 "$work/reindex.log" >&2
  log "admin log (last lines):"
  tail -5 "$work/admin.log" >&2 2>/dev/null || true
  exit 1
fi
