"""Peak memory of fitting a windowed pipeline on a long multivariate series.

What is measured
----------------
A 420,000 x 14 float64 series (a random walk, generated in place) is framed
for next-step forecasting of column 0 (``y[i] = series[i + 1, 0]``, the last
row dropped) and fitted with::

    make_pipeline(
        SlidingWindowTransformer(window=W),
        AttentionLSTMRegressor(units=16, epochs=1, batch_size=256,
                               validation_fraction=0.1, patience=None,
                               random_state=0, callbacks=[StopAfterBatches(20)]),
    )

for windows of 24, 144 and 576 steps; then the pipeline predicts the last
2,000 rows. Materialised in float32, the windows alone would take
``n x W x 14 x 4`` bytes: 0.5 GiB for 24 steps, 13 GiB for 576. The
network's own activations and gradients grow with ``W`` whatever feeds it,
so each window is also measured for the *network alone*: the same network
in plain Keras, trained, validated and predicting on random batches of the
same shapes, holding no series. The summary says how much more the
pipeline's peak grows from the shortest to the longest window than the
network's own does (about 0: input handling does not grow with the window).

Each window length runs in fresh child processes (this script with the
hidden ``--child W`` option), so that peaks do not carry over. A child
imports attn_sklearn, generates the series, fits the same pipeline on a few
windows (TensorFlow's one-off start-up; the network-alone child does the
same), then takes its resident memory (``VmRSS``) as the *baseline* and,
after ``fit`` and ``predict``, its high-water mark (``VmHWM``) as the
*peak*. Peak minus baseline is what fitting and predicting added, building
and tracing the network included.

Why the fit is cut short: training 420,000 windows of 576 steps on 2 cores
would take hours, while the memory goes to input handling (validation, the
float32 cast, tensors, batching), done by the first batches. A callback sets
``model.stop_training`` after ``--batches`` batches (20); Keras 3 leaves the
epoch at once, then still evaluates the validation tail (measured too). The
child checks that exactly ``--batches`` batches ran; *fit seconds* is that
truncated fit, not an epoch.

A child that fails (``MemoryError``, killed by the kernel, or stopped by
this script's own guard when its resident memory would exceed
``--max-rss-gib``, by default 80 % of the memory available at start) is
reported as ``failed (...)``; the other windows still run. Linux only (``/proc``).

``--quick``: a 20,000 x 14 series, windows of 8 and 32 steps, 5 batches.

    python benchmarks/bench_memory.py [--quick] [--rows N] [--windows 24 144 576]
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    available_mib,
    base_parser,
    fill_sizes,
    fmt,
    print_table,
    proc_status_kib,
    ratio,
    write_json,
)

N_FEATURES = 14
N_PREDICT = 2000
BATCH_SIZE, VALIDATION_FRACTION = 256, 0.1
FULL = {"rows": 420_000, "windows": [24, 144, 576], "batches": 20}
QUICK = {"rows": 20_000, "windows": [8, 32], "batches": 5}
RESULT_PREFIX = "BENCH_MEMORY_RESULT "
MIB = 2**20


def make_series(n_rows, seed=0):
    """A ``(n_rows, 14)`` float64 random walk, generated in place (no temporaries)."""
    import numpy as np

    series = np.empty((n_rows, N_FEATURES))
    np.random.default_rng(seed).standard_normal(out=series)
    np.cumsum(series, axis=0, out=series)
    return series


def stop_after_batches_callback(n_batches):
    """A Keras callback that stops training after ``n_batches`` batches, counting them."""
    import keras

    class StopAfterBatches(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.batches_run = 0

        def on_train_batch_end(self, batch, logs=None):
            self.batches_run += 1
            if self.batches_run >= n_batches:
                self.model.stop_training = True

    return StopAfterBatches()


def run_child(window, n_rows, n_batches):
    """Measure one window length in this (fresh) process; return the figures as a dict."""
    import numpy as np
    from sklearn.base import clone
    from sklearn.pipeline import make_pipeline

    from attn_sklearn import AttentionLSTMRegressor, SlidingWindowTransformer

    series = make_series(n_rows)
    X, y = series[:-1], np.ascontiguousarray(series[1:, 0])
    stopper = stop_after_batches_callback(n_batches)
    pipeline = make_pipeline(
        SlidingWindowTransformer(window=window),
        AttentionLSTMRegressor(
            units=16,
            epochs=1,
            batch_size=BATCH_SIZE,
            validation_fraction=VALIDATION_FRACTION,
            patience=None,
            random_state=0,
            callbacks=[stopper],
        ),
    )
    # TensorFlow's one-off start-up (thread pools, tf.data, tracing) is paid before the
    # baseline, as in run_network_alone: a fit of the same pipeline on a few windows.
    warm = window + 64
    clone(pipeline).set_params(attentionlstmregressor__callbacks=None).fit(X[:warm], y[:warm])
    baseline_kib = proc_status_kib("VmRSS")
    hwm_before_kib = proc_status_kib("VmHWM")
    start = time.perf_counter()
    pipeline.fit(X, y)
    fit_seconds = time.perf_counter() - start
    hwm_after_fit_kib = proc_status_kib("VmHWM")
    start = time.perf_counter()
    predictions = pipeline.predict(X[-N_PREDICT:])
    predict_seconds = time.perf_counter() - start
    peak_kib = proc_status_kib("VmHWM")
    n_windows = len(X)
    n_train = n_windows - int(VALIDATION_FRACTION * n_windows)  # the estimator's split
    per_epoch = -(-n_train // BATCH_SIZE)
    return {
        "window": window,
        "n_rows": n_rows,
        "n_windows": n_windows,
        "series_mib": series.nbytes / MIB,
        "windows_float32_mib": n_windows * window * N_FEATURES * 4 / MIB,
        "baseline_rss_mib": baseline_kib / 1024,
        "peak_before_fit_mib": hwm_before_kib / 1024,
        "peak_after_fit_mib": hwm_after_fit_kib / 1024,
        "peak_rss_mib": peak_kib / 1024,
        "peak_minus_baseline_mib": (peak_kib - baseline_kib) / 1024,
        "fit_seconds": fit_seconds,
        "predict_seconds": predict_seconds,
        "batches_requested": n_batches,
        "batches_trained": stopper.batches_run,
        "batches_per_epoch": per_epoch,
        "stopped_mid_epoch": stopper.batches_run == n_batches < per_epoch,
        "predictions_finite": bool(np.isfinite(predictions).all()),
    }


def run_network_alone(window, n_rows, n_batches):
    """The same network's own peak memory: plain Keras on generated batches of the same shapes.

    Nothing of ours runs while it is measured and no series is held: Keras
    trains ``n_batches`` batches of random windows, evaluates as many
    validation batches as the pipeline's 10 % tail makes, and predicts
    ``N_PREDICT`` rows. What the pipeline needs beyond this is input handling.
    """
    import keras
    import numpy as np
    import tensorflow as tf

    from attn_sklearn import AttentionLSTMRegressor

    tiny = make_series(window + 8)  # the same network, fitted on a few windows (start-up)
    est = AttentionLSTMRegressor(units=16, epochs=1, batch_size=BATCH_SIZE, random_state=0)
    est.fit(np.stack([tiny[i : i + window] for i in range(8)]), tiny[window:, 0])
    network = keras.models.clone_model(est.model_)  # fresh: traced in the measured fit, as ours
    network.compile(optimizer="adam", loss="mse")
    n_val = int(VALIDATION_FRACTION * (n_rows - 1))

    def random_batches(n, size):
        shapes = ((size, window, N_FEATURES), (size, 1))
        return tf.data.Dataset.range(n).map(lambda _: tuple(tf.random.normal(s) for s in shapes))

    baseline_kib = proc_status_kib("VmRSS")
    network.fit(
        random_batches(n_batches, BATCH_SIZE),
        validation_data=random_batches(-(-n_val // BATCH_SIZE), BATCH_SIZE),
        verbose=0,
    )
    network.predict(np.zeros((N_PREDICT, window, N_FEATURES), np.float32), verbose=0)
    return {"network_alone_mib": (proc_status_kib("VmHWM") - baseline_kib) / 1024}


def child_main(args):
    run = run_network_alone if args.network_alone else run_child
    result = run(args.child, args.rows, args.batches)
    print(RESULT_PREFIX + json.dumps(result), flush=True)


# -------------------------------------------------------------- parent
def watch(process, max_rss_mib, poll_seconds=0.05):
    """Wait for ``process``, killing it if its resident memory passes ``max_rss_mib``.

    Returns ``None``, or the reason the guard killed it.
    """
    while process.poll() is None:
        rss_kib = proc_status_kib("VmRSS", process.pid)
        if rss_kib is not None and rss_kib / 1024 > max_rss_mib:
            process.kill()
            process.wait()
            return f"RSS over the {max_rss_mib / 1024:.1f} GiB guard"
        time.sleep(poll_seconds)
    return None


def spawn(args, window, *extra):
    """Run this script as a child for ``window``: ``(its figures or None, failure reason)``."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(window)]
    command += ["--rows", str(args.rows), "--batches", str(args.batches), *extra]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        killed_by_guard = watch(process, args.max_rss_gib * 1024)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    lines = [line for line in stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if process.returncode == 0 and lines:
        return json.loads(lines[-1][len(RESULT_PREFIX) :]), None
    reason = f"rc={process.returncode}"
    if killed_by_guard:
        reason += f", {killed_by_guard}"
    elif "MemoryError" in stderr:
        reason += ", MemoryError"
    print(f"window {window}: failed ({reason})\n{stderr[-2000:]}", flush=True)
    return None, reason


def measure_window(args, window):
    """The pipeline's figures for ``window`` and the network's alone, or a ``failed`` record."""
    print(f"window {window}: measuring in fresh processes ...", flush=True)
    start = time.perf_counter()
    result, reason = spawn(args, window)
    if result is not None:
        alone, reason = spawn(args, window, "--network-alone")
    if reason is None:
        beyond = result["peak_minus_baseline_mib"] - alone["network_alone_mib"]
        return result | alone | {
            "beyond_network_mib": beyond,
            "status": "ok",
            "child_seconds": time.perf_counter() - start,
        }
    return {
        "window": window,
        "n_rows": args.rows,
        "n_windows": args.rows - 1,
        "windows_float32_mib": (args.rows - 1) * window * N_FEATURES * 4 / MIB,
        "series_mib": args.rows * N_FEATURES * 8 / MIB,
        "status": f"failed ({reason})",
        "child_seconds": time.perf_counter() - start,
    }


def flatness(runs):
    """Largest over smallest peak increase across the successful runs (1 is perfectly flat)."""
    increases = [r["peak_minus_baseline_mib"] for r in runs if r["status"] == "ok"]
    if len(increases) < 2:
        return None
    return ratio(max(increases), min(increases))


def growth_beyond_network(runs):
    """From the shortest to the longest window: the pipeline's growth minus the network's."""
    ok = sorted((r for r in runs if r["status"] == "ok"), key=lambda r: r["window"])
    if len(ok) < 2:
        return None
    first, last = ok[0], ok[-1]
    ours = last["peak_minus_baseline_mib"] - first["peak_minus_baseline_mib"]
    return ours - (last["network_alone_mib"] - first["network_alone_mib"])


def _measured(run, key, spec=",.0f", *, show_failure=False):
    """A measured figure of ``run``; for a failed child, its status or a dash."""
    if run["status"] == "ok":
        return fmt(run[key], spec)
    return run["status"] if show_failure else "-"


def _of_epoch(runs):
    """The " of N per epoch" text, from the first successful run (empty if none succeeded)."""
    ok = [r for r in runs if r["status"] == "ok"]
    return f" of {ok[0]['batches_per_epoch']:,} per epoch" if ok else ""


def print_report(results):
    rows = [
        [
            r["window"],
            fmt(r["windows_float32_mib"], ",.0f"),
            fmt(r["series_mib"], ",.1f"),
            _measured(r, "baseline_rss_mib"),
            _measured(r, "peak_rss_mib", show_failure=True),
            _measured(r, "peak_minus_baseline_mib"),
            _measured(r, "network_alone_mib"),
            _measured(r, "beyond_network_mib"),
            _measured(r, "fit_seconds", ".1f"),
        ]
        for r in results["runs"]
    ]
    s = results["settings"]
    print_table(
        [
            "window",
            "windows in float32 would be (MiB)",
            "series (MiB)",
            "baseline RSS (MiB)",
            "peak RSS (MiB)",
            "peak - baseline (MiB)",
            "network alone (MiB)",
            "beyond the network (MiB)",
            "fit seconds",
        ],
        rows,
        title=f"Peak memory of fit + predict on a {s['rows']:,} x {N_FEATURES} series",
        notes=[
            f"flatness (max / min of peak - baseline): {fmt(results['flatness'], '.2f')}; "
            "from the shortest to the longest window the pipeline's peak grows by "
            f"{fmt(results['growth_beyond_network_mib'], ',.0f')} MiB beyond the network's own "
            "growth (about 0: input handling does not grow with the window).",
            "network alone: the same network in plain Keras, fed random batches of the same "
            "shapes (training, validation, predict), no series held: its activations and "
            "gradients, which grow with the window whatever feeds them.",
            "each window in a fresh process; baseline = VmRSS right before fit, peak = VmHWM "
            f"after fit and predicting the last {N_PREDICT:,} rows.",
            f"fit stops after {s['batches']} batches{_of_epoch(results['runs'])} "
            "(stop_training set by a callback; Keras "
            "leaves the epoch at once, then evaluates the 10 % validation tail): input "
            "handling, which dominates memory, is all done by then. fit seconds = that "
            "truncated fit, not an epoch.",
        ],
    )


def parse_args(argv=None):
    parser = base_parser(__doc__)
    parser.add_argument("--rows", type=int, default=None, help=f"default {FULL['rows']}")
    parser.add_argument(
        "--windows", type=int, nargs="+", default=None, help=f"default {FULL['windows']}"
    )
    parser.add_argument("--batches", type=int, default=None, help=f"default {FULL['batches']}")
    parser.add_argument(
        "--max-rss-gib",
        type=float,
        default=None,
        help="kill a child whose RSS passes this (default: 80 %% of MemAvailable at start)",
    )
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)  # internal
    parser.add_argument("--network-alone", action="store_true", help=argparse.SUPPRESS)
    args = fill_sizes(parser.parse_args(argv), QUICK, FULL)
    if args.max_rss_gib is None:
        args.max_rss_gib = 0.8 * available_mib() / 1024
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.child is not None:
        return child_main(args)
    runs = [measure_window(args, window) for window in args.windows]
    results = {
        "settings": {
            "rows": args.rows,
            "n_features": N_FEATURES,
            "windows": args.windows,
            "batches": args.batches,
            "n_predict": N_PREDICT,
            "max_rss_gib": args.max_rss_gib,
            "quick": args.quick,
        },
        "runs": runs,
        "flatness": flatness(runs),
        "growth_beyond_network_mib": growth_beyond_network(runs),
    }
    print_report(results)
    write_json("bench_memory", results, args.out_dir)
    return results


if __name__ == "__main__":
    main()
