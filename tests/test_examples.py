"""The examples run end to end with tiny settings and write every artefact they promise."""

import importlib.util
import json
import math
from pathlib import Path

import pandas as pd
import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _load(name):
    """Import ``examples/<name>.py`` by path: the examples folder is not a package."""
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _finite(value):
    return isinstance(value, float | int) and math.isfinite(value)


@pytest.mark.parametrize("estimator", ["regressor", "forecaster"])
def test_sine_forecast(tmp_path, estimator):
    example = _load("plot_sine_forecast")
    # --quick: 300 values, windows of 10, 2 epochs.
    results = example.main(["--quick", "--estimator", estimator, "--out-dir", str(tmp_path)])
    assert results["estimator"] == f"AttentionLSTM{estimator.title()}"
    # 232 training windows: 8 batches an epoch, so "auto" (the forecaster's) waits 15.
    assert results["patience_used"] == 15
    for artefact in [
        "logs/training_logs.json",
        "models/best_model.keras",
        "models/final_model.keras",
        "predictions/dataset_preview.csv",
        "predictions/val_predictions.csv",
        "predictions/attention_weights.npy",
        "plots/training_loss_curve.png",
        "plots/forecast_plot.png",
        "plots/attention_sample0.png",
    ]:
        assert (tmp_path / artefact).is_file(), artefact
        assert (tmp_path / artefact).stat().st_size > 0, artefact
    metrics = results["attn_sklearn"]
    assert all(_finite(metrics[k]) for k in ("mse", "mae", "r2", "correlation", "fit_seconds"))
    assert metrics["mse"] >= 0 and metrics["mae"] >= 0 and metrics["fit_seconds"] > 0
    assert -1 <= metrics["correlation"] <= 1 and metrics["r2"] <= 1
    assert metrics["mse_over_noise_floor"] == pytest.approx(metrics["mse"] / 0.05**2)
    assert 1 <= results["epochs_trained"] <= 2
    logged = json.loads((tmp_path / "logs/training_logs.json").read_text())
    assert len(logged["history"]["loss"]) == results["epochs_trained"]
    # 300 observations -> 290 windows, of which the last 20% are held out.
    assert len(pd.read_csv(tmp_path / "predictions/val_predictions.csv")) == 290 - int(0.8 * 290)
    assert "original_script" not in results and "fit_time_ratio" not in results


def test_sine_forecast_quick_settings_yield_to_explicit_options(tmp_path):
    example = _load("plot_sine_forecast")
    results = example.main(["--quick", "--window", "20", "--out-dir", str(tmp_path)])
    # 300 observations -> 280 windows of 20, of which the last 20% are held out.
    assert len(pd.read_csv(tmp_path / "predictions/val_predictions.csv")) == 280 - int(0.8 * 280)
    assert 1 <= results["epochs_trained"] <= 2


def test_sine_forecast_compares_with_the_original_script_like_for_like(tmp_path):
    example = _load("plot_sine_forecast")
    results = example.main(["--quick", "--compare-original", "--out-dir", str(tmp_path)])
    original = results["original_script"]
    assert all(_finite(original[k]) for k in ("mse", "mae", "r2", "fit_seconds"))
    # The original script checkpoints as written, so both timed fits write models.
    for name in ("original_best.keras", "original_final.keras"):
        assert (tmp_path / "models" / name).stat().st_size > 0, name
    ratio = results["attn_sklearn"]["fit_seconds"] / original["fit_seconds"]
    assert results["fit_time_ratio"] == pytest.approx(ratio)


