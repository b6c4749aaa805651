"""Sphinx configuration of the attn_sklearn documentation site (``bash scripts/docs.sh``)."""

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS))  # _gallery.py: the gallery's argument and figure hooks

import numpydoc.xref  # noqa: E402

import attn_sklearn  # noqa: E402

project = "attn_sklearn"
author = "the attn_sklearn developers"
copyright = "2026, the attn_sklearn developers"
release = version = attn_sklearn.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_templates", "auto_examples/*.ipynb", "auto_examples/*.zip"]
templates_path = ["_templates"]

# API pages: one per public name, generated from the numpydoc docstrings.
autosummary_generate = True
autosummary_imported_members = True
# The class template (docs/_templates/autosummary/class.rst) documents each class's own
# public methods and properties. It leaves out what the base classes document (scikeras,
# scikit-learn, Keras), and from_config and scikit-learn's metadata-routing methods,
# whose docstrings are Markdown or point into other projects' docs and would fail -W.
autodoc_typehints = "none"  # the numpydoc "Parameters" sections say the types
numpydoc_show_class_members = False  # the class template lists the methods itself
numpydoc_class_members_toctree = False
# Parameter types are rendered as plain words: numpydoc's default links point into
# Python's inventory, which an offline build cannot fetch. (Rendering them as rST would
# read "shape (n_features_in_,)" as a link target.)
numpydoc_xref_param_type = True
numpydoc_xref_ignore = "all"
numpydoc.xref.DEFAULT_LINKS.clear()

# Markdown pages (the user guide is written in Markdown, readable on GitHub too).
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

# The gallery runs every examples/plot_*.py as a script and shows the figures it writes.
# ATTN_DOCS_QUICK=1 (scripts/docs.sh --quick) passes --quick: tiny settings, a check only.
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"(^|/)_[^/]*\.py$",  # helpers the examples import
    "doc_module": ("attn_sklearn",),
    "backreferences_dir": "generated/backreferences",
    "reset_argv": "_gallery.example_arguments",
    "image_scrapers": ("_gallery.written_figures",),
    "reset_modules": ("matplotlib",),
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "within_subsection_order": "FileNameSortKey",
    "show_memory": False,
    "capture_repr": (),
}

html_theme = "pydata_sphinx_theme"
html_title = f"attn_sklearn {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_prev_next": True,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_show_sourcelink = False
