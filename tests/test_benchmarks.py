"""The benchmark scripts run end to end in ``--quick`` mode and write sane JSON.

Each script runs as users run it (``python benchmarks/bench_<name>.py``, in a
subprocess from the repository root) with its output in a temporary folder.
Only the shape and sanity of the figures are checked: speed is never
asserted in a unit test.
"""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
MACHINE_KEYS = {"python", "versions", "cpu_count", "platform", "timestamp"}
VERSION_KEYS = {"tensorflow", "keras", "numpy"}


def _run(script, out_dir, *extra):
    """Run ``benchmarks/<script>.py --quick``; return its parsed JSON and its stdout."""
    # A level set by our own package (or the test runner) is not the user's: drop it.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TF_CPP_MIN_LOG_LEVEL", "ATTN_SKLEARN_TF_CPP_MIN_LOG_LEVEL")
    }
    completed = subprocess.run(
        [sys.executable, f"benchmarks/{script}.py", "--quick", "--out-dir", str(out_dir), *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    document = json.loads((out_dir / f"{script}.json").read_text())
    assert document["benchmark"] == script
    assert MACHINE_KEYS <= set(document["machine"])
    assert VERSION_KEYS <= set(document["machine"]["versions"])
    assert document["machine"]["cpu_count"] >= 1
    assert document["settings"]["quick"] is True
    assert "| " in completed.stdout  # the table
    return document, completed.stdout


def _positive(value):
    return isinstance(value, float | int) and math.isfinite(value) and value > 0


def test_bench_speed_quick(tmp_path):
    results, stdout = _run("bench_speed", tmp_path)
    assert "plain Keras" in stdout
    fit = results["fit"]
    repeats = results["settings"]["repeats"]
    assert len(fit["ours_seconds"]) == len(fit["plain_seconds"]) == repeats
    for key in ("ours_best_seconds", "plain_best_seconds", "ratio", "median_ratio"):
        assert _positive(fit[key]), key
    for key in ("ours_seconds", "plain_seconds", "ours_rows_per_second", "ratio"):
        assert _positive(results["predict"][key]), key
        if key != "plain_seconds":
            assert _positive(results["explain"][key]), key
    assert results["goals"] == {"fit_ratio_max": 1.10, "predict_ratio_max": 1.25}
    latency = results["small_call_latency_seconds"]
    assert set(latency) == {"1", "10", "100"}
    assert all(_positive(v["ours"]) and _positive(v["plain"]) for v in latency.values())


def test_bench_memory_quick(tmp_path):
    results, stdout = _run("bench_memory", tmp_path)
    runs = results["runs"]
    assert [run["window"] for run in runs] == results["settings"]["windows"] == [8, 32]
    for run in runs:
        assert run["status"] == "ok", run
        for key in (
            "series_mib",
            "windows_float32_mib",
            "baseline_rss_mib",
            "peak_rss_mib",
            "peak_minus_baseline_mib",
            "network_alone_mib",
            "fit_seconds",
        ):
            assert _positive(run[key]), (key, run)
        assert run["peak_rss_mib"] > run["baseline_rss_mib"]
        # The callback's stop_training ended the epoch after exactly the requested batches.
        assert run["batches_trained"] == results["settings"]["batches"]
        assert run["batches_trained"] < run["batches_per_epoch"] and run["stopped_mid_epoch"]
        assert run["predictions_finite"]
        assert run["beyond_network_mib"] == pytest.approx(
            run["peak_minus_baseline_mib"] - run["network_alone_mib"]
        )
    assert results["flatness"] >= 1
    assert math.isfinite(results["growth_beyond_network_mib"])
    assert "flatness" in stdout


def test_bench_memory_reports_a_failed_child_instead_of_crashing(tmp_path):
    # A 50 MiB guard stops the child while it is still importing TensorFlow.
    results, stdout = _run("bench_memory", tmp_path, "--windows", "8", "--max-rss-gib", "0.05")
    (run,) = results["runs"]
    assert run["status"].startswith("failed (rc=")
    assert "guard" in run["status"]
    assert results["flatness"] is None and results["growth_beyond_network_mib"] is None
    assert "failed (rc=" in stdout


def test_bench_throughput_quick(tmp_path):
    results, _ = _run("bench_throughput", tmp_path)
    rows = {row["attention"]: row for row in results["results"]}
    assert set(rows) == set(results["settings"]["types"])
    assert "none" in rows and len(rows) > 1  # the quick preset: with and without attention
    for attention, row in rows.items():
        assert _positive(row["fit_samples_per_second"]), attention
        assert _positive(row["predict_samples_per_second"]), attention
        explain = row["explain_samples_per_second"]
        assert explain is None if attention == "none" else _positive(explain), attention
