# shellcheck shell=bash
# Sourced by train.sh and seeds.sh, from the repository's root: installs what training
# needs, builds citeqa, indexes the SQuAD corpus (../shared/eval/squad, or $CITEQA_SQUAD)
# and the seed corpus into build/training/, and defines run_train, which runs train.py on
# them. Only training reads ../shared; building and testing never do.
squad=${CITEQA_SQUAD:-../shared/eval/squad}
[[ -f "$squad/questions.jsonl" ]] || { echo "no SQuAD set at $squad" >&2; exit 1; }
bash scripts/install_deps.sh --train
bash scripts/build.sh citeqa
work=build/training
mkdir -p "$work"
./build/citeqa index --corpus "$squad/corpus" --db "$work/squad.db"
./build/citeqa index --corpus corpus --db "$work/seed.db"

# run_train WORK OUT [train.py options]: trains into OUT, with fold models and features in WORK.
run_train() {
  local run_work=$1 out=$2
  shift 2
  # Debian's python3, whose packages hold XGBoost and scikit-learn.
  /usr/bin/python3 training/train.py --citeqa build/citeqa --work "$run_work" --squad "$squad" \
    --squad-db "$work/squad.db" --seed-db "$work/seed.db" \
    --seed-questions tests/testdata/dev_qa.jsonl tests/testdata/qa_own.jsonl \
                     tests/testdata/qa_probe.jsonl \
    --out "$out" "$@"
}
