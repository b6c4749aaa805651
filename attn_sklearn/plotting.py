"""Plots of what a fitted estimator looked at, whether that is faithful, and how it trained.

Every function takes a fitted attn_sklearn estimator or a fitted
:class:`~sklearn.pipeline.Pipeline` that ends in one, with ``X`` as the user
holds it. Padded steps are drawn apart (grey in heatmaps, no stem, a gap in
the input line), never as low attention.

matplotlib is an optional dependency (``pip install attn_sklearn[plot]``); it
is imported when a function here is called, not when the package is.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._batches import n_samples, take_rows
from ._masking import real_steps
from .inspection import network_input, row_labels, window_times

__all__ = [
    "plot_attention",
    "plot_attention_heads",
    "plot_deletion_curve",
    "plot_history",
    "plot_horizon_attention",
]

_PADDING_COLOUR = "lightgrey"


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "attn_sklearn.plotting needs matplotlib: `pip install attn_sklearn[plot]`."
        ) from exc
    return plt


def _axes(ax):
    if ax is not None:
        return ax.figure, ax
    return _pyplot().subplots(figsize=(8, 4))


def _check_sample(sample, n_samples):
    if not (isinstance(sample, int | np.integer) and -n_samples <= sample < n_samples):
        raise ValueError(
            f"sample must be an integer row index of X (0 to {n_samples - 1}); "
            f"received sample={sample!r}."
        )
    return int(sample) % n_samples


def _row(Z, sample):
    """Row ``sample`` of validated ``Z`` (an array or a dict of arrays), as one-row input."""
    return take_rows(Z, [_check_sample(sample, n_samples(Z))])


def _text(label):
    """A tick label: timestamps without a midnight time part, anything else as str."""
    if label is None:
        return ""
    if hasattr(label, "strftime"):
        midnight = (label.hour, label.minute, label.second) == (0, 0, 0)
        return label.strftime("%Y-%m-%d" if midnight else "%Y-%m-%d %H:%M")
    return str(label)


def _step_axis(ax, n_steps, step_labels, axis="x", name="step_labels"):
    """Label a time-step (or sample) axis with ``step_labels`` (e.g. timestamps) when given."""
    if step_labels is None:
        return
    labels = np.asarray(step_labels, dtype=object)
    if labels.shape != (n_steps,):
        raise ValueError(
            f"{name} must have one label per time step ({n_steps}); received "
            f"{labels.shape[0] if labels.ndim else 'a scalar'}."
        )
    ticks = np.unique(np.linspace(0, n_steps - 1, min(n_steps, 8)).round().astype(int))
    getattr(ax, f"set_{axis}ticks")(ticks, [_text(labels[t]) for t in ticks], rotation=30)


def plot_history(estimator, *, ax=None):
    """Plot the per-epoch training (and validation) loss of a fitted estimator.

    The loss axis is logarithmic when the curves span more than a decade, so
    the later epochs are not flattened against the first one.

    Parameters
    ----------
    estimator : fitted attn_sklearn estimator or Pipeline ending in one
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
    estimator = estimator[-1] if hasattr(estimator, "steps") else estimator
    check_is_fitted(estimator, "history_")
    _, ax = _axes(ax)
    drawn = []
    for key in ("loss", "val_loss"):
        values = np.asarray(estimator.history_.get(key) or [], dtype=float)
        if len(values):
            epochs = np.arange(1, len(values) + 1)
            ax.plot(epochs, values, label="validation" if key == "val_loss" else "training")
            drawn.append(values)
    values = np.concatenate(drawn) if drawn else np.ones(1)
    if np.all(values > 0) and values.max() / values.min() > 10:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title("Training history")
    ax.legend()
    return ax


