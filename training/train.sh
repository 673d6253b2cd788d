#!/usr/bin/env bash
# Trains models/passage_ranker.json, models/sentence_ranker.json and models/answerability.json
# from the question files, and prints their held-out figures (training/README.md). Reads the
# SQuAD set from ../shared/eval/squad (or $CITEQA_SQUAD); building and testing never need it.
# `--answerability-only` keeps the last run's passage and sentence models.
set -euo pipefail
cd "$(dirname "$0")/.."
squad=${CITEQA_SQUAD:-../shared/eval/squad}
[[ -f "$squad/questions.jsonl" ]] || { echo "no SQuAD set at $squad" >&2; exit 1; }
bash scripts/install_deps.sh --train
bash scripts/build.sh citeqa
work=build/training
mkdir -p "$work"
./build/citeqa index --corpus "$squad/corpus" --db "$work/squad.db"
./build/citeqa index --corpus corpus --db "$work/seed.db"
# Debian's python3, whose packages hold XGBoost and scikit-learn.
/usr/bin/python3 training/train.py --citeqa build/citeqa --work "$work" --squad "$squad" \
  --squad-db "$work/squad.db" --seed-db "$work/seed.db" \
  --seed-questions tests/testdata/dev_qa.jsonl tests/testdata/qa_own.jsonl \
                   tests/testdata/qa_probe.jsonl \
  --out models "$@"
bash scripts/build.sh citeqa  # the binary carries the new models
