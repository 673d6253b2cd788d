#!/usr/bin/env bash
# Tests deploy/nginx/citeqa.conf for real: Debian's nginx in the foreground in front of
# `citeqa serve` (an index of the seed corpus), with only ports, certificate and log paths
# substituted (a self-signed certificate for citeqa.example.org, everything in a temporary
# folder; nothing root-owned is touched). Run by hand, not in CI:
#
#   bash deploy/nginx/check.sh [BUILD_DIR]      # BUILD_DIR holds the citeqa binary (default: build)
#
# Needs nginx, openssl and curl (apt-get install -y nginx openssl curl). Exit 0 when every
# check passed; each check prints "ok" or "FAIL" with what it saw.
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$repo/build}
# check, free_port, nginx_main_conf, listening_port
source "$repo/tests/lib/checks.sh"
citeqa=$build/citeqa
conf=$repo/deploy/nginx/citeqa.conf
for tool in nginx openssl curl; do
  command -v "$tool" >/dev/null || { echo "check.sh: $tool is missing (apt-get install -y $tool)" >&2; exit 2; }
done
[[ -x $citeqa ]] || { echo "check.sh: no citeqa binary at $citeqa (build it, or pass the build folder)" >&2; exit 2; }

tmp=$(mktemp -d /tmp/citeqa-nginx-check.XXXXXX)
citeqa_pid=""
nginx_pid=""
cleanup() {
  [[ -n $nginx_pid ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  [[ -n $citeqa_pid ]] && kill "$citeqa_pid" 2>/dev/null && wait "$citeqa_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- citeqa on a free port, over an index of the seed corpus ---------------------------
token=check-$(openssl rand -hex 16)
mkdir -p "$tmp/corpus"
cp "$repo"/corpus/* "$tmp/corpus/"
"$citeqa" index --corpus "$tmp/corpus" --db "$tmp/index.db" >"$tmp/index.out" 2>&1 ||
  { cat "$tmp/index.out"; echo "check.sh: citeqa index failed" >&2; exit 1; }
CITEQA_ADMIN_TOKEN=$token "$citeqa" serve --db "$tmp/index.db" --corpus "$tmp/corpus" --port 0 \
  >"$tmp/citeqa.out" 2>"$tmp/citeqa.err" &
citeqa_pid=$!
citeqa_port=$(listening_port "$tmp/citeqa.out")
[[ -n $citeqa_port ]] || { cat "$tmp/citeqa.err"; echo "check.sh: citeqa did not start" >&2; exit 1; }

# --- the configuration with ports and paths substituted -----------------------------------
http_port=$(free_port)
https_port=$(free_port)
while [[ $https_port == "$http_port" ]]; do https_port=$(free_port); done
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=citeqa.example.org \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null ||
  { echo "check.sh: openssl could not make a certificate" >&2; exit 1; }
sed -e "s|server 127\.0\.0\.1:8080;|server 127.0.0.1:$citeqa_port;|" \
    -e "s|listen 80;|listen 127.0.0.1:$http_port;|" \
    -e "s|listen 443 |listen 127.0.0.1:$https_port |" \
    -e '/listen \[::\]:/d' \
    -e "s|/etc/letsencrypt/live/citeqa.example.org/fullchain.pem|$tmp/cert.pem|" \
    -e "s|/etc/letsencrypt/live/citeqa.example.org/privkey.pem|$tmp/key.pem|" \
    -e "s|/var/log/nginx/citeqa.access.log|$tmp/access.log|" \
    "$conf" >"$tmp/citeqa.conf"
if sed 's/#.*//' "$tmp/citeqa.conf" | grep -nE '8080|letsencrypt|/var/log| 80;| 443 '; then
  echo "check.sh: the substitutions above missed a line of $conf" >&2
  exit 1
fi
nginx_main_conf "$tmp" "  access_log $tmp/access.log;
  include $tmp/citeqa.conf;" >"$tmp/nginx.conf"

nginx_args=(-p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/nginx-error.log")
if nginx -t "${nginx_args[@]}" >"$tmp/nginx-t.out" 2>&1; then
  check "nginx -t accepts the configuration" 0 ""
else
  check "nginx -t accepts the configuration" 1 "$(cat "$tmp/nginx-t.out")"
  exit 1
fi
nginx "${nginx_args[@]}" &
nginx_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$https_port") 2>/dev/null && break
  sleep 0.1
done

# --- through nginx -------------------------------------------------------------------------
site=https://citeqa.example.org:$https_port
c() { curl -sS -k --max-time 20 --resolve "citeqa.example.org:$https_port:127.0.0.1" "$@"; }
ask_body='{"question": "What does a product owner do?"}'

out=$(c -o "$tmp/body" -w '%{http_code} %{http_version}' "$site/healthz")
check "/healthz answers 200 over HTTP/2" \
  "$([[ $out == "200 2" ]] && grep -q '"status":"ok"' "$tmp/body"; echo $?)" "$out $(cat "$tmp/body")"

out=$(c -o "$tmp/body" -w '%{http_code}' -H 'Content-Type: application/json' -d "$ask_body" "$site/api/ask")
check "/api/ask answers 200 with an answer" \
  "$([[ $out == 200 ]] && grep -q '"answer"' "$tmp/body" && grep -q '"citations"' "$tmp/body"; echo $?)" \
  "$out $(head -c 300 "$tmp/body")"

head -c 102400 /dev/zero | tr '\0' 'a' >"$tmp/big"
out=$(c -o "$tmp/body" -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$tmp/big" "$site/api/ask")
check "a 100 KiB body gets 413 from nginx" \
  "$([[ $out == 413 ]] && grep -q '<center>nginx</center>' "$tmp/body"; echo $?)" "$out $(head -c 300 "$tmp/body")"
sleep 0.3
check "citeqa never saw the 100 KiB request" \
  "$(! grep -q '"/api/ask" 413' "$tmp/citeqa.err"; echo $?)" "$(grep 413 "$tmp/citeqa.err")"

out=$(c -D "$tmp/headers" -o /dev/null -w '%{http_code}' "$site/")
headers=$(tr -d '\r' <"$tmp/headers" | tr 'A-Z' 'a-z')
for want in "content-security-policy: .*frame-ancestors 'none'" "x-frame-options: deny" \
            "x-content-type-options: nosniff" "referrer-policy: no-referrer" \
            "strict-transport-security: max-age=" "x-request-id: [0-9a-f]{32}$" "server: nginx$"; do
  check "the page's headers: $want" "$([[ $out == 200 ]] && grep -qE "^$want" <<<"$headers"; echo $?)" \
    "$out; headers: $(tr '\n' ' ' <<<"$headers")"
done

out=$(c -D - -o /dev/null -H 'X-Request-Id: trace-42.a_b' "$site/healthz" | tr -d '\r' | grep -i '^x-request-id:')
check "a plain client request id is passed on" "$([[ ${out,,} == 'x-request-id: trace-42.a_b' ]]; echo $?)" "$out"
out=$(c -D - -o /dev/null -H 'X-Request-Id: "><script>' "$site/healthz" | tr -d '\r' | grep -i '^x-request-id:')
check "any other client request id is replaced" "$([[ ${out,,} =~ ^x-request-id:\ [0-9a-f]{32}$ ]]; echo $?)" "$out"

out=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Host: citeqa.example.org' \
  "http://127.0.0.1:$http_port/healthz")
check "plain HTTP redirects to HTTPS" "$([[ $out == "301 https://citeqa.example.org/healthz" ]]; echo $?)" "$out"

long=$(head -c 9000 /dev/zero | tr '\0' 'b')
seven=$(head -c 7000 /dev/zero | tr '\0' 'c')
out=$(c --http1.1 -o /dev/null -w '%{http_code}' -H "X-Long: $long" "$site/healthz")
check "HTTP/1.1: a 9 KB header line gets 400 from nginx" "$([[ $out == 400 ]]; echo $?)" "$out"
out=$(c --http1.1 -o /dev/null -w '%{http_code}' -H "X-A: $seven" -H "X-B: $seven" -H "X-C: $seven" "$site/healthz")
check "HTTP/1.1: a 21 KB head gets 400 from nginx" "$([[ $out == 400 ]]; echo $?)" "$out"
# HTTP/2 limits a field by its compressed size, so a repetitive 9 KB value may pass nginx;
# citeqa then refuses it itself (431).
out=$(c -o /dev/null -w '%{http_code}' -H "X-Long: $long" "$site/healthz")
check "HTTP/2: a 9 KB header line is refused (400 or citeqa's 431)" "$([[ $out == 400 || $out == 431 ]]; echo $?)" "$out"

out=$(c -o /dev/null -w '%{http_code}' "$site/metrics")
check "/metrics is not served to the internet" "$([[ $out == 404 ]]; echo $?)" "$out"

out=$(curl -sS -k --max-time 10 -o /dev/null -w '%{http_code}' "https://127.0.0.1:$https_port/healthz" 2>&1)
check "another host name gets no TLS handshake" "$([[ $out != 200 ]]; echo $?)" "$out"

# An article of 100 KiB is over the general 64 KiB limit but within the admin route's.
{ printf 'Nginx check article\n\n'; head -c 102400 /dev/zero | tr '\0' 'w' | fold -w 70 | sed 's/$/ words here./'; } \
  >"$tmp/article.txt"
out=$(c -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: text/plain' \
  --data-binary @"$tmp/article.txt" "$site/api/articles?file=nginx-check.txt")
check "an admin upload over 64 KiB reaches citeqa" "$([[ $out == 201 ]]; echo $?)" "$out $(head -c 300 "$tmp/body")"

# Pauses longer than citeqa's 2 s idle keep-alive timeout: nginx must not reuse a closed
# upstream connection (a POST would get 502).
codes=""
for pause in 2.5 1.5 2.2 0; do
  codes+="$(c -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$ask_body" "$site/api/ask") "
  sleep "$pause"
done
check "questions spaced around citeqa's keep-alive timeout all get 200" \
  "$([[ $codes == "200 200 200 200 " ]]; echo $?)" "$codes"

# 60 questions on one connection, as fast as they go (well over 5/s plus a burst of 20).
urls=()
for _ in $(seq 60); do urls+=("$site/api/ask"); done
codes=$(c -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' -d "$ask_body" "${urls[@]}" |
  sort | uniq -c | tr -s ' \n' ' ')
check "a burst of questions from one client is rate-limited (429)" "$([[ $codes == *429* ]]; echo $?)" "$codes"

check "nginx logged no upstream errors" \
  "$(! grep -qE 'upstream prematurely closed|connect\(\) failed|no live upstreams' "$tmp/nginx-error.log"; echo $?)" \
  "$(grep -E 'upstream' "$tmp/nginx-error.log" | head -3)"

if [[ $failures -gt 0 ]]; then
  echo "check.sh: $failures check(s) failed; nginx's error log:"
  tail -20 "$tmp/nginx-error.log"
  exit 1
fi
echo "check.sh: every check passed"