def plot_attention(
    model, X, *, sample=None, feature=0, step_labels=None, ax=None, cmap="viridis"
):
    """Plot the attention a fitted model gives each time step of ``X``.

    With ``sample=None``, a heatmap of samples x time steps (padding in grey).
    With an integer ``sample``, a stem plot of that sample's weights over its
    real steps, with one feature of its input drawn on a twin axis in the
    units of ``X`` (scaling steps of a pipeline are left out for the drawing).

    Parameters
    ----------
    model : fitted attn_sklearn estimator or Pipeline ending in one
        See :func:`attn_sklearn.inspection.explain`.
    X : array-like
        Input as ``model.predict`` takes it.
    sample : int, default=None
        Row of ``X`` to draw as a stem plot.
    feature : int or str, default=0
        Feature of the input drawn beside the stems: a position, or a column
        name of a DataFrame ``X``.
    step_labels : array-like of shape (n_timesteps,), default=None
        Labels of the time steps for the step axis. ``None`` labels them,
        for a windowing pipeline and a pandas ``X``, with the timestamps
        (``X.index``) each step of the drawn window came from.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure is created when ``None``.
    cmap : str, default="viridis"
        Colour map of the heatmap (whose sample axis shows ``X.index`` labels
        for a pandas ``X``).

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes drawn on.
    """
    final, Z, shaped = network_input(model, X, in_user_units=sample is not None)
    Z = final._check_sequences(Z, reset=False)  # a 3-D array, or a dict of modalities
    weights, real = final.explain(Z), real_steps(final._attended(Z))
    _, ax = _axes(ax)
    if sample is None:
        cmap = _pyplot().get_cmap(cmap).with_extremes(bad=_PADDING_COLOUR)
        image = ax.imshow(
            np.ma.masked_array(weights, mask=~real), aspect="auto", interpolation="nearest",
            cmap=cmap,
        )
        ax.figure.colorbar(image, ax=ax, label="attention (grey: padding)")
        ax.set_xlabel("time step")
        ax.set_ylabel("sample")
        ax.set_title("Attention over time steps")
        _step_axis(ax, weights.shape[1], step_labels)
        _step_axis(ax, weights.shape[0], row_labels(X, weights.shape[0]), axis="y")
        return ax
    sample = _check_sample(sample, weights.shape[0])
    if step_labels is None:  # a windowing pipeline on a pandas X: each step's timestamp
        times = window_times(model, X, [sample])
        step_labels = None if times is None else times[0]
    index = row_labels(X, weights.shape[0])
    steps = np.arange(weights.shape[1])
    keep = real[sample]
    ax.stem(steps[keep], weights[sample, keep], basefmt=" ")
    for start, stop in _runs(~keep):
        ax.axvspan(start - 0.5, stop - 0.5, color=_PADDING_COLOUR, alpha=0.6, lw=0)
    ax.set_xlim(-0.5, len(steps) - 0.5)
    ax.set_xlabel("time step")
    ax.set_ylabel("attention")
    name = sample if index is None else _text(index[sample])
    ax.set_title(f"Attention of sample {name}" + ("" if keep.all() else " (grey: padding)"))
    _step_axis(ax, len(steps), step_labels)
    _draw_input(ax, shaped, X, sample, feature, keep)
    return ax


def _runs(flags):
    """``(start, stop)`` of each run of True in a 1-D boolean array."""
    edges = np.diff(np.concatenate([[0], flags.astype(int), [0]]))
    return zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True)


def _draw_input(ax, shaped, X, sample, feature, keep):
    """One feature of one sample's input (``shaped``, in the units of ``X``); gaps on padding."""
    if shaped is None:
        return
    series = shaped[sample].reshape(shaped.shape[1], -1)  # steps x features
    names = list(getattr(X, "columns", []))
    if isinstance(feature, str):
        if feature not in names:
            raise ValueError(
                f"feature must be a column of X or a position; received feature={feature!r}, "
                f"columns {names[:20]}."
            )
        index, label = names.index(feature), feature
    else:
        if not (isinstance(feature, int | np.integer) and 0 <= feature < series.shape[1]):
            raise ValueError(
                f"feature must be a position in [0, {series.shape[1] - 1}] or a column name; "
                f"received feature={feature!r}."
            )
        index = int(feature)
        label = names[index] if len(names) == series.shape[1] else f"feature {index}"
    line = np.where(keep, series[:, index], np.nan)
    twin = ax.twinx()
    twin.plot(np.arange(len(line)), line, color="tab:gray", alpha=0.7)
    twin.set_ylabel(f"input: {label}")


