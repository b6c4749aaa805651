"""Shared parts of the real-data benchmarks (``bench_classification.py``, ``bench_regression.py``).

Options, aeon's data sets as lists of ``(n_timesteps, n_channels)`` arrays,
the padded pipelines the peers that need equal lengths get, the timed
seed loop and the report tables. Each script supplies its data sets, its
methods (``build``), its scores and its reference (chance level or mean).
"""

import statistics
import sys
import warnings

import numpy as np
from _common import base_parser, fill_sizes, fmt, print_table, timed

AEON_MISSING = 'This benchmark needs aeon (its peers and data sets): pip install ".[bench]"'


RIDGE_ALPHAS = np.logspace(-3, 3, 10)


# ---------------------------------------------------------------- options
def parse_args(doc, full, quick, argv=None):
    """The options of a real-data benchmark; ``None`` means "from the preset"."""
    parser = base_parser(doc)
    parser.add_argument(
        "--datasets", nargs="+", default=None, help=f"default {' '.join(full['datasets'])}"
    )
    parser.add_argument(
        "--seeds",
        nargs="+",
        type=int,
        default=None,
        help=f"random_state of the seeded methods (default {' '.join(map(str, full['seeds']))})",
    )
    parser.add_argument(
        "--epochs", type=int, default=None, help="ours: epochs (default: the estimator's)"
    )
    parser.add_argument(
        "--units", type=int, default=None, help="ours: LSTM units (default: the estimator's)"
    )
    parser.add_argument(
        "--n-kernels",
        type=int,
        default=None,
        help=f"MiniRocket kernels (default {full['n_kernels']})",
    )
    return fill_sizes(parser.parse_args(argv), quick, full)


def require_aeon():
    """Exit with an install hint when aeon is missing."""
    try:
        import aeon  # noqa: F401
    except ImportError:
        sys.exit(AEON_MISSING)


def our_params(args, warm_up=False):
    """Keyword arguments of our estimator: its defaults, unless the options say otherwise."""
    params = {}
    if args.epochs is not None:
        params["epochs"] = args.epochs
    if args.units is not None:
        params["units"] = args.units
    if warm_up:
        params["epochs"] = 1
    return params


# ------------------------------------------------------------------- data
def to_sequences(X):
    """aeon collection (``(n, channels, T)`` array or list of ``(channels, T_i)``) -> ours.

    Ours is a list of float64 ``(T_i, channels)`` arrays, as ``SequencePadder`` takes.
    """
    return [np.asarray(x, dtype=np.float64).T for x in X]


def describe(train, test):
    """Sizes and lengths of the training and test sequences (lists of ``(T_i, channels)``)."""
    train_lengths = [len(s) for s in train]
    test_lengths = [len(s) for s in test]
    longest = max(train_lengths)
    return {
        "n_train": len(train),
        "n_test": len(test),
        "n_channels": int(train[0].shape[1]),
        "train_length_min": min(train_lengths),
        "train_length_max": longest,
        "test_length_min": min(test_lengths),
        "test_length_max": max(test_lengths),
        "test_longer_than_train_max": sum(n > longest for n in test_lengths),
        "equal_length": len(set(train_lengths) | set(test_lengths)) == 1,
        "has_nan": any(np.isnan(s).any() for s in (*train, *test)),
    }


def load(loader, name):
    """One data set as ``{"aeon": (Xtr, Xte), "seq": (Xtr, Xte), "y": (ytr, yte), "info"}``."""
    X_train, y_train = loader(name, split="train")
    X_test, y_test = loader(name, split="test")
    seq = (to_sequences(X_train), to_sequences(X_test))
    return {
        "aeon": (X_train, X_test),
        "seq": seq,
        "y": (np.asarray(y_train), np.asarray(y_test)),
        "info": describe(*seq),
    }


def subset(data, train_rows, test_rows):
    """The same data set restricted to some rows (for the untimed warm-up)."""

    def take(X, rows):
        return X[rows] if isinstance(X, np.ndarray) else [X[i] for i in rows]

    pick = {
        kind: (take(data[kind][0], train_rows), take(data[kind][1], test_rows))
        for kind in ("aeon", "seq", "y")
    }
    return {**pick, "info": data["info"]}


