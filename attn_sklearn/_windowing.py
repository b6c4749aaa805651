"""Turn a time-ordered series into fixed-length windows, never looking ahead."""

import numbers
import warnings
from typing import ClassVar

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ._masking import MASK_VALUE
from ._validation import (
    ArrayOutputMixin,
    check_int,
    check_numeric_columns,
    check_observations,
    is_int,
)


class SlidingWindowTransformer(ArrayOutputMixin, TransformerMixin, BaseEstimator):
    """Replace each observation by the trailing window of history ending at it.

    Row ``i`` of the output holds observations ``i - window + 1, ..., i`` in
    time order, so its last step is observation ``i`` itself and nothing after
    it: the transformer never looks ahead. The first ``window - 1`` rows lack
    part of their history; the missing *leading* steps are filled with
    :data:`~attn_sklearn.MASK_VALUE` in every feature (padding, which the
    estimators skip) rather than dropped or invented. There is one output row
    per input row, so a target ``y`` stays aligned in a
    :class:`~sklearn.pipeline.Pipeline`.

    By default each call to ``transform`` sees only the rows it is given. In
    cross-validation each test fold therefore starts with no history (its
    first rows are padded): nothing leaks from the training fold or from the
    future. With ``history="fit"`` the rows given to ``transform`` continue
    the rows seen in ``fit``, whose last ``window - 1`` rows fill their first
    windows: what forecasting the steps after the data needs
    (``pipe.predict(new_rows)`` gets full windows), and what a
    :class:`~sklearn.model_selection.TimeSeriesSplit` test fold, which follows
    its training fold, is. ``transform`` warns when most of its windows hold
    fewer real steps than padding, the sign of windows built from too few rows.

    Parameters
    ----------
    window : int, default=24
        Number of time steps in each output sequence.
    history : {"none", "fit"}, default="none"
        What precedes the rows given to ``transform``. ``"none"``: nothing,
        the first ``window - 1`` windows are padded. ``"fit"``: the last
        ``window - 1`` rows seen in ``fit``; use it only when the rows given
        to ``transform`` directly follow those (for the fitted rows
        themselves, ``fit_transform`` windows them without it, as
        ``Pipeline.fit`` does).

    Attributes
    ----------
    n_features_in_ : int
        Number of features seen during ``fit`` (1 for 1-D input).
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X`
        has feature names that are all strings.
    history_ : ndarray of shape (min(window - 1, n_steps), n_features)
        The last rows seen in ``fit``, which ``history="fit"`` puts
        before the rows given to ``transform``.

    See Also
    --------
    frame_supervised : Frame a series as ``(X, y)`` windows with a forecast target.

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import MASK_VALUE, SlidingWindowTransformer
    >>> X = np.arange(4.0)
    >>> Xt = SlidingWindowTransformer(window=3).fit_transform(X)
    >>> Xt.shape
    (4, 3, 1)
    >>> Xt[3, :, 0]
    array([1., 2., 3.])
    >>> bool(np.all(Xt[1, 0] == MASK_VALUE)), Xt[1, 1:, 0]
    (True, array([0., 1.]))
    >>> after = SlidingWindowTransformer(window=3, history="fit").fit(X)
    >>> after.transform(np.array([4.0]))[0, :, 0]  # the next row's window continues X
    array([2., 3., 4.])
    """

    _parameter_constraints: ClassVar[dict] = {
        "window": [Interval(numbers.Integral, 1, None, closed="left")],
        "history": [StrOptions({"none", "fit"})],
    }

    def __init__(self, window=24, *, history="none"):
        self.window = window
        self.history = history

    def _validate(self, X, reset):
        # 1-D input is one feature; reshape before validate_data so that
        # n_features_in_ (and a pandas Series name) are handled uniformly.
        if hasattr(X, "to_frame") and getattr(X, "ndim", None) == 1:
            X = X.to_frame()
        elif not (hasattr(X, "columns") or sp.issparse(X)):
            X = np.asarray(X)
            X = X.reshape(-1, 1) if X.ndim == 1 else X
        check_numeric_columns(X)
        X = validate_data(self, X, dtype="numeric", ensure_all_finite="allow-nan", reset=reset)
        check_observations(X, "X")
        return X

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the number (and names) of features.

        Parameters
        ----------
        X : array-like of shape (n_steps,) or (n_steps, n_features)
            Time-ordered observations. NaN is allowed, infinity is not.
        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        X = self._validate(X, reset=True)
        self.history_ = np.array(X[len(X) - min(self.window - 1, len(X)) :], dtype=np.float64)
        return self

    def fit_transform(self, X, y=None):
        """Fit, then window ``X`` itself: the fitted rows have no history before them.

        Parameters
        ----------
        X : array-like of shape (n_steps,) or (n_steps, n_features)
            Time-ordered observations.
        y : None
            Ignored.

        Returns
        -------
        X_windows : ndarray of shape (n_steps, window, n_features)
            As :meth:`transform` with ``history="none"``.
        """
        self.fit(X)
        return self._windows(self._validate(X, reset=False), before=None)

    def transform(self, X):
        """Build the trailing window of every observation.

        Parameters
        ----------
        X : array-like of shape (n_steps,) or (n_steps, n_features)
            Time-ordered observations with the features seen in ``fit``.

        Returns
        -------
        X_windows : ndarray of shape (n_steps, window, n_features)
            ``X_windows[i]`` holds observations ``i - window + 1 .. i``; steps
            before the first observation are filled with ``MASK_VALUE``. A
            read-only view over one padded float64 copy of ``X``: the windows
            share memory, so the output costs one copy of the series whatever
            the window, and the estimators train on it without copying it per
            window. ``np.array(X_windows)`` gives a writable copy.
        """
        check_is_fitted(self)
        X = self._validate(X, reset=False)
        before = self.history_ if self.history == "fit" else None
        windows = self._windows(X, before=before)
        n_history = 0 if before is None else len(before)
        real = np.minimum(np.arange(1, len(X) + 1) + n_history, self.window)
        mostly_padding = int(np.sum(real < self.window - real))
        if mostly_padding > len(X) / 2:
            warnings.warn(
                f"{mostly_padding} of {len(X)} windows hold more padding than real steps "
                f"(window={self.window}): transform sees only the rows it is given"
                + (" and the fitted rows' tail." if before is not None else ".")
                + " Pass the preceding rows too, or use history='fit' when these rows "
                "directly follow the fitted ones.",
                UserWarning,
                stacklevel=2,
            )
        return windows

    def _windows(self, X, *, before):
        """The windows of ``X``'s rows, ``before`` (rows preceding them) filling the first."""
        n_steps, n_features = X.shape
        n_before = 0 if before is None else len(before)
        padded = np.full((n_steps + self.window - 1, n_features), MASK_VALUE, dtype=np.float64)
        padded[self.window - 1 :] = X
        if n_before:
            padded[self.window - 1 - n_before : self.window - 1] = before
        # A read-only view: the windows overlap and share the padded series' memory.
        windows = np.lib.stride_tricks.sliding_window_view(padded, self.window, axis=0)
        return windows.transpose(0, 2, 1)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        # The output is 3-D (n_steps, window, n_features) float64, so there is
        # deliberately no get_feature_names_out and no pandas output.
        tags.transformer_tags.preserves_dtype = ["float64"]
        return tags