def plot_attention_heads(model, X, *, sample=0, axes=None, cmap="viridis"):
    """Plot one sample's self-attention, one query x key heatmap per head.

    Only for estimators fitted with ``attention="self"`` or ``"multihead"``.
    Padded query and key steps are grey.

    Parameters
    ----------
    model : fitted attn_sklearn estimator or Pipeline ending in one
        Fitted with self-attention.
    X : array-like
        Input as ``model.predict`` takes it; only row ``sample`` is drawn.
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
    final, Z, _ = network_input(model, X)
    Z = final._check_sequences(Z, reset=False)
    row = _row(Z, sample)
    weights = final.explain(row, full=True)[0]
    if weights.ndim != 3:  # a forecaster's decoder map, not self-attention heads
        raise ValueError("plot_attention_heads draws self-attention; use plot_horizon_attention.")
    real = real_steps(final._attended(row))[0]
    n_heads = weights.shape[0]
    if axes is None:
        _, axes = _pyplot().subplots(
            1, n_heads, figsize=(3.4 * n_heads + 1, 3.4), squeeze=False, layout="constrained"
        )
        axes = axes[0]
    axes = list(np.ravel(axes))
    if len(axes) != n_heads:
        raise ValueError(f"axes must hold one axes per head ({n_heads}); received {len(axes)}.")
    cmap = _pyplot().get_cmap(cmap).with_extremes(bad=_PADDING_COLOUR)
    padded = ~(real[:, None] & real[None, :])
    for head, ax in enumerate(axes):
        image = ax.imshow(
            np.ma.masked_array(weights[head], mask=padded), aspect="auto",
            interpolation="nearest", cmap=cmap, vmin=0.0,
        )
        ax.set_title(f"head {head}")
        ax.set_xlabel("key step")
        ax.set_ylabel("query step")
    axes[-1].figure.colorbar(image, ax=axes, label="attention (grey: padding)")
    return axes


def plot_horizon_attention(model, X, *, sample=0, ax=None, cmap="viridis"):
    """Plot which window steps each forecast step attended to (an encoder–decoder's map).

    Only for :class:`~attn_sklearn.AttentionLSTMForecaster` fitted with
    ``head="decoder"``. Row ``h`` is forecast step ``h + 1``; padded window
    steps are grey.

    Parameters
    ----------
    model : fitted AttentionLSTMForecaster or Pipeline ending in one
    X : array-like
        Input as ``model.predict`` takes it; only row ``sample`` is drawn.
    sample : int, default=0
        Row of ``X`` to draw.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure when ``None``.
    cmap : str, default="viridis"
        Colour map.

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    final, Z, _ = network_input(model, X)
    Z = final._check_sequences(Z, reset=False)
    row = _row(Z, sample)
    if getattr(final, "head", None) != "decoder":
        raise ValueError(
            "plot_horizon_attention needs an AttentionLSTMForecaster fitted with head='decoder'; "
            f"received {type(final).__name__} with head={getattr(final, 'head', None)!r}."
        )
    weights = final.explain(row, full=True)[0]
    real = real_steps(final._attended(row))[0]
    _, ax = _axes(ax)
    cmap = _pyplot().get_cmap(cmap).with_extremes(bad=_PADDING_COLOUR)
    mask = np.broadcast_to(~real[None, :], weights.shape)
    n_steps = weights.shape[0]
    image = ax.imshow(
        np.ma.masked_array(weights, mask=mask),
        aspect="auto",
        interpolation="nearest",
        cmap=cmap,
        vmin=0.0,
        extent=(-0.5, weights.shape[1] - 0.5, n_steps + 0.5, 0.5),
    )
    ax.set_xlabel("window step (oldest to newest)")
    ax.set_ylabel("forecast step ahead")
    ax.set_title(f"where each forecast step looked (sample {sample})")
    ax.figure.colorbar(image, ax=ax, label="attention (grey: padding)")
    return ax


def plot_deletion_curve(result, *, ax=None):
    """Plot a :func:`~attn_sklearn.inspection.deletion_curve`: score against steps hidden.

    Faithful attention shows the most-attended curve falling well below the
    random one (a band of one standard deviation), with the least-attended
    curve staying near the score with nothing hidden (dashed).

    Parameters
    ----------
    result : Bunch
        What :func:`~attn_sklearn.inspection.deletion_curve` returned.
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
    >>> from attn_sklearn.inspection import deletion_curve
    >>> from attn_sklearn.plotting import plot_deletion_curve
    >>> X = np.random.default_rng(0).normal(size=(60, 8))
    >>> reg = AttentionLSTMRegressor(units=4, epochs=2, random_state=0).fit(X, X[:, 2])
    >>> ax = plot_deletion_curve(deletion_curve(reg, X, X[:, 2], k=[1, 2], random_state=0))
    >>> ax.get_xlabel()
    'steps hidden per sequence'
    """
    missing = [key for key in ("k", "baseline", "most_attended", "least_attended",
                               "random_mean", "random_std") if key not in result]
    if missing:
        raise ValueError(
            "result must be what attn_sklearn.inspection.deletion_curve returned; received "
            f"an object without {missing}."
        )
    _, ax = _axes(ax)
    k = np.asarray(result["k"])
    mean, std = np.asarray(result["random_mean"]), np.asarray(result["random_std"])
    ax.axhline(result["baseline"], color="grey", linestyle="--", label="nothing hidden")
    ax.plot(k, result["most_attended"], marker="o", color="C3", label="most-attended hidden")
    ax.plot(k, mean, marker="o", color="C0", label="random steps hidden")
    ax.fill_between(k, mean - std, mean + std, color="C0", alpha=0.2)
    ax.plot(k, result["least_attended"], marker="o", color="C2", label="least-attended hidden")
    ax.set_xticks(k)
    ax.set_xlabel("steps hidden per sequence")
    ax.set_ylabel("score")
    ax.set_title("Deletion test: does the score depend on the attended steps?")
    ax.legend()
    return ax
