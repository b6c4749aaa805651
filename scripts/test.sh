#!/usr/bin/env bash
# Set up a virtual environment with the package and its test extras, then lint and test.
# Usage: bash scripts/test.sh [extra pytest arguments, e.g. -m "not slow"]
# TEST_WORKERS (default 2) pytest-xdist processes share the tests, a test module per
# worker at a time so that module-scoped fitted models are fitted once.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh test,docs
"$PY" -m ruff check attn_sklearn tests examples benchmarks docs
"$PY" -m pytest -n "${TEST_WORKERS:-2}" --dist loadscope --doctest-modules --durations=30 \
    attn_sklearn tests "$@"
# The documentation site, warning-free, its gallery examples with tiny settings.
bash scripts/docs.sh --quick
