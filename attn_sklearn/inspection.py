"""Explanations of fitted estimators and of pipelines that end in one.

``explain(model, X)`` accepts an attn_sklearn estimator or a fitted
scikit-learn :class:`~sklearn.pipeline.Pipeline` whose last step is one, with
``X`` as the user holds it (before windowing, padding, masking or scaling);
the plots of :mod:`attn_sklearn.plotting` take the same arguments.
"""

import numpy as np
from sklearn.pipeline import Pipeline

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


def network_input(model, X):
    """``(final estimator, X as the network sees it)``: X run through the preprocessing."""
    steps, final = _split(model)
    for step in steps:
        X = step.transform(X)
    return final, X


def input_in_user_units(model, X):
    """``X`` through the preprocessing without the steps that rescale it, or ``None``.

    Steps with an ``inverse_transform`` (scalers) only change units, so leaving
    them out gives the network's input in the units of ``X``, step by step.
    ``None`` when that does not give the network input's shape.
    """
    steps, _ = _split(model)
    if isinstance(X, dict) or getattr(getattr(X, "dtype", None), "names", None):
        return None  # several modalities: no single input series to draw
    shaped, expected = X, X
    for step in steps:
        expected = step.transform(expected)
        if hasattr(step, "inverse_transform"):
            # Skipped, but pass on what the step would: an array for an array output.
            shaped = shaped if hasattr(expected, "columns") else np.asarray(shaped)
        else:
            shaped = step.transform(shaped)
    shaped, expected = np.asarray(shaped, dtype=float), np.asarray(expected)
    return shaped if shaped.shape == expected.shape else None


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
        As for the estimators' ``explain`` method.

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
    final, Z = network_input(model, X)
    return final.explain(Z, full=full, as_frame=as_frame, step_labels=step_labels)
