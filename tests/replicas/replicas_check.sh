#!/usr/bin/env bash
# Three `citeqa serve` replicas behind Debian's nginx (round robin), on loopback, as
# docs/deploy.md lays them out: one indexing host's index published to each replica with
# `citeqa snapshot`, and CITEQA_CONVERSATION_SECRET shared by the replicas.
#   1. 10 conversations of 3 turns through nginx, follow-ups sent with conversation_id
#      alone: each answer equals the same question asked with `history`, and follow-ups land
#      on other replicas than the turn before.
#   2. Under a bounded load through nginx (questions, some that the articles do not answer,
#      and votes, so that every replica writes its question log), a new article is indexed
#      on the indexing host and its snapshot published to every replica: zero failed
#      requests, every replica's /healthz on the new generation within 5 s of the
#      publishing, every replica's index intact and its question log complete.
# Run by ctest (tests/CMakeLists.txt) and by hand:
#   bash tests/replicas/replicas_check.sh BUILD_DIR    (BUILD_DIR holds the citeqa binary)
# Needs nginx and curl (scripts/install_deps.sh --test). Prints one line per check, a
# summary with the figures, and exits 0 when every check passed.
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$repo/build}
# check, free_port, nginx_main_conf, listening_port
source "$repo/tests/lib/checks.sh"
citeqa=$build/citeqa
load_seconds_max=${REPLICAS_LOAD_SECONDS_MAX:-30}
for tool in nginx curl python3; do
  # 77: ctest's "skipped" (SKIP_RETURN_CODE), never a pass
  command -v "$tool" >/dev/null || { echo "replicas_check: $tool is missing (scripts/install_deps.sh --test)" >&2; exit 77; }
done
[[ -x $citeqa ]] || { echo "replicas_check: no citeqa binary at $citeqa" >&2; exit 2; }

