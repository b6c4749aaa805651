"""Forecast arrays as DataFrames indexed by the time steps they forecast.

The forecaster returns arrays, as scikit-learn's estimators do; the framer
knows which origin each row came from and which time steps follow it, so it
turns ``(n, H)`` forecasts (or ``(n, H, Q)`` quantiles) into a long frame:
one row per forecast step, indexed by origin and forecast timestamp.
"""

from numbers import Real

import numpy as np
import pandas as pd


def forecast_array(forecasts, horizon, quantiles):
    """``forecasts`` as float64 ``(n, horizon, n_columns)``, checked against the horizon."""
    try:
        values = np.asarray(forecasts, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            "forecasts must be the numeric array the forecaster's predict or "
            f"predict_quantiles returned; received {type(forecasts).__name__}."
        ) from None
    if values.ndim == 1 and horizon == 1:
        values = values[:, None]
    expected = "(n, horizon)" if quantiles is None else "(n, horizon, len(quantiles))"
    if values.ndim != (2 if quantiles is None else 3) or values.shape[1] != horizon:
        hint = (
            " For predict_quantiles' output pass quantiles=model.quantiles."
            if quantiles is None and values.ndim == 3
            else ""
        )
        raise ValueError(
            f"forecasts must have shape {expected} with horizon = {horizon}; received shape "
            f"{values.shape}.{hint}"
        )
    if quantiles is not None and values.shape[2] != len(quantiles):
        raise ValueError(
            f"forecasts hold {values.shape[2]} quantiles per step but quantiles lists "
            f"{len(quantiles)}: {list(quantiles)}."
        )
    return values if values.ndim == 3 else values[:, :, None]


def column_names(target, quantiles):
    """The target's name for point forecasts, ``"<target>_q<level>"`` for quantiles."""
    if quantiles is None:
        return [target]
    if isinstance(quantiles, str) or not hasattr(quantiles, "__len__"):
        raise TypeError(f"quantiles must be a sequence of levels; received {quantiles!r}.")
    if not all(isinstance(q, Real) and 0 < q < 1 for q in quantiles):
        raise ValueError(
            f"quantiles must be the levels strictly between 0 and 1 the forecasts were made "
            f"at (the forecaster's quantiles); received {list(quantiles)}."
        )
    return [f"{target}_q{float(q):g}" for q in quantiles]


def forecast_table(values, columns, times, origins=None):
    """One row per forecast step: ``horizon_step`` (1-based), then the forecasts.

    Indexed by ``times`` (one label per step, origin after origin), and by
    ``(origin, time)`` when ``origins`` (one label per forecast) is given.
    """
    n, horizon, _ = values.shape
    index = times
    if origins is not None:
        index = pd.MultiIndex.from_arrays([origins.repeat(horizon).rename("origin"), times])
    frame = pd.DataFrame(values.reshape(n * horizon, -1), index=index, columns=columns)
    frame.insert(0, "horizon_step", np.tile(np.arange(1, horizon + 1), n))
    return frame


def future_index(future, horizon, last):
    """The ``horizon`` labels forecast after ``last``: ``future``'s index, or ``future`` itself."""
    index = future.index if isinstance(future, pd.DataFrame | pd.Series) else future
    if not isinstance(index, pd.Index):
        raise TypeError(
            "future must be the plan passed to frame_future (a DataFrame) or the forecast "
            f"steps' labels (a pandas Index, e.g. pd.date_range); received "
            f"{type(future).__name__}."
        )
    if len(index) != horizon:
        raise ValueError(
            f"future must label the horizon = {horizon} steps forecast; received {len(index)}."
        )
    if not (index.is_monotonic_increasing and index.is_unique and starts_after(index, last)):
        raise ValueError(
            f"future must label increasing steps after data's last row ({last}); received "
            f"labels from {index[0]!r} to {index[-1]!r}."
        )
    return index


def starts_after(index, last):
    """Whether ``index``'s first label comes after ``last`` (False when they do not compare)."""
    try:
        return bool(index[0] > last)
    except TypeError:  # e.g. positions against timestamps
        return False
