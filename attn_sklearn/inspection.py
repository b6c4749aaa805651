"""Explanations of fitted estimators and of pipelines that end in one.

``explain(model, X)`` accepts an attn_sklearn estimator or a fitted
scikit-learn :class:`~sklearn.pipeline.Pipeline` whose last step is one, with
``X`` as the user holds it (before windowing, padding, masking or scaling);
the plots of :mod:`attn_sklearn.plotting` take the same arguments.
"""

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from ._windowing import SlidingWindowTransformer

__all__ = ["explain"]


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
    several = isinstance(X, dict) or getattr(getattr(X, "dtype", None), "names", None)
    drawable = in_user_units and not several
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
