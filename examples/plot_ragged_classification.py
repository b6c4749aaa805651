"""
Classifying ragged sequences, with and without attention
========================================================

This example answers a question asked online: its author trained an 8-class
classifier of variable-length time series (``Masking`` -> 2 bidirectional
LSTMs of 256 units -> keras-self-attention's ``SeqSelfAttention``, multiplicative
with a sigmoid activation -> ``Flatten`` -> ``Dense(8, softmax)``), saw the
attention "have no effect" on accuracy, and asked how to use it well. This
example builds that situation where the answer is known: in
``make_sequence_classification``, each sequence (20 to 60 steps by default) is
noise except at 3 random steps that carry its class pattern. A model can only
do well by finding those steps, so we can check both whether attention helps
and whether it looks in the right place.

Pipeline: ``SequencePadder() -> SequenceScaler() -> AttentionLSTMClassifier``,
with ``units`` tuned by ``GridSearchCV`` on a stratified training split. On the
held-out test set it reports, under ``outputs/ragged_classification/``
(``--out-dir``):

* ``summary.json``: everything below, also printed and returned by ``main``
* ``classification_report.csv``: per-class precision, recall, F1 and support
* ``confusion_matrix.csv`` and ``confusion_matrix.png``
* ``attention_vs_none.csv``: the tuned model and the same model with
  ``attention="none"`` (last LSTM state), side by side: accuracy, macro F1, fit
  time, epochs trained (``--compare-original`` adds rows, below)
* ``attention_on_planted_steps.csv``: per test sequence, its length, the
  attention mass on the planted steps and the mass expected by chance
  (``3 / length``)
* ``cv_results.csv``: the grid search's table
* ``attention_examples.png``: attention of a few test sequences, planted steps marked

With the defaults (1000 sequences, ``--random-state 0``) we measured on
2026-12-02 a test accuracy of 0.852 with attention against 0.716 with
``attention="none"``, and 55% of the attention on the planted steps, where
uniform attention would put 8%; about 5 minutes on 2 CPU cores. Before the
classifier's ``deletion_penalty`` (2026-11-30): 0.85, 0.71 and 77%. The
penalty makes the model's answer depend on the steps it attends to, not on
where most of its weight lies: on this task with the library defaults
(seeds 0, 1 and 2), the top-attended step was a planted one for 90 / 87 /
87% of test sequences (82 / 85 / 88% without it), and hiding the three
most-attended steps cost 0.59 / 0.58 / 0.59 accuracy (0.57 / 0.55 / 0.52),
while the mass on the planted steps fell from about 0.68 to 0.58.

``--compare-original`` adds two rows to ``attention_vs_none.csv`` (and to
``summary.json``, with the models' details under ``compare_original``), on
the same split:

* ``library defaults (random_state only)``: ``AttentionLSTMClassifier`` with
  nothing set but ``random_state``, in the same padder and scaler pipeline, no
  tuning: what a user who changes nothing gets;
* ``original network (plain Keras)``: the question's network rebuilt in
  Keras 3 (``examples/_ragged_original_network.py``): ``Masking`` -> 2 x
  ``Bidirectional(LSTM(256, return_sequences=True))`` -> keras-self-attention's
  ``SeqSelfAttention`` (multiplicative, sigmoid), rewritten with ``keras.ops``
  and masking the padding -> ``Flatten`` -> ``Dense(8, softmax)``, trained on
  the arrays the tuned classifier saw. The question shows no training
  settings; the ones chosen are listed in that file.

Measured with ``--compare-original`` (``--random-state 0``, 2 CPU cores, 15
minutes in all, 2026-12-02): library defaults 0.856 accuracy (22,408
parameters, 66 s; 0.808 and 49 s before ``deletion_penalty``)
against 0.628 for the question's network (2,615,305 parameters, 544 s).

Run ``python examples/plot_ragged_classification.py --help`` for options;
``--quick`` runs tiny settings in seconds (used by the tests); with
``--compare-original`` it also shrinks the original network to LSTMs of 8
units.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: files only
# The original network lives next to this file; it is found however this file is run or loaded
# (the docs gallery runs it without __file__, with sys.argv[0] set to its path).
sys.path.insert(0, str(Path(globals().get("__file__", sys.argv[0])).resolve().parent))
# attn_sklearn before keras (imported by _ragged_original_network): TensorFlow then loads quietly.
import attn_sklearn  # noqa: F401

# isort: split
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from _ragged_original_network import ORIGINAL_NETWORK, fit_original_network
from sklearn.base import clone
from sklearn.metrics import (
    ConfusionMatrixDisplay,
    accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
)
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline

from attn_sklearn import AttentionLSTMClassifier, SequencePadder, SequenceScaler
from attn_sklearn.datasets import make_sequence_classification

N_CLASSES = 8
N_PLANTED = 3

# Full run: about 1000 sequences keep the default run to a few minutes on 2 CPU cores.
# original_units: width of each LSTM of the original network (--compare-original); the
# question's is 256.
DEFAULTS = {
    "n_samples": 1000,
    "units": [32, 64],
    "cv": 3,
    "batch_size": 64,
    "original_units": 256,
}
# --quick: a smoke test of every step and artefact (a one-candidate grid, scored on the
# first of its 2 folds only), not a result.
QUICK = {
    "n_samples": 120,
    "units": [4],
    "cv": 2,
    "max_splits": 1,
    "batch_size": 32,
    "epochs": 2,
    "original_units": 8,
}

ORIGINAL_ROW = "original network (plain Keras)"
DEFAULTS_ROW = "library defaults (random_state only)"


def scores(y_true, y_pred):
    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, average="macro")),
    }


def attention_on_planted_steps(weights, lengths, planted):
    """Per sequence: attention mass on the planted steps, and what uniform attention would give.

    ``SequencePadder`` pads after the data, so step ``t`` of a sequence is
    column ``t`` of ``weights``; each row sums to 1 over its real steps.
    """
    mass = np.array([w[steps].sum() for w, steps in zip(weights, planted, strict=True)])
    # Top-k recall: how many planted steps are among the k most attended (k = number planted).
    recall = np.array(
        [
            np.isin(np.argsort(-w)[: len(steps)], steps).mean()
            for w, steps in zip(weights, planted, strict=True)
        ]
    )
    chance = np.array([len(steps) / n for steps, n in zip(planted, lengths, strict=True)])
    return pd.DataFrame(
        {"length": lengths, "mass_on_planted": mass, "chance": chance, "recall_at_k": recall}
    )


def compare_with_original(model, X_train, y_train, X_test, y_test, settings, random_state):
    """The rows ``--compare-original`` adds, and the details of the two models it fits.

    * the estimator with nothing set but ``random_state``, in the same
      ``SequencePadder -> SequenceScaler`` pipeline (``--quick`` and
      ``--epochs`` still cap its epochs);
    * the original network (``_ragged_original_network.py``), trained on the very arrays
      the tuned classifier saw: ``model``'s fitted padder and scaler applied to
      the same training and test sequences.
    """
    epochs = {"epochs": settings["epochs"]} if "epochs" in settings else {}
    defaults = make_pipeline(
        SequencePadder(),
        SequenceScaler(),
        AttentionLSTMClassifier(random_state=random_state, **epochs),
    )
    start = time.perf_counter()
    defaults.fit(X_train, y_train)
    rows = {
        DEFAULTS_ROW: {
            **scores(y_test, defaults.predict(X_test)),
            "fit_seconds": time.perf_counter() - start,
            "epochs_trained": len(defaults[-1].history_["loss"]),
        }
    }

    preprocess = model[:-1]
    max_epochs = settings.get("epochs", ORIGINAL_NETWORK["max_epochs"])
    start = time.perf_counter()
    network, history = fit_original_network(
        preprocess.transform(X_train).astype(np.float32),
        y_train,
        n_classes=N_CLASSES,
        units=settings["original_units"],
        epochs=max_epochs,
        random_state=random_state,
    )
    seconds = time.perf_counter() - start
    proba = network.predict(preprocess.transform(X_test).astype(np.float32), verbose=0)
    rows[ORIGINAL_ROW] = {
        **scores(y_test, np.argmax(proba, axis=1)),
        "fit_seconds": seconds,
        "epochs_trained": len(history["loss"]),
    }
    details = {
        "defaults_n_parameters": int(defaults[-1].model_.count_params()),
        "original_network": {
            **ORIGINAL_NETWORK,
            "units": settings["original_units"],
            "max_epochs": max_epochs,
            "n_parameters": int(network.count_params()),
        },
    }
    return rows, details


def plot_attention_examples(weights, test_seqs, planted, n_examples=4):
    fig, axes = plt.subplots(n_examples, 1, figsize=(9, 2.2 * n_examples), sharex=True)
    for row, ax in enumerate(np.atleast_1d(axes)):
        length = len(test_seqs[row])
        ax.bar(np.arange(length), weights[row, :length], color="tab:blue", label="attention")
        for k, step in enumerate(planted[row]):
            ax.axvline(
                step,
                color="tab:red",
                ls="--",
                lw=1,
                zorder=3,
                label="planted step" if k == 0 else None,
            )
        ax.axhline(1.0 / length, color="gray", lw=0.8, label="uniform")
        ax.set_ylabel("attention")
        ax.set_title(f"test sequence {row} ({length} steps)", fontsize=9)
    axes[0].legend(loc="upper right", fontsize=8)
    axes[-1].set_xlabel("time step")
    fig.tight_layout()
    return fig


def main(argv=None):
    parser = argparse.ArgumentParser(description=(__doc__ or "").strip().partition("\n")[0])
    parser.add_argument(
        "--n-samples", type=int, default=None, help="number of sequences (default 1000)"
    )
    parser.add_argument(
        "--epochs", type=int, default=None, help="maximum epochs (default: the estimator's, 100)"
    )
    parser.add_argument("--min-length", type=int, default=20, help="shortest sequence")
    parser.add_argument("--max-length", type=int, default=60, help="longest sequence")
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--out-dir", type=Path, default=Path("outputs/ragged_classification"))
    parser.add_argument("--quick", action="store_true", help="tiny settings, for smoke tests")
    parser.add_argument(
        "--compare-original",
        action="store_true",
        help="also fit the estimator at its defaults and the original network, on the same split",
    )
    args = parser.parse_args(argv)

    settings = dict(QUICK if args.quick else DEFAULTS)
    for key in ("n_samples", "epochs"):
        if getattr(args, key) is not None:
            settings[key] = getattr(args, key)
    out = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    rs = args.random_state
    start = time.perf_counter()

    sequences, y, planted = make_sequence_classification(
        settings["n_samples"],
        n_classes=N_CLASSES,
        min_length=args.min_length,
        max_length=args.max_length,
        n_informative_steps=N_PLANTED,
        random_state=rs,
    )
    train, test = train_test_split(np.arange(len(y)), test_size=0.25, stratify=y, random_state=rs)
    X_train, X_test = [sequences[i] for i in train], [sequences[i] for i in test]
    y_train, y_test = y[train], y[test]
    planted_test = [planted[i] for i in test]

    # A larger step size and batch than the estimator's defaults: on this task training
    # converges in fewer epochs, to a better test accuracy than with 3e-3 and 32 (measured).
    classifier = AttentionLSTMClassifier(
        learning_rate=1e-2,
        batch_size=settings["batch_size"],
        random_state=rs,
        **({"epochs": settings["epochs"]} if "epochs" in settings else {}),
    )
    pipe = make_pipeline(SequencePadder(), SequenceScaler(), classifier)
    folds = StratifiedKFold(settings["cv"], shuffle=True, random_state=rs).split(X_train, y_train)
    search = GridSearchCV(
        pipe,
        {"attentionlstmclassifier__units": settings["units"]},
        cv=list(folds)[: settings.get("max_splits")],
        scoring="accuracy",
    )
    search.fit(X_train, y_train)
    model = search.best_estimator_
    pred = model.predict(X_test)

    # The same pipeline and hyperparameters, pooling replaced by the last LSTM state.
    ablation = clone(model).set_params(attentionlstmclassifier__attention="none")
    fit_start = time.perf_counter()
    ablation.fit(X_train, y_train)
    ablation_seconds = time.perf_counter() - fit_start
    pred_none = ablation.predict(X_test)

    weights = model[-1].explain(model[:-1].transform(X_test))
    located = attention_on_planted_steps(weights, [len(s) for s in X_test], planted_test)
    correct = pred == y_test

    rows = {
        "attention": {
            **scores(y_test, pred),
            "fit_seconds": search.refit_time_,
            "epochs_trained": len(model[-1].history_["loss"]),
        },
        "none": {
            **scores(y_test, pred_none),
            "fit_seconds": ablation_seconds,
            "epochs_trained": len(ablation[-1].history_["loss"]),
        },
    }
    if args.compare_original:
        original_rows, original_details = compare_with_original(
            model, X_train, y_train, X_test, y_test, settings, rs
        )
        rows.update(original_rows)
    else:
        del settings["original_units"]
    side_by_side = pd.DataFrame(rows).T
    side_by_side.index.name = "model"

    results = {
        "data": {
            "n_train": len(train),
            "n_test": len(test),
            "n_classes": N_CLASSES,
            "length_range": [args.min_length, args.max_length],
            "n_planted_steps": N_PLANTED,
        },
        "best_params": {k.split("__")[-1]: v for k, v in search.best_params_.items()},
        "cv_accuracy": float(search.best_score_),
        "test": scores(y_test, pred),
        "attention_vs_none": {
            name: {k: float(v) for k, v in row.items()}
            for name, row in side_by_side.to_dict("index").items()
        },
        "attention_on_planted_steps": {
            "mean_mass": float(located["mass_on_planted"].mean()),
            "mean_chance": float(located["chance"].mean()),
            "lift": float(located["mass_on_planted"].mean() / located["chance"].mean()),
            "recall_at_k": float(located["recall_at_k"].mean()),
            "mean_mass_when_correct": float(located["mass_on_planted"][correct].mean())
            if correct.any()
            else None,
            "mean_mass_when_wrong": float(located["mass_on_planted"][~correct].mean())
            if (~correct).any()
            else None,
        },
        "settings": {
            **settings,
            "random_state": rs,
            "quick": args.quick,
            "compare_original": args.compare_original,
        },
    }
    if args.compare_original:
        results["compare_original"] = original_details

    labels = np.arange(N_CLASSES)
    report = classification_report(y_test, pred, labels=labels, output_dict=True, zero_division=0)
    # As in the printed report: accuracy sits in the F1 column, with the total support.
    report["accuracy"] = {"f1-score": report["accuracy"], "support": len(y_test)}
    pd.DataFrame(report).T.to_csv(out / "classification_report.csv", index_label="class")
    cm = confusion_matrix(y_test, pred, labels=labels)
    pd.DataFrame(
        cm, index=pd.Index(labels, name="true"), columns=pd.Index(labels, name="predicted")
    ).to_csv(out / "confusion_matrix.csv")
    display = ConfusionMatrixDisplay(cm, display_labels=labels).plot(colorbar=False)
    display.ax_.set_title(f"Test set, attention LSTM (accuracy {results['test']['accuracy']:.2f})")
    display.figure_.savefig(out / "confusion_matrix.png", dpi=100)
    side_by_side.to_csv(out / "attention_vs_none.csv")
    located.to_csv(out / "attention_on_planted_steps.csv", index_label="test_sequence")
    pd.DataFrame(search.cv_results_).drop(columns="params").to_csv(
        out / "cv_results.csv", index=False
    )
    plot_attention_examples(weights, X_test, planted_test).savefig(
        out / "attention_examples.png", dpi=100
    )
    plt.close("all")

    results["total_seconds"] = time.perf_counter() - start
    with open(out / "summary.json", "w") as f:
        json.dump(results, f, indent=2)
    print(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
