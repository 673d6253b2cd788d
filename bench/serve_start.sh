# Sourced by the benchmark scripts: starts a server and times its start honestly.
#
#   serve_start OUT ERR COMMAND [ARGS...]
#
# Runs COMMAND (a `citeqa serve ... --port 0`) in the background with its stdout on a pipe
# and blocks, without polling, until it prints its "listening on URL" line (or exits, or
# 300 s pass). Sets serve_pid, serve_url ("" when none came) and serve_listen_s (seconds
# from launch to that line). The rest of its stdout goes to OUT, its stderr to ERR.
#
# Why not poll OUT for the line: on 2 cores, a loop of `grep` and `sleep` processes takes
# CPU from the server it is timing (measured: 0.31 s to listening instead of 0.20 s at
# 100,000 passages), and a 0.1 s poll rounds the figure up to its step.
serve_start() {
  local out=$1 err=$2
  shift 2
  local fifo
  fifo=$(mktemp -u "${TMPDIR:-/tmp}/citeqa-serve.XXXXXX")
  mkfifo "$fifo"
  local started=$EPOCHREALTIME
  "$@" >"$fifo" 2>"$err" &
  serve_pid=$!
  local fd line=""
  exec {fd}<"$fifo"  # returns once the server's end is open
  rm -f "$fifo"
  IFS= read -r -t 300 -u "$fd" line || true
  serve_listen_s=$(awk -v now="$EPOCHREALTIME" -v then="$started" \
    'BEGIN { printf "%.3f", now - then }')
  printf '%s\n' "$line" >"$out"
  cat <&"$fd" >>"$out" &  # the server must never block on a full pipe
  exec {fd}<&-
  serve_url=$(printf '%s\n' "$line" | grep -o 'http://[^ ]*' || true)
}

# Sends one POST /api/ask with the JSON BODY to URL (http://HOST:PORT) from this shell, over
# bash's /dev/tcp, and sets ask_status to the response's status code (000 when none came).
# No process is started: a first answer timed with curl would include curl's own start
# (some 50 to 80 ms on 2 busy cores).
ask_in_shell() {  # URL BODY
  local LC_ALL=C  # ${#body} in bytes
  local hostport=${1#http://}
  hostport=${hostport%%/*}
  local fd
  ask_status=000
  # (In braces: a redirection of `exec` itself would stay on for the whole script.)
  { exec {fd}<>"/dev/tcp/${hostport%:*}/${hostport##*:}"; } 2>/dev/null || return 0
  printf 'POST /api/ask HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$hostport" "${#2}" "$2" >&"$fd" 2>/dev/null || { exec {fd}<&-; return 0; }
  local version code
  if IFS=' ' read -r -t 60 -u "$fd" version code _ && [[ $version == HTTP/* ]]; then
    ask_status=$code
  fi
  exec {fd}<&-
}
