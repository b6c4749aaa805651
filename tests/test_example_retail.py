"""The retail-sales example runs headless on a short generated record (its quick form)."""

import importlib.util
import json
import math
from pathlib import Path

import pandas as pd

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "plot_retail_sales.py"


def test_retail_sales_example_runs_and_writes_its_figures_and_plots(tmp_path):
    spec = importlib.util.spec_from_file_location("plot_retail_sales", EXAMPLE)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    # --quick: --days 300 --window 14 --horizon 7 --test-days 40 --epochs 2 --units 8
    results = example.main(["--quick", "--out-dir", str(tmp_path)])
    for artefact in ["metrics.json", "forecast.png", "attention_map.png", "next_days.csv"]:
        assert (tmp_path / artefact).stat().st_size > 0, artefact
    next_days = pd.read_csv(tmp_path / "next_days.csv", index_col="date", parse_dates=True)
    assert list(next_days.columns) == ["horizon_step", "sales", "sales_q0.1", "sales_q0.9"]
    assert len(next_days) == 7 and next_days.index[0] > pd.Timestamp("2021-01-01")
    assert (next_days["sales_q0.1"] <= next_days["sales_q0.9"]).all()
    assert json.loads((tmp_path / "metrics.json").read_text()) == results
    methods = {
        "forecaster with the plan",
        "forecaster without the plan",
        "seasonal naive (last week)",
        "ridge on the framed rows",
    }
    assert set(results["mae"]) == set(results["mae_promotion_days"]) == methods
    assert all(math.isfinite(v) and v > 0 for v in results["mae"].values())
    assert results["test_windows"] == 40 and results["days"] == 300
    # Training windows end, horizon included, before the first test origin.
    assert results["train_windows"] == 300 - 14 - 7 + 1 - 40 - 7 + 1
    assert 0 <= results["interval_80_coverage"] <= 1
    assert math.isfinite(results["next_days_mae"])
