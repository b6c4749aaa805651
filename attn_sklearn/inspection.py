"""Explanations of fitted estimators and of pipelines that end in one.

``explain(model, X)`` accepts an attn_sklearn estimator or a fitted
scikit-learn :class:`~sklearn.pipeline.Pipeline` whose last step is one, with
``X`` as the user holds it (before windowing, padding, masking or scaling);
the plots of :mod:`attn_sklearn.plotting` take the same arguments.
``deletion_curve(model, X, y)`` checks whether the attention is faithful: how
much the score drops when the most-attended steps are hidden, next to random
and least-attended ones.
"""

import numpy as np
import pandas as pd
from sklearn.metrics import check_scoring
from sklearn.pipeline import Pipeline
from sklearn.utils import Bunch, check_random_state

from ._masking import MASK_VALUE, real_steps
from ._multimodal_data import as_modality_dict
from ._validation import is_int
from ._windowing import SlidingWindowTransformer

__all__ = ["deletion_curve", "explain"]


def _several_modalities(X):
    """Whether ``X`` holds several modalities (a dict or a structured array)."""
    return isinstance(X, dict) or bool(getattr(getattr(X, "dtype", None), "names", None))


def _split(model):
    """``(preprocessing steps, final estimator)`` of an estimator or a Pipeline."""
    if isinstance(model, Pipeline):
        steps = [step for _, step in model.steps[:-1] if step not in (None, "passthrough")]
        final = model.steps[-1][1]
    else:
        steps, final = [], model
    if not callable(getattr(final, "explain", None)):
        raise TypeError(
            "model must be a fitted attn_sklearn estimator or a Pipeline whose last step is "
            f"one (with an explain method); received {type(final).__name__}."
        )
    return steps, final


def network_input(model, X, *, in_user_units=False):
    """``(final estimator, X as the network sees it, X in the user's units or None)``.

    With ``in_user_units``, the preprocessing also runs without the steps
    that rescale (those with an ``inverse_transform``: scalers only change
    units), in the same pass, giving the network's input step by step in the
    units of ``X``; ``None`` for several modalities, or when that does not give
    the network input's shape.
    """
    steps, final = _split(model)
    drawable = in_user_units and not _several_modalities(X)
    shaped = X
    for step in steps:
        transformed = step.transform(X)
        if drawable and hasattr(step, "inverse_transform"):
            # Skipped, but pass on what the step would: an array for an array output.
            shaped = shaped if hasattr(transformed, "columns") else np.asarray(shaped)
        elif drawable:
            shaped = step.transform(shaped)
        X = transformed
    if not drawable:
        return final, X, None
    shaped = np.asarray(shaped, dtype=float)
    return final, X, (shaped if shaped.shape == np.shape(X) else None)


def row_labels(X, n_rows):
    """The index of a pandas ``X`` (timestamps, say) when rows map one to one, else ``None``."""
    if not isinstance(X, pd.DataFrame | pd.Series) or len(X.index) != n_rows:
        return None
    return X.index


def window_times(model, X, rows):
    """For a windowing pipeline and a pandas ``X``: the label of each window step.

    Returns an array ``(len(rows), window)`` of ``X.index`` values (``None``
    where the window reaches before the first row), or ``None`` when ``model``
    has no :class:`~attn_sklearn.SlidingWindowTransformer` or ``X`` no index.
    """
    steps, _ = _split(model)
    windows = [step.window for step in steps if isinstance(step, SlidingWindowTransformer)]
    index = row_labels(X, len(X)) if isinstance(X, pd.DataFrame | pd.Series) else None
    if len(windows) != 1 or index is None:
        return None
    positions = np.asarray(rows)[:, None] - windows[0] + 1 + np.arange(windows[0])
    labels = np.asarray(index, dtype=object)
    return np.where(positions >= 0, labels[np.clip(positions, 0, None)], None)


def explain(model, X, *, full=False, as_frame=False, step_labels=None):
    """Attention each time step received, for an estimator or a pipeline ending in one.

    Parameters
    ----------
    model : fitted attn_sklearn estimator or Pipeline
        A fitted ``AttentionLSTMRegressor``, ``AttentionLSTMClassifier``,
        ``MultimodalAttentionClassifier``, or a fitted ``Pipeline`` whose last
        step is one of them.
    X : array-like
        Input as ``model.predict`` takes it: for a pipeline, before its
        preprocessing (windowing, padding, masking, scaling).
    full, as_frame, step_labels
        As for the estimators' ``explain`` method. For a pandas ``X`` whose
        rows map one to one to the network's (a windowing pipeline, say), the
        frame's ``sample`` column holds ``X.index`` labels (timestamps), and a
        windowing pipeline adds a ``time`` column: the label of the row each
        window step came from.

    Returns
    -------
    weights : ndarray of shape (n_samples, n_timesteps) or DataFrame
        Per-step importances aligned with the time steps the network saw
        (for a windowing pipeline, the window's steps, oldest first); rows
        sum to 1 over real steps and are 0 on padding.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from attn_sklearn import AttentionLSTMRegressor, SlidingWindowTransformer
    >>> from attn_sklearn.inspection import explain
    >>> series = np.sin(np.arange(200) / 5.0).reshape(-1, 1)
    >>> pipe = make_pipeline(StandardScaler(), SlidingWindowTransformer(window=10),
    ...                      AttentionLSTMRegressor(units=4, epochs=2, random_state=0))
    >>> _ = pipe.fit(series[:-1], series[1:, 0])
    >>> explain(pipe, series[-3:]).shape
    (3, 10)
    """
    final, Z, _ = network_input(model, X)
    result = final.explain(Z, full=full, as_frame=as_frame, step_labels=step_labels)
    if not as_frame:
        return result
    rows = result["sample"].to_numpy()
    if step_labels is None:
        times = window_times(model, X, rows)
        if times is not None:
            result["time"] = times[np.arange(len(rows)), result["step"].to_numpy()]
    index = row_labels(X, len(X)) if isinstance(X, pd.DataFrame | pd.Series) else None
    if index is not None:
        result["sample"] = np.asarray(index)[rows]
    return result


