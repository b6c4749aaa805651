"""Plots of what a fitted estimator looked at and how it trained.

matplotlib is an optional dependency (``pip install attn_sklearn[plot]``); it
is imported when a function here is called, not when the package is.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._masking import real_steps

__all__ = ["plot_attention", "plot_attention_heads", "plot_history"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "attn_sklearn.plotting needs matplotlib; install it with "
            "`pip install attn_sklearn[plot]`."
        ) from exc
    return plt


def _axes(ax):
    if ax is not None:
        return ax.figure, ax
    return _pyplot().subplots(figsize=(8, 4))


def plot_history(estimator, *, ax=None):
    """Plot the per-epoch training (and validation) loss of a fitted estimator.

    Parameters
    ----------
    estimator : fitted attn_sklearn estimator
        Anything with a ``history_`` dict of per-epoch values.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure is created when ``None``.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from attn_sklearn import AttentionLSTMRegressor
    >>> from attn_sklearn.plotting import plot_history
    >>> X = np.random.default_rng(0).normal(size=(40, 6))
    >>> reg = AttentionLSTMRegressor(units=4, epochs=3, random_state=0).fit(X, X[:, -1])
    >>> plot_history(reg).get_xlabel()
    'epoch'
    """
    check_is_fitted(estimator, "history_")
    _, ax = _axes(ax)
    for key in ("loss", "val_loss"):
        values = estimator.history_.get(key)
        if values:
            epochs = np.arange(1, len(values) + 1)
            ax.plot(epochs, values, label="validation" if key == "val_loss" else "training")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title("Training history")
    ax.legend()
    return ax


def plot_attention(estimator, X, *, sample=None, ax=None, cmap="viridis"):
    """Plot the attention a fitted estimator gives each time step of ``X``.

    With ``sample=None``, a heatmap of samples x time steps. With an integer
    ``sample``, a stem plot of that sample's weights with its (first-feature)
    input series drawn on a twin axis.

    Parameters
    ----------
    estimator : fitted attn_sklearn estimator
        Anything with an ``explain(X)`` method.
    X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
        Sequences to explain.
    sample : int, default=None
        Row of ``X`` to draw as a stem plot.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure is created when ``None``.
    cmap : str, default="viridis"
        Colour map of the heatmap.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes drawn on.
    """
    weights = estimator.explain(X)
    _, ax = _axes(ax)
    if sample is None:
        image = ax.imshow(weights, aspect="auto", interpolation="nearest", cmap=cmap)
        ax.figure.colorbar(image, ax=ax, label="attention")
        ax.set_xlabel("time step")
        ax.set_ylabel("sample")
        ax.set_title("Attention over time steps")
        return ax
    n_samples = weights.shape[0]
    if not (isinstance(sample, int | np.integer) and -n_samples <= sample < n_samples):
        raise ValueError(
            f"sample must be an integer row index of X (0 to {n_samples - 1}); "
            f"received sample={sample!r}."
        )
    steps = np.arange(weights.shape[1])
    ax.stem(steps, weights[sample], basefmt=" ")
    ax.set_xlabel("time step")
    ax.set_ylabel("attention")
    ax.set_title(f"Attention of sample {sample}")
    series = np.asarray(X, dtype=float)[sample]
    series = series[:, np.newaxis] if series.ndim == 1 else series
    real = real_steps(series[np.newaxis])[0]
    series = series[:, 0]
    twin = ax.twinx()
    twin.plot(steps[real], series[real], color="tab:gray", alpha=0.6, label="input")
    twin.set_ylabel("input (first feature)")
    return ax


def plot_attention_heads(estimator, X, *, sample=0, axes=None, cmap="viridis"):
    """Plot one sample's self-attention, one query x key heatmap per head.

    Only for estimators fitted with ``attention="self"`` or ``"multihead"``.

    Parameters
    ----------
    estimator : fitted attn_sklearn estimator
        Fitted with self-attention.
    X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
        Sequences; only row ``sample`` is drawn.
    sample : int, default=0
        Row of ``X`` to draw.
    axes : sequence of matplotlib.axes.Axes, default=None
        One axes per head; a new figure with one row of panels when ``None``.
    cmap : str, default="viridis"
        Colour map.

    Returns
    -------
    axes : list of matplotlib.axes.Axes
        The panels, one per head.
    """
    X = np.asarray(X)
    n_samples = X.shape[0]
    if not (isinstance(sample, int | np.integer) and -n_samples <= sample < n_samples):
        raise ValueError(
            f"sample must be an integer row index of X (0 to {n_samples - 1}); "
            f"received sample={sample!r}."
        )
    weights = estimator.explain(X[[sample]], full=True)[0]
    n_heads = weights.shape[0]
    if axes is None:
        _, axes = _pyplot().subplots(1, n_heads, figsize=(3.2 * n_heads, 3), squeeze=False)
        axes = axes[0]
    axes = list(np.ravel(axes))
    if len(axes) != n_heads:
        raise ValueError(f"axes must hold one axes per head ({n_heads}); received {len(axes)}.")
    for head, ax in enumerate(axes):
        ax.imshow(weights[head], aspect="auto", interpolation="nearest", cmap=cmap)
        ax.set_title(f"head {head}")
        ax.set_xlabel("key step")
        ax.set_ylabel("query step")
    return axes
