"""The README's Python snippets run as written, each in a fresh interpreter, and print."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
SNIPPETS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)


def test_the_readme_has_snippets():
    assert len(SNIPPETS) >= 4


@pytest.mark.slow
@pytest.mark.parametrize("code", SNIPPETS, ids=[f"snippet{i}" for i in range(len(SNIPPETS))])
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