# ------------------------------------------------------------- pipelines
def padding_to_zero(X):
    """Padded, scaled ``(n, T, channels)`` -> a copy with padding steps set to 0."""
    from attn_sklearn import MASK_VALUE

    X = np.array(X, dtype=np.float64, copy=True)
    X[X == MASK_VALUE] = 0.0
    return X


def flatten_padded(X):
    """Padded, scaled ``(n, T, channels)`` -> ``(n, T * channels)``, padding as 0."""
    X = padding_to_zero(X)
    return X.reshape(len(X), -1)


def channels_first_padded(X):
    """Padded, scaled ``(n, T, channels)`` -> aeon's ``(n, channels, T)``, padding as 0."""
    return np.ascontiguousarray(padding_to_zero(X).transpose(0, 2, 1))


def sequence_pipeline(info, *steps, fixed_width=False):
    """``SequencePadder`` (+ ``SequenceMasker`` if NaN) + ``SequenceScaler`` + ``steps``.

    ``fixed_width`` cuts test series longer than any training series to their
    last steps, for the peers that need one width; ours keeps every step.
    """
    from sklearn.pipeline import make_pipeline

    from attn_sklearn import SequenceMasker, SequencePadder, SequenceScaler

    padder = SequencePadder(on_overflow="truncate" if fixed_width else "extend")
    masker = [SequenceMasker()] if info["has_nan"] else []
    return make_pipeline(padder, *masker, SequenceScaler(), *steps)


def padded_for(estimator, info, reshape):
    """``estimator`` behind the sequence pipeline, padding set to 0 and reshaped by ``reshape``."""
    from sklearn.preprocessing import FunctionTransformer

    return sequence_pipeline(info, FunctionTransformer(reshape), estimator, fixed_width=True)


def build(classes, method, seed, args, info, warm_up=False):
    """``(estimator, input kind: "seq" or "aeon", note)`` of ``method``.

    ``classes`` maps each method to its class (classifier or regressor).
    """
    cls = classes[method]
    if method == "attn_lstm":
        est = cls(random_state=seed, **our_params(args, warm_up))
        return sequence_pipeline(info, est), "seq", None
    if method == "minirocket":
        est = cls(n_kernels=args.n_kernels, random_state=seed, n_jobs=1)
        if info["equal_length"]:
            return est, "aeon", None
        return padded_for(est, info, channels_first_padded), "seq", "padded"
    if method == "knn_dtw":
        return cls(n_neighbors=1, distance="dtw", n_jobs=1), "aeon", None
    if method == "ridge_cv":
        return padded_for(cls(alphas=RIDGE_ALPHAS), info, flatten_padded), "seq", None
    raise ValueError(f"unknown method {method!r}")


