#!/usr/bin/python3
"""Prints training/seeds.sh's table: for each seed's run (SEED=FOLDER arguments), the held-out
SQuAD figures train.py left in FOLDER/report.json and the `citeqa eval` summaries of the
tests/testdata question files in FOLDER/eval-NAME.json; then their mean over the seeds and,
with two seeds or more, their standard deviation: how far one retrain's figure strays by luck
alone.

With --baseline DIR (an earlier seeds.sh output folder, one SEED/ folder per seed), each table
also gives the baseline's mean, the change of the mean, and the standard error of that change
(from both sides' standard deviations; a single seed is taken to stray as far as the
baseline's): a change of the mean within about two standard errors is what retraining alone
would give."""

import argparse
import glob
import json
import math
import os
import statistics

HELD_OUT = (("hit@1", "hit_at_1"), ("hit@3", "hit_at_3"), ("answer-hit", "answer_hit"),
            ("false abstentions", "false_abstention_share"),
            ("unanswerables abstained", "abstention_rate"), ("accuracy", "accuracy"))
PER_FILE = (("hit@1", "hit_at_1"), ("hit@3", "hit_at_3"), ("answer-hit", "answer_hit"),
            ("negatives abstained", "abstention_rate"))


def read_runs(runs):
    """runs: [(seed, folder)] -> (held-out rows, {question file: rows}), each row
    (seed, {column: value})."""
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
    return held_out, files


def column_stats(rows, columns):
    """{column: (mean, sd or None)} over the rows."""
    out = {}
    for name, _ in columns:
        values = [v[name] for _, v in rows]
        out[name] = (statistics.mean(values),
                     statistics.stdev(values) if len(values) > 1 else None)
    return out


def table(title, columns, rows, baseline_rows=None, digits=3):
    """rows: [(seed, {column: value})]; adds the mean row, for two rows or more the sample
    standard deviation row, and the comparison rows when baseline rows are given."""
    print(f"\n{title}\n")
    print("| seed | " + " | ".join(name for name, _ in columns) + " |")
    print("|---" * (len(columns) + 1) + "|")

    def line(label, values, signed=False):
        cells = ("n/a" if values[n] is None else
                 f"{values[n]:+.{digits}f}" if signed else f"{values[n]:.{digits}f}"
                 for n, _ in columns)
        print(f"| {label} | " + " | ".join(cells) + " |")

    for seed, values in rows:
        line(seed, values)
    stats = column_stats(rows, columns)
    line("mean", {n: m for n, (m, _) in stats.items()})
    if len(rows) > 1:
        line("sd", {n: sd for n, (_, sd) in stats.items()})
    if not baseline_rows:
        return
    base = column_stats(baseline_rows, columns)
    seeds = f"{len(baseline_rows)} seed{'s' if len(baseline_rows) > 1 else ''}"
    line(f"baseline mean ({seeds})", {n: m for n, (m, _) in base.items()})
    line("change of the mean", {n: stats[n][0] - base[n][0] for n, _ in columns}, signed=True)
    errors = {}
    for n, _ in columns:
        sd, base_sd = stats[n][1], base[n][1]
        # One seed shows no spread of its own: retraining strays as far as the baseline's.
        sd = base_sd if sd is None else sd
        errors[n] = (None if sd is None or base_sd is None else
                     math.sqrt(sd * sd / len(rows) + base_sd * base_sd / len(baseline_rows)))
    line("its standard error", errors)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--baseline", help="an earlier seeds.sh output folder to compare with")
    parser.add_argument("runs", nargs="+", metavar="SEED=FOLDER")
    args = parser.parse_args()
    runs = []
    for arg in args.runs:
        seed, sep, folder = arg.partition("=")
        if not sep:
            parser.error(f"not SEED=FOLDER: {arg}")
        runs.append((seed, folder))
    held_out, files = read_runs(runs)
    base_held_out, base_files = [], {}
    if args.baseline:
        # The seed folders seeds.sh writes, by seed.
        folders = (os.path.dirname(p)
                   for p in glob.glob(os.path.join(args.baseline, "*", "report.json")))
        base_runs = sorted(((os.path.basename(f), f) for f in folders
                            if os.path.basename(f).isdigit()), key=lambda run: int(run[0]))
        if not base_runs:
            parser.error(f"no seed runs (SEED/report.json) in {args.baseline}")
        base_held_out, base_files = read_runs(base_runs)
    # Over some 10,000 questions one question is 0.0001: the fourth digit is a measurement.
    table("Held-out SQuAD (pooled over the folds)", HELD_OUT, held_out, base_held_out, digits=4)
    for name, rows in files.items():
        table(f"{name} (seed articles)", PER_FILE, rows, base_files.get(name))


if __name__ == "__main__":
    main()
