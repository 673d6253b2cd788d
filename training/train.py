#!/usr/bin/python3
"""Trains citeqa's three models from question files, and reports them on held-out folds.

Run through training/train.sh, which installs what this needs (Debian's python3-xgboost,
python3-sklearn, python3-numpy), builds citeqa and indexes the corpora first.

Data: the SQuAD corpus and questions (../shared/eval/squad, crowd-written, with the source
paragraph of each question) and the seed corpus with the project's own question files
(tests/testdata: dev_qa, qa_own, qa_probe; never qa_heldout). Features always come from
`citeqa features`, the same code that serves answers, so training sees what serving sees.

Folds: the SQuAD articles are split into K folds by the SHA-1 of their file name; the seed
questions are one more fold. Each fold's models are trained on the other folds, so every
question gets scores from models that never saw its article (stacking: the sentence model
is trained on passage scores of such models, the answerability model on passage and sentence
scores of such models). Reported figures are `citeqa eval` on each SQuAD fold with that fold's
models: held-out only. The models in models/ are then trained on everything.

Questions asked of the other corpus (seed questions of the SQuAD articles, SQuAD questions of
the seed articles) are answerability negatives: questions whose articles are not indexed.
"""

import argparse
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import time

import numpy as np
import xgboost as xgb

FOLDS = 5
SEED = 7
SEED_WEIGHT = 30.0  # the seed questions are few; each counts this many times
SEED_NEGATIVE_WEIGHT = 100.0
CROSS_SQUAD_SAMPLE = 800  # SQuAD questions asked of the seed articles
FALSE_ABSTENTION_BUDGET = 0.025  # held-out share of answerable questions the threshold may cost
FOLLOW_THRESHOLDS = (0.03, 0.1, 0.2, 0.35, 0.5)  # tried for the sentence model's follow threshold

PASSAGE_PARAMS = {
    "objective": "rank:pairwise", "eta": 0.1, "max_depth": 5, "min_child_weight": 2,
    "subsample": 0.8, "colsample_bytree": 0.8, "tree_method": "hist", "seed": SEED,
    "nthread": 2, "eval_metric": "ndcg@3",
}
PASSAGE_ROUNDS = 160
SENTENCE_PARAMS = {
    "objective": "binary:logistic", "eta": 0.1, "max_depth": 5, "min_child_weight": 2,
    "subsample": 0.8, "colsample_bytree": 0.8, "tree_method": "hist", "seed": SEED,
    "nthread": 2, "eval_metric": "logloss",
}
SENTENCE_ROUNDS = 160
ANSWERABILITY_PARAMS = {
    "objective": "binary:logistic", "eta": 0.08, "max_depth": 4, "min_child_weight": 4,
    "subsample": 0.8, "colsample_bytree": 0.8, "tree_method": "hist", "seed": SEED,
    "nthread": 2, "eval_metric": "logloss",
}
ANSWERABILITY_ROUNDS = 200
# Evidence whose direction is known: the model may only read more of it as more (+1) or less
# (-1) likely answerable. By feature name; the others are free (0).
ANSWERABILITY_MONOTONE = {
    "unknown_share": -1, "unknown_names": -1, "names_together": 1, "role_named": 1,
    "event_stated": 1, "quantity_missing": -1, "negation_mismatch": -1, "antonym_clash": -1,
    "missing_names_sentence": -1, "missing_names_passage": -1, "missing_numbers": -1,
}


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


def normalise(text):
    return re.sub(r"\s+", " ", text).strip().lower()


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")


def fold_of_article(doc):
    return int(hashlib.sha1(doc.encode("utf-8")).hexdigest(), 16) % FOLDS


class Citeqa:
    def __init__(self, binary, work):
        self.binary = binary
        self.work = work

    def features(self, db, questions, models_dir, name):
        """Runs `citeqa features` over the questions; returns the names and the lines."""
        qpath = os.path.join(self.work, name + ".questions.jsonl")
        write_jsonl(qpath, questions)
        cmd = [self.binary, "features", "--db", db, qpath]
        if models_dir:
            cmd[4:4] = ["--models", models_dir]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        with open(os.path.join(self.work, name + ".features.jsonl"), "w", encoding="utf-8") as f:
            f.write(out)  # kept for looking into what the models saw
        lines = [json.loads(line) for line in out.splitlines() if line.strip()]
        return lines[0]["features"], lines[1:]

    def eval(self, db, questions, models_dir, name):
        qpath = os.path.join(self.work, name + ".questions.jsonl")
        write_jsonl(qpath, questions)
        cmd = [self.binary, "eval", "--db", db, "--json", qpath]
        if models_dir:
            cmd[4:4] = ["--models", models_dir]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        with open(os.path.join(self.work, name + ".eval.json"), "w", encoding="utf-8") as f:
            f.write(out)
        return json.loads(out)


