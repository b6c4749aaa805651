"""Report tables of the real-data benchmarks (``bench_classification.py``, ``bench_regression.py``).

The data sets' table, the per-method table with its notes, the summary per
data set and method, and the warnings raised during the timed runs.
"""

import argparse

from _common import fmt, print_table
from _real_data import our_params


def data_table(datasets, headers, cells, title):
    """The data sets: sizes and lengths, then ``headers`` filled in by ``cells(info)``."""
    print_table(
        ["dataset", "train", "test", "channels", "length train", "length test", *headers],
        [
            [
                name,
                e["data"]["n_train"],
                e["data"]["n_test"],
                e["data"]["n_channels"],
                *lengths(e["data"]),
                *cells(e["data"]),
            ]
            for name, e in datasets.items()
        ],
        title=title,
    )


def mean_std(entry, key, spec):
    """``"mean ± std"`` (seeded methods) or ``"mean"``."""
    mean, std = entry[key], entry.get(f"{key}_std")
    return fmt(mean, spec) if std is None else f"{fmt(mean, spec)} ± {fmt(std, '.2g')}"


def epochs(result):
    """``"trained (best)"`` epochs of ours, means over seeds; ``-`` for the peers."""
    if "epochs_trained" not in result:
        return "-"
    return f"{fmt(result['epochs_trained'], '.3g')} ({fmt(result['best_epoch'], '.3g')})"


def lengths(info):
    def span(lo, hi):
        return str(lo) if lo == hi else f"{lo}-{hi}"

    return (
        span(info["train_length_min"], info["train_length_max"]),
        span(info["test_length_min"], info["test_length_max"]),
    )


def common_notes(args, datasets, defaults):
    """Notes shared by both real-data benchmarks: seeds, padding, warm-up, warnings.

    ``defaults`` says in a few words what our estimator's defaults train with.
    """
    notes = [
        f"seeded methods: mean ± sample std over random_state {args.seeds}; the others are "
        "deterministic and run once.",
        "fit / predict: seconds of one fit on the training split / one predict on the test "
        "split, whole pipeline included, after an untimed warm-up fit of every method on a "
        "few rows (numba compilation, TensorFlow start-up).",
        "ours: the estimator's defaults"
        + (f" except {our_params(args)}" if our_params(args) else f" ({defaults})")
        + "; 'epochs (best)': epochs it trained for and the best one by the loss early "
        "stopping watched, whose weights it restored (means over seeds).",
        f"MiniRocket: {args.n_kernels} kernels, n_jobs=1.",
    ]
    padded = [n for n, e in datasets.items() if e["methods"]["minirocket"]["input"] == "padded"]
    if padded:
        notes.append(
            f"MiniRocket (equal length only) on {', '.join(padded)}: the series padded and "
            "standardised by the same SequencePadder + SequenceScaler as ours, padding set "
            "to 0 (the training mean); 1-NN DTW takes the variable-length series as loaded."
        )
    longer = {n: e["data"]["test_longer_than_train_max"] for n, e in datasets.items()}
    if any(longer.values()):
        notes.append(
            "test series longer than every training series (ours keeps every step; the peers "
            "that need one width get their last steps): "
            f"{', '.join(f'{n}: {k}' for n, k in longer.items() if k)}."
        )
    if args.quick:
        notes.append(
            "--quick: a smoke test (tiny networks, few kernels, one seed); the figures mean little."
        )
    return notes


def print_warnings(datasets, methods):
    rows = []
    for name, entry in datasets.items():
        for method, result in entry["methods"].items():
            for message, count in result["warnings"].items():
                rows.append([name, methods[method][0], count, message[:110]])
    if rows:
        print_table(
            ["dataset", "method", "count", "warning"], rows, title="Warnings during the timed runs"
        )


def print_results(results, methods, metrics, title, defaults):
    """The per-method table (``metrics``: ``(key, header, spec)``), the summary, the warnings.

    ``title`` names the first metric, which the summary table shows per data set and method;
    ``defaults`` is :func:`common_notes`'.
    """
    datasets = results["datasets"]
    rows = []
    for name, entry in datasets.items():
        for method, result in entry["methods"].items():
            rows.append(
                [
                    name,
                    methods[method][0],
                    *(mean_std(result, key, spec) for key, _, spec in metrics),
                    mean_std(result, "fit_seconds", ".3g"),
                    mean_std(result, "predict_seconds", ".3g"),
                    epochs(result),
                ]
            )
    print_table(
        [
            "dataset",
            "method",
            *(header for _, header, _ in metrics),
            "fit s",
            "predict s",
            "epochs (best)",
        ],
        rows,
        title=f"{title} and time per method",
        notes=common_notes(argparse.Namespace(**results["settings"]), datasets, defaults),
    )
    key, _, spec = metrics[0]
    print_table(
        ["dataset", *(label for label, _ in methods.values())],
        [
            [name, *(mean_std(e["methods"][m], key, spec) for m in methods)]
            for name, e in datasets.items()
        ],
        title=title,
    )
    print_warnings(datasets, methods)
