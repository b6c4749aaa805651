#!/usr/bin/env bash
# Set up a virtual environment with the package and its docs extra, then build the
# documentation site into docs/_build/html, failing on any warning.
# Usage: bash scripts/docs.sh [--quick]
#   default:  the gallery runs every example at its own settings, so its figures are the
#             documented ones (13 minutes on 2 cores, nearly half of it the attention ablation);
#   --quick:  each example with --quick (tiny settings, about a minute in all): a check
#             that the site builds, whose gallery figures mean little (CI builds this).
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
for arg in "$@"; do
    case "$arg" in
        --quick) quick=1 ;;
        *) echo "usage: bash scripts/docs.sh [--quick]" >&2; exit 2 ;;
    esac
done
source scripts/venv.sh docs
rm -rf docs/_build docs/generated docs/auto_examples docs/sg_execution_times.rst
ATTN_DOCS_QUICK=$quick "$PY" -m sphinx -W --keep-going -b html -j 1 docs docs/_build/html
echo "Built docs/_build/html/index.html"
