#!/usr/bin/env bash
# Set up a virtual environment with the package and its docs extra, then build the
# documentation site into docs/_build/html, failing on any warning.
# Usage: bash scripts/docs.sh [--full]
#   default: the gallery runs each example with --quick (tiny settings, minutes in all);
#   --full:  the examples at their own sizes (their figures as documented; an hour or more).
set -euo pipefail
cd "$(dirname "$0")/.."
quick=1
for arg in "$@"; do
    case "$arg" in
        --full) quick=0 ;;
        *) echo "usage: bash scripts/docs.sh [--full]" >&2; exit 2 ;;
    esac
done
source scripts/venv.sh docs
rm -rf docs/_build docs/generated docs/auto_examples docs/sg_execution_times.rst
ATTN_DOCS_QUICK=$quick "$PY" -m sphinx -W --keep-going -b html -j 1 docs docs/_build/html
echo "Built docs/_build/html/index.html"
