"""Shared parts of the real-data benchmarks (``bench_classification.py``, ``bench_regression.py``).

Options, aeon's data sets as lists of ``(n_timesteps, n_channels)`` arrays,
the padded pipelines the peers that need equal lengths get, the timed
seed loop and ``main``, which runs a benchmark end to end (its tables are in
``_real_data_report.py``). Each script supplies its data sets, the class of
each method, its scores, its reference (chance level or mean) and its report.
"""

import statistics
import sys
import warnings
from functools import partial

import numpy as np
from _common import add_parameter_option, base_parser, fill_sizes, fmt, timed, write_json

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
    add_parameter_option(parser)
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
    params = dict(args.params)
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

    Early stopping (``restore_best_weights=True``) watches from epoch ``patience_``
    (the patience the fit used) on, ends training ``patience_`` epochs after the best
    one it saw and restores its weights. Peers: ``{}``.
    """
    final = estimator.steps[-1][1] if hasattr(estimator, "steps") else estimator
    history = getattr(final, "history_", None)
    if not history:
        return {}
    monitored = np.asarray(history.get("val_loss") or history["loss"])
    # The epochs early stopping chose among. A fit that ended before it watched restored
    # nothing; its best epoch is then reported over all epochs, for information.
    patience = final.patience_
    first = patience if patience and len(monitored) > patience else 0
    best = first + int(np.argmin(monitored[first:])) + 1
    return {"epochs_trained": len(monitored), "best_epoch": best}


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
        "params": dict(args.params),
        "n_kernels": args.n_kernels,
        "ridge_alphas": RIDGE_ALPHAS.tolist(),
    }


# ------------------------------------------------------------------- main
def main(
    name, doc, argv, *, presets, loader, methods, classes, scores, warm_rows, reference, report
):
    """A benchmark end to end: options, every method on every data set, ``report``, JSON.

    ``presets`` is ``(full, quick)``; ``loader`` names the ``aeon.datasets``
    function; ``classes()`` maps each method to its class (imported once aeon is
    known to be there).
    """
    args = parse_args(doc, *presets, argv)
    require_aeon()
    import aeon.datasets

    datasets = run_benchmark(
        args,
        getattr(aeon.datasets, loader),
        methods,
        partial(build, classes()),
        scores,
        warm_rows,
        reference,
    )
    results = {
        "settings": settings(args),
        "methods": {k: label for k, (label, _) in methods.items()},
        "datasets": datasets,
    }
    report(results)
    write_json(name, results, args.out_dir)
    return results
