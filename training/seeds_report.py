#!/usr/bin/python3
"""Prints training/seeds.sh's table: for each seed's run (SEED=FOLDER arguments), the held-out
SQuAD figures train.py left in FOLDER/report.json and the `citeqa eval` summaries of the
tests/testdata question files in FOLDER/eval-NAME.json; then their mean over the seeds."""

import glob
import json
import os
import sys

HELD_OUT = (("hit@1", "hit_at_1"), ("hit@3", "hit_at_3"), ("answer-hit", "answer_hit"),
            ("false abstentions", "false_abstention_share"),
            ("unanswerables abstained", "abstention_rate"), ("accuracy", "accuracy"))
PER_FILE = (("hit@1", "hit_at_1"), ("hit@3", "hit_at_3"), ("answer-hit", "answer_hit"),
            ("negatives abstained", "abstention_rate"))


def table(title, columns, rows):
    """rows: [(seed, {column: value})]; adds the mean row."""
    print(f"\n{title}\n")
    print("| seed | " + " | ".join(name for name, _ in columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for seed, values in rows + [("mean", {n: sum(v[n] for _, v in rows) / len(rows)
                                          for n, _ in columns})]:
        print(f"| {seed} | " + " | ".join(f"{values[n]:.3f}" for n, _ in columns) + " |")


def main():
    runs = [arg.split("=", 1) for arg in sys.argv[1:]]
    if not runs:
        sys.exit("usage: seeds_report.py SEED=FOLDER ...")
    held_out = []
    files = {}
    for seed, folder in runs:
        with open(os.path.join(folder, "report.json"), encoding="utf-8") as f:
            pooled = json.load(f)["pooled"]
        held_out.append((seed, {name: pooled[key] for name, key in HELD_OUT}))
        for path in sorted(glob.glob(os.path.join(folder, "eval-*.json"))):
            with open(path, encoding="utf-8") as f:
                summary = json.load(f)["summary"]
            name = os.path.basename(path)[len("eval-"):-len(".json")]
            files.setdefault(name, []).append(
                (seed, {n: summary[key] for n, key in PER_FILE}))
    table("Held-out SQuAD (pooled over the folds)", HELD_OUT, held_out)
    for name, rows in files.items():
        table(f"{name} (seed articles)", PER_FILE, rows)


if __name__ == "__main__":
    main()
