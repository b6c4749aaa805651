"""Does attention help here, and which kind? One cross-validated ablation per task.

Two tasks, every attention type (``"none"`` is the ablation without attention):

* ``planted``: ragged multiclass sequences whose class is decided at a few
  planted steps (``make_sequence_classification``); accuracy, stratified
  3-fold cross-validation, through ``SequencePadder -> SequenceScaler``.
* ``sine``: seed 001's next-step forecast of a noisy sine wave; R², 3-fold
  ``TimeSeriesSplit``.

Writes ``ablation.csv``, ``ablation.md`` (mean ± std of the scores and of the
fit times) and ``ablation.png`` under ``outputs/ablation/``.
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
    parser.add_argument("--output-dir", type=Path, default=Path("outputs/ablation"))
    parser.add_argument("--quick", action="store_true", help="tiny settings, for tests")
    args = parser.parse_args(argv)
    if args.quick:
        args.n_sequences, args.min_length, args.n_points, args.window = 60, 6, 120, 8
        args.units, args.epochs, args.folds, args.max_splits = 4, 1, 2, 1
    args.output_dir.mkdir(parents=True, exist_ok=True)

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
    table.to_csv(args.output_dir / "ablation.csv", index=False)
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
    (args.output_dir / "ablation.md").write_text("\n".join(lines) + "\n")

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
    fig.savefig(args.output_dir / "ablation.png", dpi=100)
    plt.close(fig)
    print("\n".join(lines))
    return table


if __name__ == "__main__":
    main()
