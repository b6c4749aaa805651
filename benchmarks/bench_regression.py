"""Error and speed of AttentionLSTMRegressor next to its peers, on real sequence regression data.

What is compared
----------------
Two public extrinsic (sequence-to-scalar) regression problems of the
Monash/UEA archive that ship inside aeon's wheel, loaded with
``aeon.datasets.load_regression(name, split="train" / "test")`` and
evaluated on their standard train/test split:

* ``Covid3Month``: 140 / 61 univariate series of 84 steps, a country's daily
  confirmed Covid-19 cases over three months; the target is its death rate
  on 1 April 2020;
* ``CardanoSentiment``: 74 / 33 series of 24 hourly steps with 2 channels
  (close price and traded volume of the Cardano cryptocurrency over a day);
  the target is the day's normalised sentiment score.

Each series becomes the ``(n_timesteps, n_channels)`` array that
``SequencePadder`` takes. Every method gets the same training split and is
scored on the same test split; nothing is tuned per data set.

* ours: ``make_pipeline(SequencePadder(), SequenceScaler(),
  AttentionLSTMRegressor(random_state=s))`` at the estimator's defaults
  (100 epochs at most, early stopping with patience 15 on the last 10 % of
  the training rows; the target is standardised inside the estimator), for
  every seed ``s`` of ``--seeds`` (0, 1, 2). ``SequenceMasker()`` goes after
  the padder only when a data set holds NaN.
* MiniRocket: ``aeon``'s ``MiniRocketRegressor(n_kernels=10_000,
  random_state=s, n_jobs=1)`` (its own ``RidgeCV`` on the standardised
  features), for the same seeds; a variable-length set would get the same
  padded input as in ``bench_classification.py``.
* 1-NN DTW: ``aeon``'s ``KNeighborsTimeSeriesRegressor(n_neighbors=1,
  distance="dtw", n_jobs=1)`` (full warping window) on the series as loaded.
* a scikit-learn baseline: ``RidgeCV(alphas=np.logspace(-3, 3, 10))`` on the
  flattened output of the same padder and scaler as ours (padding steps, if
  any, set to 0).

Test RMSE and MAE are reported next to those of predicting the training
mean (the level a model must beat). Fit and predict seconds, the untimed
warm-up, seeds, mean ± sample standard deviation and collected warnings are
as in ``bench_classification.py``; both use ``_real_data.py`` and ``_real_data_report.py``.

Timings depend on the machine and its load; they are measured here, never
asserted in a test. ``--quick`` is a smoke test whose figures mean little:
one seed, ``epochs=2, units=8`` for ours and 500 MiniRocket kernels.

    python benchmarks/bench_regression.py [--quick] [--datasets ...] [--seeds 0 1 2]
        [--epochs N] [--units N] [--n-kernels N] [--out-dir DIR]

Needs aeon (``pip install ".[bench]"``).
"""

import numpy as np
from _common import fmt
from _real_data import main as run
from _real_data_report import data_table, print_results

DATASETS = ["Covid3Month", "CardanoSentiment"]
FULL = {
    "datasets": DATASETS,
    "seeds": [0, 1, 2],
    "epochs": None,
    "units": None,
    "n_kernels": 10_000,
}
QUICK = {"datasets": DATASETS, "seeds": [0], "epochs": 2, "units": 8, "n_kernels": 500}
METHODS = {  # key: (label, seeded)
    "attn_lstm": ("AttentionLSTMRegressor (ours)", True),
    "minirocket": ("MiniRocketRegressor (aeon)", True),
    "knn_dtw": ("1-NN DTW regressor (aeon)", False),
    "ridge_cv": ("RidgeCV (sklearn)", False),
}


def estimator_classes():
    """The class behind each method (aeon imported here: it is checked for first)."""
    from aeon.regression.convolution_based import MiniRocketRegressor
    from aeon.regression.distance_based import KNeighborsTimeSeriesRegressor
    from sklearn.linear_model import RidgeCV

    from attn_sklearn import AttentionLSTMRegressor

    return {
        "attn_lstm": AttentionLSTMRegressor,
        "minirocket": MiniRocketRegressor,
        "knn_dtw": KNeighborsTimeSeriesRegressor,
        "ridge_cv": RidgeCV,
    }


def regression_scores(y_true, y_pred):
    error = np.asarray(y_pred, dtype=np.float64).ravel() - np.asarray(y_true, dtype=np.float64)
    return {"rmse": float(np.sqrt(np.mean(error**2))), "mae": float(np.mean(np.abs(error)))}


def regression_warm_rows(y_train, n_test):
    """The first 10 training rows and 5 test rows."""
    return np.arange(min(10, len(y_train))), np.arange(min(5, n_test))


def mean_reference(y_train, y_test):
    """Target statistics and the test errors of predicting the training mean."""
    y_train = np.asarray(y_train, dtype=np.float64)
    baseline = regression_scores(y_test, np.full(len(y_test), y_train.mean()))
    return {
        "target_train_mean": float(y_train.mean()),
        "target_train_std": float(y_train.std()),
        "target_test_std": float(np.std(np.asarray(y_test, dtype=np.float64))),
        "train_mean_rmse": baseline["rmse"],
        "train_mean_mae": baseline["mae"],
    }


REFERENCE_COLUMNS = ("target_train_std", "train_mean_rmse", "train_mean_mae")


def print_report(results):
    data_table(
        results["datasets"],
        ["target std (train)", "RMSE of train mean", "MAE of train mean"],
        lambda info: [fmt(info[key], ".4g") for key in REFERENCE_COLUMNS],
        "Data sets (standard train/test splits, as shipped with aeon)",
    )
    methods = {k: METHODS[k] for k in results["methods"]}
    defaults = "100 epochs at most, early stopping with patience 15 on a 10 % hold-out"
    print_results(
        results, methods, [("rmse", "RMSE", ".4g"), ("mae", "MAE", ".4g")], "Test RMSE", defaults
    )


def main(argv=None):
    return run(
        "bench_regression",
        __doc__,
        argv,
        presets=(FULL, QUICK),
        loader="load_regression",
        methods=METHODS,
        classes=estimator_classes,
        scores=regression_scores,
        warm_rows=regression_warm_rows,
        reference=mean_reference,
        report=print_report,
    )


if __name__ == "__main__":
    main()
