#!/usr/bin/env bash
# What a change does to the models' figures, told apart from the luck of training: trains
# the three models once per XGBoost seed (default 7 to 11; models/ is trained with 7) into
# OUT/N/ (default build/training/seeds), never touching models/, and prints per seed, on
# average and as a standard deviation the held-out SQuAD figures and `citeqa eval` of each
# tests/testdata question file with that seed's models (qa_heldout is evaluated, never
# trained on), into OUT/report.md as well. One retrain moves a few questions of each small
# question file either way whatever the change (training/README.md): run this before a change
# with --out, then after it with --baseline naming that folder, which adds each table's
# change of the mean and its standard error.
#
#   bash training/seeds.sh [--seeds 7,8,9,10,11] [--out DIR] [--baseline DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=7,8,9,10,11
out=build/training/seeds
baseline=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --seeds|--out|--baseline)
      [[ $# -ge 2 ]] || { echo "seeds.sh: $1 needs a value" >&2; exit 2; } ;;&
    --seeds) seeds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --baseline)
      [[ -d $2 ]] || { echo "seeds.sh: no baseline folder $2" >&2; exit 2; }
      baseline=(--baseline "$2"); shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "seeds.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ $seeds =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "seeds.sh: --seeds takes numbers: 7,8,9" >&2; exit 2; }
if ((${#baseline[@]})) && [[ $(realpath -m "$out") == $(realpath -m "${baseline[1]}") ]]; then
  echo "seeds.sh: --out would overwrite the --baseline run; give it another folder" >&2
  exit 2
fi
source training/prepare.sh
# OUT holds this run's seeds only: a later --baseline reads every seed folder in it.
mkdir -p "$out"
find "$out" -mindepth 1 -maxdepth 1 -type d -regex '.*/[0-9]+' -exec rm -rf {} +
runs=()
for seed in ${seeds//,/ }; do
  run=$out/$seed
  mkdir -p "$run/models"
  run_train "$run" "$run/models" --training-seed "$seed" >/dev/null
  for file in tests/testdata/*.jsonl; do
    ./build/citeqa eval --db "$work/seed.db" --models "$run/models" --json "$file" \
      >"$run/eval-$(basename "$file" .jsonl).json"
  done
  runs+=("$seed=$run")
done
/usr/bin/python3 training/seeds_report.py "${baseline[@]}" "${runs[@]}" | tee "$out/report.md"
