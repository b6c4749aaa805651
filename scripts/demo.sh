#!/usr/bin/env bash
# Set up a virtual environment with the package, then run the sine-forecast demo.
# Artefacts land in outputs/sine_forecast/. Usage: bash scripts/demo.sh [demo arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh plot
"$PY" examples/plot_sine_forecast.py "$@"
