#!/usr/bin/env bash
# Re-indexing while serving (issue 14), for one corpus: what a full index, an unchanged
# re-index and a one-file re-index cost (time, peak RSS), how long `citeqa serve` takes from
# launch to its first answer, and what re-indexing does to the requests of a loaded server:
# wrk on /api/ask (answer cache off) for --seconds without any re-index (the baseline, keys
# quiet_*), then the same load again while --changes one-file changes are re-indexed
# (keys swap_*), each timed until the server answers with its new word statistics.
# bench/run.sh's step "reindex" calls it once per size.
#
#   bench/reindex_bench.sh --corpus DIR --questions MIX.tsv --out FILE
#       [--citeqa build-bench/citeqa] [--work build-bench/work/reindex] [--seconds 20]
#       [--connections 8] [--changes 3] [--swap-cap 120]
#
# Works on a copy of DIR in WORK/corpus (DIR itself is never modified); WORK is emptied
# first and keeps the logs afterwards. Writes key=value lines to FILE as it goes:
#   wrk_seconds= connections= files= passages=               the arguments, the corpus
#   full_index_s= full_index_rss_kb=                         `citeqa index` into a new db
#   unchanged_reindex_s= unchanged_reindex_rss_kb=           the second of two re-runs
#   quiet_onefile_reindex_s= quiet_onefile_reindex_rss_kb=   one changed file, no load
#   listen_s= cold_start_s=                                  launch to "listening", to the
#                                                            first 200 of POST /api/ask
#   quiet_rps= quiet_p50_ms= quiet_p99_ms= quiet_max_ms= quiet_mean_ms= quiet_responses=
#     quiet_non2xx= quiet_connect_errors= ... quiet_timeouts=   wrk, no re-index
#   change=I file= onefile_reindex_s= onefile_reindex_rss_kb= generation=
#     statistics_swap_s= statistics_after_index_s= statistics_seen_after_index_s=
#     statistics_load_s= under_load=yes|no                   one line per change
#   swap_...                                                 wrk, the same keys as quiet_
#   serve_peak_rss_kb= server_alive= exit_code=              the server, after SIGTERM
# After each change the bench polls /metrics (every 50 ms) until
# citeqa_statistics_generation reaches the generation /healthz reports after the re-index
# ("timeout" past --swap-cap). statistics_swap_s counts from the start of the change's
# `citeqa index` to the moment the server reports it put those statistics in use
# (citeqa_statistics_in_use_timestamp_seconds, its wall clock); statistics_after_index_s the
# same from the end of that `citeqa index` (issue 14's "a changed file answered 0.5 s after
# its re-index"; slightly negative when the server took them up between the re-index's
# commit and its exit); statistics_seen_after_index_s from that end to the poll that saw
# them, which adds the poll's interval and its own wait for a CPU; statistics_load_s is
# citeqa_statistics_load_seconds, the load itself. The server loads new statistics when a
# question asks for them, so once wrk has ended the poll asks one question per round
# itself (under_load=no).
# Exit 0 when every figure was measured; non-zero with a message otherwise (FILE keeps
# the lines written so far).
set -euo pipefail
# EPOCHREALTIME and awk's numbers with a decimal point, as the server's /metrics writes them.
export LC_ALL=C

cd "$(dirname "$0")/.."
root=$PWD
source "$root/bench/serve_start.sh"
citeqa=$root/build-bench/citeqa
work=$root/build-bench/work/reindex
corpus=""
questions=""
out=""
seconds=20
connections=8
changes=3
swap_cap=120

while [[ $# -gt 0 ]]; do
  case $1 in
    --corpus) corpus=$2; shift 2 ;;
    --questions) questions=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --citeqa) citeqa=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --changes) changes=$2; shift 2 ;;
    --swap-cap) swap_cap=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "reindex_bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

