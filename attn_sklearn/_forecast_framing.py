"""ForecastFramer: a time-indexed DataFrame as forecaster input, known-future columns apart.

Each forecast origin ``t`` (the last observed row of a window) gives one row of
``X``: the ``window`` rows up to ``t`` of every column (target first, past
covariates, then the known-future columns, whose past values are observations
too) and the ``horizon`` rows after ``t`` of the known-future columns only.
``y`` holds the target at those ``horizon`` rows. Nothing after ``t`` but the
known-future columns of the next ``horizon`` rows reaches row ``t`` of ``X``.
"""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from ._forecast_output import (
    column_names,
    forecast_array,
    forecast_table,
    future_index,
    starts_after,
)
from ._validation import check_int, check_numeric_columns

PAST_FIELD = "past"
FUTURE_FIELD = "future"


def pack_forecast_input(past, future):
    """One record per sample: fields ``"past"`` ``(T, F)`` and ``"future"`` ``(H, K)``, float32."""
    dtype = np.dtype(
        [(PAST_FIELD, np.float32, past.shape[1:]), (FUTURE_FIELD, np.float32, future.shape[1:])]
    )
    packed = np.empty(len(past), dtype=dtype)
    packed[PAST_FIELD] = past
    packed[FUTURE_FIELD] = future
    return packed


