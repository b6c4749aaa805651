#!/usr/bin/env bash
# Set up a virtual environment with the package and its test extras, then lint and test.
# Usage: bash scripts/test.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e ".[test]"
"$VENV/bin/ruff" check attn_sklearn tests examples
"$VENV/bin/python" -m pytest --doctest-modules attn_sklearn tests "$@"
