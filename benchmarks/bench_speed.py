"""Speed of AttentionLSTMRegressor next to the same network in plain Keras, in one process.

What is compared
----------------
The estimator wraps a Keras network; this script measures what the wrapping
costs. Both sides train and run *the same graph* on the same data in the
same process, so only the estimator's own work differs:

* ours: ``AttentionLSTMRegressor(units=64, attention="linear", epochs=8,
  batch_size=32, validation_fraction=0.0, patience=None, random_state=0)``
  fitted on 3,950 windows of 50 steps of a noisy sine series. ``fit``
  validates the input, standardises ``y``, builds and compiles the network
  and trains it (with its own seeded mini-batch order).
* plain Keras: ``keras.models.clone_model(est.model_)`` (same graph, fresh
  weights), compiled with ``Adam(learning_rate=est.learning_rate)`` and
  ``loss="mse"``, then ``fit(X3d, y_std, batch_size=32, epochs=8,
  shuffle=True)`` with ``X3d`` the float32 windows with a trailing feature
  axis and ``y_std`` the targets standardised exactly as ours does it
  (``est.target_encoder_.transform(y)``). Because our ``fit`` includes
  building the network, the plain side is timed as clone + compile + fit.

Fits alternate between the two sides (in ABBA order, so that neither always
runs first) for ``--repeats`` rounds; the table shows the fastest fit of each
and their ratio ours / plain (goal: at most 1.10). Other load on the machine
only ever adds time, so the fastest of several fits is the least disturbed
estimate of each side's cost (as ``timeit`` reports); the JSON keeps every
time and the medians too.

Inference: both sides are warmed up with one untimed call, then ``est.predict(X)``
and ``est.explain(X)`` are timed against ``plain.predict(X3d)`` (Keras'
default batch of 32) on 10,000 rows, best of ``--repeats`` (goal: at most
1.25 for both). Ours runs the estimator's own inference path (its own
batching and precision, chosen so that a row's output does not depend on
its batch-mates); plain Keras runs ``Model.predict``. Small calls (1, 10
and 100 rows) report the median latency of ``--small-repeats`` calls on
each side, for reference.

Speed is measured here, never asserted in a unit test. ``--quick`` shrinks
everything to a smoke test whose figures mean little.

    python benchmarks/bench_speed.py [--quick] [--repeats 3] [--out-dir DIR]
"""

import numpy as np
from _common import (
    base_parser,
    best_of,
    fill_sizes,
    fmt,
    median_of,
    per_second,
    print_table,
    ratio,
    timed,
    write_json,
)

FULL = {
    "n_train": 3950,
    "n_predict": 10_000,
    "window": 50,
    "units": 64,
    "epochs": 8,
    "batch_size": 32,
    "repeats": 5,
    "small_repeats": 20,
}
QUICK = {
    "n_train": 300,
    "n_predict": 1000,
    "window": 12,
    "units": 8,
    "epochs": 2,
    "batch_size": 32,
    "repeats": 1,
    "small_repeats": 3,
}
SMALL_SIZES = (1, 10, 100)
FIT_GOAL, PREDICT_GOAL = 1.10, 1.25


def parse_args(argv=None):
    parser = base_parser(__doc__)
    for name in FULL:
        flag = "--" + name.replace("_", "-")
        parser.add_argument(flag, type=int, default=None, help=f"default {FULL[name]}")
    return fill_sizes(parser.parse_args(argv), QUICK, FULL)


def make_windows(n_windows, window, random_state):
    """``n_windows`` windows of a noisy sine series and their next-step targets."""
    from attn_sklearn import frame_supervised
    from attn_sklearn.datasets import make_sine_wave

    series = make_sine_wave(n_windows + window, random_state=random_state)
    return frame_supervised(series, window=window)


def as_keras_input(X):
    """What plain Keras takes: float32 with a trailing feature axis."""
    return np.asarray(X, dtype=np.float32)[..., np.newaxis]


