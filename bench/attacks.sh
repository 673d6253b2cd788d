#!/usr/bin/env bash
# The connection attacks of issue 13 at full size against a Release `citeqa serve` of
# corpus/: 200 idle keep-alive connections, 20 slowloris connections (a header byte every
# 5 s), both at once, an endless body, a million headers and an over-long header line.
# Prints a Markdown table (also written to build-attacks/attacks.md): the normal client's
# p50/max latency during each attack and the server's RSS before and after.
#
# usage: bench/attacks.sh [--citeqa BIN] [--seconds N] [--threads N] [-- serve flags...]
#   --citeqa BIN   the binary to attack (default: a Release build in build-attacks/)
#   --seconds N    how long the normal client measures each attack (default 20)
#   --threads N    passed to `citeqa serve` (default: its own default)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/build-attacks"
citeqa=""
seconds=20
serve_flags=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --citeqa) citeqa="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --threads) serve_flags+=(--threads "$2"); shift 2 ;;
    --) shift; serve_flags+=("$@"); break ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$work"
if [[ -z "$citeqa" ]]; then
  cmake -S "$root" -B "$work" -DCMAKE_BUILD_TYPE=Release -DCITEQA_BUILD_TESTS=OFF > /dev/null
  cmake --build "$work" -j2 --target citeqa > /dev/null
  citeqa="$work/citeqa"
fi
"$citeqa" index --corpus "$root/corpus" --db "$work/attacks.db" > /dev/null

"$citeqa" serve --db "$work/attacks.db" --port 0 "${serve_flags[@]}" \
  > "$work/serve.out" 2> "$work/serve.err" &
server=$!
trap 'kill "$server" 2> /dev/null || true' EXIT
port=""
for _ in $(seq 100); do
  port="$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$work/serve.out")"
  [[ -n "$port" ]] && break
  sleep 0.1
done
[[ -n "$port" ]] || { echo "citeqa serve did not start:" >&2; cat "$work/serve.err" >&2; exit 1; }

echo "citeqa serve ${serve_flags[*]:-(defaults)} on port $port, pid $server, $(nproc) cores," \
     "load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$work/attacks.md"
python3 "$root/bench/attacks.py" --port "$port" --pid "$server" --seconds "$seconds" \
  | tee -a "$work/attacks.md"

kill -TERM "$server"
wait "$server" && status=0 || status=$?
trap - EXIT
[[ $status -eq 0 ]] || { echo "citeqa serve exited with $status" >&2; exit 1; }
echo "server exited 0 after SIGTERM; $(grep -c ' 408 ' "$work/serve.err" || true) answers 408," \
     "$(grep -c ' 431 ' "$work/serve.err" || true) answers 431 in its log"
