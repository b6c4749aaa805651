#!/usr/bin/env bash
# Run every benchmark in sequence; tables go to the terminal, JSON to outputs/benchmarks/.
# Usage: bash scripts/bench.sh [--quick] [--out-dir DIR]  (arguments go to every script)
# The full run takes about 40 minutes on 2 cores (the memory benchmark fits on a
# 420,000-row series; the real-data benchmarks fit 3 seeds on 7 data sets);
# --quick is a smoke test of a few minutes. The real-data ones need aeon and statsmodels
# (".[bench]").
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=python; fi
for bench in bench_speed bench_memory bench_throughput; do
    echo
    echo "## $bench"
    "$PY" "benchmarks/$bench.py" "$@"
done
if "$PY" -c "import aeon, statsmodels" 2>/dev/null; then
    for bench in bench_classification bench_regression bench_forecasting; do
        echo
        echo "## $bench"
        "$PY" "benchmarks/$bench.py" "$@"
    done
else
    echo
    echo "## bench_classification, bench_regression, bench_forecasting: skipped (they need aeon and statsmodels: pip install \".[bench]\")"
fi
