"""Layers that put forecasting windows on a common scale, and forecasts back on theirs.

A forecaster's window may sit at any level: a trending series leaves the
range it was trained on. :class:`WindowNormalization` expresses a window's
features relative to its own mean and spread (instance normalisation; RevIN
is the published form), and :class:`WindowDenormalization` puts the forecast
back on the window's level. :class:`FeatureScaling` standardises features
with fixed statistics fitted on the training data. All are exported by
:mod:`attn_sklearn.layers`.
"""

import keras
from keras import ops

from ._masking import MASK_VALUE

# Spread floor, relative to a window's mean absolute value: a constant window
# normalises to zeros instead of dividing by zero, whatever the data's units.
_RELATIVE_FLOOR = 1e-3
_ABSOLUTE_FLOOR = 1e-8


def real_flags(inputs):
    """``(batch, T, 1)`` float flags: 1 on real steps, 0 where every feature is the marker."""
    is_marker = ops.equal(inputs, ops.cast(MASK_VALUE, inputs.dtype))
    return ops.cast(ops.logical_not(ops.all(is_marker, axis=-1, keepdims=True)), inputs.dtype)


@keras.saving.register_keras_serializable(package="attn_sklearn")
class WindowNormalization(keras.layers.Layer):
    """Express each window relative to its own per-feature mean and spread.

    Over the real steps of each window, feature ``f`` has mean ``m`` and
    standard deviation ``s``; its values become ``(x - m) / s``. Padded steps
    (every feature equal to :data:`~attn_sklearn.MASK_VALUE`) keep the marker,
    so a ``Masking`` layer after this one still skips them. The statistics
    are the second output, for :class:`WindowDenormalization`.

    Parameters
    ----------
    per_window : list of bool or None, default=None
        Which features to normalise, one flag per feature; the others pass
        through unchanged, with mean 0 and spread 1 in the statistics.
        ``None`` normalises every feature. Flags and planned values (a
        promotion, a price) mean the same in every window, and a window's
        own statistics would rescale them differently in each.
    **kwargs
        Standard layer keyword arguments (``name``, ``dtype``, ...).

    See Also
    --------
    WindowDenormalization : Puts a forecast back on its window's level.

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import MASK_VALUE
    >>> from attn_sklearn.layers import WindowNormalization
    >>> x = np.array([[[MASK_VALUE], [10.0], [12.0]]], "float32")
    >>> normalized, stats = WindowNormalization()(x)
    >>> normalized = np.asarray(normalized)[0, :, 0]
    >>> normalized[1:].round(3).tolist(), bool(normalized[0] == MASK_VALUE)
    ([-1.0, 1.0], True)
    >>> np.asarray(stats)[0, :, 0].round(3).tolist()  # mean, spread
    [11.0, 1.0]
    >>> flags = np.array([[[10.0, 1.0], [12.0, 0.0]]], "float32")
    >>> normalized, _ = WindowNormalization(per_window=[True, False])(flags)
    >>> np.asarray(normalized)[0].round(3).tolist()  # the second feature is left alone
    [[-1.0, 1.0], [1.0, 0.0]]
    """

    def __init__(self, per_window=None, **kwargs):
        super().__init__(**kwargs)
        if per_window is not None:
            flags = list(per_window)
            if not flags or not all(isinstance(flag, bool) for flag in flags):
                raise ValueError(
                    "Expected per_window to be None or a non-empty list of bools, one per "
                    f"feature. Received: per_window={per_window!r}"
                )
            per_window = flags
        self.per_window = per_window

    def call(self, inputs):
        """Normalise each window; return ``(normalized, stats)``.

        Parameters
        ----------
        inputs : tensor of shape (batch, n_timesteps, n_features)
            Windows, padded steps marked with ``MASK_VALUE``.

        Returns
        -------
        normalized : tensor of the shape of ``inputs``
        stats : tensor of shape (batch, 2, n_features)
            Each window's mean (row 0) and spread (row 1) per feature.
        """
        real = real_flags(inputs)
        values = ops.where(real > 0, inputs, ops.zeros_like(inputs))
        count = ops.maximum(ops.sum(real, axis=1, keepdims=True), 1.0)
        mean = ops.sum(values, axis=1, keepdims=True) / count
        centered = (values - mean) * real
        variance = ops.sum(ops.square(centered), axis=1, keepdims=True) / count
        magnitude = ops.sum(ops.abs(values), axis=1, keepdims=True) / count
        floor = _RELATIVE_FLOOR * magnitude + _ABSOLUTE_FLOOR
        scale = ops.sqrt(variance + ops.square(floor))
        normalized = centered / scale
        if self.per_window is not None:
            if len(self.per_window) != inputs.shape[-1]:
                raise ValueError(
                    f"per_window has {len(self.per_window)} flags, but the windows have "
                    f"{inputs.shape[-1]} features."
                )
            chosen = ops.convert_to_tensor([self.per_window])[None]  # (1, 1, n_features)
            normalized = ops.where(chosen, normalized, values)
            mean = ops.where(chosen, mean, ops.zeros_like(mean))
            scale = ops.where(chosen, scale, ops.ones_like(scale))
        normalized = ops.where(real > 0, normalized, ops.cast(MASK_VALUE, inputs.dtype))
        return normalized, ops.concatenate([mean, scale], axis=1)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape), (input_shape[0], 2, input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "per_window": self.per_window}


