# Shell helpers of the check scripts (tests/replicas/replicas_check.sh,
# deploy/nginx/check.sh): source it, then call `check` once per check and read $failures.

failures=0

# check NAME 0|1 WHAT-WAS-SEEN: prints "ok   NAME", or "FAIL NAME: WHAT-WAS-SEEN" and counts it.
check() {
  if [[ $2 == 0 ]]; then
    echo "ok   $1"
  else
    echo "FAIL $1: $3"
    failures=$((failures + 1))
  fi
}

# A loopback port nothing listens on, below Linux's ephemeral range (32768-60999) where the
# servers started with --port 0 by tests running beside the caller get theirs. Exits 2 when
# none is found.
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port found" >&2
  exit 2
}
