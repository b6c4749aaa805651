import importlib.util
from pathlib import Path

import numpy as np
import pytest

EXAMPLE = Path(__file__).parents[1] / "examples" / "plot_attention_ablation.py"


@pytest.mark.slow
def test_attention_ablation_example_runs_quickly(tmp_path):
    spec = importlib.util.spec_from_file_location("plot_attention_ablation", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table = module.main(["--quick", "--out-dir", str(tmp_path)])
    assert {"ablation.csv", "ablation.md", "ablation.png"} <= {p.name for p in tmp_path.iterdir()}
    assert len(table) == 2 * 5
    assert set(table["attention"]) == {"none", "additive", "multiplicative", "self", "multihead"}
    assert np.all(np.isfinite(table["score_mean"])) and np.all(table["fit_seconds_mean"] > 0)