die() { echo "reindex_bench.sh: $*" >&2; exit 1; }
log() { printf '[reindex_bench.sh %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

[[ -n $corpus && -n $questions && -n $out ]] ||
  { echo "reindex_bench.sh: --corpus, --questions and --out are required" >&2; exit 2; }
[[ -d $corpus ]] || die "no corpus folder $corpus"
[[ -f $questions ]] || die "no question mix $questions"
[[ -x $citeqa ]] || die "$citeqa not found; build it: cmake --build build-bench --target citeqa"
for tool in wrk curl python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || die "$tool is needed (Debian packages wrk, curl, python3, time)"
done
for n in "$seconds" "$connections" "$changes" "$swap_cap"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "--seconds, --connections, --changes and --swap-cap take" \
    "a positive whole number, not '$n'"
done
# Never empty a folder that is not ours: WORK must be a fresh or an earlier reindex folder.
if [[ -e $work && ! -e $work/.reindex_bench ]] && [[ -n $(ls -A "$work" 2>/dev/null) ]]; then
  die "$work exists and was not made by this script; pick another --work"
fi

rm -rf "$work"
mkdir -p "$work" "$(dirname "$out")"
touch "$work/.reindex_bench"
: >"$out"
emit() { echo "$*" >>"$out"; }

server=""
wrk_pid=""
cleanup() {
  if [[ -n $wrk_pid ]]; then kill "$wrk_pid" 2>/dev/null || true; fi
  if [[ -n $server ]]; then kill -TERM "$server" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

db=$work/index.db
cp -r "$corpus" "$work/corpus"

# Runs `citeqa index` on the copy under /usr/bin/time; sets index_s and index_rss_kb.
index_s=""
index_rss_kb=""
timed_index() {
  echo "--- $1" >>"$work/index.log"
  if ! /usr/bin/time -f '%e %M' -o "$work/time.txt" \
      "$citeqa" index --corpus "$work/corpus" --db "$db" >>"$work/index.log" 2>&1; then
    tail -3 "$work/index.log" >&2
    die "citeqa index ($1) failed; see $work/index.log"
  fi
  read -r index_s index_rss_kb <"$work/time.txt"
}

# 1. Full index into a new database, then the unchanged re-index (the second of two runs:
# the first may still re-read files written within the clock's resolution of the index).
files=$(find "$work/corpus" -type f \( -name '*.txt' -o -name '*.md' -o -name '*.html' \
  -o -name '*.htm' \) | wc -l)
log "full index of $files files ($corpus)"
timed_index full
passages=$(grep -o 'passages: [0-9]*' "$work/index.log" | tail -1 | cut -d' ' -f2)
emit "wrk_seconds=$seconds connections=$connections files=$files passages=${passages:-0}" \
  "full_index_s=$index_s full_index_rss_kb=$index_rss_kb"
timed_index unchanged-1
timed_index unchanged-2
grep -q ' 0 added, 0 updated, 0 removed' <(tail -1 "$work/index.log") ||
  log "warning: the unchanged re-index changed documents: $(tail -1 "$work/index.log")"
emit "unchanged_reindex_s=$index_s unchanged_reindex_rss_kb=$index_rss_kb"

# The article the changes append to: the first .txt/.md file (an HTML one if there is none,
# where a trailing paragraph lands in the body all the same).
changed=$(find "$work/corpus" -type f \( -name '*.txt' -o -name '*.md' \) | sort | sed -n 1p)
[[ -n $changed ]] || changed=$(find "$work/corpus" -type f \( -name '*.html' -o -name '*.htm' \) |
  sort | sed -n 1p)
[[ -n $changed ]] || die "no article to change in $work/corpus"
change_article() {  # N: appends sentence N to the changed article
  case $changed in
    *.html|*.htm) printf '\n<p>Re-index benchmark change %d: a glacier survey added this line.</p>\n' "$1" ;;
    *) printf '\nRe-index benchmark change %d: a glacier survey added this line.\n' "$1" ;;
  esac >>"$changed"
}

# 1b. One changed file re-indexed with nothing else running (the changes under load in 3
# share the cores with wrk and the server).
change_article 0
timed_index change-quiet
emit "quiet_onefile_reindex_s=$index_s quiet_onefile_reindex_rss_kb=$index_rss_kb"

# 2. Cold start: launch to "listening", then to the first 200 answer of the mix's first
# question (the page cache is warm: the index was just written).
python3 - "$questions" >"$work/ask.json" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    parts = line.rstrip("\n").split("\t", 2)
    if not line.startswith("#") and len(parts) == 3:
        print(json.dumps({"question": parts[2]}))
        break