class Passages:
    """Passage texts of an index and, for SQuAD, which paragraph of its article each holds."""

    def __init__(self, db):
        import sqlite3
        con = sqlite3.connect(db)
        self.text = {}
        self.doc = {}
        for pid, doc, text in con.execute(
                "SELECT p.id, d.file, p.text FROM passages p JOIN documents d ON d.id = p.doc_id"):
            self.text[pid] = normalise(text)
            self.doc[pid] = doc


class Paragraphs:
    def __init__(self, corpus_dir):
        self.by_doc = {}
        for name in os.listdir(corpus_dir):
            with open(os.path.join(corpus_dir, name), encoding="utf-8") as f:
                blocks = [b for b in re.split(r"\n\s*\n", f.read()) if b.strip()]
            self.by_doc[name] = [normalise(b) for b in blocks[1:]]  # the title comes first


def gold_in(text, gold):
    return any(g and g in text for g in gold)


def passage_label(q, pid, passages, paragraphs):
    """1 when the passage holds the answer: a gold answer, and for a SQuAD question inside
    the paragraph it was written from (a short gold such as "1973" is found elsewhere too)."""
    text = passages.text.get(pid, "")
    gold = [normalise(g) for g in q["gold"]]
    if not gold_in(text, gold):
        return 0
    if q.get("doc"):
        if passages.doc.get(pid) != q["doc"]:
            return 0
        paras = paragraphs.by_doc.get(q["doc"], [])
        if not 0 <= q.get("para", -1) < len(paras):
            return 0
        para = paras[q["para"]]
        for g in gold:
            at = text.find(g) if g else -1
            if at < 0:
                continue
            window = text[max(0, at - 30): at + len(g) + 30]
            if window in para or (len(window) > 60 and window[10:-10] in para):
                return 1
        return 0
    return 1


def sentence_label(q, line_sentence, passages, paragraphs):
    gold = [normalise(g) for g in q["gold"]]
    if not gold_in(normalise(line_sentence["text"]), gold):
        return 0
    return passage_label(q, line_sentence["passage_id"], passages, paragraphs)


def floats(text):
    return np.array(text.split(), dtype=np.float32) if text else None


# --- data -----------------------------------------------------------------------------


def load_questions(args):
    squad = read_jsonl(os.path.join(args.squad, "questions.jsonl"))
    for q in squad:
        q["fold"] = fold_of_article(q["doc"])
        q["corpus"] = "squad"
        q["weight"] = 1.0
    seed = []
    for path in args.seed_questions:
        for q in read_jsonl(path):
            q["fold"] = FOLDS  # the seed fold
            q["corpus"] = "seed"
            # The seed negatives are the few examples of kinds SQuAD lacks (an event nobody
            # states, a role nobody names): they weigh more again.
            q["weight"] = SEED_NEGATIVE_WEIGHT if q.get("expect") == "abstain" else SEED_WEIGHT
            q["id"] = os.path.basename(path) + ":" + q["id"]
            seed.append(q)
    # Questions of the other corpus: their articles are not indexed, so they are not answered.
    rng = random.Random(SEED)
    answerable_squad = [q for q in squad if q.get("expect") != "abstain"]
    cross = []
    for q in rng.sample(answerable_squad, CROSS_SQUAD_SAMPLE):
        cross.append({"id": "cross-" + q["id"], "q": q["q"], "expect": "abstain",
                      "kind": "negative", "fold": q["fold"], "corpus": "seed", "weight": 1.0})
    for q in seed:
        if q.get("expect") == "abstain":
            continue
        c = {"id": "cross-" + q["id"], "expect": "abstain", "kind": "negative",
             "fold": FOLDS, "corpus": "squad", "weight": 1.0}
        c["turns" if "turns" in q else "q"] = q["turns"] if "turns" in q else q["q"]
        cross.append(c)
    return squad, seed, cross


def question_file_entry(q):
    out = {k: v for k, v in q.items() if k in ("id", "q", "turns", "gold", "expect", "kind",
                                                "doc", "para")}
    if "gold" not in out and out.get("expect") != "abstain":
        out["gold"] = []
    return out


