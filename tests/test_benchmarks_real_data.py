"""The real-data benchmarks (classification, sequence regression, forecasting) run in ``--quick``.

Each script runs as users run it, in a subprocess from the repository root
(``_run`` of ``test_benchmarks.py``), on data that ships inside aeon's wheel.
Only the shape and sanity of the figures are checked: neither accuracy nor
speed is asserted.
"""

import math
import os
import subprocess
import sys

import pytest
from test_benchmarks import ROOT, _run

pytest.importorskip("aeon")

pytestmark = pytest.mark.slow

METHODS = {"attn_lstm", "minirocket", "knn_dtw", "ridge_cv"}
SEEDED = {"attn_lstm", "minirocket"}


def _finite(value):
    return isinstance(value, float | int) and math.isfinite(value)


def _positive(value):
    return _finite(value) and value > 0


def _check_common(results, expected_datasets):
    """Settings, every method on every data set, per-seed runs, positive times."""
    settings = results["settings"]
    assert settings["datasets"] == expected_datasets
    assert settings["seeds"] == [0]
    assert (settings["epochs"], settings["units"]) == (2, 8)
    assert set(results["methods"]) == METHODS
    assert list(results["datasets"]) == expected_datasets
    for name, entry in results["datasets"].items():
        data = entry["data"]
        assert data["n_train"] > 0 and data["n_test"] > 0 and data["n_channels"] >= 1, name
        assert 0 < data["train_length_min"] <= data["train_length_max"], name
        assert set(entry["methods"]) == METHODS, name
        for method, result in entry["methods"].items():
            assert len(result["runs"]) == 1, (name, method)
            assert result["seeds"] == ([0] if method in SEEDED else [None]), (name, method)
            for key in ("fit_seconds", "predict_seconds"):
                assert _positive(result[key]), (name, method, key)
                assert result[f"{key}_std"] is None  # one seed: no spread
            assert isinstance(result["warnings"], dict)
        ours = entry["methods"]["attn_lstm"]
        assert 1 <= ours["best_epoch"] <= ours["epochs_trained"] <= 2, name


def test_bench_classification_quick(tmp_path):
    results, stdout = _run("bench_classification", tmp_path)
    datasets = ["ItalyPowerDemand", "PickupGestureWiimoteZ"]
    _check_common(results, datasets)
    for name, entry in results["datasets"].items():
        data = entry["data"]
        assert data["n_classes"] >= 2, name
        assert 0 < data["majority_accuracy"] < 1, name
        for method, result in entry["methods"].items():
            assert 0 <= result["accuracy"] <= 1, (name, method)
            assert result["runs"][0]["accuracy"] == result["accuracy"]
    # The variable-length set: aeon's list of (channels, T_i) arrays made it through as such.
    pickup = results["datasets"]["PickupGestureWiimoteZ"]
    assert not pickup["data"]["equal_length"]
    assert pickup["data"]["train_length_min"] < pickup["data"]["train_length_max"]
    assert pickup["methods"]["minirocket"]["input"] == "padded"
    assert pickup["methods"]["knn_dtw"]["input"] == "as loaded"
    assert results["datasets"]["ItalyPowerDemand"]["data"]["equal_length"]
    assert "Test accuracy" in stdout and "MiniRocket (equal length only)" in stdout


def test_bench_regression_quick(tmp_path):
    results, stdout = _run("bench_regression", tmp_path)
    datasets = ["Covid3Month", "CardanoSentiment"]
    _check_common(results, datasets)
    for name, entry in results["datasets"].items():
        data = entry["data"]
        assert _positive(data["train_mean_rmse"]) and _positive(data["train_mean_mae"]), name
        assert data["train_mean_mae"] <= data["train_mean_rmse"], name
        for method, result in entry["methods"].items():
            assert _positive(result["rmse"]) and _positive(result["mae"]), (name, method)
            assert result["mae"] <= result["rmse"] + 1e-12, (name, method)
    assert results["datasets"]["CardanoSentiment"]["data"]["n_channels"] == 2
    assert "Test RMSE" in stdout


def test_datasets_option_runs_only_the_chosen_set(tmp_path):
    results, stdout = _run(
        "bench_regression",
        tmp_path,
        *("--datasets", "CardanoSentiment", "--n-kernels", "84"),
        *("--set", "attention=linear", "--set", "learning_rate=0.01"),
    )
    assert list(results["datasets"]) == ["CardanoSentiment"]
    assert results["settings"]["n_kernels"] == 84
    # --set passes any other parameter to ours, read as a literal where it is one.
    assert results["settings"]["params"] == {"attention": "linear", "learning_rate": 0.01}
    assert "except {'attention': 'linear', 'learning_rate': 0.01, 'epochs': 2" in stdout


def test_a_malformed_set_option_is_refused_by_name():
    completed = subprocess.run(
        [sys.executable, "benchmarks/bench_classification.py", "--quick", "--set", "patch_size"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2
    assert "--set: expected NAME=VALUE, e.g. patch_size=4; received 'patch_size'" in (
        completed.stderr
    )


@pytest.mark.parametrize(
    "script", ["bench_classification", "bench_regression", "bench_forecasting"]
)
def test_without_aeon_the_scripts_say_how_to_install_it(script):
    blocked = (  # aeon made unimportable in the child, as if it were not installed
        "import runpy, sys; sys.modules['aeon'] = None; "
        f"sys.argv = ['{script}.py', '--quick']; "
        f"runpy.run_path('benchmarks/{script}.py', run_name='__main__')"
    )
    completed = subprocess.run(
        [sys.executable, "-c", blocked],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": "benchmarks"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1
    assert 'pip install ".[bench]"' in completed.stderr


def test_bench_forecasting_quick(tmp_path):
    pytest.importorskip("statsmodels")
    results, stdout = _run("bench_forecasting", tmp_path, "--set", "learning_rate=0.01")
    assert results["settings"]["series"] == ["nile", "ShampooSales"]
    assert results["settings"]["params"] == {"learning_rate": 0.01}  # --set reaches ours
    networks = {"attn_forecaster", "attn_decoder", "attn_regressor"}
    methods = {"seasonal_naive", "ets", "sarima", *networks}
    assert set(results["methods"]) == methods
    for name, entry in results["series"].items():
        data = entry["data"]
        assert 0 < data["horizon"] < data["window"] < data["n"], name
        assert set(entry["methods"]) == methods, name
        for method, result in entry["methods"].items():
            assert _positive(result["mase"]) and 0 < result["smape"] <= 200, (name, method)
            forecasts = [run["forecast"] for run in result.get("runs", [result])]
            assert all(len(f) == data["horizon"] for f in forecasts), (name, method)
        for method in networks:
            runs = entry["methods"][method]["runs"]
            assert [run["seed"] for run in runs] == [0], (name, method)
            assert 1 <= runs[0]["epochs_trained"] <= 2, (name, method)
    summary = results["summary"]
    assert len(summary) == len(methods)
    assert all(_positive(row["geometric_mean_mase"]) for row in summary.values())
    assert "beats seasonal naive" in stdout
