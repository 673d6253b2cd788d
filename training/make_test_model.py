#!/usr/bin/python3
"""Writes the tiny XGBoost models that tests/retriever/tree_model_test.cc evaluates, with
XGBoost's own predictions of a few rows, so the test can check citeqa's TreeModel against
XGBoost itself.

Run with Debian's python3 (python3-xgboost, python3-numpy), from anywhere:
    /usr/bin/python3 training/make_test_model.py
Writes into tests/testdata/models/:
  tiny_model.json            binary:logistic on features a, b, c; 5 trees of depth <= 3;
                             attributes "threshold" and "note"
  tiny_model_expected.json   {"features": [...], "rows": [{"x": [a, b, c], "margin": m,
                             "contributions": [ca, cb, cc], "bias": b}]}: margin from
                             predict(output_margin=True), contributions and bias from
                             predict(pred_contribs=True, approx_contribs=True); a missing
                             value is null (NaN)
  tiny_categorical.json      a model with a categorical split on b (TreeModel must refuse it)
Everything is seeded and single-threaded: running it again writes the same files.
"""

import json
import os

import numpy as np
import xgboost as xgb

SEED = 11
FEATURES = ["a", "b", "c"]
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "tests", "testdata", "models")


def as_float32(values):
    """Values a float32 holds exactly, as Python floats: what C++ reads back is what XGBoost
    saw."""
    return [None if np.isnan(v) else float(np.float32(v)) for v in values]


def training_data(rng, rows=300):
    x = rng.uniform(-2.0, 2.0, size=(rows, 3)).astype(np.float32)
    logit = 1.5 * x[:, 0] - x[:, 1] * x[:, 2] + np.where(x[:, 2] > 0.5, 1.0, -0.5)
    y = (logit + rng.normal(0.0, 0.5, rows) > 0).astype(np.float32)
    return x, y


def params(**extra):
    p = {"objective": "binary:logistic", "eta": 0.4, "max_depth": 3, "seed": SEED,
         "nthread": 1, "base_score": 0.5}
    p.update(extra)
    return p


def split_rows(model):
    """Rows whose values sit exactly on the first tree's thresholds (a row goes right when
    its value equals the threshold), and just below them."""
    tree = json.loads(model.save_raw("json"))["learner"]["gradient_booster"]["model"]["trees"][0]
    rows = []
    for node, left in enumerate(tree["left_children"]):
        if left < 0:
            continue
        feature = tree["split_indices"][node]
        threshold = np.float32(tree["split_conditions"][node])
        for value in (threshold, np.nextafter(threshold, np.float32(-np.inf))):
            row = [np.float32(0.25), np.float32(-0.5), np.float32(1.0)]
            row[feature] = value
            rows.append(row)
    return rows


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(SEED)
    x, y = training_data(rng)
    train = xgb.DMatrix(x, label=y, feature_names=FEATURES)
    model = xgb.train(params(tree_method="exact"), train, num_boost_round=5)
    model.set_attr(threshold="0.42", note="tiny test model")
    model.save_model(os.path.join(OUT, "tiny_model.json"))

    # Read back what was written, as citeqa does.
    saved = xgb.Booster(model_file=os.path.join(OUT, "tiny_model.json"))
    rows = [list(r) for r in rng.uniform(-2.0, 2.0, size=(6, 3)).astype(np.float32)]
    rows += split_rows(saved)
    rows.append([np.float32(np.nan), np.float32(0.3), np.float32(-1.2)])  # missing: default way
    rows.append([np.float32(1.0), np.float32(np.nan), np.float32(np.nan)])
    data = np.array(rows, dtype=np.float32)
    test = xgb.DMatrix(data, feature_names=FEATURES, missing=np.nan)
    margins = saved.predict(test, output_margin=True)
    contributions = saved.predict(test, pred_contribs=True, approx_contribs=True)
    expected = {"features": FEATURES, "rows": []}
    for row, margin, contribution in zip(data, margins, contributions):
        expected["rows"].append({
            "x": as_float32(row),
            "margin": float(margin),
            "contributions": [float(c) for c in contribution[:-1]],
            "bias": float(contribution[-1]),
        })
    with open(os.path.join(OUT, "tiny_model_expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")

    # Feature b as a category (its value rounded to 0..3).
    xc = x.copy()
    xc[:, 1] = np.floor(xc[:, 1] + 2.0)
    categorical = xgb.DMatrix(xc, label=y, feature_names=FEATURES, feature_types=["q", "c", "q"],
                              enable_categorical=True)
    cat_model = xgb.train(params(tree_method="hist", max_cat_to_onehot=1), categorical,
                          num_boost_round=2)
    cat_model.save_model(os.path.join(OUT, "tiny_categorical.json"))


if __name__ == "__main__":
    main()