else:
    sys.exit("no question in " + sys.argv[1])
PY
ask_once() {  # prints the HTTP status of one POST /api/ask (000 if none came)
  curl -s -o /dev/null -w '%{http_code}' --max-time 60 -H 'Content-Type: application/json' \
    --data-binary @"$work/ask.json" "$url/api/ask" 2>/dev/null || true
}
# Seconds since START, or until END when given.
elapsed() { awk -v now="${2:-$EPOCHREALTIME}" -v then="$1" 'BEGIN { printf "%.3f", now - then }'; }
within() {  # START CAP: whether less than CAP seconds have passed since START
  awk -v now="$EPOCHREALTIME" -v then="$1" -v cap="$2" 'BEGIN { exit !(now - then < cap) }'
}

log "cold start: citeqa serve --answer-cache 0"
# The runs' writes reach the disk first: the kernel writing back the full build's pages
# would otherwise share the CPUs with the start being timed (how much depended on how soon
# after the build it came: 0.21 against 0.26 s at 100k, for the same server).
sync -f "$db"
serve_start "$work/serve.out" "$work/serve.err" \
  "$citeqa" serve --db "$db" --port 0 --answer-cache 0
started=$serve_started
server=$serve_pid
url=$serve_url
if [[ -z $url ]]; then
  tail -5 "$work/serve.err" >&2
  die "the server printed no address within 300 s of launch"
fi
case $url in
  http://127.0.0.1:*|http://localhost:*) ;;
  *) die "refusing a non-loopback server address $url" ;;
esac
listen_s=$serve_listen_s
ask_body=$(<"$work/ask.json")
while ask_in_shell "$url" "$ask_body"; [[ $ask_status != 200 ]]; do
  kill -0 "$server" 2>/dev/null || { tail -5 "$work/serve.err" >&2; die "the server exited before answering"; }
  within "$started" 300 ||
    die "no 200 from POST /api/ask within 300 s of launch (see $work/serve.err)"
  sleep 0.02
done
emit "listen_s=$listen_s cold_start_s=$(elapsed "$started")"

# 3. wrk on /api/ask, the same load twice. Prints PREFIX-keyed lines from wrk's output
# FILE: the lua script's RESULT line, and the mean and max of wrk's own "Latency" row.
wrk_start() {  # FILE: starts wrk in the background, sets wrk_pid
  local threads=$(( connections < 2 ? connections : 2 ))
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 30s --latency \
    -s "$root/bench/wrk/citeqa.lua" "$url" -- ask "$questions" >"$1" 2>&1 &
  wrk_pid=$!
}
wrk_keys() {  # FILE PREFIX
  local result
  result=$(grep '^RESULT' "$1")
  # wrk writes durations as 812.00us, 12.34ms, 1.50s or 1.20m.
  awk -v p="$2" '
    function ms(v) {
      if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0
      if (v ~ /s$/) return v * 1000; if (v ~ /m$/) return v * 60000; if (v ~ /h$/) return v * 3600000
      return -1
    }
    $1 == "Latency" && NF == 5 { printf "%smean_ms=%.2f %smax_ms=%.2f\n", p, ms($2), p, ms($4); found = 1; exit }
    END { if (!found) printf "%smean_ms=? %smax_ms=?\n", p, p }' "$1"
  echo "${result#RESULT }" | tr ' ' '\n' | grep -v '^mode=' | sed "s/^/$2/" | tr '\n' ' '
  echo
}
wrk_wait() {  # FILE: waits for wrk, fails if it did
  local code=0
  wait "$wrk_pid" || code=$?
  wrk_pid=""
  [[ $code -eq 0 ]] || { tail -5 "$1" >&2; die "wrk exited with $code (see $1)"; }
  grep -q '^RESULT' "$1" || { tail -5 "$1" >&2; die "wrk printed no RESULT line (see $1)"; }
}

log "baseline: wrk ${seconds}s, $connections connections, no re-index"
wrk_start "$work/wrk-quiet.out"
wrk_wait "$work/wrk-quiet.out"
emit "$(wrk_keys "$work/wrk-quiet.out" quiet_)"