# ------------------------------------------------------------------- runs
def fit_and_predict(estimator, X_train, y_train, X_test):
    """``(predictions, fit seconds, predict seconds, warnings raised)``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _, fit_seconds = timed(estimator.fit, X_train, y_train)
        predictions, predict_seconds = timed(estimator.predict, X_test)
    messages = [f"{w.category.__name__}: {str(w.message).splitlines()[0][:160]}" for w in caught]
    return predictions, fit_seconds, predict_seconds, messages


def training_length(estimator):
    """Epochs our network trained for, and its best by validation loss (restored), if any.

    Early stopping (``restore_best_weights=True``) ends training ``patience`` epochs
    after the best one and restores its weights. Peers: ``{}``.
    """
    final = estimator.steps[-1][1] if hasattr(estimator, "steps") else estimator
    history = getattr(final, "history_", None)
    if not history:
        return {}
    monitored = history.get("val_loss") or history["loss"]
    return {"epochs_trained": len(history["loss"]), "best_epoch": int(np.argmin(monitored)) + 1}


def warm_up(data, methods, seeds, args, build_fn, warm_rows):
    """Fit and predict every method once, untimed, on a few rows of ``data``."""
    train_rows, test_rows = warm_rows(data["y"][0], data["info"]["n_test"])
    small = subset(data, train_rows, test_rows)
    for method in methods:
        est, kind, _ = build_fn(method, seeds[0], args, data["info"], warm_up=True)
        fit_and_predict(est, small[kind][0], small["y"][0], small[kind][1])


def run_method(data, method, seeds, args, build_fn, score_fn, seeded):
    """Every seed of ``method`` on ``data``: per-seed figures, their means and spreads."""
    runs, caught, note = [], [], None
    for seed in seeds if seeded else [None]:
        est, kind, note = build_fn(method, seed, args, data["info"])
        X_train, X_test = data[kind]
        y_train, y_test = data["y"]
        predictions, fit_s, predict_s, messages = fit_and_predict(est, X_train, y_train, X_test)
        run = {"seed": seed, **score_fn(y_test, predictions)}
        run |= {"fit_seconds": fit_s, "predict_seconds": predict_s}
        run |= training_length(est)
        runs.append(run)
        caught.extend(messages)
        figures = ", ".join(f"{k} {fmt(v)}" for k, v in run.items() if k != "seed")
        print(f"  {method} seed {seed}: {figures}", flush=True)
    summary = {"seeds": [run["seed"] for run in runs], "input": note or "as loaded", "runs": runs}
    for key in runs[0]:
        if key == "seed":
            continue
        values = [run[key] for run in runs]
        summary[key] = statistics.fmean(values)
        summary[f"{key}_std"] = statistics.stdev(values) if len(values) > 1 else None
    summary["warnings"] = {m: caught.count(m) for m in dict.fromkeys(caught)}
    return summary


def run_benchmark(args, loader, methods, build_fn, score_fn, warm_rows, reference_fn):
    """Every method on every data set of ``args.datasets``; the results per data set."""
    results = {}
    for name in args.datasets:
        data = load(loader, name)
        print(f"{name}: {data['info']}", flush=True)
        warm_up(data, methods, args.seeds, args, build_fn, warm_rows)
        entry = {"data": data["info"] | reference_fn(*data["y"]), "methods": {}}
        for method, (_, seeded) in methods.items():
            entry["methods"][method] = run_method(
                data, method, args.seeds, args, build_fn, score_fn, seeded
            )
        results[name] = entry
    return results


def settings(args):
    return {
        "quick": args.quick,
        "datasets": args.datasets,
        "seeds": args.seeds,
        "epochs": args.epochs,
        "units": args.units,
        "n_kernels": args.n_kernels,
        "ridge_alphas": RIDGE_ALPHAS.tolist(),
    }


# ----------------------------------------------------------------- report
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


def common_notes(args, datasets):
    """Notes shared by both real-data benchmarks: seeds, padding, warm-up, warnings."""
    notes = [
        f"seeded methods: mean ± sample std over random_state {args.seeds}; the others are "
        "deterministic and run once.",
        "fit / predict: seconds of one fit on the training split / one predict on the test "
        "split, whole pipeline included, after an untimed warm-up fit of every method on a "
        "few rows (numba compilation, TensorFlow start-up).",
        "ours: the estimator's defaults"
        + (
            f" except {our_params(args)}"
            if our_params(args)
            else " (100 epochs at most, early stopping with patience 15 on a 10 % hold-out)"
        )
        + "; 'epochs (best)': epochs it trained for and the best one by validation loss, whose "
        "weights it restored (means over seeds).",
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
            "test series longer than every training series (the padder keeps their last "
            f"steps): {', '.join(f'{n}: {k}' for n, k in longer.items() if k)}."
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


def print_results(results, methods, metrics, title):
    """The per-method table (``metrics``: ``(key, header, spec)``), the summary, the warnings.

    ``title`` names the first metric, which the summary table shows per data set and method.
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
        notes=common_notes(_Namespace(results["settings"]), datasets),
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


class _Namespace:
    """Settings from the JSON document, read as ``args`` attributes."""

    def __init__(self, mapping):
        self.__dict__.update(mapping)
