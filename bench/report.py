#!/usr/bin/env python3
"""Turns one bench/run.sh run's raw results into a Markdown table and gnuplot data.

  bench/report.py --raw build-bench/results/STAMP --out bench/results

Reads, for each corpus size NAME listed in RAW/sizes.txt (in order):
  RAW/index-NAME.json, RAW/ask-NAME.json, RAW/stages-NAME.json   Google Benchmark JSON
  RAW/serve-NAME.txt      key=value lines: the server with the answer cache off (plain
                          keys), then with it on (the same keys prefixed cached_)
  RAW/questions-NAME.tsv  the question mix the size was asked (id<TAB>kind<TAB>question)
  RAW/reindex-NAME.txt    key=value lines of bench/reindex_bench.sh (one change=I line per
                          re-indexed change; wrk without re-indexing quiet_*, during swap_*)
and RAW/machine.txt, RAW/fuzz.txt. Missing files leave their rows out. The per-question
tables of the seed and synthetic sizes list the questions of --questions (the fixed 15).
Writes OUT/results.md and OUT/latency.dat (passages, citeqa p50/p99, naive p50/p99 in ms;
seed and synthetic sizes only). Standard library only.
"""

import argparse
import json
import os
import sys


def load_json(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        try:
            return json.load(f)
        except json.JSONDecodeError as e:
            print(f"report.py: {path}: {e}", file=sys.stderr)
            return None


def load_kv(path):
    """key=value pairs, whitespace-separated, over all lines; a repeated key's values are
    kept in order under KEY_all."""
    values = {}
    if not os.path.exists(path):
        return values
    with open(path, encoding="utf-8") as f:
        for line in f:
            for item in line.split():
                if "=" in item:
                    k, v = item.split("=", 1)
                    values.setdefault(k, v)
                    values.setdefault(k + "_all", []).append(v)
    return values


def benchmarks_by_name(doc):
    """name -> benchmark entry (the '/iterations:N', '/real_time' and '/manual_time' suffixes
    removed)."""
    out = {}
    if not doc:
        return out
    for b in doc.get("benchmarks", []):
        if b.get("run_type") == "aggregate":
            continue
        name = b["name"].split("/iterations:")[0].replace("/real_time", "")
        name = name.replace("/manual_time", "")
        out[name] = b
    return out


def fmt(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}" if digits >= 1 else f"{value:.0f}"
    return f"{value:.{max(digits, 2)}f}"


def fmt_int(value):
    return "–" if value is None else f"{int(round(value)):,}"


def kb_to_mb(kb):
    return "–" if kb in (None, "") else fmt(int(kb) / 1024)


def counter(bench, key):
    if not bench or bench.get("error_occurred"):
        return None
    return bench.get(key)


def context_number(run, key, spec=None):
    """A number citeqa_bench_ask put in its context (AddCustomContext), formatted; – if absent."""
    value = run["context"].get(key)
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "–"
    return format(value, spec) if spec else fmt(value)


def time_ms(bench):
    """Mean real time per iteration in ms."""
    if not bench or bench.get("error_occurred"):
        return None
    t = bench.get("real_time")
    unit = bench.get("time_unit", "ns")
    scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit]
    return t * scale


def cpu_ms(bench):
    """Mean CPU time per iteration in ms (this process's threads)."""
    if not bench or bench.get("error_occurred"):
        return None
    scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[bench.get("time_unit", "ns")]
    return bench.get("cpu_time") * scale


def size_label(name, passages):
    if name == "seed":
        return "seed corpus (5 articles)"
    if name == "pydocs":
        return "Python 3.11 docs (real)"
    if name == "squad":
        return "SQuAD dev (48 Wikipedia articles, real)"
    return f"synthetic {int(name):,}"


def is_synthetic_scale(name):
    """The seed corpus and the synthetic sizes grown from it: one question mix, one plot."""
    return name == "seed" or name.isdigit()


def split_serve(s):
    """(cache off, cache on) key=value dicts of one serve-NAME.txt, the cached_ prefix
    removed. A file from before the cache-off run (no answer_cache key) measured only the
    default cache."""
    if not s:
        return {}, {}
    plain = {k: v for k, v in s.items() if not k.startswith("cached_")}
    cached = {k[len("cached_"):]: v for k, v in s.items() if k.startswith("cached_")}
    if plain.get("skipped") == "citeqa_binary_did_not_build":
        return plain, plain
    if "answer_cache" not in plain and not cached:
        return {}, plain
    return plain, cached