def gather(citeqa, dbs, questions, models_for_fold, name):
    """Features of every question, each from its fold's models: {id: line}."""
    out = {}
    names = None
    for corpus in ("squad", "seed"):
        for fold in range(FOLDS + 1):
            group = [question_file_entry(q) for q in questions
                     if q["corpus"] == corpus and q["fold"] == fold]
            if not group:
                continue
            names, lines = citeqa.features(dbs[corpus], group, models_for_fold(fold),
                                           f"{name}-{corpus}-{fold}")
            for line in lines:
                out[line["id"]] = line
    return names, out


# --- models ----------------------------------------------------------------------------


def passage_rows(questions, lines, passages_of, paragraphs):
    groups = []  # (fold, weight, features, labels)
    for q in questions:
        if q.get("expect") == "abstain":
            continue
        line = lines.get(q["id"])
        if not line or not line["candidates"]:
            continue
        passages = passages_of[q["corpus"]]
        feats = [floats(c["features"]) for c in line["candidates"]]
        labels = [passage_label(q, c["passage_id"], passages, paragraphs)
                  for c in line["candidates"]]
        if not any(labels) or all(labels):
            continue
        weight = q["weight"]
        groups.append((q["fold"], weight, np.stack(feats), np.array(labels, dtype=np.float32)))
    return groups


def train_ranker(groups, names, exclude_fold):
    chosen = [g for g in groups if g[0] != exclude_fold]
    x = np.concatenate([g[2] for g in chosen])
    y = np.concatenate([g[3] for g in chosen])
    d = xgb.DMatrix(x, label=y, feature_names=list(names))
    d.set_group([len(g[3]) for g in chosen])
    d.set_weight(np.array([g[1] for g in chosen], dtype=np.float32))
    return xgb.train(PASSAGE_PARAMS, d, PASSAGE_ROUNDS)


def sentence_rows(questions, lines, passages_of, paragraphs):
    rows = []  # (fold, weight, features, label, question id)
    for q in questions:
        if q.get("expect") == "abstain":
            continue
        line = lines.get(q["id"])
        if not line:
            continue
        passages = passages_of[q["corpus"]]
        weight = q["weight"]
        for s in line["sentences"]:
            rows.append((q["fold"], weight, floats(s["features"]),
                         sentence_label(q, s, passages, paragraphs), q["id"]))
    return rows


def train_classifier(rows, names, exclude_fold, params, rounds):
    chosen = [r for r in rows if r[0] != exclude_fold]
    x = np.stack([r[2] for r in chosen])
    y = np.array([r[3] for r in chosen], dtype=np.float32)
    w = np.array([r[1] for r in chosen], dtype=np.float32)
    d = xgb.DMatrix(x, label=y, weight=w, feature_names=list(names))
    return xgb.train(params, d, rounds)


def answerability_rows(questions, lines):
    rows = []  # (fold, weight, features, label, question)
    for q in questions:
        line = lines.get(q["id"])
        if not line or not line["answerability"]:
            continue  # nothing retrieved: never answered, nothing to learn
        label = 0 if q.get("expect") == "abstain" else 1
        weight = q["weight"]
        rows.append((q["fold"], weight, floats(line["answerability"]), label, q))
    return rows


def predict(model, x, names):
    return model.predict(xgb.DMatrix(np.stack(x), feature_names=list(names)))


def save(model, path, attributes=None):
    if attributes:
        model.set_attr(**{k: str(v) for k, v in attributes.items()})
    model.save_model(path)


def choose_threshold(probabilities, labels, corpus):
    """The highest threshold whose held-out false abstentions on answerable SQuAD questions
    stay within the budget; and the curve (threshold, false abstentions, negatives
    abstained) to report."""
    answerable = np.array([p for p, l, c in zip(probabilities, labels, corpus)
                           if l == 1 and c == "squad"])
    negative = np.array([p for p, l, c in zip(probabilities, labels, corpus)
                         if l == 0 and c == "squad"])
    curve = []
    best = 0.05
    for t in np.arange(0.02, 0.98, 0.01):
        false_abs = float(np.mean(answerable < t)) if len(answerable) else 0.0
        abstained = float(np.mean(negative < t)) if len(negative) else 0.0
        curve.append((round(float(t), 2), false_abs, abstained))
        if false_abs <= FALSE_ABSTENTION_BUDGET:
            best = round(float(t), 2)
    return best, curve


