"""Importing and using the package prints nothing, unless the user asked TensorFlow to talk."""

import ast
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import numpy as np
import attn_sklearn
X = np.random.default_rng(0).normal(size=(40, 6, 2))
reg = attn_sklearn.AttentionLSTMRegressor(units=4, epochs=2, random_state=0)
reg.fit(X, X[:, 0, 0]).predict(X)
reg.explain(X[:3])
import os
print(os.environ["TF_CPP_MIN_LOG_LEVEL"])
"""


def _run(code, **env):
    clean = {k: v for k, v in os.environ.items() if "TF_CPP_MIN_LOG_LEVEL" not in k}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**clean, **env},
        check=True,
    )


def test_import_prints_nothing():
    result = _run("import attn_sklearn")
    assert (result.stdout, result.stderr) == ("", "")


def test_fit_predict_explain_print_nothing():
    result = _run(SCRIPT)
    assert result.stderr == ""
    assert result.stdout == "3\n"


def test_a_log_level_the_user_chose_is_left_alone():
    result = _run(SCRIPT, TF_CPP_MIN_LOG_LEVEL="1")
    assert result.stdout == "1\n"


def test_child_processes_stay_quiet_with_the_level_they_inherit():
    # What a joblib worker of a quiet parent sees: our level and our marker.
    result = _run(SCRIPT, TF_CPP_MIN_LOG_LEVEL="3", ATTN_SKLEARN_TF_CPP_MIN_LOG_LEVEL="3")
    assert result.stderr == ""


def test_a_search_prints_no_retracing_warning():
    # 5 fits (2 candidates x 2 folds + the refit) and their predictions already make
    # TensorFlow warn about retracing when the filter is taken out of attn_sklearn.
    code = """
import numpy as np
from sklearn.model_selection import GridSearchCV
import attn_sklearn
X = np.random.default_rng(0).normal(size=(48, 6))
search = GridSearchCV(
    attn_sklearn.AttentionLSTMRegressor(units=4, epochs=1, random_state=0),
    {"attention": ["additive", "self"]}, cv=2,
).fit(X, X[:, 0])
for n in (1, 5, 17, 48):
    search.predict(X[:n])
"""
    result = _run(code)
    assert result.stderr == ""


def _first_import_line(tree, packages):
    """Line of the first top-level import of one of ``packages`` (``None`` if none)."""
    for node in tree.body:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        if any(name.split(".")[0] in packages for name in names):
            return node.lineno
    return None


def test_examples_and_benchmarks_load_tensorflow_through_the_package():
    # Importing keras or TensorFlow first prints their start-up log lines, which
    # attn_sklearn silences only when it is the one that loads them.
    root = Path(__file__).resolve().parents[1]
    for script in sorted([*root.glob("examples/*.py"), *root.glob("benchmarks/*.py")]):
        tree = ast.parse(script.read_text())
        first_tensorflow = _first_import_line(tree, {"keras", "tensorflow"})
        if first_tensorflow is None:
            continue
        # A sibling module counts when it imports attn_sklearn before keras itself.
        first_package = _first_import_line(tree, {"attn_sklearn"})
        assert first_package is not None and first_package < first_tensorflow, script.name


def test_an_example_that_uses_keras_directly_prints_no_tensorflow_log():
    example = Path(__file__).resolve().parents[1] / "examples" / "plot_sine_forecast.py"
    result = subprocess.run(
        [sys.executable, str(example), "--help"], capture_output=True, text=True, check=True
    )
    assert result.stderr == ""