class ForecastFramer(BaseEstimator):
    """Frame a time-indexed DataFrame for :class:`AttentionLSTMForecaster`.

    The columns of ``data`` play three roles. The ``target`` is forecast.
    *Past covariates* (weather measured so far, say) are known only up to
    the forecast origin. *Known-future* columns (calendar, holidays, planned
    promotions and prices) are known ahead, so the forecaster also sees
    their values for the ``horizon`` steps it forecasts. For every origin
    ``t`` (the last row a forecast may use), :meth:`frame` gives one row of
    ``X`` and of ``y``:

    * ``X["past"]``: the last ``window`` rows up to ``t`` of the target, the
      past covariates and the known-future columns, in that order (so the
      target is feature 0, the forecaster's default ``target_feature``);
    * ``X["future"]``: the ``horizon`` rows after ``t`` of the known-future
      columns only;
    * ``y``: the target at those ``horizon`` rows.

    ``X`` is a NumPy structured array, one record per origin, so
    ``train_test_split``, ``TimeSeriesSplit``, ``cross_val_score`` and
    ``GridSearchCV`` index it like any array. Without known-future columns
    ``X`` is the plain windows array ``(n_origins, window, n_columns)``.
    :meth:`frame_future` builds the one row that forecasts the ``horizon``
    steps after the data, from the known-future columns given for them, and
    :meth:`forecast_frame` labels forecasts with the time steps they forecast.

    Parameters
    ----------
    target : str
        Column of ``data`` to forecast.
    window : int, default=24
        Rows of history per forecast (the forecaster's window length).
    horizon : int, default=1
        Steps forecast from each origin (columns of ``y``).
    known_future : sequence of str, default=()
        Columns known ahead of time; their values for the forecast steps are
        an input.
    past_covariates : sequence of str or None, default=None
        Columns known only up to the origin. ``None``: every column that is
        neither the target nor known-future.
    stride : int, default=1
        Rows between consecutive origins.

    See Also
    --------
    frame_supervised : The same framing for arrays without known-future inputs.
    AttentionLSTMForecaster : Fits and forecasts from what this returns.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from attn_sklearn import ForecastFramer
    >>> days = pd.date_range("2024-01-01", periods=10, freq="D")
    >>> data = pd.DataFrame(
    ...     {"sales": np.arange(10.0), "promo": [0, 1] * 5, "temp": np.ones(10)}, index=days
    ... )
    >>> framer = ForecastFramer("sales", window=4, horizon=2, known_future=["promo"])
    >>> X, y = framer.frame(data)
    >>> X["past"].shape, X["future"].shape, y.shape  # 5 origins: sales, temp, promo per step
    ((5, 4, 3), (5, 2, 1), (5, 2))
    >>> y[0].tolist(), X["future"][0, :, 0].tolist()  # the 2 days after the first origin
    ([4.0, 5.0], [0.0, 1.0])
    >>> plan = pd.DataFrame({"promo": [1, 1]}, index=pd.date_range("2024-01-11", periods=2))
    >>> framer.frame_future(data, plan).shape  # one row: forecast Jan 11 and 12
    (1,)
    """

    def __init__(
        self, target, *, window=24, horizon=1, known_future=(), past_covariates=None, stride=1
    ):
        self.target = target
        self.window = window
        self.horizon = horizon
        self.known_future = known_future
        self.past_covariates = past_covariates
        self.stride = stride

    # ------------------------------------------------------------------ public
    def frame(self, data):
        """Every origin of ``data`` with a full window before it and a full horizon after it.

        Parameters
        ----------
        data : pandas.DataFrame
            Numeric columns, index in strictly increasing time order (a
            ``DatetimeIndex``, or any sortable index), no missing values.

        Returns
        -------
        X : structured ndarray of shape (n_origins,) or ndarray of shape \
(n_origins, window, n_columns)
            Fields ``"past"`` ``(window, n_columns)`` and ``"future"``
            ``(horizon, n_known_future)``, float32; the plain ``"past"``
            windows when there are no known-future columns.
        y : ndarray of shape (n_origins, horizon) or (n_origins,)
            The target after each origin, float64; 1-D when ``horizon == 1``.
        """
        columns, window, horizon, stride = self._settings(data)
        past = self._values(data, columns["past"], "data")
        n_origins = _n_origins(len(data), window, horizon, stride)
        if n_origins < 1:
            raise ValueError(
                f"data has {len(data)} rows; framing needs at least window + horizon = "
                f"{window + horizon}."
            )
        starts = np.arange(n_origins) * stride
        X = _windows(past, starts, window)
        y = past[:, 0][(starts + window)[:, None] + np.arange(horizon)]
        if columns["known_future"]:
            ahead = past[:, len(columns["past"]) - len(columns["known_future"]) :]
            X = pack_forecast_input(X, _windows(ahead, starts + window, horizon))
        return X, (y[:, 0] if horizon == 1 else y)

    def frame_future(self, data, future=None):
        """The one row of ``X`` that forecasts the ``horizon`` steps after ``data``.

        Parameters
        ----------
        data : pandas.DataFrame
            The history, as for :meth:`frame`; its last ``window`` rows are used.
        future : pandas.DataFrame, default=None
            The ``horizon`` rows after ``data``: the known-future columns (other
            columns, the target say, are ignored), indexed after ``data``'s
            last row. Needed only with known-future columns.

        Returns
        -------
        X : structured ndarray of shape (1,) or ndarray of shape (1, window, n_columns)
            As :meth:`frame` gives it; pass it to the forecaster's ``predict``.
        """
        columns, window, horizon, _ = self._settings(data)
        if len(data) < window:
            raise ValueError(
                f"data has {len(data)} rows; forecasting after it needs the last window = {window}."
            )
        last = self._values(data.iloc[-window:], columns["past"], "data")
        past = _windows(last, [0], window)
        if not columns["known_future"]:
            return past
        if not isinstance(future, pd.DataFrame):
            raise TypeError(
                f"future must be a DataFrame holding the known-future columns "
                f"{columns['known_future']} for the {horizon} steps to forecast; received "
                f"{type(future).__name__}."
            )
        if len(future) != horizon:
            raise ValueError(
                f"future must hold the horizon = {horizon} steps after data; received "
                f"{len(future)} rows."
            )
        ahead = _windows(self._values(future, columns["known_future"], "future"), [0], horizon)
        _check_time_order(future, "future")
        if not starts_after(future.index, data.index[-1]):
            raise ValueError(
                f"future must be indexed by the steps after data's last row ({data.index[-1]}); "
                f"received a first row at {future.index[0]!r}."
            )
        return pack_forecast_input(past, ahead)

    def origins(self, data):
        """Index label of each row of :meth:`frame`'s output: the last step it observed.

        Parameters
        ----------
        data : pandas.DataFrame
            As for :meth:`frame`.

        Returns
        -------
        origins : pandas.Index of length n_origins
            ``data.index`` at each forecast origin; row ``i`` of ``y``
            forecasts the ``horizon`` rows after ``origins[i]``.
        """
        _, window, horizon, stride = self._settings(data)
        return data.index[window - 1 :: stride][: _n_origins(len(data), window, horizon, stride)]

    def forecast_frame(self, forecasts, data, future=None, *, quantiles=None):
        """Forecasts as a DataFrame indexed by the time steps they forecast.

        ``predict`` returns arrays, as scikit-learn's estimators do; this
        labels each forecast step with its timestamp.

        Parameters
        ----------
        forecasts : array-like of shape (n, horizon) or (n, horizon, len(quantiles))
            The forecaster's ``predict`` (or, with ``quantiles``,
            ``predict_quantiles``) output for :meth:`frame`'s rows of ``data``,
            or, with ``future``, for :meth:`frame_future`'s one row.
        data : pandas.DataFrame
            The data those rows were framed from (the history, with ``future``).
        future : pandas.DataFrame or pandas.Index, default=None
            For a forecast of the steps after ``data``: the plan given to
            :meth:`frame_future`, or the labels of the ``horizon`` steps
            forecast (``pd.date_range(...)``, say) when there is no plan.
        quantiles : sequence of float, default=None
            The levels of ``predict_quantiles``' output (the forecaster's
            ``quantiles``); ``None`` for ``predict``'s.

        Returns
        -------
        frame : pandas.DataFrame
            One row per forecast step: ``horizon_step`` (1 to ``horizon``),
            then the forecast, in a column named after the target (or one
            column ``"<target>_q<level>"`` per quantile). Indexed by
            ``(origin, time)`` (the origin's label and the forecast step's)
            for :meth:`frame`'s rows, by the forecast steps' labels with
            ``future``. The time level keeps ``data.index``'s name, else
            ``"time"``.

        Examples
        --------
        >>> import numpy as np
        >>> import pandas as pd
        >>> from attn_sklearn import ForecastFramer
        >>> days = pd.date_range("2024-01-01", periods=6, freq="D", name="day")
        >>> data = pd.DataFrame({"sales": np.arange(6.0)}, index=days)
        >>> framer = ForecastFramer("sales", window=3, horizon=2)
        >>> X, y = framer.frame(data)  # origins Jan 3 and 4; y stands in for a forecast
        >>> framer.forecast_frame(y, data).loc["2024-01-04"]  # doctest: +NORMALIZE_WHITESPACE
                    horizon_step  sales
        day
        2024-01-05             1    4.0
        2024-01-06             2    5.0
        >>> after = pd.date_range("2024-01-07", periods=2, freq="D")
        >>> framer.forecast_frame([[6.0, 7.0]], data, after)  # doctest: +NORMALIZE_WHITESPACE
                    horizon_step  sales
        day
        2024-01-07             1    6.0
        2024-01-08             2    7.0
        """
        _, window, horizon, stride = self._settings(data)
        columns = column_names(self.target, quantiles)
        values = forecast_array(forecasts, horizon, quantiles)
        time_name = data.index.name or "time"
        if future is not None:
            if len(values) != 1:
                raise ValueError(
                    "forecasts must be the one row frame_future gives when future is passed; "
                    f"received {len(values)} rows. Leave future out for frame's rows."
                )
            times = future_index(future, horizon, data.index[-1]).rename(time_name)
            return forecast_table(values, columns, times)
        origins = self.origins(data)
        if len(values) != len(origins):
            raise ValueError(
                f"forecasts must have one row per origin of frame(data), {len(origins)}; "
                f"received {len(values)}. For the steps after data (frame_future's row), "
                "pass future."
            )
        rows = (window + np.arange(len(origins)) * stride)[:, None] + np.arange(horizon)
        times = data.index[rows.ravel()].rename(time_name)
        return forecast_table(values, columns, times, origins)

    # ---------------------------------------------------------------- private
    def _settings(self, data):
        """Validated ``(columns by role, window, horizon, stride)`` for ``data``."""
        window = check_int(self.window, "window")
        horizon = check_int(self.horizon, "horizon")
        stride = check_int(self.stride, "stride")
        if not isinstance(data, pd.DataFrame):
            raise TypeError(
                "data must be a pandas DataFrame indexed by time, with the target and covariate "
                f"columns; received {type(data).__name__}."
            )
        _check_time_order(data, "data")
        known = _column_list(self.known_future, "known_future")
        if self.target not in data.columns:
            raise ValueError(
                f"target must be a column of data; received target={self.target!r}, columns "
                f"{list(data.columns)}."
            )
        if self.target in known:
            raise ValueError(
                f"known_future must not hold the target {self.target!r}: its future is what "
                "is forecast."
            )
        roles = {self.target, *known}
        if self.past_covariates is None:
            past = [c for c in data.columns if c not in roles]
        else:
            past = _column_list(self.past_covariates, "past_covariates")
            overlap = [c for c in past if c in roles]
            if overlap:
                raise ValueError(
                    f"past_covariates must not repeat the target or a known_future column; "
                    f"received {overlap[0]!r} in both."
                )
        for name, listed in (("known_future", known), ("past_covariates", past)):
            missing = [c for c in listed if c not in data.columns]
            if missing:
                raise ValueError(
                    f"{name} names column {missing[0]!r}, which data does not have; its "
                    f"columns are {list(data.columns)}."
                )
        columns = {"past": [self.target, *past, *known], "known_future": known}
        return columns, window, horizon, stride

    @staticmethod
    def _values(frame, columns, name):
        """``frame[columns]`` as float64, refusing text and missing values by name."""
        if isinstance(frame, pd.DataFrame):
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise ValueError(
                    f"{name} is missing the known-future column {missing[0]!r}; it needs "
                    f"{list(columns)}."
                )
        selected = frame[columns]
        check_numeric_columns(selected, name)
        values = selected.to_numpy(dtype=np.float64, na_value=np.nan)
        bad = ~np.isfinite(values)
        if bad.any():
            row, col = np.argwhere(bad)[0]
            raise ValueError(
                f"{name} has a missing or infinite value in column {columns[col]!r} at "
                f"{frame.index[row]}; the framer needs complete rows. Fill it (e.g. "
                f"{name}.interpolate()) first; to have the network skip a past step instead, "
                "set that step of X['past'] to MASK_VALUE in every feature."
            )
        return values


