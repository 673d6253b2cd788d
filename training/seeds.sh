#!/usr/bin/env bash
# What a change does to the models' figures, told apart from the luck of training: trains
# the three models once per XGBoost seed (default 7, 8 and 9; models/ is trained with 7)
# into build/training/seeds/N/, never touching models/, and prints per seed and on average
# the held-out SQuAD figures and `citeqa eval` of each tests/testdata question file with that
# seed's models (qa_heldout is evaluated, never trained on). One retrain moves a few
# questions of each small question file either way whatever the change (training/README.md):
# run this before and after a change and compare the means.
#
#   bash training/seeds.sh [--seeds 7,8,9]
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=7,8,9
while [[ $# -gt 0 ]]; do
  case $1 in
    --seeds) seeds=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "seeds.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
source training/prepare.sh
runs=()
for seed in ${seeds//,/ }; do
  run=$work/seeds/$seed
  mkdir -p "$run/models"
  run_train "$run" "$run/models" --training-seed "$seed" >/dev/null
  for file in tests/testdata/*.jsonl; do
    ./build/citeqa eval --db "$work/seed.db" --models "$run/models" --json "$file" \
      >"$run/eval-$(basename "$file" .jsonl).json"
  done
  runs+=("$seed=$run")
done
/usr/bin/python3 training/seeds_report.py "${runs[@]}" | tee "$work/seeds/report.md"
