#!/usr/bin/env bash
# Set up a virtual environment with the package, then run the seed-001 demo.
# Artefacts land in outputs/seed001/. Usage: bash scripts/demo.sh [demo arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e ".[plot]"
"$VENV/bin/python" examples/seed001_sine_forecast.py "$@"