# --- main ------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--citeqa", required=True)
    ap.add_argument("--work", required=True, help="folder for indexes, features and fold models")
    ap.add_argument("--squad", required=True, help="../shared/eval/squad")
    ap.add_argument("--squad-db", required=True)
    ap.add_argument("--seed-db", required=True)
    ap.add_argument("--seed-questions", nargs="+", required=True)
    ap.add_argument("--out", required=True, help="where the final models go (models/)")
    ap.add_argument("--training-seed", type=int,
                    help=f"XGBoost's random seed (default {SEED}); the data, its folds and "
                         "the sampled cross-corpus questions stay as they are "
                         "(training/seeds.sh)")
    ap.add_argument("--answerability-only", action="store_true",
                    help="keep the passage and sentence models of the last run (in --work and "
                         "--out) and retrain only the answerability model")
    args = ap.parse_args()
    if args.training_seed is not None:
        for params in (PASSAGE_PARAMS, SENTENCE_PARAMS, ANSWERABILITY_PARAMS):
            params["seed"] = args.training_seed

    os.makedirs(args.work, exist_ok=True)
    citeqa = Citeqa(args.citeqa, args.work)
    dbs = {"squad": args.squad_db, "seed": args.seed_db}
    squad, seed, cross = load_questions(args)
    everything = squad + seed + cross
    passages_of = {"squad": Passages(args.squad_db), "seed": Passages(args.seed_db)}
    paragraphs = Paragraphs(os.path.join(args.squad, "corpus"))
    fold_dir = lambda f: os.path.join(args.work, f"fold{f}")
    no_models = os.path.join(args.work, "no_models")
    # Each run starts from nothing: a stage must never read a model left by an earlier run.
    for d in [no_models] + [fold_dir(f) for f in range(FOLDS + 1)]:
        os.makedirs(d, exist_ok=True)
        for name in os.listdir(d):
            if not args.answerability_only or name == "answerability.json":
                os.remove(os.path.join(d, name))
    if not args.answerability_only:
        train_rankers(args, citeqa, dbs, squad, seed, passages_of, paragraphs, fold_dir, no_models)
    answerability(args, citeqa, dbs, squad, everything, fold_dir)


def train_rankers(args, citeqa, dbs, squad, seed, passages_of, paragraphs, fold_dir, no_models):
    all_folds = FOLDS + 1  # "exclude" no fold: the final models

    log("stage 1: passage features (no models)")
    names, lines = gather(citeqa, dbs, squad + seed, lambda f: no_models, "passages")
    names = names["passage"]
    groups = passage_rows(squad + seed, lines, passages_of, paragraphs)
    log(f"  {len(groups)} ranking groups")
    for f in range(FOLDS + 1):
        save(train_ranker(groups, names, f), os.path.join(fold_dir(f), "passage_ranker.json"))
    save(train_ranker(groups, names, all_folds), os.path.join(args.out, "passage_ranker.json"))

    log("stage 2: sentence features (held-out passage models)")
    names, lines = gather(citeqa, dbs, squad + seed, fold_dir, "sentences")
    names = names["sentence"]
    rows = sentence_rows(squad + seed, lines, passages_of, paragraphs)
    log(f"  {len(rows)} sentences, {sum(r[3] for r in rows)} holding an answer")
    follow = 0.5
    for f in range(FOLDS + 1):
        save(train_classifier(rows, names, f, SENTENCE_PARAMS, SENTENCE_ROUNDS),
             os.path.join(fold_dir(f), "sentence_ranker.json"), {"follow_threshold": follow})
    save(train_classifier(rows, names, all_folds, SENTENCE_PARAMS, SENTENCE_ROUNDS),
         os.path.join(args.out, "sentence_ranker.json"), {"follow_threshold": follow})



