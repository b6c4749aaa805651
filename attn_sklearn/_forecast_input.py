"""The forecaster's input: windows, or windows with the known-future covariates of the horizon.

The second form is a structured array (one record per sample) with fields
``"past"`` ``(T, F)`` and ``"future"`` ``(H, K)``, as
:class:`~attn_sklearn.ForecastFramer` builds it, or a dict of those two
arrays. It is validated here into the network's two inputs.
"""

import numpy as np

from ._forecast_framing import FUTURE_FIELD, PAST_FIELD
from ._masking import real_steps
from ._multimodal_data import as_modality_dict
from ._validation import as_sequence_array, check_sequences

# The validated dict, and the network's inputs, are named as the structured array's
# fields: what validation returns validates again (the plots and inspection do this).
_FIELDS = {PAST_FIELD, FUTURE_FIELD}


def split_forecast_input(X):
    """``(past, future)`` of a two-field ``X``, or ``(X, None)`` for plain windows.

    Containers are told apart as for several modalities (a dict, a structured
    array, or one array), so both estimators accept and refuse the same ones.
    """
    fields, kind = as_modality_dict(X)
    if kind == "array":
        return X, None
    if set(fields) != _FIELDS:
        raise ValueError(
            f"X with known-future covariates must have exactly the fields {sorted(_FIELDS)} "
            f"(as ForecastFramer.frame gives them); received {sorted(fields)}."
        )
    return fields[PAST_FIELD], fields[FUTURE_FIELD]


def check_forecast_input(owner, X, *, reset):
    """Validate ``X`` for the forecaster ``owner``: an array, or a dict of the network's inputs.

    Plain windows are checked as every estimator checks sequences. With
    known-future covariates the windows are checked the same way (as
    ``X['past']``) and ``X['future']`` must hold finite values, no padding,
    ``n_outputs_`` steps (checked against ``y`` in ``fit``) and as many
    columns as in ``fit``. ``reset`` records ``n_future_features_in_`` (0
    for plain windows).
    """
    past, future = split_forecast_input(X)
    fitted_with = None if reset else owner.n_future_features_in_
    if future is None:
        if fitted_with:
            raise ValueError(
                f"{type(owner).__name__} was fitted with {fitted_with} known-future "
                "covariate(s); X must hold them: a structured array with fields 'past' and "
                "'future' (ForecastFramer.frame_future builds it). Received plain windows."
            )
        windows = check_sequences(owner, past, reset=reset)
        if reset:
            owner.n_future_features_in_ = 0
        return windows
    if fitted_with == 0:
        raise ValueError(
            f"{type(owner).__name__} was fitted on windows without known-future covariates; "
            "received X with a 'future' field. Pass the windows alone (X['past'])."
        )
    windows = check_sequences(owner, past, reset=reset)
    future, ndim = as_sequence_array(future, name="X['future']")
    if ndim != 3:
        raise ValueError(
            "X['future'] must be 3-D (n_samples, horizon, n_known_future); received 2-D input."
        )
    if len(future) != len(windows):
        raise ValueError(
            f"X['future'] has {len(future)} samples, but X['past'] has {len(windows)}."
        )
    if not np.all(np.isfinite(future)) or np.any(~real_steps(future)):
        raise ValueError(
            "X['future'] must hold finite values at every step: known-future covariates are "
            "known for the whole horizon (no NaN, infinity or MASK_VALUE padding)."
        )
    if reset:
        owner.n_future_features_in_ = future.shape[2]
    elif future.shape[2] != fitted_with:
        raise ValueError(
            f"X['future'] has {future.shape[2]} known-future covariate(s), but "
            f"{type(owner).__name__} was fitted with {fitted_with}."
        )
    if not reset and future.shape[1] != owner.n_outputs_:
        raise_horizon_mismatch(future.shape[1], owner.n_outputs_)
    return {PAST_FIELD: windows, FUTURE_FIELD: future}


def raise_horizon_mismatch(received, expected):
    """The horizon of ``X['future']`` is not the number of forecast steps."""
    raise ValueError(
        f"X['future'] covers {received} step(s), but the forecaster forecasts {expected} "
        "(the columns of y in fit); known-future covariates are needed for exactly the "
        "steps forecast."
    )


def attended_windows(X):
    """The windows of validated forecaster input, which attention runs over."""
    return X[PAST_FIELD] if isinstance(X, dict) else X


def evenly_spaced(rows, max_rows=10_000):
    """At most ``max_rows`` of ``rows``, evenly spaced: enough for statistics of the data.

    Windows that are views of one long series are then never all copied.
    """
    rows = np.asarray(rows)
    return rows[np.unique(np.linspace(0, len(rows) - 1, min(len(rows), max_rows)).astype(int))]


def input_scaling(X, rows, normalization, per_window=None):
    """Per-feature statistics of the training rows, which the network standardises with.

    ``future_mean``/``future_scale`` for the known-future covariates, which
    arrive in a DataFrame's own units. ``window_mean``/``window_scale`` over
    the windows' real steps: without window normalisation only for input
    with known-future covariates, and with it (``per_window`` flags from
    :func:`per_window_features`) for the features not normalised per window
    (mean 0, scale 1 for the others), with ``per_window`` itself. Plain
    windows are otherwise left as given: on the forecasting benchmark
    standardising them in the network cost four univariate series accuracy
    (Lynx MASE 0.34 -> 0.81). Read from :func:`evenly_spaced` rows; a
    constant feature gets scale 1.
    """
    rows = evenly_spaced(rows)
    stats = {}
    per_window = None if per_window is None or all(per_window) else list(per_window)
    if per_window is not None or (normalization == "none" and isinstance(X, dict)):
        windows = attended_windows(X)[rows]
        mean, scale = _mean_and_scale(windows[real_steps(windows)])
        if per_window is not None:
            # Identity for the features the window's own statistics normalise.
            mean = np.where(per_window, 0.0, mean).tolist()
            scale = np.where(per_window, 1.0, scale).tolist()
            stats["per_window"] = per_window
        stats["window_mean"], stats["window_scale"] = mean, scale
    if isinstance(X, dict):
        stats["future_mean"], stats["future_scale"] = _mean_and_scale(X[FUTURE_FIELD][rows])
    return stats


def _mean_and_scale(values):
    values = values.reshape(-1, values.shape[-1]).astype(np.float64)
    scale = values.std(axis=0)
    return values.mean(axis=0).tolist(), np.where(scale > 0, scale, 1.0).tolist()
