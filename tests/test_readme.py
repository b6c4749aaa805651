"""The Python snippets of the README and of the guide's pages run as written.

(The tour's forecasting section runs in test_forecaster.py.)

Each runs in a fresh interpreter and must print, and write nothing to stderr.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = {
    "snippet": ROOT / "README.md",
    "choosing_settings": ROOT / "docs" / "choosing_settings.md",
    "classification": ROOT / "docs" / "classification.md",
}


def _snippets(path):
    return re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.DOTALL)


SNIPPETS = _snippets(DOCUMENTS["snippet"])
ALL_SNIPPETS = [
    pytest.param(code, id=f"{name}{i}")
    for name, path in DOCUMENTS.items()
    for i, code in enumerate(_snippets(path))
]


def test_the_readme_has_snippets():
    assert len(SNIPPETS) >= 4
    assert _snippets(DOCUMENTS["choosing_settings"])
    assert _snippets(DOCUMENTS["classification"])


@pytest.mark.slow
@pytest.mark.parametrize("code", ALL_SNIPPETS)
def test_snippet_runs_as_written_and_prints(code, tmp_path):
    # As in a fresh shell: no TensorFlow log level chosen, matplotlib headless.
    env = {k: v for k, v in os.environ.items() if "TF_CPP_MIN_LOG_LEVEL" not in k}
    env["MPLBACKEND"] = "Agg"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip(), "a snippet should print what it shows"
    assert result.stderr == "", result.stderr[-3000:]
