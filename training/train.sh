#!/usr/bin/env bash
# Trains models/passage_ranker.json, models/sentence_ranker.json and models/answerability.json
# from the question files, and prints their held-out figures (training/README.md). Reads the
# SQuAD set from ../shared/eval/squad (or $CITEQA_SQUAD); building and testing never need it.
# `--answerability-only` keeps the last run's passage and sentence models.
set -euo pipefail
cd "$(dirname "$0")/.."
source training/prepare.sh
run_train "$work" models "$@"
bash scripts/build.sh citeqa  # the binary carries the new models