def _n_origins(n_rows, window, horizon, stride):
    """Origins with ``window`` rows up to them and ``horizon`` after them (0 when none)."""
    return max((n_rows - window - horizon) // stride + 1, 0)


def _column_list(columns, name):
    if isinstance(columns, str) or not hasattr(columns, "__iter__"):
        raise TypeError(
            f"{name} must be a list of column names; received {name}={columns!r}. "
            f"Write {name}=[{columns!r}] for one column."
        )
    listed = list(columns)
    if len(set(listed)) != len(listed):
        raise ValueError(f"{name} names a column twice; received {name}={listed!r}.")
    return listed


def _check_time_order(frame, name):
    index = frame.index
    if not index.is_unique:
        repeated = index[index.duplicated()][0]
        raise ValueError(
            f"{name} has the time step {repeated} twice; its index must be unique and "
            "increasing. Aggregate or drop duplicated rows first."
        )
    if not index.is_monotonic_increasing:
        raise ValueError(
            f"{name} must be in time order (increasing index); received an unsorted index. "
            f"Sort it first: {name}.sort_index()."
        )


def _windows(values, starts, length):
    """``values[s:s + length]`` for each start: one float32 ``(len(starts), length, ...)`` copy."""
    return values[np.asarray(starts)[:, None] + np.arange(length)].astype(np.float32)
