"""Training and inference throughput of AttentionLSTMRegressor, per attention type.

Prints a table of samples per second (fit: one epoch after a warm-up epoch;
predict and explain: after a warm-up call) for windows of ``--window`` steps.
Speed is measured here, never asserted in a unit test.

    python benchmarks/bench_throughput.py --n-samples 2000 --window 50 --units 64
"""

import argparse
import time

import numpy as np

from attn_sklearn import AttentionLSTMRegressor

TYPES = ["none", "additive", "multiplicative", "linear", "self", "multihead"]


def rate(n, seconds):
    return n / seconds if seconds > 0 else float("inf")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=2000)
    parser.add_argument("--window", type=int, default=50)
    parser.add_argument("--units", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--types", nargs="+", default=TYPES, choices=TYPES)
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    X = rng.normal(size=(args.n_samples, args.window))
    y = X[:, -1] + 0.1 * rng.normal(size=args.n_samples)
    print(
        f"{'attention':<16}{'fit samples/s':>15}{'predict samples/s':>20}{'explain samples/s':>20}"
    )
    for attention in args.types:
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
        est.set_params(epochs=1)
        start = time.perf_counter()
        est.partial_fit(X, y)
        fit_rate = rate(len(X), time.perf_counter() - start)
        est.predict(X[:10])
        start = time.perf_counter()
        est.predict(X)
        predict_rate = rate(len(X), time.perf_counter() - start)
        explain_rate = float("nan")
        if attention != "none":
            est.explain(X[:10])
            start = time.perf_counter()
            est.explain(X)
            explain_rate = rate(len(X), time.perf_counter() - start)
        print(
            f"{attention:<16}{fit_rate:>15.0f}{predict_rate:>20.0f}{explain_rate:>20.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