healthz_generation() {
  curl -s --max-time 10 "$url/healthz" 2>/dev/null | grep -o '"generation": *-\?[0-9]*' |
    grep -o -- '-\?[0-9]*$' || true
}
# "GENERATION IN_USE_SINCE LOAD_SECONDS" of the statistics in use, from one /metrics.
statistics_in_use() {
  curl -s --max-time 10 "$url/metrics" 2>/dev/null | awk '
    $1 == "citeqa_statistics_generation" { g = $2 }
    $1 == "citeqa_statistics_in_use_timestamp_seconds" { s = $2 }
    $1 == "citeqa_statistics_load_seconds" { l = $2 }
    END { if (g != "" && s != "" && l != "") print g, s, l }' || true
}


log "under load: wrk ${seconds}s while $changes one-file changes are re-indexed"
wrk_start "$work/wrk-swap.out"
load_started=$EPOCHREALTIME
for i in $(seq 1 "$changes"); do
  # Evenly spread over the run: at seconds * i / (changes + 1), or at once if late.
  wait_s=$(awk -v s="$seconds" -v i="$i" -v n="$changes" -v e="$(elapsed "$load_started")" \
    'BEGIN { w = s * i / (n + 1) - e; printf "%.3f", (w > 0 ? w : 0) }')
  sleep "$wait_s"
  change_article "$i"
  t0=$EPOCHREALTIME
  timed_index "change-$i"
  indexed=$EPOCHREALTIME
  generation=$(healthz_generation)
  [[ -n $generation ]] || die "no generation in /healthz after change $i"
  swap_s=timeout
  after_index_s=timeout
  seen_after_index_s=timeout
  load_s=timeout
  under_load=yes
  while true; do
    read -r current in_use_since load_seconds <<<"$(statistics_in_use)" || true
    [[ -n $current ]] || die "no citeqa_statistics_generation, _in_use_timestamp_seconds or" \
      "_load_seconds in /metrics"
    if [[ $(awk -v c="$current" -v g="$generation" 'BEGIN { print (c >= g) }') == 1 ]]; then
      seen=$EPOCHREALTIME
      # The server's own clock reading of the swap, so the poll's interval is not counted.
      swap_s=$(elapsed "$t0" "$in_use_since")
      after_index_s=$(elapsed "$indexed" "$in_use_since")
      seen_after_index_s=$(elapsed "$indexed" "$seen")
      load_s=$(awk -v l="$load_seconds" 'BEGIN { printf "%.4f", l }')
      break
    fi
    within "$t0" "$swap_cap" || break
    if [[ -n $wrk_pid ]] && kill -0 "$wrk_pid" 2>/dev/null; then
      sleep 0.05
    else
      under_load=no
      ask_once >/dev/null
    fi
  done
  emit "change=$i file=${changed#"$work/corpus/"} onefile_reindex_s=$index_s" \
    "onefile_reindex_rss_kb=$index_rss_kb generation=$generation statistics_swap_s=$swap_s" \
    "statistics_after_index_s=$after_index_s statistics_seen_after_index_s=$seen_after_index_s" \
    "statistics_load_s=$load_s under_load=$under_load"
  [[ $swap_s != timeout ]] || log "change $i: new statistics not in use after ${swap_cap}s"
done
wrk_wait "$work/wrk-swap.out"
emit "$(wrk_keys "$work/wrk-swap.out" swap_)"

# 4. The server: its peak memory, then SIGTERM and its exit code.
peak_rss=$(awk '/^VmHWM/ { print $2 }' "/proc/$server/status" 2>/dev/null || true)
alive=1
kill -0 "$server" 2>/dev/null || alive=0
exit_code=0
[[ $alive -eq 1 ]] && kill -TERM "$server"
wait "$server" || exit_code=$?
server=""
emit "serve_peak_rss_kb=${peak_rss:-?} server_alive=$alive exit_code=$exit_code"
trap - EXIT
cat "$out" >&2
[[ $alive -eq 1 && $exit_code -eq 0 ]] || die "the server died or exited with $exit_code"
