#!/usr/bin/env bash
# The Debian package, checked as an operator would use it, without installing it on this
# machine: builds build/citeqa_<version>_amd64.deb with CPack, checks its control fields
# and files, verifies the systemd unit with systemd-analyze, then runs the unit's
# ExecStartPre and ExecStart lines by hand (as on a host where systemd cannot run), with
# the settings of the shipped /etc/default/citeqa, and asks a question.
#   usage: tests/package/check_package.sh BUILD_DIR   (a configured Release build with citeqa built)
set -euo pipefail
build=$(realpath "${1:?usage: check_package.sh BUILD_DIR}")
source_dir=$(realpath "$(dirname "$0")/../..")
work=$(mktemp -d)
cleanup() {
  pkill -f "^$work/root/usr/bin/citeqa serve" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "check_package: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/out" >/dev/null)
deb=$(ls "$work"/out/citeqa_*_amd64.deb) || fail "no .deb was built"
field() { dpkg-deb --field "$deb" "$1"; }
[[ $(field Package) == citeqa ]] || fail "Package: $(field Package)"
for needed in libcpp-httplib0.11 libsqlite3-0 libssl3 libgumbo1 libstemmer0d libjemalloc2 wamerican \
  wordnet-base; do
  field Depends | grep -q "\b$needed\b" || fail "Depends lacks $needed: $(field Depends)"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/default/citeqa ||
  fail "/etc/default/citeqa is not a conffile"
root="$work/root"
dpkg-deb -x "$deb" "$root"
for file in usr/bin/citeqa usr/lib/systemd/system/citeqa.service etc/default/citeqa; do
  [[ -f "$root/$file" ]] || fail "the package lacks /$file"
done

# systemd-analyze checks the unit's directives and that its programs exist: point them at
# the extracted binary.
unit_dir="$work/units"
mkdir -p "$unit_dir"
sed "s|/usr/bin/citeqa|$root/usr/bin/citeqa|g" "$root/usr/lib/systemd/system/citeqa.service" \
  >"$unit_dir/citeqa.service"
SYSTEMD_LOG_LEVEL=warning systemd-analyze verify "$unit_dir/citeqa.service" ||
  fail "systemd-analyze verify failed"

# The unit's command lines, with its default environment and the shipped environment file.
state="$work/state"
mkdir -p "$state/corpus"
cp "$source_dir"/corpus/*.txt "$state/corpus/"
port_file="$work/port"
env_line() { grep -E "^Environment=" "$root/usr/lib/systemd/system/citeqa.service"; }
(
  set -a
  # shellcheck disable=SC1090
  eval "$(env_line | sed 's/^Environment=//' | tr ' ' '\n')"
  # shellcheck disable=SC1091
  . "$root/etc/default/citeqa"
  set +a
  CITEQA_DB="$state/citeqa.db" CITEQA_CORPUS="$state/corpus" CITEQA_PORT=0
  pre=$(grep -E '^ExecStartPre=' "$root/usr/lib/systemd/system/citeqa.service" | sed 's/^ExecStartPre=-//')
  start=$(grep -E '^ExecStart=' "$root/usr/lib/systemd/system/citeqa.service" | sed 's/^ExecStart=//')
  run() { eval "${1//\/usr\/bin\/citeqa/$root/usr/bin/citeqa}"; }
  run "$pre" >/dev/null 2>&1 || exit 3
  run "$start" >"$work/serve.log" 2>&1
) &
for _ in $(seq 1 100); do
  grep -qo 'http://127.0.0.1:[0-9]*' "$work/serve.log" 2>/dev/null && break
  sleep 0.1
done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -1) ||
  fail "the ExecStart line did not serve: $(cat "$work/serve.log" 2>/dev/null)"
answer=$(curl -sS -X POST "$url/api/ask" -H 'Content-Type: application/json' \
  -d '{"question": "How much does a product owner earn in India?"}')
echo "$answer" | grep -q '"found":true' || fail "no answer through the packaged server: $answer"
# Read the whole page before matching: grep -q stops at the first match, and curl
# then fails writing the rest of a page larger than the pipe.
page=$(curl -sS "$url/")
grep -qi '<html' <<<"$page" || fail "the page is not served"
echo "check_package: $(basename "$deb") ok ($(field Depends | tr -d '\n'))"
