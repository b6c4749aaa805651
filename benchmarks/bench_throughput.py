"""Training and inference throughput of AttentionLSTMRegressor, per attention type.

Prints a table of samples per second (fit: one epoch after a warm-up epoch;
predict and explain: after a warm-up call on the same rows) for windows of ``--window`` steps,
and writes the figures to ``<out-dir>/bench_throughput.json``. The warm-up
keeps building and tracing the network out of the figures, so they compare
the attention types' steady-state cost. Speed is measured here, never
asserted in a unit test. ``--quick`` shrinks everything to a smoke test, on three of
the six attention types (``--types`` chooses others).

    python benchmarks/bench_throughput.py --n-samples 2000 --window 50 --units 64
"""

import numpy as np
from _common import base_parser, fill_sizes, fmt, per_second, print_table, timed, write_json

from attn_sklearn import AttentionLSTMRegressor

TYPES = ["none", "additive", "multiplicative", "linear", "self", "multihead"]
FULL = {"n_samples": 2000, "window": 50, "units": 64, "batch_size": 32}
QUICK = {"n_samples": 200, "window": 10, "units": 8, "batch_size": 32}
# --quick: no attention, a pooling type and a self-attention type cover every code path.
QUICK_TYPES = ["none", "additive", "multihead"]


def parse_args(argv=None):
    parser = base_parser(__doc__)
    for name, value in FULL.items():
        flag = "--" + name.replace("_", "-")
        parser.add_argument(flag, type=int, default=None, help=f"default {value}")
    parser.add_argument(
        "--types", nargs="+", default=None, choices=TYPES, help="default: all; --quick: a few"
    )
    args = fill_sizes(parser.parse_args(argv), QUICK, FULL)
    if args.types is None:
        args.types = QUICK_TYPES if args.quick else TYPES
    return args


def measure(attention, args, X, y):
    """Samples per second of one more epoch, of predict and of explain for ``attention``."""
    est = AttentionLSTMRegressor(
        attention=attention,
        units=args.units,
        batch_size=args.batch_size,
        epochs=1,
        validation_fraction=0.0,
        patience=None,
        random_state=0,
    )
    est.fit(X, y)  # builds and traces the training step
    _, fit_seconds = timed(est.partial_fit, X, y)
    est.predict(X)  # warm-up: traces inference for these batch shapes
    _, predict_seconds = timed(est.predict, X)
    explain_rate = None
    if attention != "none":  # no attention, nothing to explain
        est.explain(X)
        explain_rate = per_second(len(X), timed(est.explain, X)[1])
    return {
        "attention": attention,
        "fit_samples_per_second": per_second(len(X), fit_seconds),
        "predict_samples_per_second": per_second(len(X), predict_seconds),
        "explain_samples_per_second": explain_rate,
    }


def main(argv=None):
    args = parse_args(argv)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(args.n_samples, args.window))
    y = X[:, -1] + 0.1 * rng.normal(size=args.n_samples)
    rows = []
    for attention in args.types:
        rows.append(measure(attention, args, X, y))
        print(f"{attention}: done", flush=True)
    print_table(
        ["attention", "fit samples/s", "predict samples/s", "explain samples/s"],
        [
            [
                r["attention"],
                fmt(r["fit_samples_per_second"], ",.0f"),
                fmt(r["predict_samples_per_second"], ",.0f"),
                fmt(r["explain_samples_per_second"], ",.0f"),
            ]
            for r in rows
        ],
        title=f"Throughput: {args.n_samples} windows of {args.window} steps, units={args.units}",
        notes=[
            "fit: one epoch (partial_fit) after a warm-up epoch (fit); predict/explain: one "
            "call on all rows after a warm-up call on the same rows.",
            'explain is "-" without attention: there is nothing to explain.',
        ],
    )
    settings = {name: getattr(args, name) for name in FULL}
    results = {"settings": settings | {"types": args.types, "quick": args.quick}, "results": rows}
    write_json("bench_throughput", results, args.out_dir)
    return results


if __name__ == "__main__":
    main()
