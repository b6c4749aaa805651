"""Quantile forecasts: the levels a forecaster learns, and their calibration on held-out rows.

A network trained with the pinball loss learns its quantiles from the rows it
trains on, and its band is only as wide as its errors there. Split-conformal
calibration measures the errors on rows it did not train on instead: for each
level ``q`` and forecast step, the shift that puts a fraction ``q`` of the
held-out targets under the shifted forecast (one-sided conformal quantile
regression, Romano et al., 2019, level by level).
"""

import math
from itertools import pairwise
from numbers import Real

import numpy as np

from ._batches import take_rows
from ._inference import run_inference


def quantile_levels(quantiles):
    """The levels the network learns: ``quantiles`` plus the median; None without quantiles."""
    if quantiles is None:
        return None
    received = f"received quantiles={quantiles!r}"
    try:
        levels = [float(q) for q in quantiles]
    except (TypeError, ValueError):
        raise ValueError(f"quantiles must be a sequence of numbers; {received}.") from None
    if not levels or not all(isinstance(q, Real) and 0 < q < 1 for q in levels):
        raise ValueError(
            f"quantiles must be one or more levels strictly between 0 and 1; {received}."
        )
    if any(b <= a for a, b in pairwise(levels)):
        raise ValueError(
            f"quantiles must be sorted in increasing order, without repeats; {received}."
        )
    return tuple(sorted(set(levels) | {0.5}))


def calibration_shifts(forecasts, y, quantiles):
    """Per forecast step and level, the shift that calibrates ``forecasts`` on held-out rows.

    Parameters
    ----------
    forecasts : ndarray of shape (n_rows, n_steps, len(quantiles))
        Quantile forecasts of the held-out rows, in the units of ``y``.
    y : ndarray of shape (n_rows, n_steps)
        What happened.
    quantiles : sequence of float
        The level of each column of ``forecasts``.

    Returns
    -------
    shifts : ndarray of shape (n_steps, len(quantiles))
        Added to a level-``q`` forecast, at least a fraction ``q`` (upper
        levels) or at most a fraction ``q`` (lower levels) of the held-out
        targets fall under it, with the finite-sample correction of split
        conformal prediction (the ``ceil((n + 1) q) / n`` empirical
        quantile of the errors). The median gets no shift.
    """
    n_rows = len(y)
    errors = np.asarray(y, np.float64)[..., None] - forecasts
    shifts = np.zeros(forecasts.shape[1:])
    for k, q in enumerate(quantiles):
        if q > 0.5:
            level = min(1.0, math.ceil((n_rows + 1) * q) / n_rows)
            shifts[:, k] = np.quantile(errors[..., k], level, axis=0, method="higher")
        elif q < 0.5:
            level = max(0.0, math.floor((n_rows + 1) * q) / n_rows)
            shifts[:, k] = np.quantile(errors[..., k], level, axis=0, method="lower")
    return shifts


def calibrated(forecasts, median, shifts, quantiles):
    """``forecasts`` shifted, lower levels kept at or under the median and upper ones above.

    Shapes: ``forecasts`` ``(n, n_steps, len(quantiles))``, ``median``
    ``(n, n_steps)``, ``shifts`` ``(n_steps, len(quantiles))``. The result is
    non-decreasing along the levels.
    """
    levels = np.asarray(quantiles)
    moved = forecasts + shifts[None]
    median = median[..., None]
    moved = np.where(levels < 0.5, np.minimum(moved, median), moved)
    moved = np.where(levels > 0.5, np.maximum(moved, median), moved)
    return np.sort(moved, axis=-1)


class QuantileForecastsMixin:
    """The forecaster's quantile forecasts: ``predict`` (the median), ``predict_quantiles``.

    Also calibrates them after training (``calibrate_quantiles``).
    """

    def _quantile_levels(self):
        """The levels the network learns: ``quantiles`` plus the median; None without quantiles."""
        return quantile_levels(self.quantiles)

    def _train(self, X, rows, y, sample_weight, *, epochs, initial_epoch):
        super()._train(X, rows, y, sample_weight, epochs=epochs, initial_epoch=initial_epoch)
        self.quantile_shifts_ = None
        _, val = self._validation_split(y)
        if self.quantiles is None or not self.calibrate_quantiles or val is None:
            return
        forecasts, _, quantiles = self._requested_forecasts(take_rows(X, rows[val]), validated=True)
        actual = np.asarray(y, np.float64)[val].reshape(forecasts.shape[:2])
        self.quantile_shifts_ = calibration_shifts(forecasts, actual, quantiles)

    def _quantile_forecasts(self, X, validated=False):
        """``(n_samples, n_outputs, n_levels)`` forecasts at every learned level, in y's units."""
        levels = self._quantile_levels()
        outputs = run_inference(self.model_, X)[0] if validated else self._predict_raw(X)
        outputs = outputs.reshape(-1, self.n_outputs_, len(levels))
        encoder = self.target_encoder_
        forecasts = outputs * encoder.scale_[:, None] + encoder.mean_[:, None]
        # Quantiles trained separately may cross; sorting them restores the order
        # without making any of them a worse estimate (Chernozhukov et al., 2010).
        return np.sort(forecasts, axis=-1), levels

    def _requested_forecasts(self, X, validated=False):
        """``(forecasts at quantiles, median, quantiles)``, as the network gives them."""
        forecasts, levels = self._quantile_forecasts(X, validated)
        quantiles = [float(q) for q in self.quantiles]
        wanted = [levels.index(q) for q in quantiles]
        return forecasts[:, :, wanted], forecasts[:, :, levels.index(0.5)], quantiles

    def predict(self, X):
        """Forecast the steps after each window of ``X``: the median with ``quantiles``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
            Windows, or windows and known-future covariates, as in ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Forecasts in the units of ``y``, float64.
        """
        if self.quantiles is None:
            return super().predict(X)
        forecasts, levels = self._quantile_forecasts(X)
        median = forecasts[:, :, levels.index(0.5)]
        return median.ravel() if self.target_encoder_.ndim_ == 1 else median

    def predict_quantiles(self, X):
        """Forecast the ``quantiles`` of the steps after each window of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
            Windows, or windows and known-future covariates, as in ``fit``.

        Returns
        -------
        quantiles : ndarray of shape (n_samples, n_outputs, len(quantiles))
            ``[i, h, k]`` is the ``quantiles[k]`` quantile of step ``h`` after
            window ``i``, in the units of ``y``; non-decreasing in ``k``.
            Calibrated on the held-out windows (``quantile_shifts_``) unless
            ``calibrate_quantiles=False``.
        """
        if self.quantiles is None:
            raise AttributeError(
                "predict_quantiles needs a forecaster fitted with quantiles, e.g. "
                "AttentionLSTMForecaster(quantiles=(0.1, 0.5, 0.9)); this one has quantiles=None."
            )
        forecasts, median, quantiles = self._requested_forecasts(X)
        shifts = getattr(self, "quantile_shifts_", None)
        if shifts is None:
            return forecasts
        return calibrated(forecasts, median, shifts, quantiles)
