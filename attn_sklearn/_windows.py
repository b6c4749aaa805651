"""Overlapping windows as strided views of one series, so they never cost their full size.

The windows of a long series overlap: with a one-day window on 10-minute data
every observation appears in 144 windows. :class:`SlidingWindowTransformer`
and :func:`frame_supervised` therefore return read-only strided *views* over
the series, and the estimators recognise such views (whoever made them, e.g.
``numpy.lib.stride_tricks.sliding_window_view``) from their strides: they cast,
validate and mask the series once, and training gathers each mini-batch of
windows from the series inside the input pipeline.
"""

import numpy as np
from numpy.lib.stride_tricks import as_strided


def window_layout(X):
    """``(series, hop)`` when ``X`` is a strided view of overlapping windows, else ``None``.

    ``X`` of shape ``(n_windows, window, n_features)`` is such a view when
    window ``i`` starts ``hop`` observations after window ``i - 1`` in the same
    memory and consecutive windows overlap (``hop < window``). ``series`` is
    then a read-only ``(hop * (n_windows - 1) + window, n_features)`` view of
    that memory: every one of its rows lies in some window, so reading it
    never leaves ``X``'s own memory.

    Examples
    --------
    >>> import numpy as np
    >>> series = np.arange(12.0).reshape(6, 2)
    >>> X = np.lib.stride_tricks.sliding_window_view(series, 3, axis=0).transpose(0, 2, 1)
    >>> view, hop = window_layout(X)
    >>> view.shape, hop, bool(np.shares_memory(view, series))
    ((6, 2), 1, True)
    >>> window_layout(np.ascontiguousarray(X)) is None  # a plain copy: nothing to save
    True
    """
    if not isinstance(X, np.ndarray) or X.ndim != 3:
        return None
    n_windows, window, n_features = X.shape
    window_stride, step_stride, feature_stride = X.strides
    if n_windows < 2 or window < 2 or step_stride <= 0 or window_stride <= 0:
        return None
    hop, remainder = divmod(window_stride, step_stride)
    if remainder or hop >= window:
        return None
    n_rows = hop * (n_windows - 1) + window
    series = as_strided(
        X, shape=(n_rows, n_features), strides=(step_stride, feature_stride), writeable=False
    )
    return series, hop


def windows_of(series, *, window, hop, n_windows):
    """Read-only ``(n_windows, window, ...)`` view of the windows of ``series``, ``hop`` apart."""
    row_stride = series.strides[0]
    return as_strided(
        series,
        shape=(n_windows, window, *series.shape[1:]),
        strides=(hop * row_stride, row_stride, *series.strides[1:]),
        writeable=False,
    )


def recast_windows(X, layout, dtype):
    """``X`` (windows with ``layout``) in ``dtype``: one cast of the series, then a view."""
    series, hop = layout
    converted = np.ascontiguousarray(series, dtype=dtype)
    return windows_of(converted, window=X.shape[1], hop=hop, n_windows=len(X))


def first_window_holding(row, *, window, hop):
    """``(window index, step)`` where series ``row`` first appears in the windows."""
    first = max(0, -(-(row - window + 1) // hop))
    return first, row - first * hop


def windows_holding(rows, *, window, hop, n_windows):
    """How many windows hold each series row in ``rows`` (its copies in the windowed array)."""
    rows = np.asarray(rows)
    first = np.maximum(0, -(-(rows - window + 1) // hop))
    last = np.minimum(n_windows - 1, rows // hop)
    return np.maximum(0, last - first + 1)