def answerability(args, citeqa, dbs, squad, everything, fold_dir):
    all_folds = FOLDS + 1
    log("stage 3: answerability features (held-out passage and sentence models)")
    names, lines = gather(citeqa, dbs, everything, fold_dir, "answerability")
    names = names["answerability"]
    rows = answerability_rows(everything, lines)
    log(f"  {len(rows)} questions, {sum(1 for r in rows if r[3] == 0)} not answerable")
    held_out = {}
    models = {}
    answerability_params = dict(ANSWERABILITY_PARAMS)
    answerability_params["monotone_constraints"] = "(" + ",".join(
        str(ANSWERABILITY_MONOTONE.get(n, 0)) for n in names) + ")"
    for f in range(FOLDS + 1):
        models[f] = train_classifier(rows, names, f, answerability_params, ANSWERABILITY_ROUNDS)
        mine = [r for r in rows if r[0] == f]
        if mine:
            for r, p in zip(mine, predict(models[f], [r[2] for r in mine], names)):
                held_out[r[4]["id"]] = (float(p), r[3], r[4]["corpus"])
    # Questions nothing was retrieved for are never answered: false abstentions if answerable.
    for q in everything:
        if q["id"] not in held_out:
            held_out[q["id"]] = (0.0, 0 if q.get("expect") == "abstain" else 1, q["corpus"])
    squad_ids = {q["id"] for q in squad}
    probs = [held_out[i][0] for i in held_out if i in squad_ids]
    labels = [held_out[i][1] for i in held_out if i in squad_ids]
    corpus = [held_out[i][2] for i in held_out if i in squad_ids]
    threshold, curve = choose_threshold(probs, labels, corpus)
    log(f"  threshold {threshold}")
    for f in range(FOLDS + 1):
        save(models[f], os.path.join(fold_dir(f), "answerability.json"), {"threshold": threshold})
    final = train_classifier(rows, names, all_folds, answerability_params, ANSWERABILITY_ROUNDS)
    save(final, os.path.join(args.out, "answerability.json"), {"threshold": threshold})

    # The follow threshold: the held-out answer-hit of each candidate value decides.
    sentence_models = {f: os.path.join(fold_dir(f), "sentence_ranker.json") for f in range(FOLDS)}
    best = None
    tried = FOLLOW_THRESHOLDS
    if args.answerability_only:
        tried = (float(xgb.Booster(model_file=sentence_models[0]).attr("follow_threshold")),)
    for follow in tried:
        for f, path in sentence_models.items():
            model = xgb.Booster(model_file=path)
            save(model, path, {"follow_threshold": follow})
        pooled, folds = heldout(citeqa, dbs["squad"], squad, fold_dir, f"follow{follow}")
        log(f"  follow threshold {follow}: answer_hit {pooled['answer_hit']:.3f}, "
            f"hit_at_1 {pooled['hit_at_1']:.3f}")
        if best is None or pooled["answer_hit"] > best[1]["answer_hit"] + 1e-9:
            best = (follow, pooled, folds)
    follow, pooled, folds = best
    for f, path in sentence_models.items():
        save(xgb.Booster(model_file=path), path, {"follow_threshold": follow})
    final_sentences = os.path.join(args.out, "sentence_ranker.json")
    save(xgb.Booster(model_file=final_sentences), final_sentences, {"follow_threshold": follow})

    report = {"threshold": threshold, "follow_threshold": follow, "curve": curve,
              "folds": folds, "pooled": pooled}
    with open(os.path.join(args.work, "report.json"), "w") as f:
        json.dump(report, f, indent=1)
    for f, summary in enumerate(folds):
        log(f"  fold {f}: " + ", ".join(f"{k} {summary[k]:.3f}" for k in REPORTED))
    log("pooled held-out: " + ", ".join(f"{k} {v:.3f}" for k, v in sorted(pooled.items())))
    print(json.dumps({"pooled": pooled, "threshold": threshold, "follow_threshold": follow},
                     indent=1))


REPORTED = ("hit_at_1", "hit_at_3", "answer_hit", "false_abstention_share", "abstention_rate",
            "mixed_share", "accuracy")


def heldout(citeqa, db, squad, fold_dir, name):
    """`citeqa eval` of each SQuAD fold with that fold's models, and the figures pooled over
    the folds (weighted by questions)."""
    folds = []
    totals = {}
    for f in range(FOLDS):
        group = [question_file_entry(q) for q in squad if q["fold"] == f]
        summary = citeqa.eval(db, group, fold_dir(f), f"{name}-{f}")["summary"]
        folds.append(summary)
        n, a = summary["questions"], summary["answerable"]
        for key in ("accuracy", "abstention_rate", "mixed_share"):
            totals.setdefault(key, []).append((summary[key], n))
        for key in ("hit_at_1", "hit_at_3", "hit_at_5", "mrr_at_5", "answer_hit",
                    "false_abstention_share"):
            totals.setdefault(key, []).append((summary[key], a))
        totals.setdefault("latency_p50_ms", []).append((summary["latency_p50_ms"], 1))
    pooled = {k: sum(v * n for v, n in vals) / max(1, sum(n for _, n in vals))
              for k, vals in totals.items()}
    return pooled, folds


if __name__ == "__main__":
    main()
