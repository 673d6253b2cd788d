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

# nginx_main_conf DIR HTTP_LINES: prints a main nginx.conf for an nginx that a check runs in
# the foreground, with its pid, error log (DIR/nginx-error.log) and temporary files in DIR,
# and HTTP_LINES inside the `http` block. Run as root, its workers drop to nobody, who must
# be able to enter DIR.
nginx_main_conf() {
  local dir=$1 http_lines=$2 user_line=""
  if [[ $(id -u) == 0 ]]; then
    user_line="user nobody nogroup;"
    chmod 755 "$dir"
  fi
  cat <<CONF
$user_line
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log notice;
events { worker_connections 1024; }
http {
  client_body_temp_path $dir/client_body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
$http_lines
}
CONF
}

# listening_port OUT_FILE: waits up to 10 s for `citeqa serve --port 0` to write its
# "listening on http://127.0.0.1:PORT" line to OUT_FILE and prints PORT; prints nothing if
# it never does.
listening_port() {
  for _ in $(seq 100); do
    grep -q '^listening on' "$1" 2>/dev/null && break
    sleep 0.1
  done
  sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$1"
}