def serve_cells(s):
    """/healthz req/s, /api/ask req/s, ask ÷ healthz, ask p50, ask p99, non-2xx."""
    h, a = float(s.get("healthz_rps", 0)), float(s.get("ask_rps", 0))
    ratio = f"{a / h:.4f}" if h else "–"
    non2xx = int(s.get("healthz_non2xx", 0)) + int(s.get("ask_non2xx", 0))
    errors = sum(int(s.get(k, 0)) for k in ("ask_timeouts", "ask_read_errors",
                                             "ask_connect_errors", "ask_write_errors",
                                             "ask_failed", "healthz_failed"))
    return [fmt(h), fmt(a), ratio, fmt(float(s.get("ask_p50_ms", 0))),
            fmt(float(s.get("ask_p99_ms", 0))),
            f"{non2xx}{f' (+{errors} socket errors/timeouts)' if errors else ''}"]


def stage_summary_row(label, benches, stage_columns, counts=True):
    """One stage-table row over BENCHES (stages/ID entries, None for a missing one): the mean
    of each stage column over the questions measured in all of them, the ÷ naive columns as
    ratios of summed times; with COUNTS, also the mean concepts, planned queries, candidates
    and max df, and how many were answered. LABEL's "{n}" becomes the questions measured;
    an empty string if none was."""
    measured = [b for b in benches if all(counter(b, c) is not None for c in stage_columns)]
    if not measured:
        return ""
    n = len(measured)
    sums = {c: sum(counter(b, c) for b in measured) for c in stage_columns}
    naive = sums["naive_ms"]
    row = (f"| {label.format(n=n)} | " + " | ".join(fmt(sums[c] / n, 2) for c in stage_columns) +
           f" | {fmt(sums['pipeline_ms'] / naive) if naive else '–'} | "
           f"{fmt(sums['retrieval_ms'] / naive) if naive else '–'} | ")
    if not counts:
        return row + "| | | | |"
    means = [sum(counter(b, k) or 0 for b in measured) / n
             for k in ("concepts", "planned_queries", "candidates", "max_df")]
    answered = sum(1 for b in measured if counter(b, "found"))
    return row + " | ".join(fmt(m) for m in means) + f" | {answered} of {n} |"


def also_when(also):
    """The time of a later run into the same raw folder, with its commit when recorded
    ("13:20:36Z@4c88c93")."""
    when, _, rev = also.split("_", 1)[0].partition("@")
    return f"{when} (git {rev})" if rev else when


def number(values, key):
    """VALUES[KEY] as a float, None if missing or not a number ("timeout", "?")."""
    try:
        return float(values[key])
    except (KeyError, ValueError):
        return None


def times_ratio(a, b):
    return f"{a / b:.1f}×" if a is not None and b else "–"


def each(values, key, scale=1.0):
    """Every value of a repeated KEY (one per change), formatted and joined by " / "."""
    out = []
    for v in values.get(key + "_all", []):
        try:
            out.append(fmt(float(v) * scale))
        except ValueError:
            out.append(v)
    return " / ".join(out) or "–"