def _series_values(series):
    """Return ``(values, columns)``: a fresh float64 array and DataFrame column labels."""
    columns = None
    if hasattr(series, "iloc") and hasattr(series, "dtypes"):  # pandas Series / DataFrame
        from pandas.api.types import is_complex_dtype, is_numeric_dtype

        dtypes = [series.dtypes] if series.ndim == 1 else list(series.dtypes)
        bad = [str(d) for d in dtypes if not is_numeric_dtype(d) or is_complex_dtype(d)]
        if bad:
            raise TypeError(f"series must be numeric; received columns of dtype {bad}.")
        if series.ndim == 2:
            columns = series.columns
        values = series.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
    else:
        values = np.asarray(series)
        if values.dtype.kind not in "biufO":
            raise TypeError(f"series must be numeric; received an array of dtype {values.dtype}.")
        try:
            values = values.astype(np.float64, copy=True)
        except (TypeError, ValueError):
            raise TypeError("series must be numeric; received non-numeric objects.") from None
    if values.ndim not in (1, 2):
        raise ValueError(
            f"series must be 1-D (n_steps,) or 2-D (n_steps, n_features); "
            f"received an array with shape {values.shape}."
        )
    if values.size == 0:
        raise ValueError(f"series must not be empty; received shape {values.shape}.")
    nonfinite = ~np.isfinite(values)
    if nonfinite.any():
        step = int(np.nonzero(nonfinite.reshape(len(values), -1).any(axis=1))[0][0])
        raise ValueError(
            f"series must contain only finite values; found NaN or infinity at step {step}. "
            "Impute or drop missing values first."
        )
    return values, columns