def _real_mask(Z):
    """Real (non-padded) steps of the network input ``Z``, ``(n_samples, n_timesteps)``."""
    if _several_modalities(Z):
        modalities = as_modality_dict(Z)[0]
        return real_steps({name: np.asarray(values) for name, values in modalities.items()})
    values = np.asarray(Z, dtype=float)
    return real_steps(values[..., np.newaxis] if values.ndim == 2 else values)


def _hidden(Z, hide):
    """A copy of ``Z`` with the steps flagged in ``hide`` turned into padding."""
    if isinstance(Z, dict):
        return {name: _hidden(values, hide) for name, values in Z.items()}
    if getattr(getattr(Z, "dtype", None), "names", None):
        copy = Z.copy()
        for name in Z.dtype.names:
            copy[name][hide] = MASK_VALUE
        return copy
    copy = np.array(Z, dtype=float)  # a writable copy (window views are read-only)
    copy[hide] = MASK_VALUE
    return copy


def _check_ks(k):
    ks = [k] if is_int(k) else list(k) if np.iterable(k) else None
    if not ks or not all(is_int(v) and v >= 1 for v in ks):
        raise ValueError(f"k must be a positive int or a list of them; received {k!r}.")
    return np.asarray(sorted(set(int(v) for v in ks)))


def deletion_curve(model, X, y, *, k=(1, 2, 3, 5, 10), n_repeats=5, scoring=None,
                   random_state=None):
    """Score after hiding the k most-attended steps, next to k random and k least-attended.

    A faithful attention points at the steps the prediction depends on:
    hiding the most-attended steps should cost much more score than hiding
    as many random steps, and hiding the least-attended ones should cost
    little. Hidden steps become padding, which the estimators ignore
    exactly, so a hidden step is removed from the sequence rather than
    replaced by an invented value. A row never loses all its real steps: a
    row with ``m`` real steps hides at most ``m - 1``.

    Parameters
    ----------
    model : fitted attn_sklearn estimator or Pipeline
        As for :func:`explain`; its network must have attention.
    X : array-like
        Input as ``model.predict`` takes it (held-out data tells most).
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        True targets of ``X``.
    k : int or list of int, default=(1, 2, 3, 5, 10)
        How many steps to hide per row.
    n_repeats : int, default=5
        Random draws of the steps hidden at random, per ``k``.
    scoring : str, callable or None, default=None
        A scikit-learn scorer; ``None`` uses the estimator's ``score``
        (accuracy for the classifiers, R² for the regressor).
    random_state : int, RandomState instance or None, default=None
        Seeds the random steps.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``k`` (the sizes, sorted), ``baseline`` (score with nothing hidden),
        ``most_attended`` and ``least_attended`` (score per ``k``),
        ``random_mean`` and ``random_std`` (over ``n_repeats`` draws).
        Faithful attention gives ``most_attended`` well below
        ``random_mean``, and ``least_attended`` near ``baseline``.

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import AttentionLSTMRegressor
    >>> from attn_sklearn.inspection import deletion_curve
    >>> X = np.random.default_rng(0).normal(size=(60, 8))
    >>> reg = AttentionLSTMRegressor(units=4, epochs=2, random_state=0).fit(X, X[:, 2])
    >>> result = deletion_curve(reg, X, X[:, 2], k=[1, 2], random_state=0)
    >>> result.k, result.most_attended.shape
    (array([1, 2]), (2,))
    """
    ks = _check_ks(k)
    if not is_int(n_repeats) or n_repeats < 1:
        raise ValueError(f"n_repeats must be a positive int; received {n_repeats!r}.")
    final, Z, _ = network_input(model, X)
    weights = final.explain(Z)  # raises, saying what to do, when there is no attention
    real = _real_mask(Z)
    if len(np.asarray(y)) != len(weights):
        raise ValueError(
            f"y must have one target per row of X ({len(weights)} rows); received {len(y)}."
        )
    scorer = check_scoring(final, scoring=scoring)
    rng = check_random_state(random_state)
    most = np.argsort(np.where(real, -weights, np.inf), axis=1, kind="stable")
    least = np.argsort(np.where(real, weights, np.inf), axis=1, kind="stable")
    hideable = real.sum(axis=1) - 1

    def score_hiding(order, size):
        ranks = np.argsort(order, axis=1)  # rank of each step in the hiding order
        return scorer(final, _hidden(Z, ranks < np.minimum(size, hideable)[:, None]), y)

    def random_order():
        return np.argsort(np.where(real, rng.random(real.shape), np.inf), axis=1)

    baseline = scorer(final, Z, y)
    most_attended = np.array([score_hiding(most, size) for size in ks])
    least_attended = np.array([score_hiding(least, size) for size in ks])
    random_scores = np.array(
        [[score_hiding(random_order(), size) for _ in range(n_repeats)] for size in ks]
    )
    return Bunch(
        k=ks,
        baseline=baseline,
        most_attended=most_attended,
        least_attended=least_attended,
        random_mean=random_scores.mean(axis=1),
        random_std=random_scores.std(axis=1),
    )
