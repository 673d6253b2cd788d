#!/usr/bin/env bash
# Where one `citeqa ask` spends its instructions, per question: runs each question of the
# mix under callgrind (collecting inside Engine::Ask only, so opening the index and loading
# the vocabulary are left out) and prints the inclusive share of each of the answering
# pipeline's stages and of the index look-ups made inside them.
# Instruction counts do not depend on machine load, so runs compare across days.
#
#   bench/profile_ask.sh --db build-bench/db/100000.db [--ids c1,l1,t2]
#                        [--questions bench/questions.tsv] [--citeqa build-bench/citeqa]
#
# Profiles are kept in build-bench/profile/ (open them with callgrind_annotate or
# kcachegrind). Slow: callgrind runs about 50 times slower than native.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
db=""
ids=""
questions=$root/bench/questions.tsv
citeqa=$root/build-bench/citeqa
while [[ $# -gt 0 ]]; do
  case $1 in
    --db) db=$2; shift 2 ;;
    --ids) ids=$2; shift 2 ;;
    --questions) questions=$2; shift 2 ;;
    --citeqa) citeqa=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "profile_ask.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n $db ]] || { echo "profile_ask.sh: --db is required" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "profile_ask.sh: valgrind is not installed" >&2; exit 1; }
out=$root/build-bench/profile
mkdir -p "$out"
name=$(basename "$db" .db)

# shellcheck source=bench/callgrind_parts.sh
source "$root/bench/callgrind_parts.sh"
# Stage label and the function whose inclusive cost it is (demangled name prefix): the
# pipeline's five stages, then the index look-ups inside them.
stages=(
  "${pipeline_stages[@]}"
  "typo|citeqa::retriever::TypoCorrector::Correct("
  "bigram|citeqa::indexer::IndexReader::BigramExists("
  "weigh|citeqa::retriever::WeighQuestion("
  "phrase_df|citeqa::indexer::IndexReader::PhraseFrequency("
  "fts5_query|citeqa::indexer::IndexReader::Candidates("
  "snapshot|citeqa::retriever::LoadVocabulary("
)
header="id | Ir (M)"
for s in "${stages[@]}"; do header+=" | ${s%%|*} %"; done
echo "$header"

while IFS=$'\t' read -r id kind question; do
  [[ -z $id ]] && continue
  if [[ -n $ids && ",$ids," != *",$id,"* ]]; then continue; fi
  file=$out/$name-$id.callgrind
  valgrind --tool=callgrind --toggle-collect='*QaEngine::Ask(*' --callgrind-out-file="$file" \
    "$citeqa" ask --db "$db" "$question" >/dev/null 2>"$file.log" || {
    echo "$id | callgrind failed: see $file.log"
    continue
  }
  annotated=$(callgrind_annotate --inclusive=yes --threshold=100 "$file" 2>/dev/null)
  total=$(total_instructions "$annotated")
  row="$id | $(awk -v t="$total" 'BEGIN { printf "%.0f", t / 1e6 }')"
  for s in "${stages[@]}"; do
    fn=${s#*|}
    cost=$(inclusive_instructions "$annotated" "$fn")
    row+=" | $(awk -v c="${cost:-0}" -v t="$total" 'BEGIN { printf "%.1f", (t > 0) ? 100 * c / t : 0 }')"
  done
  echo "$row"
done < <(grep -v '^#' "$questions")