def _target_index(target, n_features, columns):
    if target is None:
        if n_features == 1:
            return 0
        raise ValueError(
            f"target is required for a multivariate series (n_features={n_features}); "
            "pass the column index or DataFrame column name to forecast."
        )
    if is_int(target):
        if not 0 <= target < n_features:
            raise ValueError(
                f"target must be a column index in [0, {n_features - 1}]; "
                f"received target={target!r}."
            )
        return int(target)
    if columns is None:
        raise TypeError(
            "target must be an integer column index (column names need a DataFrame); "
            f"received target={target!r}."
        )
    matches = [i for i, column in enumerate(columns) if column == target]
    if len(matches) != 1:
        found = "not found" if len(matches) == 0 else "found more than once"
        raise ValueError(
            f"target must name one column of the DataFrame; {target!r} was {found} "
            f"among columns {list(columns)[:20]}."
        )
    return int(matches[0])


def frame_supervised(series, window, *, horizon=1, stride=1, target=None):
    """Frame a time-ordered series as supervised ``(X, y)`` windows.

    Windows start at ``s = 0, stride, 2 * stride, ...`` while
    ``s + window + horizon <= n_steps``. ``X[k]`` holds ``series[s:s + window]``
    and ``y[k]`` the target at steps ``s + window .. s + window + horizon - 1``,
    strictly after the window, so no input step looks ahead of its target.

    Parameters
    ----------
    series : array-like of shape (n_steps,) or (n_steps, n_features)
        Time-ordered numeric observations (ndarray, pandas Series or
        DataFrame), without NaN or infinity.
    window : int
        Number of time steps in each input window.
    horizon : int, default=1
        Number of future steps to predict.
    stride : int, default=1
        Distance between the starts of consecutive windows.
    target : int, str or None, default=None
        Column to forecast. Required for a multivariate series: an integer is
        a column *position*, anything else a DataFrame column name. For a
        single-column series it must be None or 0.

    Returns
    -------
    X : ndarray of shape (n_windows, window) or (n_windows, window, n_features)
        Input windows, float64: 2-D for a 1-D series (univariate sequences),
        3-D for a 2-D series. A read-only view over one copy of the series
        (overlapping windows share memory); ``np.array(X)`` gives a writable copy.
    y : ndarray of shape (n_windows,) or (n_windows, horizon)
        Targets, float64; 1-D when ``horizon == 1``.

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import frame_supervised
    >>> X, y = frame_supervised(np.arange(6.0), window=3)
    >>> X
    array([[0., 1., 2.],
           [1., 2., 3.],
           [2., 3., 4.]])
    >>> y
    array([3., 4., 5.])
    >>> X, y = frame_supervised(np.arange(12.0).reshape(6, 2), 2, horizon=2, target=1)
    >>> X.shape, y.tolist()
    ((3, 2, 2), [[5.0, 7.0], [7.0, 9.0], [9.0, 11.0]])
    """
    window = check_int(window, "window")
    horizon = check_int(horizon, "horizon")
    stride = check_int(stride, "stride")
    values, columns = _series_values(series)
    univariate = values.ndim == 1
    n_steps = len(values)
    n_features = 1 if univariate else values.shape[1]
    if univariate:
        if target is not None and not (is_int(target) and target == 0):
            raise ValueError(
                f"target must be None or 0 for a univariate series; received target={target!r}."
            )
        target_col = 0
    else:
        target_col = _target_index(target, n_features, columns)
    if n_steps < window + horizon:
        raise ValueError(
            f"series has {n_steps} steps but window + horizon = {window + horizon} are needed; "
            "use a longer series or a smaller window/horizon."
        )
    starts = np.arange(0, n_steps - window - horizon + 1, stride)
    # sliding_window_view puts the window axis last: (n_steps - window + 1, [n_features,] window).
    # Slicing (not indexing) keeps X a read-only view over the series: no copy per window.
    X = np.lib.stride_tricks.sliding_window_view(values, window, axis=0)[: starts[-1] + 1 : stride]
    if not univariate:
        X = X.transpose(0, 2, 1)
    y_series = values if univariate else values[:, target_col]
    y = np.lib.stride_tricks.sliding_window_view(y_series, horizon)[starts + window]
    return X, (y[:, 0].copy() if horizon == 1 else y)
