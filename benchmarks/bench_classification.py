"""Accuracy and speed of AttentionLSTMClassifier next to its peers, on real UCR/UEA data.

What is compared
----------------
Five public UCR/UEA problems that ship inside aeon's wheel, loaded with
``aeon.datasets.load_classification(name, split="train" / "test")`` and
evaluated on their standard train/test split: ``ArrowHead``, ``GunPoint``,
``ItalyPowerDemand``, ``OSULeaf`` (equal length, univariate) and
``PickupGestureWiimoteZ`` (univariate, 29 to 361 steps per series, which
aeon returns as a list of ``(n_channels, n_timesteps_i)`` arrays). Each
series becomes the ``(n_timesteps_i, n_channels)`` array that
``SequencePadder`` takes. Every method gets the same training split and is
scored on the same test split; nothing is tuned per data set.

* ours: ``make_pipeline(SequencePadder(), SequenceScaler(),
  AttentionLSTMClassifier(random_state=s))`` at the estimator's defaults
  (200 epochs at most, early stopping on a stratified 10 % hold-out, or on the
  training loss when 10 % is under two rows per class, with ``patience="auto"``:
  45 epochs on these small sets; ``batch_norm="auto"`` normalises the pooled
  vector of these univariate series),
  for every seed ``s`` of ``--seeds`` (0, 1, 2).
  ``SequenceMasker()`` goes after the padder only when a data set holds NaN.
* MiniRocket: ``aeon``'s ``MiniRocketClassifier(n_kernels=10_000,
  random_state=s, n_jobs=1)`` (its own ridge classifier with
  cross-validated alpha), for the same seeds. It takes equal-length series
  only: on a variable-length set it gets the output of the same padder and
  scaler as ours (standardised with the training mean and standard
  deviation, padded at the end to the longest training series, longer test
  series cut to their last steps), with padding steps set to 0 (the training
  mean), as ``(n, n_channels, n_timesteps)``.
* 1-NN DTW: ``aeon``'s ``KNeighborsTimeSeriesClassifier(n_neighbors=1,
  distance="dtw", n_jobs=1)`` (full warping window) on the series as
  loaded; it takes variable-length series as they are.
* a scikit-learn baseline: ``RidgeClassifierCV(alphas=np.logspace(-3, 3,
  10))`` on the flattened output of the same padder and scaler as ours
  (padding steps set to 0).

Accuracy is measured on the test split. Fit seconds time ``fit`` on the
training split, predict seconds ``predict`` on the test split, each a whole
pipeline (padding and scaling included). Before the timed runs of a data set,
every method is fitted and run once, untimed, on a few of its rows, so that
one-off start-up work (numba compilation in aeon, TensorFlow's first graph)
is not charged to the first data set. The seeded methods (ours, MiniRocket)
show mean ± sample standard deviation over seeds; 1-NN DTW and the ridge
baseline are deterministic and run once. The majority class of the training
split, scored on the test split, is reported as the chance level. Warnings
raised during the timed runs are collected and listed per method.

Timings depend on the machine and its load; they are measured here, never
asserted in a test. ``--quick`` is a smoke test whose figures mean little:
two small data sets, one seed, ``epochs=2, units=8`` for ours and 500
MiniRocket kernels.

    python benchmarks/bench_classification.py [--quick] [--datasets ...] [--seeds 0 1 2]
        [--epochs N] [--units N] [--n-kernels N] [--out-dir DIR]

Needs aeon (``pip install ".[bench]"``).
"""

import numpy as np
from _common import fmt
from _real_data import main as run
from _real_data_report import data_table, print_results

DATASETS = ["ArrowHead", "GunPoint", "ItalyPowerDemand", "OSULeaf", "PickupGestureWiimoteZ"]
FULL = {
    "datasets": DATASETS,
    "seeds": [0, 1, 2],
    "epochs": None,
    "units": None,
    "n_kernels": 10_000,
}
QUICK = {
    "datasets": ["ItalyPowerDemand", "PickupGestureWiimoteZ"],
    "seeds": [0],
    "epochs": 2,
    "units": 8,
    "n_kernels": 500,
}
METHODS = {  # key: (label, seeded)
    "attn_lstm": ("AttentionLSTMClassifier (ours)", True),
    "minirocket": ("MiniRocketClassifier (aeon)", True),
    "knn_dtw": ("1-NN DTW (aeon)", False),
    "ridge_cv": ("RidgeClassifierCV (sklearn)", False),
}


def estimator_classes():
    """The class behind each method (aeon imported here: it is checked for first)."""
    from aeon.classification.convolution_based import MiniRocketClassifier
    from aeon.classification.distance_based import KNeighborsTimeSeriesClassifier
    from sklearn.linear_model import RidgeClassifierCV

    from attn_sklearn import AttentionLSTMClassifier

    return {
        "attn_lstm": AttentionLSTMClassifier,
        "minirocket": MiniRocketClassifier,
        "knn_dtw": KNeighborsTimeSeriesClassifier,
        "ridge_cv": RidgeClassifierCV,
    }


def classification_scores(y_true, y_pred):
    return {"accuracy": float(np.mean(np.asarray(y_pred) == np.asarray(y_true)))}


def classification_warm_rows(y_train, n_test):
    """Two training rows of every class (so that every method sees all classes), 5 test rows."""
    rows = [np.flatnonzero(y_train == label)[:2] for label in np.unique(y_train)]
    return np.sort(np.concatenate(rows)), np.arange(min(5, n_test))


def print_report(results):
    data_table(
        results["datasets"],
        ["classes", "majority-class accuracy"],
        lambda info: [info["n_classes"], fmt(info["majority_accuracy"], ".3f")],
        "Data sets (standard UCR/UEA train/test splits, as shipped with aeon)",
    )
    methods = {k: METHODS[k] for k in results["methods"]}
    defaults = (
        "200 epochs at most; early stopping on a stratified 10 % hold-out, or on the training "
        "loss when 10 % is under two rows per class, with patience 45 on up to 7 batches an "
        "epoch (patience='auto'); the pooled vector of univariate series batch-normalised"
    )
    print_results(results, methods, [("accuracy", "accuracy", ".3f")], "Test accuracy", defaults)


def majority_reference(y_train, y_test):
    labels, counts = np.unique(y_train, return_counts=True)
    return {
        "n_classes": len(labels),
        "majority_accuracy": float(np.mean(y_test == labels[np.argmax(counts)])),
    }


def main(argv=None):
    return run(
        "bench_classification",
        __doc__,
        argv,
        presets=(FULL, QUICK),
        loader="load_classification",
        methods=METHODS,
        classes=estimator_classes,
        scores=classification_scores,
        warm_rows=classification_warm_rows,
        reference=majority_reference,
        report=print_report,
    )


if __name__ == "__main__":
    main()
