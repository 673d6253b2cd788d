#!/usr/bin/env bash
# Where `citeqa serve` spends its instructions on POST /api/ask with the answer cache off,
# per request: starts the server under callgrind on DB, waits for its suggested questions
# (computed once per index version, at start), asks every question of the mix once (the
# warm-up: WordNet look-ups, passage layouts and phrase counts remembered as in a server
# that has run a while), zeroes the counts, asks the mix ROUNDS more times over one
# keep-alive connection, and prints the instructions per request of the whole process and
# of its parts: the HTTP layer and the engine around the answering pipeline, each pipeline
# stage, and the question log's writer thread. Beside bench/profile_ask.sh (one `citeqa ask`
# per question), it shows what serving adds to answering.
# Instruction counts hardly depend on machine load, so runs compare across days (two runs of
# the same build differ by about 0.5%: the question log's writer batches by time); time per
# request does (callgrind runs about 50 times slower than native).
#
#   bench/profile_serve.sh --db build-bench/db/seed.db [--questions FILE] [--rounds 2]
#                          [--citeqa build/citeqa]
#
# The profile is kept in build-bench/profile/serve-NAME.callgrind (callgrind_annotate,
# kcachegrind). Questions: a bench/questions.tsv-style file (id, kind, question by tabs).
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
db=""
questions=$root/bench/questions.tsv
rounds=2
citeqa=$root/build/citeqa
while [[ $# -gt 0 ]]; do
  case $1 in
    --db|--questions|--rounds|--citeqa)
      [[ $# -ge 2 ]] || { echo "profile_serve.sh: $1 needs a value" >&2; exit 2; } ;;&
    --db) db=$2; shift 2 ;;
    --questions) questions=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --citeqa) citeqa=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "profile_serve.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n $db ]] || { echo "profile_serve.sh: --db is required" >&2; exit 2; }
[[ -f $db ]] || { echo "profile_serve.sh: no index $db" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "profile_serve.sh: --rounds takes a number" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "profile_serve.sh: valgrind is not installed" >&2; exit 1; }
out=$root/build-bench/profile
mkdir -p "$out"
name=$(basename "$db" .db)
file=$out/serve-$name.callgrind
rm -f "$file" "$file".*
# shellcheck source=bench/serve_start.sh
source "$root/bench/serve_start.sh"
# shellcheck source=bench/callgrind_parts.sh
source "$root/bench/callgrind_parts.sh"

# The server's question log goes beside a copy of the index, not beside DB.
work=$(mktemp -d "${TMPDIR:-/tmp}/citeqa-profile.XXXXXX")
trap 'kill -TERM "${serve_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
cp "$db" "$work/index.db"
serve_start "$work/serve.out" "$work/serve.err" valgrind --tool=callgrind \
  --callgrind-out-file="$file" "$citeqa" serve --db "$work/index.db" --port 0 --answer-cache 0
[[ -n $serve_url ]] || { echo "profile_serve.sh: the server did not start:" >&2; cat "$work/serve.err" >&2; exit 1; }

# Asks every question of the mix ROUNDS times over one connection; prints the requests made.
ask_mix() {  # URL ROUNDS
  python3 - "$1" "$2" "$questions" <<'PY'
import http.client, json, sys, urllib.parse
url, rounds, path = urllib.parse.urlsplit(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
mix = [line.rstrip("\n").split("\t", 2)[2] for line in open(path, encoding="utf-8")
       if not line.startswith("#") and line.count("\t") >= 2]
connection = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
asked = 0
for _ in range(rounds):
    for question in mix:
        connection.request("POST", "/api/ask", json.dumps({"question": question}),
                           {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"profile_serve.sh: HTTP {response.status} for {question!r}")
        asked += 1
print(asked)
PY
}

# The server computes the suggested questions once per index version, in the background from
# its start (all of an index's passages are read: under callgrind, minutes at 100,000). A
# request for them shares that computation and returns when it is done, so the counts below
# hold the requests alone.
curl -fsS -o /dev/null --max-time 3600 "$serve_url/api/suggestions" ||
  { echo "profile_serve.sh: GET /api/suggestions failed" >&2; exit 1; }
ask_mix "$serve_url" 1 >/dev/null
callgrind_control --zero "$serve_pid" >/dev/null 2>&1
requests=$(ask_mix "$serve_url" "$rounds")
callgrind_control --dump "$serve_pid" >/dev/null 2>&1
kill -TERM "$serve_pid"
wait "$serve_pid" 2>/dev/null || true
# The dump holds the measured rounds (part 1); the file written at exit, only the shutdown.
[[ -s $file.1 ]] || { echo "profile_serve.sh: callgrind wrote no dump" >&2; exit 1; }
mv "$file.1" "$file"

# Label and the function whose inclusive cost it is (demangled name prefix).
parts=(
  "request handling (HTTP, routing, JSON, engine)|citeqa::server::GuardedServer::ServeRequest("
  "/api/ask handler|citeqa::server::HandleAsk("
  "engine (QaEngine::Ask)|citeqa::retriever::(anonymous namespace)::QaEngine::Ask("
  "answering pipeline|citeqa::retriever::RunPipeline("
  "${pipeline_stages[@]}"
  "response JSON|citeqa::server::SerializeAskResponse"
  "question log writer (thread)|citeqa::server::QuestionLogService::WriterLoop("
)
annotated=$(callgrind_annotate --inclusive=yes --threshold=100 "$file" 2>/dev/null)
total=$(total_instructions "$annotated")
echo "$name: $requests requests after a warm-up round, $(awk -v t="$total" -v n="$requests" \
  'BEGIN { printf "%.2f", t / n / 1e6 }') M instructions a request (whole process)"
echo
echo "| part | instructions per request (k) | share |"
echo "|---|---:|---:|"
for p in "${parts[@]}"; do
  fn=${p#*|}
  cost=$(inclusive_instructions "$annotated" "$fn")
  awk -v label="${p%%|*}" -v c="${cost:-0}" -v t="$total" -v n="$requests" \
    'BEGIN { printf "| %s | %.0f | %.1f%% |\n", label, c / n / 1e3, (t > 0) ? 100 * c / t : 0 }'
done
