"""The documentation site documents every public name and every example.

``bash scripts/docs.sh`` builds the site (``scripts/test.sh`` runs it after the tests);
these checks keep its sources complete without building it.
"""

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PUBLIC_MODULES = [
    "attn_sklearn",
    "attn_sklearn.datasets",
    "attn_sklearn.inspection",
    "attn_sklearn.plotting",
    "attn_sklearn.layers",
]


def _read_rst(page):
    return (ROOT / "docs" / f"{page}.rst").read_text().splitlines()


def _api_entries():
    """``{module: names}`` the API pages list under each ``currentmodule``."""
    entries, module, in_autosummary = {}, None, False
    lines = [line for page in ["api", "api_mask_value"] for line in _read_rst(page)]
    for line in lines:
        if line and not line.startswith(" "):  # a directive or text ends an autosummary
            in_autosummary = line.startswith(".. autosummary::")
        if match := re.match(r"\.\. currentmodule:: (\S+)", line):
            module = match[1]
        elif match := re.match(r"\.\. data:: (\w+)", line):
            entries.setdefault(module, set()).add(match[1])
        elif in_autosummary and re.match(r"   [A-Za-z_]\w*$", line):
            entries.setdefault(module, set()).add(line.strip())
    return entries


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_name_has_an_api_entry(module_name):
    module = importlib.import_module(module_name)
    public = set(module.__all__) - {"__version__"}
    listed = _api_entries().get(module_name, set())
    assert public - listed == set(), "public names missing from docs/api.rst"
    assert listed - public == set(), "docs/api.rst lists names that are not public"


def test_every_example_is_a_gallery_story_with_a_title():
    examples = sorted(p for p in (ROOT / "examples").glob("*.py") if not p.name.startswith("_"))
    assert examples, "no examples found"
    for path in examples:
        assert path.name.startswith("plot_"), f"{path.name}: the gallery runs plot_*.py only"
        docstring = path.read_text().split('"""')[1].strip().splitlines()
        title, underline = docstring[0], docstring[1]
        assert set(underline) == {"="} and len(underline) == len(title), path.name
