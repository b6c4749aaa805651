"""
Image sequences with side features: a multimodal classifier
===========================================================

A sequence of images ``(time_steps, H, W, C)`` and, at each step, extra
temporal features ``(time_steps, hours, w_features)`` -> a binary label. This
is the setting of a published multimodal attention RNN: ``TimeDistributed(Flatten)``
of the images concatenated with the extra features, ``Masking`` of zero-padded
steps, 2 LSTMs of 64 units (``return_sequences=True``), self-attention, an
LSTM of 64, ``Dense(1, sigmoid)``; binary cross-entropy, Adam with learning
rate 1e-5. On its own test set of 66 samples, not available to us, its
write-up reports accuracy 0.76, recall 0.59, precision 0.65, F1 0.62 and the
confusion matrix ``[[37 7] [9 13]]``.

This example produces the same report (accuracy, recall, precision, F1,
confusion matrix) with ``MultimodalAttentionClassifier`` at its defaults
(per-step encoders -> concatenation -> masking -> bidirectional LSTM(64) x 2
-> additive attention pooling, scored from each step's own encodings ->
``Dense(1, sigmoid)``; the original's self-attention block is
``attention="self"``), on data generated in the original's shape conventions:
``images`` of shape ``(n, T, H, W, C)`` and ``extra`` of shape ``(n, T,
hours, w_features)`` (:func:`attn_sklearn.datasets.make_multimodal_sequences`).
The label is the XOR of an image pattern and an extra-feature pattern at a few
planted steps, so a model needs both modalities.

It fits the two-modality model and, with the same hyperparameters, an
image-only and an extra-only model (which cannot beat chance here: each
modality alone is independent of the label), scores each on a held-out
quarter of the samples, cross-validates the two-modality model on the packed
structured array (``cross_val_score``), and measures where its attention went:
the mass on the planted steps, and on the steps from the first planted one on
(which the LSTMs' state can carry the planted information to), each against
uniform attention over the real steps.

Measured on 2026-12-02 at the defaults (800 sequences of 12 steps, 200 held
out, ``--random-state 0``; 5.2 minutes on 2 CPU cores that another fit
shared): the two-modality model scored accuracy 0.945, recall 1.00, precision
0.90, F1 0.95, confusion matrix ``[[89 11] [0 100]]``, against 0.76, 0.59,
0.65 and 0.62 reported for the original on its own data (the two data sets
differ: the figures show what each model reached on its task, not which is
better); the image-only and extra-only models scored 0.45 and 0.51, chance;
3-fold cross-validated accuracy 0.985 ± 0.003; 89 % of the attention fell on
the planted steps, where uniform attention would put 17 %, and the
most-attended step was a planted one for 90 % of the held-out sequences.
Before ``entropy_penalty=0.4`` became the default (2026-12-01), the same run
gave held-out accuracy 0.97, cross-validated 0.976 ± 0.008 and 92 % of the
attention on the planted steps.

Artefacts go under ``outputs/image_sequences/`` (``--out-dir``):

* ``metrics.json``: all the figures, and the original's for reference
* ``confusion_matrix.csv``: two-modality model, held-out samples
* ``confusion_matrices.png``: the three models side by side
* ``attention.png``: attention over time steps, planted steps marked

Run ``python examples/plot_image_sequences.py --help`` for options; ``--quick``
is a seconds-long smoke run.
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
from sklearn.metrics import (
    ConfusionMatrixDisplay,
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
)
from sklearn.model_selection import cross_val_score, train_test_split

from attn_sklearn import MASK_VALUE, MultimodalAttentionClassifier, pack_modalities
from attn_sklearn.datasets import make_multimodal_sequences
from attn_sklearn.plotting import plot_attention

# What the original model's write-up reports on its own test set (66 samples).
ORIGINAL_FIGURES = {
    "accuracy": 0.76,
    "recall": 0.59,
    "precision": 0.65,
    "f1": 0.62,
    "confusion_matrix": [[37, 7], [9, 13]],
}
MODELS = {
    "both": ["images", "extra"],
    "images_only": ["images"],
    "extra_only": ["extra"],
}


def classification_metrics(y_true, y_pred):
    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "recall": float(recall_score(y_true, y_pred, zero_division=0)),
        "precision": float(precision_score(y_true, y_pred, zero_division=0)),
        "f1": float(f1_score(y_true, y_pred, zero_division=0)),
        "confusion_matrix": confusion_matrix(y_true, y_pred).tolist(),
    }


def real_steps(X):
    """(n_samples, n_timesteps): steps where some modality of structured ``X`` is not padding."""
    fields = [X[name].reshape(*X[name].shape[:2], -1) for name in X.dtype.names]
    return np.any([~np.all(values == MASK_VALUE, axis=-1) for values in fields], axis=0)


def attention_on_planted(weights, planted, real):
    """Where the attention went, against what uniform attention over the real steps gives.

    The LSTMs carry what they read at a planted step to every later step, so
    attention can use any step from the first planted one on: that mass is
    reported too.
    """
    n_real = real.sum(axis=1)
    on_planted = np.take_along_axis(weights, planted, axis=1).sum(axis=1)
    top_is_planted = np.any(planted == weights.argmax(axis=1)[:, None], axis=1)
    after = np.arange(weights.shape[1]) >= planted[:, :1]
    return {
        "mass_on_planted_steps": float(on_planted.mean()),
        "chance_mass_on_planted_steps": float((planted.shape[1] / n_real).mean()),
        "top_step_is_planted": float(top_is_planted.mean()),
        "mass_from_first_planted_step_on": float((weights * after).sum(axis=1).mean()),
        "chance_mass_from_first_planted_step_on": float(((after & real).sum(1) / n_real).mean()),
        "mean_weight_by_step": weights.mean(axis=0).round(4).tolist(),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=(__doc__ or "").strip().partition("\n")[0])
    parser.add_argument("--n-samples", type=int, default=800, help="number of sequences")
    parser.add_argument("--noise", type=float, default=0.8, help="background noise std")
    parser.add_argument(
        "--min-length", type=int, default=None, help="ragged: shortest real length (padded)"
    )
    parser.add_argument("--epochs", type=int, default=None, help="override the default epochs")
    parser.add_argument("--cv", type=int, default=3, help="cross-validation folds")
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--out-dir", type=Path, default=Path("outputs/image_sequences"))
    parser.add_argument(
        "--quick", action="store_true", help="tiny data and networks: a smoke run for tests"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    out = args.out_dir
    out.mkdir(parents=True, exist_ok=True)

    params = {"random_state": args.random_state}
    n_samples, cv = args.n_samples, args.cv
    if args.quick:
        n_samples, cv = min(n_samples, 80), 2
        params.update(units=4, n_layers=1, bidirectional=False, epochs=2, validation_fraction=0.0)
    if args.epochs is not None:
        params["epochs"] = args.epochs

    modalities, y, planted = make_multimodal_sequences(
        n_samples, noise=args.noise, min_length=args.min_length, random_state=args.random_state
    )
    X = pack_modalities(**modalities)  # one record per sample: scikit-learn can split it
    X_train, X_test, y_train, y_test, _, planted_test = train_test_split(
        X, y, planted, test_size=0.25, stratify=y, random_state=args.random_state
    )

    results = {
        "config": {
            "n_samples": n_samples,
            "n_test": len(y_test),
            "noise": args.noise,
            "min_length": args.min_length,
            "shapes": {name: list(X.dtype[name].shape) for name in X.dtype.names},
            "params": params,
        },
        "models": {},
    }
    fitted = {}
    for name, fields in MODELS.items():
        clf = MultimodalAttentionClassifier(**params)
        tic = time.perf_counter()
        clf.fit(X_train[fields], y_train)  # a multi-field view: only these modalities
        y_pred = clf.predict(X_test[fields])
        results["models"][name] = {
            **classification_metrics(y_test, y_pred),
            "fit_seconds": time.perf_counter() - tic,
            "epochs_trained": len(clf.history_["loss"]),
        }
        fitted[name] = clf
    model = fitted["both"]
    results["n_parameters"] = int(model.model_.count_params())

    tic = time.perf_counter()
    scores = cross_val_score(MultimodalAttentionClassifier(**params), X, y, cv=cv)
    results["cross_validation"] = {
        "folds": cv,
        "accuracy": scores.tolist(),
        "mean": float(scores.mean()),
        "std": float(scores.std()),
        "seconds": time.perf_counter() - tic,
    }

    weights = model.explain(X_test)
    real = real_steps(X_test)
    results["attention"] = attention_on_planted(weights, planted_test, real)
    results["original_reported"] = ORIGINAL_FIGURES
    results["total_seconds"] = time.perf_counter() - start

    with open(out / "metrics.json", "w") as f:
        json.dump(results, f, indent=2)
    pd.DataFrame(
        results["models"]["both"]["confusion_matrix"],
        index=["true_0", "true_1"],
        columns=["pred_0", "pred_1"],
    ).to_csv(out / "confusion_matrix.csv")

    fig, axes = plt.subplots(1, len(MODELS), figsize=(4 * len(MODELS), 3.6))
    for ax, (name, metrics) in zip(axes, results["models"].items(), strict=True):
        ConfusionMatrixDisplay(np.asarray(metrics["confusion_matrix"])).plot(ax=ax, colorbar=False)
        ax.set_title(f"{name}: accuracy {metrics['accuracy']:.2f}")
    fig.tight_layout()
    fig.savefig(out / "confusion_matrices.png", dpi=100)

    n_show = min(40, len(y_test))
    ax = plot_attention(model, X_test[:n_show])
    rows = np.repeat(np.arange(n_show), planted_test.shape[1])
    ax.scatter(planted_test[:n_show].ravel(), rows, marker="x", color="red", s=12, label="planted")
    ax.legend(loc="upper right")
    ax.figure.savefig(out / "attention.png", dpi=100)
    plt.close("all")

    print(json.dumps({k: v for k, v in results.items() if k != "config"}, indent=2))
    return results


if __name__ == "__main__":
    main()
