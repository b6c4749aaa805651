"""
Attention ablation: five attention settings on two tasks
========================================================

Does attention help here, and which kind? For each of two tasks, every
attention type (``"none"`` is the ablation without attention, pooling the last
LSTM state) is cross-validated with the same settings:

* ``planted``: ragged multiclass sequences whose class is decided at a few
  planted steps (``make_sequence_classification``); accuracy, stratified
  3-fold cross-validation, through ``SequencePadder -> SequenceScaler``.
* ``sine``: the next value of a noisy sine wave (the task of the "Next-step
  forecasting of a noisy sine wave" example, on a shorter series); R², 3-fold
  ``TimeSeriesSplit``.

Writes ``ablation.csv``, ``ablation.md`` (mean ± std of the scores and of the
fit times) and ``ablation.png`` under ``outputs/attention_ablation/``
(``--out-dir``).

Run ``python examples/plot_attention_ablation.py --help`` for options;
``--quick`` (tiny data and networks, one fold of two scored) runs in seconds.
"""

import argparse
import json
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: files only

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold, TimeSeriesSplit, cross_validate
from sklearn.pipeline import make_pipeline

from attn_sklearn import (
    AttentionLSTMClassifier,
    AttentionLSTMRegressor,
    SequencePadder,
    SequenceScaler,
    frame_supervised,
)
from attn_sklearn.datasets import make_sequence_classification, make_sine_wave

ATTENTION_TYPES = ["none", "additive", "multiplicative", "self", "multihead"]
# --quick: a seconds-long smoke run (options given with it still win).
QUICK = {
    "n_sequences": 60,
    "min_length": 6,
    "n_points": 120,
    "window": 8,
    "units": 4,
    "epochs": 1,
    "folds": 2,
    "max_splits": 1,
}


def tasks(args):
    """Each task: (estimator factory, X, y, cv, metric name)."""
    sequences, labels, _ = make_sequence_classification(
        args.n_sequences,
        n_classes=4,
        min_length=args.min_length,
        max_length=3 * args.min_length,
        random_state=args.random_state,
    )
    X_sine, y_sine = frame_supervised(
        make_sine_wave(args.n_points, random_state=args.random_state), window=args.window
    )
    common = {"units": args.units, "random_state": args.random_state}
    if args.epochs is not None:
        common["epochs"] = args.epochs
    return {
        "planted": (
            lambda attention: make_pipeline(
                SequencePadder(),
                SequenceScaler(),
                AttentionLSTMClassifier(attention=attention, **common),
            ),
            sequences,
            labels,
            StratifiedKFold(args.folds, shuffle=True, random_state=args.random_state),
            "accuracy",
        ),
        "sine": (
            lambda attention: AttentionLSTMRegressor(attention=attention, **common),
            X_sine,
            y_sine,
            TimeSeriesSplit(args.folds),
            "r2",
        ),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=(__doc__ or "").strip().partition("\n")[0])
    parser.add_argument("--n-sequences", type=int, default=600)
    parser.add_argument("--min-length", type=int, default=15)
    parser.add_argument("--n-points", type=int, default=1200)
    parser.add_argument("--window", type=int, default=30)
    parser.add_argument("--units", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=None, help="override the default epochs")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument(
        "--max-splits", type=int, default=None, help="score only the first N folds (default: all)"
    )
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--out-dir", type=Path, default=Path("outputs/attention_ablation"))
    parser.add_argument("--quick", action="store_true", help=f"tiny settings, for tests: {QUICK}")
    args = parser.parse_args(argv)
    if args.quick:  # options given explicitly still win over the quick settings
        parser.set_defaults(**QUICK)
        args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)

    rows = []
    for task, (make_estimator, X, y, cv, metric) in tasks(args).items():
        for attention in ATTENTION_TYPES:
            start = time.perf_counter()
            splits = list(cv.split(X, y))[: args.max_splits]
            scores = cross_validate(make_estimator(attention), X, y, cv=splits, scoring=metric)
            rows.append(
                {
                    "task": task,
                    "metric": metric,
                    "attention": attention,
                    "score_mean": float(np.mean(scores["test_score"])),
                    "score_std": float(np.std(scores["test_score"])),
                    "fit_seconds_mean": float(np.mean(scores["fit_time"])),
                    "fit_seconds_std": float(np.std(scores["fit_time"])),
                    "wall_seconds": time.perf_counter() - start,
                }
            )
            print(json.dumps(rows[-1]), flush=True)

    table = pd.DataFrame(rows)
    table.to_csv(args.out_dir / "ablation.csv", index=False)
    lines = [
        "| task | attention | score (mean ± std) | fit time, s (mean ± std) |",
        "|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['task']} ({row['metric']}) | {row['attention']} | "
            f"{row['score_mean']:.3f} ± {row['score_std']:.3f} | "
            f"{row['fit_seconds_mean']:.1f} ± {row['fit_seconds_std']:.1f} |"
        )
    (args.out_dir / "ablation.md").write_text("\n".join(lines) + "\n")

    folds = f"{args.folds}-fold CV"
    if args.max_splits is not None and args.max_splits < args.folds:
        folds += f", first {args.max_splits} fold(s) scored"
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, (task, group) in zip(axes, table.groupby("task", sort=False), strict=True):
        ax.bar(group["attention"], group["score_mean"], yerr=group["score_std"], capsize=4)
        ax.set_title(f"{task}: {group['metric'].iloc[0]} ({folds})")
        ax.set_ylabel(group["metric"].iloc[0])
        ax.tick_params(axis="x", rotation=30)
    fig.tight_layout()
    fig.savefig(args.out_dir / "ablation.png", dpi=100)
    plt.close(fig)
    print("\n".join(lines))
    return table


if __name__ == "__main__":
    main()