tmp=$(mktemp -d /tmp/citeqa-replicas.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  [[ -n ${REPLICAS_KEEP:-} ]] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

# --- the indexing host: the articles and the index they are published from -------------
mkdir -p "$tmp/indexer/corpus"
cp "$repo"/corpus/* "$tmp/indexer/corpus/"
"$citeqa" index --corpus "$tmp/indexer/corpus" --db "$tmp/indexer/citeqa.db" >"$tmp/index.out" 2>&1 ||
  { cat "$tmp/index.out"; echo "replicas_check: citeqa index failed" >&2; exit 1; }

# --- three replicas, each with its own copy --------------------------------------------
export CITEQA_CONVERSATION_SECRET CITEQA_ADMIN_TOKEN
CITEQA_CONVERSATION_SECRET=replicas-check-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
CITEQA_ADMIN_TOKEN=replicas-admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
replica_ports=()
for r in 1 2 3; do
  mkdir -p "$tmp/replica$r"
  "$citeqa" snapshot --db "$tmp/indexer/citeqa.db" --to "$tmp/replica$r/citeqa.db" >/dev/null 2>&1 ||
    { echo "replicas_check: the first snapshot to replica $r failed" >&2; exit 1; }
  "$citeqa" serve --db "$tmp/replica$r/citeqa.db" --port 0 --threads 4 \
    >"$tmp/replica$r/out" 2>"$tmp/replica$r/err" &
  pids+=($!)
done
for r in 1 2 3; do
  port=$(listening_port "$tmp/replica$r/out")
  [[ -n $port ]] || { cat "$tmp/replica$r/err"; echo "replicas_check: replica $r did not start" >&2; exit 1; }
  replica_ports+=("$port")
done

# --- nginx in front: round robin, keep-alive to the replicas, the replica in a header ----
write_nginx_conf() {  # write_nginx_conf PORT
  nginx_main_conf "$tmp" "  access_log off;
  upstream citeqa {
    server 127.0.0.1:${replica_ports[0]} max_fails=2 fail_timeout=5s;
    server 127.0.0.1:${replica_ports[1]} max_fails=2 fail_timeout=5s;
    server 127.0.0.1:${replica_ports[2]} max_fails=2 fail_timeout=5s;
    keepalive 16;
    keepalive_timeout 1s;
  }
  server {
    listen 127.0.0.1:$1;
    location / {
      proxy_pass http://citeqa;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      add_header X-Replica \$upstream_addr always;
    }
  }" >"$tmp/nginx.conf"
}
nginx_args=(-p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/nginx-error.log")
# A port found free may be taken before nginx binds it: then nginx exits, and another is tried.
site=""
for attempt in 1 2 3 4 5; do
  nginx_port=$(free_port)
  write_nginx_conf "$nginx_port"
  nginx -t "${nginx_args[@]}" >"$tmp/nginx-t.out" 2>&1 ||
    { cat "$tmp/nginx-t.out"; echo "replicas_check: nginx -t refused the configuration" >&2; exit 1; }
  nginx "${nginx_args[@]}" &
  nginx_pid=$!
  for _ in $(seq 100); do
    kill -0 "$nginx_pid" 2>/dev/null || break
    if curl -s -o /dev/null -D - --max-time 2 "http://127.0.0.1:$nginx_port/healthz" | grep -qi '^x-replica:'; then
      site=http://127.0.0.1:$nginx_port
      break
    fi
    sleep 0.1
  done
  if [[ -n $site ]]; then
    pids+=("$nginx_pid")
    break
  fi
  kill "$nginx_pid" 2>/dev/null
  wait "$nginx_pid" 2>/dev/null
  echo "replicas_check: nginx did not serve on port $nginx_port (attempt $attempt)" >&2
done
[[ -n $site ]] || { tail -5 "$tmp/nginx-error.log"; echo "replicas_check: nginx did not start" >&2; exit 1; }

# --- 1. conversations through nginx -------------------------------------------------------
cat >"$tmp/conversations.json" <<'EOF'
[["What is a product owner?", "What skills do they need?", "How much do they earn?"],
 ["What is a product manager?", "What skills do they need?", "What do they earn in India?"],
 ["What is Scrum?", "How long are its development periods?", "Who owns the backlog there?"],
 ["What is the product backlog?", "Who decides its order?", "How often is it refined?"],
 ["What does a product manager do around a launch?", "Which teams do they work with?", "What do they measure afterwards?"],
 ["Can one person be both product owner and product manager?", "When does that make sense?", "What are the risks?"],
 ["What is the average product owner salary in the US?", "What about product managers?", "And in India?"],
 ["Who writes user stories?", "What makes a good one?", "Who accepts them?"],
 ["What certifications exist for product owners?", "Which one is most common?", "How much does it cost?"],
 ["What is a product roadmap?", "Who owns it?", "How often does it change?"]]
EOF
python3 - "$site" "${replica_ports[@]}" "$tmp/conversations.json" >"$tmp/conversations.out" <<'EOF'
import json, sys, urllib.request

site, ports, path = sys.argv[1], sys.argv[2:5], sys.argv[5]

def ask(base, body):
    request = urllib.request.Request(base + "/api/ask", data=json.dumps(body).encode(),
                                      headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.load(response), response.headers.get("X-Replica", "")

turns = same = context_mattered = moved = 0
for conversation in json.load(open(path)):
    conversation_id, previous_replica = None, None
    for i, question in enumerate(conversation):
        body = {"question": question}
        if conversation_id:
            body["conversation_id"] = conversation_id
        answer, replica = ask(site, body)
        conversation_id = answer["conversation_id"]
        if i == 0:
            previous_replica = replica
            continue
        turns += 1
        moved += replica != previous_replica
        previous_replica = replica
        # The same follow-up asked of one replica directly, with the earlier questions.
        direct = "http://127.0.0.1:" + ports[turns % 3]
        expected, _ = ask(direct, {"question": question, "history": conversation[:i]})
        alone, _ = ask(direct, {"question": question})
        keys = lambda a: (a["answer"], a["found"], [c["passage_id"] for c in a["citations"]])
        if keys(answer) == keys(expected):
            same += 1
        else:
            print("differs:", question, "|", answer["answer"][:120], "|", expected["answer"][:120])
        context_mattered += keys(expected) != keys(alone)
print(f"followups={turns} same_as_history={same} context_mattered={context_mattered} "
      f"moved_replica={moved}")
EOF
python_status=$?
summary=$(tail -1 "$tmp/conversations.out")
followups=$(sed -n 's/.*followups=\([0-9]*\).*/\1/p' <<<"$summary")
same=$(sed -n 's/.*same_as_history=\([0-9]*\).*/\1/p' <<<"$summary")
mattered=$(sed -n 's/.*context_mattered=\([0-9]*\).*/\1/p' <<<"$summary")
moved=$(sed -n 's/.*moved_replica=\([0-9]*\).*/\1/p' <<<"$summary")
check "10 conversations of 3 turns asked through nginx" \
  "$([[ $python_status == 0 && $followups == 20 ]]; echo $?)" "$(tail -5 "$tmp/conversations.out")"
check "every follow-up sent with conversation_id alone answered as with history ($same of $followups)" \
  "$([[ -n $same && $same == "$followups" ]]; echo $?)" "$(head -5 "$tmp/conversations.out")"
check "follow-ups went to another replica than the turn before ($moved of $followups)" \
  "$([[ -n $moved && $moved -ge 10 ]]; echo $?)" "$summary"
check "the conversation changed the answer of some follow-ups ($mattered of $followups)" \
  "$([[ -n $mattered && $mattered -ge 5 ]]; echo $?)" "$summary"

# --- 2. publishing a snapshot under load ---------------------------------------------------
generation() {  # generation PORT
  curl -s --max-time 2 "http://127.0.0.1:$1/healthz" | sed -n 's/.*"generation":\([0-9]*\).*/\1/p'
}
old_generation=$(generation "${replica_ports[0]}")
logged_total() {  # abstentions in the question logs of all replicas
  local total=0 report
  for port in "${replica_ports[@]}"; do
    report=$(curl -s --max-time 10 -H "Authorization: Bearer $CITEQA_ADMIN_TOKEN" \
      "http://127.0.0.1:$port/api/reports/unanswered?limit=100")
    total=$((total + $(python3 -c 'import json, sys; print(sum(g["abstained"] for g in json.load(sys.stdin)["groups"]))' <<<"$report")))
  done
  echo "$total"
}
logged_before=$(logged_total)  # the conversations' own unanswered follow-ups
questions=("What does a product owner do?" "Who owns the product backlog?" "What is Scrum?"
           "How much does a product manager earn?" "What skills does a product manager need?"
           "How many moons does Jupiter have?" "Who painted the Mona Lisa?"
           "What is a roadmap?")
load() {  # load N: questions and votes through nginx until $tmp/stop exists (bounded)
  local i=0 deadline=$((SECONDS + load_seconds_max))
  while [[ ! -e $tmp/stop && $SECONDS -lt $deadline ]]; do
    local q=${questions[$(((i + $1) % ${#questions[@]}))]}
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 -H 'Content-Type: application/json' \
      -d "{\"question\": \"$q\"}" "$site/api/ask" >>"$tmp/load$1.codes"
    if ((i % 4 == 3)); then
      curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 -H 'Content-Type: application/json' \
        -d "{\"question\": \"$q\", \"answer\": \"Some answer [1].\", \"vote\": \"down\"}" \
        "$site/api/feedback" >>"$tmp/votes$1.codes"
    fi
    i=$((i + 1))
  done
}
for n in 1 2 3; do
  load "$n" &
  pids+=($!)
done
sleep 1
cat >"$tmp/indexer/corpus/replica_check_article.md" <<'EOF'
# The lighthouse keeper's logbook

The lighthouse keeper's logbook records the weather, passing ships and the lamp's hours.
Every keeper signs the logbook at the end of each watch with the time and the wind direction.
EOF
publish_failures=0
"$citeqa" index --corpus "$tmp/indexer/corpus" --db "$tmp/indexer/citeqa.db" >"$tmp/reindex.out" 2>&1 ||
  publish_failures=$((publish_failures + 1))
publish_start=$(date +%s.%N)
for r in 1 2 3; do
  # What the publishing loop does for each host: a consistent copy written beside the live
  # file and renamed over it (across hosts: the copy, then rsync and mv on the replica).
  "$citeqa" snapshot --db "$tmp/indexer/citeqa.db" --to "$tmp/replica$r/citeqa.db" >>"$tmp/publish.out" 2>&1 ||
    publish_failures=$((publish_failures + 1))
done
caught_up=""
for _ in $(seq 100); do
  behind=0
  for port in "${replica_ports[@]}"; do
    g=$(generation "$port")
    [[ -n $g && $g -gt ${old_generation:-0} ]] || behind=$((behind + 1))
  done
  if [[ $behind == 0 ]]; then
    caught_up=$(python3 -c "import time; print(f'{time.time() - $publish_start:.2f}')")
    break
  fi
  sleep 0.1
done
sleep 1  # load on the new generation too
touch "$tmp/stop"
for n in 1 2 3; do wait "${pids[-$n]}" 2>/dev/null; done
requests=$(cat "$tmp"/load*.codes | wc -l)
failed=$(grep -vc '^200$' <(cat "$tmp"/load*.codes))
votes=$(cat "$tmp"/votes*.codes 2>/dev/null | wc -l)
votes_failed=$(grep -vc '^201$' <(cat "$tmp"/votes*.codes 2>/dev/null))
unanswerable_asked=$(python3 - "$tmp" <<'PY'
import glob, sys
# Each load loop asks questions[(i + n) % 8] in turn; indexes 5 and 6 are not answered.
total = 0
for path in glob.glob(sys.argv[1] + "/load*.codes"):
    n = int(path.rsplit("load", 1)[1].split(".")[0])
    lines = open(path).read().split()
    total += sum(1 for i, code in enumerate(lines) if code == "200" and (i + n) % 8 in (5, 6))
print(total)
PY
)
# Every replica's index as SQLite sees it, and what its question log kept.
integrity=""
for r in 1 2 3; do
  integrity+=$(python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA quick_check').fetchone()[0], end=' ')" "$tmp/replica$r/citeqa.db")
done
logged=$(($(logged_total) - logged_before))
generations=$(for port in "${replica_ports[@]}"; do echo "$(generation "$port")"; done | tr '\n' ' ')
check "the snapshot was published to the 3 replicas" \
  "$([[ $publish_failures == 0 ]]; echo $?)" "$(cat "$tmp/reindex.out" "$tmp/publish.out")"
check "every replica on the new generation within 5 s (${caught_up:-never} s; generations $generations)" \
  "$([[ -n $caught_up ]] && python3 -c "import sys; sys.exit(0 if $caught_up <= 5 else 1)"; echo $?)" \
  "was $old_generation, now $generations"
check "zero failed requests under load during the publishing ($failed of $requests)" \
  "$([[ $requests -gt 0 && $failed == 0 ]]; echo $?)" "$(sort "$tmp"/load*.codes | uniq -c | tr '\n' ' ')"
codes=""
for _ in 1 2 3; do
  codes+=$(curl -s --max-time 10 -H 'Content-Type: application/json' \
    -d '{"question": "When does the lighthouse keeper sign the logbook?"}' "$site/api/ask" |
    python3 -c 'import json, sys; a = json.load(sys.stdin); print("found" if a["found"] and "logbook" in a["answer"] else "not-found", end=" ")')
done
check "every vote during the publishing was taken ($votes_failed of $votes refused)" \
  "$([[ $votes -gt 0 && $votes_failed == 0 ]]; echo $?)" "$(sort "$tmp"/votes*.codes | uniq -c | tr '\n' ' ')"
check "every replica's index passes SQLite's quick_check ($integrity)" \
  "$([[ $integrity == "ok ok ok " ]]; echo $?)" "$integrity"
check "the replicas' question logs kept every unanswered question ($logged of $unanswerable_asked)" \
  "$([[ $unanswerable_asked -gt 0 && $logged == "$unanswerable_asked" ]]; echo $?)" \
  "logged $logged, asked $unanswerable_asked"
check "every replica answers from the new article" "$([[ $codes == "found found found " ]]; echo $?)" "$codes"
check "nginx logged no upstream errors" \
  "$(! grep -qE 'upstream prematurely closed|connect\(\) failed|no live upstreams' "$tmp/nginx-error.log"; echo $?)" \
  "$(grep -E 'upstream' "$tmp/nginx-error.log" | head -3)"

echo "replicas: follow-ups=$followups same-as-history=$same moved-replica=$moved" \
     "context-mattered=$mattered load-requests=$requests failed=$failed votes=$votes" \
     "unanswered-logged=$logged/$unanswerable_asked caught-up-s=${caught_up:-never}"
if [[ $failures -gt 0 ]]; then
  echo "replicas_check: $failures check(s) failed"
  exit 1
fi
echo "replicas_check: every check passed"