@pytest.mark.parametrize("compare_original", [False, True], ids=["alone", "compare-original"])
def test_ragged_classification(tmp_path, compare_original):
    example = _load("plot_ragged_classification")
    flags = ["--compare-original"] if compare_original else []
    results = example.main(["--quick", *flags, "--out-dir", str(tmp_path)])
    for artefact in [
        "summary.json",
        "classification_report.csv",
        "confusion_matrix.csv",
        "confusion_matrix.png",
        "attention_vs_none.csv",
        "attention_on_planted_steps.csv",
        "cv_results.csv",
        "attention_examples.png",
    ]:
        assert (tmp_path / artefact).is_file(), artefact
        assert (tmp_path / artefact).stat().st_size > 0, artefact
    assert json.loads((tmp_path / "summary.json").read_text()) == results

    n_test, n_classes = results["data"]["n_test"], results["data"]["n_classes"]
    assert n_classes == 8 and n_test + results["data"]["n_train"] == 120
    assert results["best_params"]["units"] in results["settings"]["units"]
    assert 0 <= results["cv_accuracy"] <= 1
    rows = ["attention", "none"]
    if compare_original:
        rows += ["library defaults (random_state only)", "original network (plain Keras)"]
    assert list(results["attention_vs_none"]) == rows
    for name in rows:
        row = results["attention_vs_none"][name]
        assert 0 <= row["accuracy"] <= 1 and 0 <= row["macro_f1"] <= 1
        assert _finite(row["fit_seconds"]) and row["fit_seconds"] > 0
        assert 1 <= row["epochs_trained"] <= 2
    assert results["attention_vs_none"]["attention"]["accuracy"] == results["test"]["accuracy"]

    located = results["attention_on_planted_steps"]
    assert 0 <= located["mean_mass"] <= 1 and 0 <= located["recall_at_k"] <= 1
    # Planted steps are 3 of 20 to 60 steps.
    assert 3 / 60 <= located["mean_chance"] <= 3 / 20
    assert located["lift"] == pytest.approx(located["mean_mass"] / located["mean_chance"])

    cm = pd.read_csv(tmp_path / "confusion_matrix.csv", index_col=0)
    assert cm.shape == (n_classes, n_classes) and cm.to_numpy().sum() == n_test
    report = pd.read_csv(tmp_path / "classification_report.csv", index_col=0)
    assert {"precision", "recall", "f1-score", "support"} <= set(report.columns)
    assert report.loc["accuracy", "f1-score"] == pytest.approx(results["test"]["accuracy"])
    per_sequence = pd.read_csv(tmp_path / "attention_on_planted_steps.csv")
    assert len(per_sequence) == n_test
    assert per_sequence["mass_on_planted"].between(0, 1 + 1e-6).all()
    side_by_side = pd.read_csv(tmp_path / "attention_vs_none.csv", index_col=0)
    assert list(side_by_side.index) == rows
    for name in rows:
        assert side_by_side.loc[name, "accuracy"] == pytest.approx(
            results["attention_vs_none"][name]["accuracy"]
        )

    assert results["settings"]["compare_original"] is compare_original
    if not compare_original:
        assert "compare_original" not in results
        assert "original_units" not in results["settings"]
        return
    assert results["compare_original"]["defaults_n_parameters"] > 0
    original = results["compare_original"]["original_network"]
    assert original["units"] == results["settings"]["original_units"] == 8
    assert original["max_epochs"] == 2 and original["batch_size"] == 32
    # The original architecture, counted: 2 x BiLSTM(u) on 3 features, a (2u x 2u) + 1
    # attention, then Dense(8) on the flattened (maxlen, 2u) output.
    u = original["units"]
    recurrent = 2 * 4 * u * (3 + u + 1) + 2 * 4 * u * (2 * u + u + 1)
    maxlen, rest = divmod(original["n_parameters"] - recurrent - (2 * u) ** 2 - 1 - 8, 2 * u * 8)
    assert rest == 0 and 20 <= maxlen <= 60  # the padded length: the longest training sequence


def test_weather_forecast_on_a_generated_record(tmp_path):
    example = _load("plot_weather_forecast")
    # --quick: --days 30 --window 24 --horizon 6 --stride 4 --epochs 2 --units 8
    results = example.main(["--quick", "--out-dir", str(tmp_path)])
    for artefact in ["generated_jena_climate.csv", "metrics.json", "forecast.png", "attention.png"]:
        assert (tmp_path / artefact).stat().st_size > 0, artefact
    assert json.loads((tmp_path / "metrics.json").read_text()) == results
    assert results["hours"] in (30 * 24, 30 * 24 + 1)  # records start at 00:10
    methods = {"AttentionLSTMForecaster", "persistence", "same hour yesterday"}
    assert set(results["mae"]) == methods
    assert all(_finite(mae) and mae > 0 for mae in results["mae"].values())
    assert all(len(errors) == 6 for errors in results["mae_by_lead_hour"].values())
    assert 0 < results["train_windows"] and 0 < results["test_windows"]
