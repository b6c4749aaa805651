"""The gallery's hooks: the arguments each example runs with, and the figures it wrote.

The examples are scripts that write their figures to files under ``--out-dir``
and close them, so the gallery picks up the PNG files each one wrote rather
than the figures left open.
"""

import os
import shutil
from pathlib import Path

from sphinx_gallery.scrapers import figure_rst

OUTPUTS = Path(__file__).resolve().parent / "_build" / "gallery_outputs"


QUICK_NOTE = """
.. note::

   This site was built with ``scripts/docs.sh --quick``: the figures below come from a
   run with the example's ``--quick`` settings (tiny data, a few epochs), not from the
   settings the text describes.

"""


def _quick():
    return os.environ.get("ATTN_DOCS_QUICK", "0") == "1"


def _out_dir(script_path):
    return OUTPUTS / Path(script_path).stem


def example_arguments(gallery_conf, script_vars):
    """``sys.argv[1:]`` of an example: its output folder, and ``--quick`` in a quick build."""
    out = _out_dir(script_vars["src_file"])
    shutil.rmtree(out, ignore_errors=True)  # figures of an earlier build must not show up
    return ["--quick"] * _quick() + ["--out-dir", str(out)]


def written_figures(block, block_vars, gallery_conf):
    """The PNG files the example has written under its output folder and not shown yet."""
    out = _out_dir(block_vars["src_file"])
    shown = block_vars.setdefault("attn_sklearn_shown", set())
    new = sorted(p for p in out.rglob("*.png") if p not in shown) if out.exists() else []
    images = []
    for written, target in zip(new, block_vars["image_path_iterator"], strict=False):
        shutil.copyfile(written, target)
        shown.add(written)
        images.append(target)
    if not images:
        return ""
    rst = figure_rst(images, gallery_conf["src_dir"])
    if _quick():
        rst = QUICK_NOTE + rst
    return rst