# -------------------------------------------------------------------- fit
def fit_ours(args, X, y):
    from attn_sklearn import AttentionLSTMRegressor

    est = AttentionLSTMRegressor(
        units=args.units,
        attention="linear",
        epochs=args.epochs,
        batch_size=args.batch_size,
        validation_fraction=0.0,
        patience=None,
        random_state=0,
    )
    return est.fit(X, y)


def fit_plain(args, est, X3d, y_std):
    """Clone, compile and fit the estimator's graph in plain Keras (timed as a whole)."""
    import keras

    plain = keras.models.clone_model(est.model_)
    plain.compile(optimizer=keras.optimizers.Adam(learning_rate=est.learning_rate), loss="mse")
    plain.fit(X3d, y_std, batch_size=args.batch_size, epochs=args.epochs, shuffle=True, verbose=0)
    return plain


def compare_fits(args, X, y):
    """Alternate ours/plain fits in ABBA order; return the last model of each and all times.

    One untimed fit of each side on a few rows first keeps TensorFlow's
    one-off start-up work (thread pools, kernel selection) out of the figures.
    """
    X3d = as_keras_input(X)
    warm = min(len(X), 4 * args.batch_size)
    est = fit_ours(args, X[:warm], y[:warm])
    fit_plain(args, est, X3d[:warm], est.target_encoder_.transform(y[:warm]))
    times = {"ours": [], "plain": []}
    plain = None
    for round_ in range(args.repeats):
        for side in ("ours", "plain") if round_ % 2 == 0 else ("plain", "ours"):
            if side == "ours":
                est, seconds = timed(fit_ours, args, X, y)
            else:
                y_std = est.target_encoder_.transform(y)  # as ours trains on
                plain, seconds = timed(fit_plain, args, est, X3d, y_std)
            times[side].append(seconds)
    return est, plain, times


# ---------------------------------------------------------------- predict
def compare_inference(args, est, plain, X):
    """Best-of timings of predict/explain (ours) and predict (plain) on all of ``X``."""
    X3d = as_keras_input(X)
    est.predict(X)  # traces the inference functions for this call's batch sizes
    est.explain(X)
    plain.predict(X3d, verbose=0)
    return {
        "ours_predict": best_of(lambda: est.predict(X), args.repeats),
        "ours_explain": best_of(lambda: est.explain(X), args.repeats),
        "plain_predict": best_of(lambda: plain.predict(X3d, verbose=0), args.repeats),
    }


def small_call_latency(args, est, plain, X):
    """Median seconds per call of predict on 1, 10 and 100 rows, ours and plain."""
    X3d = as_keras_input(X)
    latency = {}
    for n in SMALL_SIZES:
        est.predict(X[:n])  # a new batch shape may trace once: keep that out
        plain.predict(X3d[:n], verbose=0)
        latency[str(n)] = {
            "ours": median_of(lambda n=n: est.predict(X[:n]), args.small_repeats),
            "plain": median_of(lambda n=n: plain.predict(X3d[:n], verbose=0), args.small_repeats),
        }
    return latency


# ---------------------------------------------------------------- report
def summarise(args, fit_times, inference, latency):
    import statistics

    fit_median = {side: statistics.median(times) for side, times in fit_times.items()}
    fit_best = {side: min(times) for side, times in fit_times.items()}
    n = args.n_predict
    return {
        "settings": {k: getattr(args, k) for k in FULL} | {"quick": args.quick},
        "goals": {"fit_ratio_max": FIT_GOAL, "predict_ratio_max": PREDICT_GOAL},
        "fit": {
            "ours_seconds": fit_times["ours"],
            "plain_seconds": fit_times["plain"],
            "ours_median_seconds": fit_median["ours"],
            "plain_median_seconds": fit_median["plain"],
            "median_ratio": ratio(fit_median["ours"], fit_median["plain"]),
            "ours_best_seconds": fit_best["ours"],
            "plain_best_seconds": fit_best["plain"],
            "ratio": ratio(fit_best["ours"], fit_best["plain"]),
            "ours_samples_per_second": per_second(args.n_train * args.epochs, fit_best["ours"]),
            "plain_samples_per_second": per_second(args.n_train * args.epochs, fit_best["plain"]),
        },
        "predict": {
            "n_rows": n,
            "ours_seconds": inference["ours_predict"],
            "plain_seconds": inference["plain_predict"],
            "ours_rows_per_second": per_second(n, inference["ours_predict"]),
            "plain_rows_per_second": per_second(n, inference["plain_predict"]),
            "ratio": ratio(inference["ours_predict"], inference["plain_predict"]),
        },
        "explain": {
            "n_rows": n,
            "ours_seconds": inference["ours_explain"],
            "plain_predict_seconds": inference["plain_predict"],
            "ours_rows_per_second": per_second(n, inference["ours_explain"]),
            "ratio": ratio(inference["ours_explain"], inference["plain_predict"]),
        },
        "small_call_latency_seconds": latency,
    }


