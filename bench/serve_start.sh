# Sourced by the benchmark scripts: starts a server and times its start honestly.
#
#   serve_start OUT ERR COMMAND [ARGS...]
#
# Runs COMMAND (a `citeqa serve ... --port 0`) in the background with its stdout on a pipe
# and waits, blocked on the pipe rather than polling, for its "listening on URL" line (or
# its exit, or 300 s). Sets serve_pid, serve_started (EPOCHREALTIME at launch), serve_url
# ("" when none came) and serve_listen_s (seconds from launch to that line). Its stdout
# goes to OUT as well, its stderr to ERR.
#
# Why not poll OUT for the line: on 2 cores, a loop of `grep` and `sleep` processes takes
# CPU from the server it is timing (measured: 0.31 s to listening instead of 0.20 s at
# 100,000 passages), and a 0.1 s poll rounds the figure up to its step.
serve_start() {
  local out=$1 err=$2
  shift 2
  local dir fd rfd line listened=""
  dir=$(mktemp -d "${TMPDIR:-/tmp}/citeqa-serve.XXXXXX")
  mkfifo "$dir/stdout"
  # Opened for reading and writing, which never blocks: a read-only open would wait for the
  # server's end, forever if it died before opening it.
  exec {fd}<>"$dir/stdout"
  : >"$out"
  serve_url=""
  serve_started=$EPOCHREALTIME
  "$@" >"$dir/stdout" 2>"$err" &
  serve_pid=$!
  local waited=0
  while [[ -z $serve_url ]]; do
    if IFS= read -r -t 1 -u "$fd" line; then
      [[ $line =~ (http://[^[:space:]]+) ]] && { listened=$EPOCHREALTIME; serve_url=${BASH_REMATCH[1]}; }
      printf '%s\n' "$line" >>"$out"
    else
      # A second without a line: give up once the server is gone or 300 s have passed.
      kill -0 "$serve_pid" 2>/dev/null && (( ++waited < 300 )) || break
    fi
  done
  serve_listen_s=""
  [[ -n $listened ]] && serve_listen_s=$(awk -v now="$listened" -v then="$serve_started" \
    'BEGIN { printf "%.3f", now - then }')
  # The rest of its stdout is drained into OUT (the server must never block on a full
  # pipe) through a read-only end, which sees the end of the file once the server exits.
  exec {rfd}<"$dir/stdout"
  exec {fd}<&-
  cat <&"$rfd" >>"$out" &
  exec {rfd}<&-
  rm -rf "$dir"
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
  # (In a subshell: a server gone meanwhile would otherwise end the script with SIGPIPE.)
  ( printf 'POST /api/ask HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$hostport" "${#2}" "$2" >&"$fd" ) 2>/dev/null || { exec {fd}<&-; return 0; }
  local status_line
  if IFS= read -r -t 60 -u "$fd" status_line && [[ $status_line =~ ^HTTP/[0-9.]+\ ([0-9]{3}) ]]; then
    ask_status=${BASH_REMATCH[1]}
  fi
  exec {fd}<&-
}