@keras.saving.register_keras_serializable(package="attn_sklearn")
class WindowDenormalization(keras.layers.Layer):
    """Put a forecast made in window-normalised units back on the window's level.

    ``outputs * s + m`` with the mean ``m`` and spread ``s`` of feature
    ``target_feature`` of each window, then standardised with the fitted
    ``target_mean`` and ``target_scale`` (the units the estimator trains in).

    Parameters
    ----------
    target_feature : int, default=0
        Feature of the window whose future the outputs are.
    target_mean, target_scale : list of float or None, default=None
        Per-output standardisation of the result; ``None`` leaves it in the
        window's units.
    **kwargs
        Standard layer keyword arguments (``name``, ``dtype``, ...).

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn.layers import WindowDenormalization
    >>> stats = np.array([[[11.0], [2.0]]], "float32")  # mean 11, spread 2
    >>> np.asarray(WindowDenormalization()([np.array([[0.5]], "float32"), stats])).tolist()
    [[12.0]]
    """

    def __init__(self, target_feature=0, *, target_mean=None, target_scale=None, **kwargs):
        super().__init__(**kwargs)
        self.target_feature = int(target_feature)
        self.target_mean = None if target_mean is None else [float(v) for v in target_mean]
        self.target_scale = None if target_scale is None else [float(v) for v in target_scale]

    def call(self, inputs):
        """``inputs = [outputs (batch, n_outputs), stats (batch, 2, n_features)]``."""
        outputs, stats = inputs
        mean = stats[:, 0, self.target_feature : self.target_feature + 1]
        scale = stats[:, 1, self.target_feature : self.target_feature + 1]
        result = outputs * scale + mean
        if self.target_mean is not None:
            target_mean = ops.convert_to_tensor(self.target_mean, dtype=result.dtype)
            target_scale = ops.convert_to_tensor(self.target_scale, dtype=result.dtype)
            result = (result - target_mean) / target_scale
        return result

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0])

    def get_config(self):
        return {
            **super().get_config(),
            "target_feature": self.target_feature,
            "target_mean": self.target_mean,
            "target_scale": self.target_scale,
        }


@keras.saving.register_keras_serializable(package="attn_sklearn")
class FeatureScaling(keras.layers.Layer):
    """``(x - mean) / scale`` per feature with fixed statistics; padded steps keep the marker.

    Puts raw inputs (a DataFrame's columns, in their own units) on a common
    scale inside the network, with statistics fitted on the training data.

    Parameters
    ----------
    mean, scale : list of float
        One value per feature; ``scale`` must be positive.
    **kwargs
        Standard layer keyword arguments (``name``, ``dtype``, ...).

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import MASK_VALUE
    >>> from attn_sklearn.layers import FeatureScaling
    >>> x = np.array([[[MASK_VALUE, MASK_VALUE], [12.0, 1.0]]], "float32")
    >>> scaled = np.asarray(FeatureScaling(mean=[10.0, 0.0], scale=[2.0, 1.0])(x))
    >>> scaled[0, 1].tolist(), bool(scaled[0, 0, 0] == MASK_VALUE)
    ([1.0, 1.0], True)
    """

    def __init__(self, mean, *, scale, **kwargs):
        super().__init__(**kwargs)
        self.mean = [float(v) for v in mean]
        self.scale = [float(v) for v in scale]

    def call(self, inputs):
        """``(batch, n_timesteps, n_features)`` in and out."""
        mean = ops.convert_to_tensor(self.mean, dtype=inputs.dtype)
        scale = ops.convert_to_tensor(self.scale, dtype=inputs.dtype)
        return ops.where(real_flags(inputs) > 0, (inputs - mean) / scale, inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "scale": self.scale}