def verdict(value, goal):
    return "-" if value is None else ("yes" if value <= goal else "NO")


def _row(measure, ours, plain, ratio_value, goal):
    """A row of the comparison table: the figures, their ratio, the goal and whether it is met."""
    return [measure, ours, plain, fmt(ratio_value, ".2f"), f"<= {goal:.2f}",
            verdict(ratio_value, goal)]


def print_report(results):
    fit, predict, explain = results["fit"], results["predict"], results["explain"]
    s = results["settings"]
    ours_rate = f"{fmt(predict['ours_rows_per_second'], ',.0f')} rows/s"
    plain_rate = f"{fmt(predict['plain_rows_per_second'], ',.0f')} rows/s"
    explain_rate = f"{fmt(explain['ours_rows_per_second'], ',.0f')} rows/s"
    rows = [
        _row(
            f"fit ({s['n_train']} windows x {s['epochs']} epochs)",
            f"{fmt(fit['ours_best_seconds'], '.2f')} s",
            f"{fmt(fit['plain_best_seconds'], '.2f')} s",
            fit["ratio"],
            FIT_GOAL,
        ),
        _row(f"predict ({predict['n_rows']} rows)", ours_rate, plain_rate, predict["ratio"],
             PREDICT_GOAL),
        _row(f"explain vs plain predict ({explain['n_rows']} rows)", explain_rate, plain_rate,
             explain["ratio"], PREDICT_GOAL),
    ]
    print_table(
        ["measure", "attn_sklearn", "plain Keras", "ratio ours/plain", "goal", "met"],
        rows,
        title="attn_sklearn vs the same network in plain Keras",
        notes=[
            f"fit: fastest of {s['repeats']} alternating (ABBA) fits per side (median ratio "
            f"{fmt(fit['median_ratio'], '.2f')}); both sides "
            "include building the network (ours inside fit; plain timed as clone + compile "
            "+ fit).",
            f"predict/explain: best of {s['repeats']} after a warm-up call; plain Keras "
            "runs Model.predict (batch 32, float32), ours the estimator's own inference path.",
            "ratio = time ours / time plain: below 1 means attn_sklearn is faster.",
            *(
                ["--quick: tiny sizes, one round; fixed costs dominate, so the goals do not apply."]
                if s["quick"]
                else []
            ),
        ],
    )
    latency = results["small_call_latency_seconds"]
    print_table(
        ["rows per call", "attn_sklearn predict", "plain Keras predict", "ratio ours/plain"],
        [
            [
                n,
                f"{fmt(1e3 * v['ours'], '.2f')} ms",
                f"{fmt(1e3 * v['plain'], '.2f')} ms",
                fmt(ratio(v["ours"], v["plain"]), ".2f"),
            ]
            for n, v in latency.items()
        ],
        title="Latency of small predict calls",
        notes=[f"median of {s['small_repeats']} calls after one warm-up call per size."],
    )


def main(argv=None):
    args = parse_args(argv)
    X_train, y_train = make_windows(args.n_train, args.window, random_state=0)
    X_new, _ = make_windows(args.n_predict, args.window, random_state=1)
    est, plain, fit_times = compare_fits(args, X_train, y_train)
    inference = compare_inference(args, est, plain, X_new)
    latency = small_call_latency(args, est, plain, X_new)
    results = summarise(args, fit_times, inference, latency)
    print_report(results)
    write_json("bench_speed", results, args.out_dir)
    return results


if __name__ == "__main__":
    main()