def xapian_section(w, runs):
    """citeqa's whole-mix latencies beside Xapian's BM25 on the same passages and words,
    both from one citeqa_bench_ask process."""
    measured = [r for r in runs if r["ask"].get("ask_mix") and r["ask"].get("xapian_mix")]
    if not measured:
        return
    w("## Ask beside Xapian BM25 (whole question mix)")
    w("")
    w("The same process, after citeqa's benchmarks, puts every passage (heading and text, "
      "cut into words by citeqa's tokenizer, each stemmed by Xapian's English stemmer, no "
      "positions) in a Xapian database on disk (Glass, warm page cache) and asks it, as "
      "many times as citeqa was asked, for the top 10 by BM25 of the naive query's words. "
      "Xapian ranks passages only; citeqa also picks sentences, decides whether to answer "
      "and composes the answer.")
    w("")
    w("| corpus | passages | citeqa p50 ms | citeqa p99 ms | Xapian p50 ms | Xapian p99 ms | "
      "citeqa ÷ Xapian (p50) | citeqa ÷ Xapian (p99) | Xapian indexing s |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in measured:
        a, x = r["ask"]["ask_mix"], r["ask"]["xapian_mix"]
        ap50, ap99 = counter(a, "p50_ms"), counter(a, "p99_ms")
        xp50, xp99 = counter(x, "p50_ms"), counter(x, "p99_ms")
        indexing = counter(x, "index_ms")
        w(f"| {size_label(r['name'], r['passages'])} | {r['passages'] or '–':,} | "
          f"{fmt(ap50)} | {fmt(ap99)} | {fmt(xp50, 3)} | {fmt(xp99, 3)} | "
          f"{times_ratio(ap50, xp50)} | {times_ratio(ap99, xp99)} | "
          f"{fmt(indexing / 1000) if indexing is not None else '–'} |")
    w("")


def seen_by_poll(values):
    """ " (a / b)", the bench's poll's readings of the swaps; " (by the poll)" for runs before
    the server reported its own, whose swap figures are the poll's."""
    seen = each(values, "statistics_seen_after_index_s")
    return " (by the poll)" if seen == "–" else f" ({seen})"


def reindex_section(w, runs):
    """The tables of bench/reindex_bench.sh: what re-indexing costs, and what it does to the
    requests of a loaded server beside the same load without it."""
    measured = [r for r in runs if r["reindex"]]
    if not measured:
        return
    w("## Re-indexing while serving")
    w("")
    w("`bench/reindex_bench.sh` on a copy of each size's corpus. `citeqa index` runs under "
      "`/usr/bin/time` (wall seconds, peak RSS): into a new database (full), again over the "
      "unchanged folder (the second of two runs), and after a sentence is appended to one "
      "article (one file): once with nothing else running (quiet), then once per change "
      "while wrk loads the server (under load, the two sharing the CPUs). Cold start: from launching `citeqa serve "
      "--answer-cache 0` on the new index (warm page cache) to its first 200 answer of "
      "`POST /api/ask` (in brackets: to printing its address). New statistics in use: from "
      "the start of a change's `citeqa index` to the time the server reports it put that "
      "version's statistics in use (/metrics' `citeqa_statistics_in_use_timestamp_seconds`; "
      "one value per change; the server answers meanwhile with the previous statistics); "
      "after the re-index: the same from the end of that `citeqa index` (negative when the "
      "server took them up between the re-index's commit and its exit); in brackets: from "
      "that end to the bench's poll of /metrics that saw them. Load: how long the server "
      "took to read or update the statistics (`citeqa_statistics_load_seconds`).")
    w("")
    w("| corpus | passages | full index s | full index RSS MB | unchanged re-index s | "
      "unchanged RSS MB | one-file re-index s, quiet | one-file re-index s under load (each) | "
      "one-file RSS MB (max) | new statistics in use s (each) | "
      "after the re-index s (each; seen by the poll) | load ms (each) | cold start s |")
    w("|---|---:|---:|---:|---:|---:|---:|---|---:|---|---|---|---:|")
    for r in measured:
        x = r["reindex"]
        failed = " (failed)" if x.get("failed") else ""
        label = f"| {size_label(r['name'], r['passages'])}{failed} | {fmt_int(r['passages'])} | "
        if x.get("skipped"):
            w(label + f"skipped: {x['skipped'].replace('_', ' ')} " + "|" * 11)
            continue
        rss = [float(v) for v in x.get("onefile_reindex_rss_kb_all", []) +
               x.get("quiet_onefile_reindex_rss_kb_all", [])]
        cold, listen = number(x, "cold_start_s"), number(x, "listen_s")
        w(label + f"{fmt(number(x, 'full_index_s'))} | "
          f"{kb_to_mb(x.get('full_index_rss_kb'))} | "
          f"{fmt(number(x, 'unchanged_reindex_s'))} | "
          f"{kb_to_mb(x.get('unchanged_reindex_rss_kb'))} | "
          f"{fmt(number(x, 'quiet_onefile_reindex_s'))} | "
          f"{each(x, 'onefile_reindex_s')} | {kb_to_mb(int(max(rss))) if rss else '–'} | "
          f"{each(x, 'statistics_swap_s')} | {each(x, 'statistics_after_index_s')}"
          f"{seen_by_poll(x)} | {each(x, 'statistics_load_s', scale=1000)} | "
          f"{fmt(cold)}{f' ({fmt(listen)})' if listen is not None else ''} |")
    w("")
    w("wrk on `/api/ask` (answer cache off, the size's question mix, "
      f"{measured[0]['reindex'].get('connections', '?')} connections) on that server twice, "
      "for the same time: quiet, without any re-index (the baseline), then "
      "while the changes above are re-indexed into the served database, spread evenly over "
      "the run (`swaps`). p50 and p99 are wrk's latency percentiles, max its slowest "
      "request; the ÷ quiet columns are the stall the swaps cause. `exit` is the server's "
      "exit code on SIGTERM afterwards.")
    w("")
    w("| corpus | changes | quiet req/s | swaps req/s | quiet p50 ms | swaps p50 ms | "
      "quiet p99 ms | swaps p99 ms | p99 ÷ quiet | quiet max ms | swaps max ms | "
      "max ÷ quiet | non-2xx quiet / swaps | serve peak RSS MB | exit |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    for r in measured:
        x = r["reindex"]
        if x.get("skipped"):
            continue
        failed = " (the benchmark failed: see run.sh's log)" if x.get("failed") else ""
        label = (f"| {size_label(r['name'], r['passages'])}{failed} | "
                 f"{len(x.get('change_all', []))} in {x.get('wrk_seconds', '?')} s | ")
        if "swap_rps" not in x:
            w(label + "not measured " + "|" * 13)
            continue

        def bad(p):
            errors = sum(int(number(x, f"{p}{k}") or 0) for k in
                         ("connect_errors", "read_errors", "write_errors", "timeouts"))
            return (f"{x.get(p + 'non2xx', '?')}" +
                    (f" (+{errors} socket errors/timeouts)" if errors else ""))

        q99, s99 = number(x, "quiet_p99_ms"), number(x, "swap_p99_ms")
        qmax, smax = number(x, "quiet_max_ms"), number(x, "swap_max_ms")
        w(label + f"{fmt(number(x, 'quiet_rps'))} | {fmt(number(x, 'swap_rps'))} | "
          f"{fmt(number(x, 'quiet_p50_ms'))} | {fmt(number(x, 'swap_p50_ms'))} | "
          f"{fmt(q99)} | {fmt(s99)} | {times_ratio(s99, q99)} | {fmt(qmax)} | {fmt(smax)} | "
          f"{times_ratio(smax, qmax)} | {bad('quiet_')} / {bad('swap_')} | "
          f"{kb_to_mb(x.get('serve_peak_rss_kb'))} | {x.get('exit_code', '?')} |")
    w("")


def read_questions(path):
    questions = []
    if not os.path.exists(path):
        return questions
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t", 2)
            if len(parts) == 3:
                questions.append(parts)
    return questions


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--raw", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--questions", default="bench/questions.tsv")
    parser.add_argument("--pydocs-questions", default="bench/questions_pydocs.tsv")
    args = parser.parse_args()

    with open(os.path.join(args.raw, "sizes.txt"), encoding="utf-8") as f:
        sizes = [s.strip() for s in f if s.strip()]
    machine = load_kv(os.path.join(args.raw, "machine.txt"))

    runs = []
    for name in sizes:
        index = benchmarks_by_name(load_json(os.path.join(args.raw, f"index-{name}.json")))
        ask_doc = load_json(os.path.join(args.raw, f"ask-{name}.json"))
        ask = benchmarks_by_name(ask_doc)
        stages = benchmarks_by_name(load_json(os.path.join(args.raw, f"stages-{name}.json")))
        serve = load_kv(os.path.join(args.raw, f"serve-{name}.txt"))
        reindex = load_kv(os.path.join(args.raw, f"reindex-{name}.txt"))
        context = (ask_doc or {}).get("context", {})
        passages = (context.get("passages") or counter(index.get("index/citeqa"), "passages")
                    or reindex.get("passages"))
        mix = read_questions(os.path.join(args.raw, f"questions-{name}.tsv"))
        runs.append(dict(name=name, index=index, ask=ask, stages=stages, serve=serve,
                         reindex=reindex,
                         context=context, passages=int(float(passages)) if passages else None,
                         mix=mix))

    lines = []
    w = lines.append
    w("# citeqa benchmarks")
    w("")
    w(f"Run {machine.get('date', '?')} on {machine.get('cpus', '?')} CPUs "
      f"({machine.get('cpu', '?').replace('_', ' ')}), git {machine.get('git', '?')}"
      f"{' (with uncommitted changes)' if machine.get('dirty', '0') != '0' else ''}. "
      f"Load average before the run: {machine.get('load', '?')}. Produced by `bench/run.sh "
      f"{machine.get('args', '').replace('_', ' ')}`"
      + "".join(f", then at {also_when(a)} `bench/run.sh "
                f"{a.split('_', 1)[1].replace('_', ' ') if '_' in a else ''}`"
                for a in machine.get("also_all", []))
      + f"; raw Google Benchmark JSON in `{os.path.relpath(args.raw)}`.")
    w("")
    w("Latencies are wall-clock, warm page cache, one client at a time (in-process, "
      "`citeqa_bench_ask`); the CPU columns are the mean CPU time per question, which other "
      "load on the machine does not inflate (wall time above CPU time means the process "
      "waited for a core). The naive query is `SELECT rowid FROM passages_fts WHERE "
      "passages_fts MATCH '\"a\" OR \"b\" ...' ORDER BY rank LIMIT 10` over the question's "
      "content words, run in the same process on the same index.")
    w("")
    w("Question mixes (`questions`: how many distinct questions a size was asked): the seed "
      "and synthetic sizes ask the written mix, the 15 fixed questions of "
      "`bench/questions.tsv` and every distinct single-turn question of the project's "
      "written test files (`tests/testdata/{dev_qa,qa_own,qa_probe,qa_heldout}.jsonl`, "
      "kinds `written` and `negative`); the per-question tables keep to the 15 fixed ones. "
      "The SQuAD size asks every 40th question of the SQuAD dev set's public questions "
      "(kinds `squad1`, `squad2` and unanswerable `negative`).")
    w("")

    w("## Ask latency by corpus size (whole question mix)")
    w("")
    w("`first ask` is the mix's first round alone: each question asked for the first time in "
      "the process, its words not yet looked up (what a question nobody asked before costs); "
      "the other citeqa columns cover every round. Before any question the engine's "
      "background warm-up is awaited, as a served user's first question finds it done: "
      "`warm-up ms` is how long it took to lay out every passage of a corpus that fits the "
      "layouts kept (`laid out` passages; 0 for a larger corpus, whose first asks lay out "
      "their passages themselves).")
    w("")
    w("| corpus | passages | questions | citeqa p50 ms | citeqa p99 ms | citeqa CPU ms | "
      "first ask p50 ms | first ask p99 ms | warm-up ms | laid out | "
      "naive p50 ms | naive p99 ms | naive CPU ms | citeqa/naive (p50) | load avg |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    dat = []
    for r in runs:
        a, n = r["ask"].get("ask_mix"), r["ask"].get("naive_mix")
        if not a:
            continue
        ap50, ap99 = counter(a, "p50_ms"), counter(a, "p99_ms")
        np50, np99 = counter(n, "p50_ms"), counter(n, "p99_ms")
        ratio = f"{ap50 / np50:.2g}×" if ap50 and np50 else "–"
        load = r["context"].get("load_avg")
        load = "/".join(f"{x:.1f}" for x in load) if load else "–"
        w(f"| {size_label(r['name'], r['passages'])} | {r['passages'] or '–':,} | "
          f"{len(r['mix']) or '–'} | {fmt(ap50)} | "
          f"{fmt(ap99)} | {fmt(cpu_ms(a))} | {fmt(counter(a, 'first_p50_ms'))} | "
          f"{fmt(counter(a, 'first_p99_ms'))} | {context_number(r, 'warm_up_ms')} | "
          f"{context_number(r, 'laid_out_ahead', ',.0f')} | "
          f"{fmt(np50)} | {fmt(np99)} | {fmt(cpu_ms(n))} | "
          f"{ratio} | {load} |")
        if is_synthetic_scale(r["name"]) and r["passages"]:
            dat.append((r["passages"], ap50, ap99, np50 or 0, np99 or 0))
    w("")

    xapian_section(w, runs)

    questions = read_questions(args.questions)
    synthetic = [r for r in runs if is_synthetic_scale(r["name"]) and r["ask"]]
    if questions and synthetic:
        w("## Per question: citeqa p50 / naive p50 (ms)")
        w("")
        w("`matches` is how many passages the naive OR query matches at the largest size: "
          "what a plan that scores every match must touch.")
        w("")
        w("| id | kind | question | " + " | ".join(size_label(r["name"], r["passages"])
                                                   for r in synthetic) + " | matches |")
        w("|---|---|---|" + "---:|" * len(synthetic) + "---:|")
        for qid, kind, text in questions:
            cells = []
            for r in synthetic:
                a, n = r["ask"].get(f"ask/{qid}"), r["ask"].get(f"naive/{qid}")
                found = counter(a, "found")
                mark = "" if found is None or found else " (abstained)"
                cells.append(f"{fmt(counter(a, 'p50_ms'))} / {fmt(counter(n, 'p50_ms'))}{mark}")
            matches = counter(synthetic[-1]["ask"].get(f"naive/{qid}"), "matches")
            w(f"| {qid} | {kind} | {text} | " + " | ".join(cells) + f" | {fmt_int(matches)} |")
        w("")

    pydocs = next((r for r in runs if r["name"] == "pydocs" and r["ask"]), None)
    if pydocs:
        w(f"## Per question, real documentation ({pydocs['passages'] or '?':,} passages): "
          "citeqa p50 / naive p50 (ms)")
        w("")
        w("| id | kind | question | citeqa p50 | naive p50 | naive matches |")
        w("|---|---|---|---:|---:|---:|")
        for qid, kind, text in read_questions(args.pydocs_questions):
            a, n = pydocs["ask"].get(f"ask/{qid}"), pydocs["ask"].get(f"naive/{qid}")
            found = counter(a, "found")
            mark = "" if found is None or found else " (abstained)"
            w(f"| {qid} | {kind} | {text} | {fmt(counter(a, 'p50_ms'))}{mark} | "
              f"{fmt(counter(n, 'p50_ms'))} | {fmt_int(counter(n, 'matches'))} |")
        w("")

    w("## Index build throughput")
    w("")
    w("One indexing run each, in one process: `citeqa` is the whole `citeqa index` "
      "(IndexCorpus: read, clean, chunk, write); `parse+chunk` is its CPU part without the "
      "database; `citeqa schema` writes the same passages into a new citeqa schema through "
      "its PassageWriter (the content table, one porter FTS5 table fed row by row, and the "
      "word-count table); `bare FTS5` inserts them into "
      "`CREATE VIRTUAL TABLE t USING fts5(heading, text)` (unicode61), `bare porter` "
      "with citeqa's porter tokenizer. MB/s counts input file bytes for the first two and "
      "passage text bytes for the rest. Peak RSS is the benchmark process's after "
      "`citeqa` indexing.")
    w("")
    w("| corpus | passages | input MB | citeqa passages/s | citeqa MB/s | parse+chunk passages/s | "
      "citeqa schema passages/s | bare FTS5 passages/s | bare porter passages/s | "
      "citeqa ÷ bare FTS5 | peak RSS MB |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in runs:
        i = r["index"]
        c = i.get("index/citeqa")
        if not c:
            continue
        cps = counter(c, "passages_per_s")
        bare = counter(i.get("index/bare_fts5"), "passages_per_s")
        slow = f"{bare / cps:.1f}× slower" if cps and bare else "–"
        w(f"| {size_label(r['name'], r['passages'])} | {fmt_int(counter(c, 'passages'))} | "
          f"{fmt(counter(c, 'MB'))} | {fmt(cps)} | {fmt(counter(c, 'MB_per_s'))} | "
          f"{fmt(counter(i.get('index/parse_chunk'), 'passages_per_s'))} | "
          f"{fmt(counter(i.get('index/citeqa_schema'), 'passages_per_s'))} | {fmt(bare)} | "
          f"{fmt(counter(i.get('index/bare_fts5_porter'), 'passages_per_s'))} | {slow} | "
          f"{fmt(counter(c, 'peak_rss_MB'))} |")
    w("")

    w("## Server (`citeqa serve`, wrk on the same machine)")
    w("")
    w("Two servers per size, each measured with wrk on /healthz and then on /api/ask cycling "
      "through the size's question mix: first with `--answer-cache 0` (every /api/ask runs the "
      "answering pipeline: the figure to compare), then with the default answer cache, "
      "warmed by asking each question of the mix once before wrk starts (every /api/ask is "
      "then an answer-cache hit: what a repeated question costs, not what answering costs). "
      "wrk runs on the same 2 CPUs as the server, so absolute numbers are low; the ratio of "
      "/api/ask to /healthz in the same run is the comparable figure (as long as /healthz "
      "itself stays cheap).")
    w("")
    w("### Answer cache off (every request answered by the pipeline)")
    w("")
    w("Memory of the `serve` process: idle is VmRSS right after start-up; peak is VmHWM "
      "after both wrk runs, which includes index pages SQLite maps (mmap); heap and mapped "
      "are RssAnon and RssFile after the runs.")
    w("")
    w("| corpus | passages | questions | /healthz req/s | /api/ask req/s | ask ÷ healthz | "
      "ask p50 ms | ask p99 ms | non-2xx | startup s | idle RSS MB | peak RSS MB | heap MB | "
      "mapped MB | exit |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    served = [(r, *split_serve(r["serve"])) for r in runs if r["serve"]]
    for r, s, _ in served:
        label = f"| {size_label(r['name'], r['passages'])} | {r['passages'] or '–':,} | "
        if not s:
            w(label + f"{len(r['mix']) or '–'} | not measured (a run from before the "
              "cache-off server) " + "|" * 12)
            continue
        if s.get("skipped"):
            w(label + f"{s.get('questions', '–')} | skipped: "
              f"{s['skipped'].replace('_', ' ')} " + "|" * 12)
            continue
        w(label + f"{s.get('questions', '–')} | " + " | ".join(serve_cells(s)) + " | "
          f"{fmt(float(s.get('startup_s', 0)))} | "
          f"{fmt(int(s.get('idle_rss_kb', 0)) / 1024)} | {fmt(int(s.get('peak_rss_kb', 0)) / 1024)} | "
          f"{kb_to_mb(s.get('anon_rss_kb'))} | {kb_to_mb(s.get('file_rss_kb'))} | "
          f"{s.get('exit_code', '?')} |")
    w("")
    w("### Answer cache on (default size, warmed: every /api/ask is a cache hit)")
    w("")
    w("`warmed` is how many questions of the mix the warm-up pass got a 200 for; "
      "`cached ÷ uncached` divides this table's /api/ask req/s by the cache-off table's.")
    w("")
    w("| corpus | passages | questions | warmed | /healthz req/s | /api/ask req/s | "
      "ask ÷ healthz | ask p50 ms | ask p99 ms | non-2xx | cached ÷ uncached | peak RSS MB | "
      "exit |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r, off, s in served:
        label = f"| {size_label(r['name'], r['passages'])} | {r['passages'] or '–':,} | "
        if s.get("skipped"):
            w(label + f"{s.get('questions', '–')} | skipped: "
              f"{s['skipped'].replace('_', ' ')} " + "|" * 10)
            continue
        a, a_off = float(s.get("ask_rps", 0)), float(off.get("ask_rps", 0) or 0)
        w(label + f"{s.get('questions', '–')} | {s.get('warmed', '–')} | " +
          " | ".join(serve_cells(s)) + " | "
          f"{f'{a / a_off:.1f}×' if a_off else '–'} | "
          f"{fmt(int(s.get('peak_rss_kb', 0)) / 1024)} | {s.get('exit_code', '?')} |")
    w("")

    reindex_section(w, runs)

    # Stage tables for the synthetic sizes (the seed corpus is too small to matter), largest
    # first, then SQuAD (by kind); the seed corpus if there is neither.
    staged = sorted((r for r in runs if r["stages"] and r["name"].isdigit()),
                    key=lambda r: -(r["passages"] or 0))
    staged += [r for r in runs if r["stages"] and r["name"] == "squad"]
    staged = staged or [r for r in runs if r["stages"] and r["name"] == "seed"]
    stage_columns = ["analysis_ms", "retrieval_ms", "scoring_ms", "decision_ms",
                     "composition_ms", "pipeline_ms", "naive_ms"]
    for r in staged:
        by_kind = r["name"] == "squad"
        w(f"## Where the time goes: {size_label(r['name'], r['passages'])}")
        w("")
        w("`citeqa_bench_stages`: the answering pipeline as the engine runs it (RunPipeline, "
          "with the models built into the binary), per question; each stage's time is the "
          "pipeline's own (PipelineResult::times), in ms, mean per call. Phrase counts and "
          "bigram lookups are not remembered between calls (the engine remembers them per "
          "index version), so analysis shows what a question costs the first time it is "
          "asked. `naive` runs in the same iterations: one bm25-ranked OR of every wording of "
          "the question's concepts (AnyWordingQuery through IndexReader::Candidates), fetching "
          "as many passages as the pipeline may retrieve. The `÷ naive` columns divide the "
          "whole pipeline's time, and retrieval's, by the naive query's." +
          (" One row per kind of question: means over the questions of that kind, the "
           "`÷ naive` columns as ratios of the summed times, `answered` as a count."
           if by_kind else ""))
        w("")
        w(f"| {'kind' if by_kind else 'id'} | analysis | retrieval | scoring | decision | "
          "composition | pipeline | naive | "
          "pipeline ÷ naive | retrieval ÷ naive | concepts | planned queries | candidates | "
          "max concept df | answered |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        st = r["stages"]
        if by_kind:
            kinds = {}
            for qid, kind, _ in r["mix"]:
                kinds.setdefault(kind, []).append(st.get(f"stages/{qid}"))
            rows = [stage_summary_row(f"{kind} (mean of {{n}})", benches, stage_columns)
                    for kind, benches in kinds.items()]
            rows.append(stage_summary_row("all (mean of {n})",
                                          [st.get(f"stages/{qid}") for qid, _, _ in r["mix"]],
                                          stage_columns))
            for row in filter(None, rows):
                w(row)
        else:
            questions = read_questions(args.questions)
            for qid, _, _ in questions:
                s = st.get(f"stages/{qid}")
                found = counter(s, "found")
                w(f"| {qid} | " + " | ".join(fmt(counter(s, c), 2) for c in stage_columns) +
                  " | "
                  f"{fmt(counter(s, 'pipeline_per_naive'))} | "
                  f"{fmt(counter(s, 'retrieval_per_naive'))} | "
                  f"{fmt_int(counter(s, 'concepts'))} | {fmt_int(counter(s, 'planned_queries'))} | "
                  f"{fmt_int(counter(s, 'candidates'))} | {fmt_int(counter(s, 'max_df'))} | "
                  f"{'–' if found is None else ('yes' if found else 'no')} |")
            mean = stage_summary_row("mean of {n}",
                                     [st.get(f"stages/{qid}") for qid, _, _ in questions],
                                     stage_columns, counts=False)
            if mean:
                w(mean)
        setup = [(name, st.get(f"setup/{key}")) for name, key in
                 (("the vocabulary", "load_vocabulary"), ("the models", "load_models"))]
        setup = [(name, b) for name, b in setup if b and time_ms(b) is not None]
        if setup:
            w("")
            w("Loading, once per Engine (the vocabulary again after each re-index): " +
              "; ".join(f"{name} {fmt(time_ms(b))} ms"
                        + (f" ({fmt_int(counter(b, 'terms'))} terms)" if counter(b, 'terms')
                           else "") for name, b in setup) + ".")
        w("")

    fuzz_path = os.path.join(args.raw, "fuzz.txt")
    if os.path.exists(fuzz_path):
        w("## Fuzzing")
        w("")
        w("| target | seconds | runs | result | log |")
        w("|---|---:|---:|---|---|")
        with open(fuzz_path, encoding="utf-8") as f:
            for line in f:
                kv = dict(item.split("=", 1) for item in line.split() if "=" in item)
                if "target" in kv:
                    result = kv.get("result", "?")
                    if "reason" in kv:
                        result += ": " + kv["reason"].replace("_", " ")
                    log = f"`{os.path.relpath(kv['log'])}`" if "log" in kv else ""
                    w(f"| {kv['target']} | {kv.get('seconds', '?')} | {kv.get('runs', '?')} | "
                      f"{result} | {log} |")
        w("")

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    with open(os.path.join(args.out, "latency.dat"), "w", encoding="utf-8") as f:
        f.write("# passages citeqa_p50_ms citeqa_p99_ms naive_p50_ms naive_p99_ms\n")
        for row in sorted(dat):
            f.write(" ".join(str(x) for x in row) + "\n")
    print(os.path.join(args.out, "results.md"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
