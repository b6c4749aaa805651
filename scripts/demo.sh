#!/usr/bin/env bash
# Set up a virtual environment with the package, then run the seed-001 demo.
# Artefacts land in outputs/seed001/. Usage: bash scripts/demo.sh [demo arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh plot
"$PY" examples/seed001_sine_forecast.py "$@"
